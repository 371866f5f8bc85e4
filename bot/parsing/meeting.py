"""Reading what people type about meetings: `8-12-2026 14:00 elke 6 weken <plaats>`, a move, which point a topic is
for. Dates, times and numbers are read by the parsers of single values in `bot.parsing.values`.

Every parser returns a value or raises `UserError` saying what was wrong and how to write it.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time

from bot.parsing.values import is_whole_number, parse_date, parse_time, parse_whole_number
from bot.slacktext import clean
from store.errors import UserError

# These find the parts in a line; they accept any decimal digit (`\d`) so that the parsers of values, which read
# ASCII digits only, can answer with the very word they refuse.
DATE = re.compile(r"(?<!\S)(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{4})(?!\S)")
TIME = re.compile(r"(?<!\S)\d{1,2}(?:[:.u]\d{2}|\s*u(?:ur)?)(?!\S)", re.IGNORECASE)
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


def parse_plan(text: str) -> tuple[datetime, int | None, str | None]:
    """`2026-12-08 14:00 elke 6 weken Gemeentehuis, zaal 2`: first meeting, interval (None: once), place."""
    rest = text or ""
    found = DATE.search(rest)
    if found is None:
        raise UserError("meeting.plan_usage")
    day = parse_date(found.group(1))
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
    weeks = parse_whole_number(match.group(1)) if match.group(1) else 1
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
    day, to_day = parse_date(words[0]), parse_date(words[1])
    at = parse_time(" ".join(words[2:])) if len(words) > 2 else None
    return day, to_day, at


def parse_topic(text: str) -> tuple[int | None, str]:
    """`arbeidsmarkt: …`, `transitie …`, `1: …`: the point and the topic; no point word means "ask"."""
    stripped = (text or "").strip()
    head, _, rest = stripped.partition(" ")
    word, colon, after = head.partition(":")
    point = POINT_WORDS.get(word.lower())
    if point is None or (is_whole_number(word) and not colon):
        return None, stripped
    topic = (after + " " + rest).strip()
    if not topic:
        raise UserError("meeting.topic_empty")
    return point, topic
