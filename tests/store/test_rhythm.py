"""The rhythm's words in the store: any reminder or time text gives a value in range or a clear error."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from store import rhythm as store
from store.errors import UserError


@given(st.text(max_size=40))
def test_any_reminder_text_gives_days_or_a_clear_error(text: str) -> None:
    try:
        days = store.nudge_days(text)
    except UserError as error:
        assert error.key.startswith("settings.")
        return
    assert days == tuple(sorted(set(days), reverse=True)) and all(1 <= day <= 90 for day in days)


@given(st.text(max_size=12))
def test_any_time_text_gives_a_time_or_a_clear_error(text: str) -> None:
    try:
        value = store.post_time(text)
    except UserError as error:
        assert error.key == "settings.time_format"
        return
    assert len(value) == 5 and value[2] == ":"
