"""Reading what people type about the execution agenda: themes, statuses, `key:value` pairs, and the grammars of
`/agenda nieuw`, `/agenda <filters>` and `/voortgang`, built on the parsers of single values in `bot.parsing.values`.

Every parser returns a value or raises `UserError` naming what was wrong; no input makes one raise anything else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from bot.parsing.values import DATE_PHRASE, not_in_past, parse_amount, parse_date, parse_number, parse_percent
from bot.slacktext import clean, mentioned_users, without_mentions
from store.errors import UserError, shown
from store.vocabulary import START_STATUSES, STATUSES, TITLE_LIMIT

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
    "completed": "afgerond",
    "gestopt": "gestopt",
    "stop": "gestopt",
    "stopped": "gestopt",
}

KEY = re.compile(r"(?<!\S)([A-Za-z]+):")
WORD = re.compile(r"\S*")
FOLLOWING = re.compile(r"\s+(\S+)")
BUDGET_TAIL = re.compile(r"(?i)\s+(euro?|k|mln|miljoen)(?!\S)")
DATE_NAMES = ("deadline", "date", "since")  # values read by parse_date, which may run over several words


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
    """The value after `key:`: "quoted words", one word, for a budget `€ 48.000` and `48.000 euro`, for a date
    `1 maart 2027` and `volgende week vrijdag`."""
    position = len(text) - len(text[start:].lstrip())
    if name in DATE_NAMES and (phrase := DATE_PHRASE.match(text, position)):
        return " ".join(phrase.group(0).split()), phrase.end()
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


def parse_new(text: str, *, today: date | None = None, locale: str = "nl") -> NewActivity:
    """The `/agenda nieuw` grammar; the first @name is the initiator, further @names form the team; `doel:` may come
    more than once. A budget is read as the one who typed it writes amounts (`locale`)."""
    users = mentioned_users(text or "")
    title, values = key_values(without_mentions(text or ""), NEW_KEYS, repeatable=("goal",))
    if "theme" not in values:
        raise UserError("agenda.theme_missing")
    deadline = parse_date(values["deadline"], today=today) if "deadline" in values else None
    if today is not None:
        not_in_past(deadline, today)
    return NewActivity(
        title=parse_title(title),
        theme=parse_theme(values["theme"]),
        deadline=deadline,
        budget=parse_amount(values["budget"], locale=locale) if "budget" in values else None,
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


# Right after the activity: `40%`, `40 %`, or a bare `40`: a number there is the percentage, never the text.
PERCENT_FIRST = re.compile(r"\s*([^\s%]*)\s*%|\s*([0-9]+)(?!\S)")


def parse_progress(text: str) -> ProgressCommand:
    head, _, rest = (text or "").strip().partition(" ")
    number = parse_number(head, "A")
    percent = None
    match = PERCENT_FIRST.match(rest)
    if match:
        percent = parse_percent(match.group(1) if match.group(1) is not None else match.group(2))
        rest = rest[match.end() :]
    rest, values = key_values(rest, PROGRESS_KEYS)
    status = parse_status(values["status"]) if "status" in values else None
    said = clean(rest, required=False) or None
    return ProgressCommand(number=number, percent=percent, status=status, text=said)
