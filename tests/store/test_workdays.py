"""Working days: weekends and Dutch public holidays are skipped, what falls on them moves to the next working day."""

from __future__ import annotations

from datetime import date

import pytest

from store.workdays import is_holiday, is_working_day, next_working_day, working_days_before


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 12, 4), True),  # Friday
        (date(2026, 12, 5), False),  # Saturday
        (date(2026, 12, 6), False),  # Sunday
        (date(2026, 12, 24), True),  # Christmas Eve is an ordinary working day
        (date(2026, 12, 25), False),  # Christmas
        (date(2027, 12, 27), True),  # Monday after a Christmas on the weekend: no replacement day
        (date(2026, 4, 27), False),  # King's Day on a Monday
        (date(2027, 4, 27), False),  # King's Day on a Tuesday
        (date(2026, 1, 1), False),  # New Year's Day
        (date(2026, 5, 14), False),  # Ascension Day
    ],
)
def test_working_days(day: date, working: bool) -> None:
    assert is_working_day(day) is working


def test_kings_day_moves_to_saturday_26_april_when_the_27th_is_a_sunday() -> None:
    assert date(2025, 4, 27).weekday() == 6
    assert is_holiday(date(2025, 4, 26)) and not is_holiday(date(2025, 4, 27))
    assert date(2031, 4, 27).weekday() == 6
    assert is_holiday(date(2031, 4, 26))


def test_next_working_day_skips_christmas_and_the_weekend() -> None:
    assert next_working_day(date(2026, 12, 25)) == date(2026, 12, 28)  # Fri 25, Sat 26 (2nd Christmas Day), Sun
    assert next_working_day(date(2026, 12, 28)) == date(2026, 12, 28)
    assert next_working_day(date(2026, 4, 25)) == date(2026, 4, 28)  # Sat, Sun, King's Day Monday


def test_working_days_before_a_meeting() -> None:
    assert working_days_before(date(2026, 12, 8), 2) == date(2026, 12, 4)  # Tue → Fri (over the weekend)
    assert working_days_before(date(2026, 12, 29), 2) == date(2026, 12, 24)  # over Christmas
    assert working_days_before(date(2026, 4, 29), 2) == date(2026, 4, 24)  # over King's Day and the weekend
    assert working_days_before(date(2026, 12, 10), 0) == date(2026, 12, 10)
    assert working_days_before(date(2026, 12, 12), 0) == date(2026, 12, 11)  # a Saturday meeting: the Friday
