"""Reading what people type about meetings: dates, times, `elke 6 weken`, a place, and which point a topic is for.

Every parser returns a value or raises `UserError` saying what was wrong and how to write it.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time

from bot.slacktext import clean, escape
from store.errors import UserError

DATE = re.compile(r"(?<!\S)(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{4})(?!\S)")
ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
DMY = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
TIME = re.compile(r"(?<!\S)(\d{1,2})(?:[:.](\d{2})|\s*u(?:ur)?)(?!\S)", re.IGNORECASE)
INTERVAL = re.compile(r"(?<!\S)(?:elke|iedere|om\s+de)\s+(?:(\d{1,4})\s+)?(weken|week)(?!\S)", re.IGNORECASE)
INTERVAL_WORD = re.compile(r"(?<!\S)(elke|iedere|om\s+de|wekelijks|maandelijks)(?!\S)", re.IGNORECASE)
LOCATION_PREFIX = re.compile(r"^(?:in|op|bij|locatie:?|plaats:?|waar:?|via)\s+|^[,;:·\-–]+\s*", re.IGNORECASE)
NAARS = re.compile(r"\s+(?:naar|to)\s+", re.IGNORECASE)
POINT_WORDS = {
    "1": 1,
    "arbeidsmarkt": 1,
    "arbeid": 1,
    "labour": 1,
    "labor": 1,
    "2": 2,
    "transitie": 2,
    "transitievraagstuk": 2,
    "transitievraagstukken": 2,
    "transition": 2,
}
MIN_YEAR, MAX_YEAR = 2000, 2100
SHOWN = 40


def _shown(text: str) -> str:
    flat = " ".join((text or "").split())
    return escape(flat if len(flat) <= SHOWN else flat[: SHOWN - 1] + "…")


def parse_day(text: str, *, field: str | None = None, missing: str = "meeting.date_missing") -> date:
    """`2026-12-08` or `8-12-2026` (also with / or .); impossible dates such as 31-2-2027 are named."""
    word = (text or "").strip()
    if not word:
        raise UserError(missing, field=field)
    iso, dmy = ISO.fullmatch(word), DMY.fullmatch(word)
    if iso:
        year, month, day = (int(part) for part in iso.groups())
    elif dmy:
        day, month, year = (int(part) for part in dmy.groups())
    else:
        raise UserError("meeting.date_format", field=field, text=_shown(word))
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise UserError("meeting.date_impossible", field=field, text=_shown(word))
    try:
        return date(year, month, day)
    except ValueError:
        raise UserError("meeting.date_impossible", field=field, text=_shown(word)) from None


def parse_time(text: str, *, field: str | None = None) -> time:
    """`14:00`, `14.00`, `14u` or `14 uur`."""
    word = (text or "").strip()
    match = TIME.fullmatch(word)
    if not match:
        raise UserError("meeting.time_format", field=field, text=_shown(word))
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if hour > 23 or minute > 59:
        raise UserError("meeting.time_impossible", field=field, text=_shown(word))
    return time(hour, minute)


def parse_plan(text: str) -> tuple[datetime, int | None, str | None]:
    """`2026-12-08 14:00 elke 6 weken Gemeentehuis, zaal 2`: first meeting, interval (None: once), place."""
    rest = text or ""
    found = DATE.search(rest)
    if found is None:
        raise UserError("meeting.plan_usage")
    day = parse_day(found.group(1))
    rest = rest[: found.start()] + " " + rest[found.end() :]
    clock = TIME.search(rest)
    if clock is None:
        raise UserError("meeting.time_missing")
    at = parse_time(clock.group(0))
    rest = rest[: clock.start()] + " " + rest[clock.end() :]
    interval, rest = _interval(rest)
    return datetime.combine(day, at), interval, _location(rest)


def _interval(text: str) -> tuple[int | None, str]:
    match = INTERVAL.search(text)
    if match is None:
        if INTERVAL_WORD.search(text):
            raise UserError("meeting.interval_format")
        return None, text
    weeks = int(match.group(1)) if match.group(1) else 1
    return weeks, text[: match.start()] + " " + text[match.end() :]


def _location(text: str) -> str | None:
    place = " ".join(text.split())
    while (stripped := LOCATION_PREFIX.sub("", place, count=1)) != place:
        place = stripped
    return clean(place, field="location", limit=300, required=False) or None


def parse_move(text: str) -> tuple[date, date, time | None]:
    """`8-12-2026 naar 10-12-2026 15:00`, or `… to …` (the time may stay as it was)."""
    words = NAARS.sub(" ", (text or "").strip()).split()
    if len(words) < 2:
        raise UserError("meeting.move_usage")
    day, to_day = parse_day(words[0]), parse_day(words[1])
    at = parse_time(" ".join(words[2:])) if len(words) > 2 else None
    return day, to_day, at


def parse_topic(text: str) -> tuple[int | None, str]:
    """`arbeidsmarkt: …`, `transitie …`, `1: …`: the point and the topic; no point word means "ask"."""
    stripped = (text or "").strip()
    head, _, rest = stripped.partition(" ")
    word, colon, after = head.partition(":")
    point = POINT_WORDS.get(word.lower())
    if point is None or (word.isdigit() and not colon):
        return None, stripped
    topic = (after + " " + rest).strip()
    if not topic:
        raise UserError("meeting.topic_empty")
    return point, topic
