"""Dates, times and amounts the way Dutch (or English) readers expect them, via Babel."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from babel.dates import format_date as babel_date
from babel.dates import format_time as babel_time
from babel.numbers import format_currency

_BABEL_LOCALE = {"nl": "nl_NL", "en": "en_GB"}


def long_date(value: date, locale: str = "nl") -> str:
    """`donderdag 10 december 2026`."""
    return babel_date(value, "EEEE d MMMM y", locale=_BABEL_LOCALE.get(locale, "nl_NL"))


def short_date(value: date, locale: str = "nl") -> str:
    """`10 dec. 2026`."""
    return babel_date(value, "medium", locale=_BABEL_LOCALE.get(locale, "nl_NL"))


def clock(value: datetime, locale: str = "nl") -> str:
    """`14:00`."""
    return babel_time(value, "HH:mm", locale=_BABEL_LOCALE.get(locale, "nl_NL"))


def amount(value: Decimal | int | float, locale: str = "nl") -> str:
    """`€ 12.500,00`."""
    return format_currency(Decimal(value), "EUR", locale=_BABEL_LOCALE.get(locale, "nl_NL"))
