"""Working days in the Netherlands: no weekends, no Dutch public holidays (from the `holidays` package)."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import holidays

SATURDAY = 5


@cache
def _holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("NL", years=year).keys())


def is_holiday(day: date) -> bool:
    return day in _holidays(day.year)


def is_working_day(day: date) -> bool:
    return day.weekday() < SATURDAY and not is_holiday(day)


def next_working_day(day: date) -> date:
    """`day` itself when it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def working_days_before(day: date, count: int) -> date:
    """The working day `count` working days before `day` (`day` itself for 0, moved back to a working day)."""
    if count <= 0:
        while not is_working_day(day):
            day -= timedelta(days=1)
        return day
    while count > 0:
        day -= timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day
