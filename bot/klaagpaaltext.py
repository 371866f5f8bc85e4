"""Reading whether a typed klaagpaal item asks to be anonymous: yes, no, or close enough that the bot must ask.

A person who meant to be anonymous must never be named, so the word counts in any case, with any punctuation
after it, in Dutch and English; and a first word that resembles it without being it (a typo, the word glued to the
next one) is never guessed either way.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

WORDS = ("anoniem", "anonymous", "anonymously", "anon")
# Typos are measured against the long words only: "anon" is one step from "anno" and from names such as "Aron".
LONG_WORDS = ("anoniem", "anonymous")
TYPOS = 2
OPENING = re.compile(r"[\s\[(*_~\"'“‘«]*")  # markup or quotes before the word: *anoniem*, [anoniem], "anoniem"
LETTERS = re.compile(r"[^\W\d_]+")
SEPARATOR = re.compile(r"(?:[\s:;,.!?…\-–—)\]}*_~/|\"'”’»]|&gt;)*")


@dataclass(frozen=True)
class Filing:
    """What the text asks for. `anonymous` is None when the bot must ask; then `anonymous_text` is the text to file
    when the answer is "anonymous" and `text` the text to file with the filer's name."""

    anonymous: bool | None
    text: str
    anonymous_text: str = ""


def parse_filing(text: str) -> Filing:
    """`anoniem: …`, `Anoniem, …`, `anonymous …` file anonymously; `anonim …`, `anoniemDe …` ask; the rest is named."""
    typed = (text or "").strip()
    start = OPENING.match(typed).end()
    word = LETTERS.match(typed, start)
    if word is None:
        return Filing(False, typed)
    folded, rest = _fold(word.group(0)), typed[word.end() :]
    if folded in WORDS and not rest[:1].isalnum():
        return Filing(True, _after(rest))
    glued = next((w for w in LONG_WORDS if folded.startswith(w) and len(folded) > len(w) + 1), None)
    # The word itself followed by a digit (`anoniem2`): the word took every letter, so what follows is a digit.
    if glued is not None or folded in WORDS:
        cut = start + len(glued or folded)
        return Filing(None, typed, _after(typed[cut:]))
    if len(folded) >= 5 and any(_distance(folded, w) <= TYPOS for w in LONG_WORDS):
        return Filing(None, typed, _after(rest))
    return Filing(False, typed)


def _after(rest: str) -> str:
    """The text after the word and whatever punctuation follows it."""
    return rest[SEPARATOR.match(rest).end() :].strip()


def _fold(word: str) -> str:
    """Lower case without accents: `Anoniém` is `anoniem`."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _distance(a: str, b: str) -> int:
    """Edits (insert, delete, substitute, swap two neighbours) from `a` to `b`."""
    previous, current = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        before, previous, current = previous, current, [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if before is not None and i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], before[j - 2] + 1)
    return current[len(b)]
