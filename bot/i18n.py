"""Message catalogues: Dutch complete, English available, with a fallback to Dutch for any missing key."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

DEFAULT_LOCALE = "nl"
LOCALES = ("nl", "en")


def _flatten(table: dict, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
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
    template = catalogue(locale).get(key) or catalogue(DEFAULT_LOCALE).get(key)
    if template is None:
        raise KeyError(f"no message {key!r} in the catalogue")
    return template.format(**params) if params else template


def normalise_locale(value: str | None, default: str = DEFAULT_LOCALE) -> str:
    """Slack locales look like nl-NL or en-GB; keep the language when we have it."""
    if value:
        language = value.replace("_", "-").split("-")[0].lower()
        if language in LOCALES:
            return language
    return default
