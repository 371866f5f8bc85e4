"""The domain's words, each declared once: themes, sides, roles, indicators, statuses, and the limits of storage."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum


class Theme(StrEnum):
    """The three themes of the method: every circle starts with them under these keys, and may add its own."""

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


class Side(StrEnum):
    """Which side of the table a member sits: opdrachtgever, opdrachtnemer, or neither (kennisinstelling, adviseur)."""

    OG = "OG"
    ON = "ON"
    ANDERS = "anders"


DEFAULT_THEMES: tuple[str, ...] = tuple(Theme)
DEFAULT_ROLES: tuple[str, ...] = (
    "ambtelijk opdrachtgever",
    "directie",
    "beheerder",
    "beleidsadviseur",
    "inkoper",
    "specialist",
    "MKB-ondernemer",
    "projectleider",
)
# The indicators every circle starts with: key, unit, and how values of several activities add up.
DEFAULT_INDICATORS: tuple[tuple[str, str, str], ...] = (
    ("co2", "t", "sum"),
    ("circulair", "%", "mean"),
    ("afstand", "", "sum"),
    ("euro", "€", "sum"),
)
SIDES: tuple[str, ...] = tuple(Side)
STATUSES: tuple[str, ...] = tuple(Status)
START_STATUSES: tuple[str, ...] = (Status.IDEE, Status.GEPLAND, Status.LOPEND)
FINISHED: tuple[str, ...] = (Status.AFGEROND, Status.GESTOPT)
ACTIVE: tuple[str, ...] = tuple(status for status in Status if status not in FINISHED)

MAX_BUDGET = Decimal("100000000")
TITLE_LIMIT = 200
MIN_YEAR, MAX_YEAR = 2000, 2100
NAME_LIMIT = 80  # a theme, role or indicator name
GOAL_LIMIT = 200
ORGANISATION_LIMIT = 120
MAX_LEVEL = 10  # a theme's ambition level: 1 is the basisambitie, the circle raises it over time
MAX_WEIGHT = 100
DEFAULT_BALANCE_RATIO = 2  # one side may be at most this many times the other before coordinators are told
DEFAULT_ROTATION_MONTHS = 48
SHOWN = 40  # how much of a wrong word is quoted back in an answer
