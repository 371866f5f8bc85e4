"""The circle's rhythm as typed: the settings line and the form's values give a Rhythm or a clear error, and the
store keeps a Rhythm within its limits whatever it is given."""

from __future__ import annotations

from datetime import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.i18n import t
from bot.parsing.rhythm import parse_rhythm, parse_settings
from store.errors import UserError
from store.rhythm import Rhythm

CURRENT = Rhythm(agenda_lead_days=2, post_time=time(9, 0), nudge_days=(14, 7, 1), stale_after_days=28)
FIELDS = ("agenda_lead_days", "post_time", "nudge_days", "stale_after_days")


def test_the_store_checks_the_limits_and_orders_the_days() -> None:
    assert Rhythm(0, time(7, 45), (1, 14, 7, 14), 0).nudge_days == (14, 7, 1)
    for wrong, field in [
        ({"agenda_lead_days": 11}, "agenda_lead_days"),
        ({"stale_after_days": 366}, "stale_after_days"),
        ({"nudge_days": ()}, "nudge_days"),
        ({"nudge_days": (0,)}, "nudge_days"),
        ({"nudge_days": (91,)}, "nudge_days"),
        ({"nudge_days": (1, 2, 3, 4, 5, 6, 7)}, "nudge_days"),
    ]:
        values = {"agenda_lead_days": 2, "post_time": time(9), "nudge_days": (14,), "stale_after_days": 28, **wrong}
        with pytest.raises(UserError) as caught:
            Rhythm(**values)
        assert caught.value.field == field


def test_the_form_keeps_what_is_left_blank() -> None:
    assert parse_rhythm({"post_time": " 7.45 ", "nudge_days": ""}, CURRENT) == Rhythm(2, time(7, 45), (14, 7, 1), 28)


@given(st.sampled_from(FIELDS), st.one_of(st.text(max_size=40), st.sampled_from(["²", "¹", "٣", "３", "14,²", "9:٣0"])))
def test_any_typed_value_gives_a_rhythm_or_a_clear_error(name: str, text: str) -> None:
    try:
        rhythm = parse_rhythm({name: text}, CURRENT)
    except UserError as error:
        assert error.field == name
        assert t(error.key, "nl", **error.params) and t(error.key, "en", **error.params)
        return
    assert rhythm.nudge_days == tuple(sorted(set(rhythm.nudge_days), reverse=True))
    assert all(1 <= day <= 90 for day in rhythm.nudge_days) and 0 <= rhythm.stale_after_days <= 365


@given(st.text(max_size=60))
def test_any_settings_line_gives_values_or_a_clear_error(text: str) -> None:
    try:
        values = parse_settings(text)
    except UserError as error:
        assert error.key == "settings.unknown_word"
        return
    assert set(values) <= set(FIELDS)
