"""Reading what people type: dates, Dutch amounts, percentages, themes, statuses and the `/agenda nieuw` grammar.

Every parser returns a value or raises `UserError` naming what was wrong; no input makes one raise anything else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from bot.slacktext import clean, mentioned_users, without_mentions
from store.errors import UserError, shown
from store.vocabulary import (
    MAX_BUDGET,
    MAX_YEAR,
    MIN_YEAR,
    SHOWN,
    START_STATUSES,
    STATUSES,
    TITLE_LIMIT,
)

STATUS_WORDS = {
    **{status: status for status in STATUSES},
    "idea": "idee",
    "gepland": "gepland",
    "planned": "gepland",
    "loopt": "lopend",
    "bezig": "lopend",
    "running": "lopend",
    "blokkade": "geblokkeerd",
    "blocked": "geblokkeerd",
    "klaar": "afgerond",
    "done": "afgerond",
    "gestopt": "gestopt",
    "stop": "gestopt",
    "stopped": "gestopt",
}

ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
DMY_DATE = re.compile(r"([0-9]{1,2})[-/.]([0-9]{1,2})[-/.]([0-9]{4})")
NUMBER = re.compile(r"[Aa]-?([0-9]{1,6})|([0-9]{1,6})")
PERCENT = re.compile(r"([0-9]{1,6})\s*%?")
GROUPED = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+")
PLAIN = re.compile(r"[0-9]{1,15}")
MULTIPLIERS = {"": 1, "k": 1000, "duizend": 1000, "m": 1_000_000, "mln": 1_000_000, "miljoen": 1_000_000}
AMOUNT = re.compile(r"([0-9][0-9.,]*)\s*(k|duizend|mln|miljoen|m)?")
KEY = re.compile(r"(?<!\S)([A-Za-z]+):")
CURRENCY = re.compile(r"^(?:€|euro?\b)\s*|\s*(?:€|euro?)$")
WORD = re.compile(r"\S*")
FOLLOWING = re.compile(r"\s+(\S+)")
BUDGET_TAIL = re.compile(r"(?i)\s+(euro?|k|mln|miljoen)(?!\S)")


def parse_date(text: str, *, field: str | None = None) -> date:
    """`2027-03-01` or `1-3-2027` (also with / or .); impossible dates such as 31-02-2027 are refused by name."""
    word = (text or "").strip()
    iso, dmy = ISO_DATE.fullmatch(word), DMY_DATE.fullmatch(word)
    if iso:
        year, month, day = (int(part) for part in iso.groups())
    elif dmy:
        day, month, year = (int(part) for part in dmy.groups())
    else:
        raise UserError("agenda.date_format", field=field, text=shown(word))
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise UserError("agenda.date_year", field=field, text=shown(word), first=MIN_YEAR, last=MAX_YEAR)
    try:
        return date(year, month, day)
    except ValueError:
        raise UserError("agenda.date_impossible", field=field, text=shown(word)) from None


def not_in_past(value: date | None, today: date, *, field: str | None = None) -> date | None:
    if value is not None and value < today:
        raise UserError("agenda.date_past", field=field)
    return value


def parse_amount(text: str, *, field: str | None = None) -> Decimal:
    """Euros as Dutch write them: `12500`, `12.500`, `€ 12.500,50`, `12.500,-`, `48k`, `1,5 mln`."""
    raw = " ".join((text or "").replace("\u00a0", " ").split()).lower()
    word = CURRENCY.sub("", raw).removesuffix(",--").removesuffix(",-").strip()
    if word.startswith(("-", "−")):
        raise UserError("agenda.amount_negative", field=field)
    match = AMOUNT.fullmatch(word) if len(word) <= SHOWN else None
    if not match:
        raise UserError("agenda.amount_format", field=field, text=shown(raw))
    multiplier = MULTIPLIERS[match.group(2) or ""]
    value = _dutch_number(match.group(1), field=field, scaled=multiplier > 1, raw=raw) * multiplier
    if value > MAX_BUDGET:
        raise UserError("agenda.amount_too_large", field=field, limit="€ 100.000.000")
    if value != value.quantize(Decimal("0.01")):
        raise UserError("agenda.amount_cents", field=field, text=shown(raw))
    return value.quantize(Decimal("0.01"))


def _dutch_number(number: str, *, field: str | None, scaled: bool, raw: str) -> Decimal:
    """Dots group thousands, one comma starts the decimals; `12.5` and `12,500` are ambiguous, so refused."""
    whole, comma, fraction = number.partition(",")
    if "," in fraction or "." in fraction or (comma and not fraction):
        raise UserError("agenda.amount_format", field=field, text=shown(raw))
    if not (GROUPED.fullmatch(whole) or PLAIN.fullmatch(whole)):
        raise UserError("agenda.amount_format", field=field, text=shown(raw))
    if fraction and len(fraction) > (6 if scaled else 2):
        raise UserError("agenda.amount_ambiguous", field=field, text=shown(raw))
    try:
        return Decimal(whole.replace(".", "") + ("." + fraction if fraction else ""))
    except InvalidOperation:
        raise UserError("agenda.amount_format", field=field, text=shown(raw)) from None


def parse_percent(text: str, *, field: str | None = None) -> int:
    """`40%`, `40 %` or `40`: a whole number from 0 to 100."""
    word = (text or "").strip()
    if word.startswith(("-", "−")):
        raise UserError("voortgang.percent_range", field=field, text=shown(word))
    match = PERCENT.fullmatch(word)
    if not match:
        raise UserError("voortgang.percent_format", field=field, text=shown(word))
    value = int(match.group(1))
    if value > 100:
        raise UserError("voortgang.percent_range", field=field, text=shown(word))
    return value


def _word(text: str) -> str:
    return " ".join((text or "").strip().strip("\"'“”").lower().split())


def parse_theme(text: str, *, field: str | None = None) -> str:
    """The word for a theme, as typed; which of the circle's themes it names is the store's to say."""
    theme = _word(text)
    if not theme:
        raise UserError("agenda.theme_missing", field=field)
    return theme


def parse_status(text: str, *, field: str | None = None) -> str:
    status = STATUS_WORDS.get(_word(text))
    if status is None:
        raise UserError("agenda.status_unknown", field=field, text=shown(text))
    return status


def parse_activity_number(text: str) -> int:
    """`A-3`, `a3` or `3`."""
    match = NUMBER.fullmatch((text or "").strip())
    if not match:
        raise UserError("common.bad_number", kind="A", text=shown(text))
    return int(match.group(1) or match.group(2))


def looks_like_number(text: str) -> bool:
    return NUMBER.fullmatch((text or "").strip()) is not None


def key_values(text: str, keys: dict[str, str], repeatable: tuple[str, ...] = ()) -> tuple[str, dict[str, str]]:
    """Split `key:value` pairs (value a word or "quoted words") out of free text; `keys` maps aliases to names.

    Unknown `word:` stays in the text (titles may hold a colon). A key twice or without a value is refused, except
    the `repeatable` ones, whose values are joined by newlines.
    """
    found: dict[str, str] = {}
    rest: list[str] = []
    position = 0
    while (match := KEY.search(text, position)) is not None:
        name = keys.get(match.group(1).lower())
        if name is None:
            rest.append(text[position : match.end()])
            position = match.end()
            continue
        rest.append(text[position : match.start()])
        value, position = _value(text, match.end(), name)
        if not value:
            raise UserError("agenda.key_without_value", name=match.group(1).lower())
        if name in found and name in repeatable:
            value = f"{found[name]}\n{value}"
        elif name in found:
            raise UserError("agenda.key_twice", name=match.group(1).lower())
        found[name] = value
    rest.append(text[position:])
    return " ".join("".join(rest).split()), found


def _value(text: str, start: int, name: str) -> tuple[str, int]:
    """The value after `key:`: "quoted words", one word, or for a budget `€ 48.000` and `48.000 euro`."""
    position = len(text) - len(text[start:].lstrip())
    if text[position : position + 1] in ('"', "“"):
        end = re.search(r"[\"”]", text[position + 1 :])
        if end is None:
            return text[position + 1 :].strip(), len(text)
        return text[position + 1 : position + 1 + end.start()].strip(), position + 2 + end.start()
    match = WORD.match(text, position)
    value, position = match.group(0), match.end()
    if name == "budget":
        follow = FOLLOWING.match(text, position)
        if value.lower() in ("€", "eur", "euro") and follow:
            value, position = value + " " + follow.group(1), follow.end()
        tail = BUDGET_TAIL.match(text, position)
        if tail:
            value, position = value + " " + tail.group(1), tail.end()
    return value, position


NEW_KEYS = {
    "deadline": "deadline",
    "datum": "deadline",
    "budget": "budget",
    "thema": "theme",
    "theme": "theme",
    "status": "status",
    "doel": "goal",
    "goal": "goal",
}
FILTER_KEYS = {"thema": "theme", "theme": "theme", "status": "status", "doel": "goal", "goal": "goal"}
PROGRESS_KEYS = {"status": "status"}
MINE_WORDS = ("mijn", "mine", "eigen")
ACTIVE_WORDS = ("actief", "active", "open")


@dataclass(frozen=True)
class NewActivity:
    """An activity as `/agenda nieuw <titel> deadline:… budget:… thema:… @initiator @team…` describes it."""

    title: str
    theme: str
    deadline: date | None = None
    budget: Decimal | None = None
    initiator_id: str | None = None  # None: the one who typed it
    team: tuple[str, ...] = ()
    goals: tuple[str, ...] = ()  # the common goals it serves, by (the start of) their names
    status: str = "gepland"


def parse_new(text: str, *, today: date | None = None) -> NewActivity:
    """The `/agenda nieuw` grammar; the first @name is the initiator, further @names form the team; `doel:` may come
    more than once."""
    users = mentioned_users(text or "")
    title, values = key_values(without_mentions(text or ""), NEW_KEYS, repeatable=("goal",))
    if "theme" not in values:
        raise UserError("agenda.theme_missing")
    deadline = parse_date(values["deadline"]) if "deadline" in values else None
    if today is not None:
        not_in_past(deadline, today)
    return NewActivity(
        title=parse_title(title),
        theme=parse_theme(values["theme"]),
        deadline=deadline,
        budget=parse_amount(values["budget"]) if "budget" in values else None,
        initiator_id=users[0] if users else None,
        team=tuple(users[1:]),
        goals=tuple(clean(goal, limit=TITLE_LIMIT) for goal in values["goal"].split("\n")) if "goal" in values else (),
        status=parse_start_status(values["status"]) if "status" in values else "gepland",
    )


def parse_title(text: str, *, field: str | None = None) -> str:
    title = " ".join(clean(text or "", field=field, limit=TITLE_LIMIT * 4, required=False).split())
    if not title:
        raise UserError("agenda.title_missing", field=field)
    if len(title) > TITLE_LIMIT:
        raise UserError("agenda.title_too_long", field=field, limit=TITLE_LIMIT, length=len(title))
    return title


def parse_start_status(text: str, *, field: str | None = None) -> str:
    status = parse_status(text, field=field)
    if status not in START_STATUSES:
        raise UserError("agenda.status_at_start", field=field)
    return status


@dataclass(frozen=True)
class Filters:
    """Which part of the agenda to show: `mijn`, `thema:…`, `status:…` (or `status:actief`), `doel:…`."""

    mine: bool = False
    theme: str | None = None
    status: str | None = None  # a status, or "actief" for everything not yet finished
    goal: str | None = None  # (the start of) a common goal's name

    @property
    def any(self) -> bool:
        return self.mine or self.theme is not None or self.status is not None or self.goal is not None


def parse_filters(text: str) -> Filters:
    rest, values = key_values(text or "", FILTER_KEYS)
    words = rest.split()
    unknown = [word for word in words if word.lower() not in MINE_WORDS]
    if unknown:
        raise UserError("agenda.filter_unknown", text=shown(unknown[0]))
    status = values.get("status")
    if status is not None:
        status = "actief" if _word(status) in ACTIVE_WORDS else parse_status(status)
    theme = parse_theme(values["theme"]) if "theme" in values else None
    goal = clean(values["goal"], limit=TITLE_LIMIT) if "goal" in values else None
    return Filters(mine=bool(words), theme=theme, status=status, goal=goal)


@dataclass(frozen=True)
class ProgressCommand:
    """`/voortgang A-3 40% status:lopend <wat er gebeurde>`: every part after the number is optional."""

    number: int
    percent: int | None = None
    status: str | None = None
    text: str | None = None

    @property
    def empty(self) -> bool:
        return self.percent is None and self.status is None and not self.text


PERCENT_FIRST = re.compile(r"\s*([^\s%]*)\s*%")


def parse_progress(text: str) -> ProgressCommand:
    head, _, rest = (text or "").strip().partition(" ")
    number = parse_activity_number(head)
    percent = None
    match = PERCENT_FIRST.match(rest)
    if match:
        percent = parse_percent(match.group(1))
        rest = rest[match.end() :]
    rest, values = key_values(rest, PROGRESS_KEYS)
    status = parse_status(values["status"]) if "status" in values else None
    said = clean(rest, required=False) or None
    return ProgressCommand(number=number, percent=percent, status=status, text=said)
