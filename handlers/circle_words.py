"""Reading the circle's own commands: `key:value` pairs whose values run on to the next key, and small numbers."""

from __future__ import annotations

import re
from decimal import Decimal

from bot.parsing import is_whole_number
from store.errors import UserError, shown

KEY = re.compile(r"(?<!\S)([^\W\d_]+):", re.UNICODE)
REMOVE_WORDS = ("weg", "remove", "verwijder", "verwijderen")
RETIRE_WORDS = ("intrekken", "retire")
RESTORE_WORDS = ("herstellen", "restore")


def keyed(text: str, keys: dict[str, str]) -> tuple[str, dict[str, str]]:
    """`gemeente Tiel rol:ambtelijk opdrachtgever sinds: 1-3-2024` → ("gemeente Tiel", {role: …, since: …}).

    Only the words in `keys` (aliases to names) count as keys; each value runs to the next key, so it may hold
    spaces. What comes before the first key is returned as the free text.
    """
    found: dict[str, str] = {}
    matches = [match for match in KEY.finditer(text or "") if match.group(1).lower() in keys]
    free = (text or "")[: matches[0].start()] if matches else (text or "")
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        name = keys[match.group(1).lower()]
        if name in found:
            raise UserError("agenda.key_twice", name=match.group(1).lower())
        value = " ".join(text[match.end() : end].split())
        if not value:
            raise UserError("agenda.key_without_value", name=match.group(1).lower())
        found[name] = value
    return " ".join(free.split()), found


THEME_KEY = re.compile(r"(?i)(?<!\S)(?:thema|theme):\s*(?:[\"“]([^\"”]+)[\"”]|(\S+))")


def split_theme(text: str) -> tuple[str, str | None]:
    """`Emissieloos bouwen thema:klimaat` → ("Emissieloos bouwen", "klimaat"); a quoted theme may hold spaces."""
    match = THEME_KEY.search(text or "")
    if match is None:
        return text, None
    rest = " ".join((text[: match.start()] + " " + text[match.end() :]).split())
    return rest, match.group(1) or match.group(2)


def last_word(text: str, words: tuple[str, ...]) -> tuple[str, bool]:
    """`Minder CO2 intrekken` → ("Minder CO2", True) when the last word is one of `words`."""
    parts = text.split()
    if parts and parts[-1].lower() in words:
        return " ".join(parts[:-1]), True
    return " ".join(parts), False


def whole(text: str, *, key: str, low: int, high: int) -> int:
    word = text.strip()
    if not is_whole_number(word) or not low <= int(word) <= high:
        raise UserError(key, text=shown(word), low=low, high=high)
    return int(word)


GROUPED = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+")


def quantity(text: str, *, key: str = "effects.value_format") -> Decimal:
    """`12,5`, `1.250`, `1.250,5` (Dutch) or `12.5` (a point with other than three digits after it): a number."""
    word = (text or "").strip().rstrip("%").replace("€", "").strip()
    whole, comma, fraction = word.partition(",")
    if comma:
        number = whole.replace(".", "") + "." + fraction
    elif GROUPED.fullmatch(whole):
        number = whole.replace(".", "")
    else:
        number = whole
    if not re.fullmatch(r"-?[0-9]{1,15}(?:\.[0-9]{1,6})?", number):
        raise UserError(key, text=shown(text))
    return Decimal(number)
