"""Dates, times and amounts the way Dutch (or English) readers expect them, via Babel.

Babel's locales are parsed once, and dates and amounts are formatted once per value: an agenda page or a list shows
the same few deadlines and budgets on many rows, on every request.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache

from babel import Locale
from babel.dates import format_date as babel_date
from babel.dates import format_time as babel_time
from babel.numbers import format_currency

_BABEL_LOCALE = {"nl": "nl_NL", "en": "en_GB"}
_PARSED = {name: Locale.parse(tag) for name, tag in _BABEL_LOCALE.items()}
FORMATTED = 4096  # dates and amounts kept per function, formatted


def babel_locale(locale: str) -> Locale:
    """The Babel locale for one of ours (Dutch for any other), parsed once."""
    return _PARSED.get(locale) or _PARSED["nl"]


@lru_cache(maxsize=FORMATTED)
def long_date(value: date, locale: str = "nl") -> str:
    """`donderdag 10 december 2026`."""
    return babel_date(value, "EEEE d MMMM y", locale=babel_locale(locale))


@lru_cache(maxsize=FORMATTED)
def short_date(value: date, locale: str = "nl") -> str:
    """`10 dec. 2026`."""
    return babel_date(value, "medium", locale=babel_locale(locale))


def clock(value: datetime, locale: str = "nl") -> str:
    """`14:00`."""
    return babel_time(value, "HH:mm", locale=babel_locale(locale))


def amount(value: Decimal | int | float, locale: str = "nl") -> str:
    """`€ 12.500,00`."""
    return _amount(Decimal(value), locale)


@lru_cache(maxsize=FORMATTED)
def _amount(value: Decimal, locale: str) -> str:
    return format_currency(value, "EUR", locale=babel_locale(locale))
