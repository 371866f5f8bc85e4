"""Message catalogues: Dutch complete, English available, with a fallback to Dutch for any missing key.

A message that counts something is a table of CLDR plural forms (`one`, `other`, …) instead of a string; `t()`
picks the form for its `count` by the language's plural rules (Babel), so nobody reads "1 dagen" or "dag(en)".
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources

from babel import Locale

from store.personal_data import PLACEHOLDER

DEFAULT_LOCALE = "nl"
LOCALES = ("nl", "en")
PLURAL_FORMS = frozenset(("zero", "one", "two", "few", "many", "other"))
PLURAL_MARK = "#"  # `nudge.more#one`: one plural form of `nudge.more` in the flat catalogue
# A mention of someone whose data was removed (store.personal_data): shown as "(verwijderd)", never as an id.
REMOVED_MENTION = re.compile(rf"<@{PLACEHOLDER}-[0-9a-f]+(?:\|[^>]*)?>")


def _is_plural(value: object) -> bool:
    return isinstance(value, dict) and "other" in value and set(value) <= PLURAL_FORMS


def _flatten(table: dict, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if _is_plural(value):
            flat.update({f"{name}{PLURAL_MARK}{form}": str(text) for form, text in value.items()})
        elif isinstance(value, dict):
            flat.update(_flatten(value, name + "."))
        else:
            flat[name] = str(value)
    return flat


@cache
def catalogue(locale: str) -> dict[str, str]:
    """All messages of one locale; each file's stem is the first part of its keys (klaagpaal.toml -> klaagpaal.*)."""
    folder = resources.files("bot") / "catalogue" / locale
    messages: dict[str, str] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            stem = entry.name.removesuffix(".toml")
            messages.update(_flatten(tomllib.loads(entry.read_text("utf-8")), stem + "."))
    return messages


def t(key: str, locale: str = DEFAULT_LOCALE, /, **params: object) -> str:
    """The message `key` in `locale`, falling back to Dutch; placeholders are filled with `params`."""
    template = _lookup(key, locale) or _lookup(_plural_key(key, locale, params), locale)
    if template is None:
        raise KeyError(f"no message {key!r} in the catalogue")
    text = template.format(**params) if params else template
    return without_removed(text, locale)


def without_removed(text: str, locale: str = DEFAULT_LOCALE) -> str:
    """`text` with each mention of a removed person as the words for it."""
    if PLACEHOLDER not in text:
        return text
    return REMOVED_MENTION.sub(lambda _: _lookup("common.removed_person", locale) or "", text)


def mention(user_id: str, locale: str = DEFAULT_LOCALE) -> str:
    """A mention of one person (Slack shows their name), or the words for someone whose data was removed."""
    return without_removed(f"<@{user_id}>", locale)


def _lookup(key: str, locale: str) -> str | None:
    return catalogue(locale).get(key) or catalogue(DEFAULT_LOCALE).get(key)


def _plural_key(key: str, locale: str, params: dict[str, object]) -> str:
    count = params.get("count")
    if not isinstance(count, int):
        return key
    form = _plural_rule(locale)(abs(count))
    chosen = f"{key}{PLURAL_MARK}{form}"
    return chosen if _lookup(chosen, locale) else f"{key}{PLURAL_MARK}other"


@cache
def _plural_rule(locale: str):
    """The language's CLDR plural rule, parsed once."""
    return Locale.parse(locale).plural_form


def normalise_locale(value: str | None, default: str = DEFAULT_LOCALE) -> str:
    """Slack locales look like nl-NL or en-GB; keep the language when we have it."""
    if value:
        language = value.replace("_", "-").split("-")[0].lower()
        if language in LOCALES:
            return language
    return default
