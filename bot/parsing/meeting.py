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
from store.meetings import MAX_INTERVAL_WEEKS

# These find the parts in a line; they accept any decimal digit (`\d`) so that the parsers of values, which read
# ASCII digits only, can answer with the very word they refuse.
DATE = re.compile(r"(?<!\S)(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{4})(?!\S)")
TIME = re.compile(r"(?<!\S)\d{1,2}(?:[:.u]\d{2}|\s*u(?:ur)?)(?!\S)", re.IGNORECASE)
INTERVAL = re.compile(r"(?<!\S)(?:elke|iedere|om\s+de)\s+(?:(\d{1,4})\s+)?(weken|week)(?!\S)", re.IGNORECASE)
INTERVAL_WORD = re.compile(
    r"(?<!\S)(elke|iedere|om\s+de|wekelijks|maandelijks|every|weekly|monthly)(?!\S)", re.IGNORECASE
)
WEEKLY = re.compile(r"(?<!\S)(?:wekelijks|weekly|every\s+week)(?!\S)", re.IGNORECASE)
EVERY_WEEKS = re.compile(r"(?<!\S)every\s+(\d{1,4})\s+weeks?(?!\S)", re.IGNORECASE)
MONTHLY = re.compile(r"(?<!\S)(?:maandelijks|monthly|(?:elke|iedere)\s+maand|every\s+month)(?!\S)", re.IGNORECASE)
ORDINALS = {
    "eerste": 1, "tweede": 2, "derde": 3, "vierde": 4, "laatste": -1,
    "first": 1, "second": 2, "third": 3, "fourth": 4, "last": -1,
}  # fmt: skip
WEEKDAYS = {
    "maandag": "MO", "dinsdag": "TU", "woensdag": "WE", "donderdag": "TH", "vrijdag": "FR", "zaterdag": "SA",
    "zondag": "SU", "monday": "MO", "tuesday": "TU", "wednesday": "WE", "thursday": "TH", "friday": "FR",
    "saturday": "SA", "sunday": "SU",
}  # fmt: skip
NTH_WEEKDAY = re.compile(
    r"(?<!\S)(?:elke|iedere|every)\s+(" + "|".join(ORDINALS) + r")\s+(" + "|".join(WEEKDAYS) + r")"
    r"\s+(?:van\s+de|of\s+the|of\s+each|of\s+every)\s+(?:maand|month)(?!\S)",
    re.IGNORECASE,
)
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


def parse_plan(text: str) -> tuple[datetime, str | None, str | None]:
    """`2026-12-08 14:00 elke 6 weken Gemeentehuis, zaal 2`: first meeting, rhythm as a recurrence rule (None:
    once), place. Rhythms: `elke (n) weken`, `wekelijks`, `maandelijks` (same day of the month), `elke eerste
    dinsdag van de maand`, `elke laatste donderdag van de maand`, and the English `every 6 weeks`, `monthly`,
    `every first tuesday of the month`."""
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
    rule, rest = _rule(rest)
    return datetime.combine(day, at), rule, _location(rest)


def _rule(text: str) -> tuple[str | None, str]:
    """The rhythm in `text` as an RRULE (without its start), and the text without it."""
    if match := NTH_WEEKDAY.search(text):
        ordinal = ORDINALS[match.group(1).lower()]
        rule = f"FREQ=MONTHLY;BYDAY={ordinal:+d}{WEEKDAYS[match.group(2).lower()]}"
    elif match := MONTHLY.search(text):
        rule = "FREQ=MONTHLY"
    elif match := WEEKLY.search(text):
        rule = "FREQ=WEEKLY;INTERVAL=1"
    elif match := (INTERVAL.search(text) or EVERY_WEEKS.search(text)):
        weeks = parse_whole_number(match.group(1)) if match.group(1) else 1
        if not 1 <= weeks <= MAX_INTERVAL_WEEKS:
            raise UserError("meeting.bad_interval", field="interval", limit=MAX_INTERVAL_WEEKS)
        rule = f"FREQ=WEEKLY;INTERVAL={weeks}"
    elif INTERVAL_WORD.search(text):
        raise UserError("meeting.interval_format")
    else:
        return None, text
    return rule, text[: match.start()] + " " + text[match.end() :]


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
