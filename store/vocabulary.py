"""The domain's words, each declared once: themes, activity statuses, and the limits of what is stored."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum


class Theme(StrEnum):
    """The three themes of the method; stored by these values."""

    ARBEIDSMARKT = "arbeidsmarkt"
    KLIMAAT = "klimaat"
    LEREN = "leren"


class Status(StrEnum):
    """Where an activity is in its lifecycle; stored by these values."""

    IDEE = "idee"
    GEPLAND = "gepland"
    LOPEND = "lopend"
    GEBLOKKEERD = "geblokkeerd"
    AFGEROND = "afgerond"
    GESTOPT = "gestopt"


THEMES: tuple[str, ...] = tuple(Theme)
STATUSES: tuple[str, ...] = tuple(Status)
START_STATUSES: tuple[str, ...] = (Status.IDEE, Status.GEPLAND, Status.LOPEND)
FINISHED: tuple[str, ...] = (Status.AFGEROND, Status.GESTOPT)
ACTIVE: tuple[str, ...] = tuple(status for status in Status if status not in FINISHED)

MAX_BUDGET = Decimal("100000000")
TITLE_LIMIT = 200
MIN_YEAR, MAX_YEAR = 2000, 2100
SHOWN = 40  # how much of a wrong word is quoted back in an answer
