"""Reading a circle's rhythm as typed: `/kenniskring instellingen agenda:3 tijd:08:30 herinneringen:21,7,1 stil:28`
or the settings form; the store checks the values against their limits when the `Rhythm` is made."""

from __future__ import annotations

from bot import words
from bot.parsing.values import parse_time, parse_whole_number, parse_whole_numbers
from store.errors import UserError
from store.rhythm import Rhythm


def parse_settings(text: str) -> dict[str, str]:
    """`agenda:3 tijd:08:30 herinneringen:21,7,1 stil:28` (a space after the colon is fine too)."""
    values: dict[str, str] = {}
    name = None
    for word in text.split():
        key, colon, rest = word.partition(":")
        setting = words.meaning(words.SETTINGS, key) if colon else None
        if setting is not None:
            name = setting
            values[name] = rest
        elif name is not None:
            values[name] = f"{values[name]} {word}".strip()
        else:
            raise UserError("settings.unknown_word", word=word[:30])
    return values


def parse_rhythm(values: dict[str, str | None], current: Rhythm) -> Rhythm:
    """The rhythm with what was typed (by field name) in place of the current values; blank keeps the current."""

    def given(name: str) -> str | None:
        value = values.get(name)
        return value.strip() if value and value.strip() else None

    lead, at, days, stale = (given(n) for n in ("agenda_lead_days", "post_time", "nudge_days", "stale_after_days"))
    progress = given("progress_lead_days")
    return Rhythm(
        agenda_lead_days=current.agenda_lead_days
        if lead is None
        else parse_whole_number(lead, field="agenda_lead_days"),
        post_time=current.post_time if at is None else parse_time(at, field="post_time"),
        nudge_days=current.nudge_days if days is None else tuple(parse_whole_numbers(days, field="nudge_days")),
        stale_after_days=current.stale_after_days
        if stale is None
        else parse_whole_number(stale, field="stale_after_days"),
        progress_lead_days=current.progress_lead_days
        if progress is None
        else parse_whole_number(progress, field="progress_lead_days"),
    )
