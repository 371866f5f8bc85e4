"""How a theme is named and ordered wherever the bot shows activities: the circle's own name for it, or for the
method's three (not renamed) their name in the reader's language; live activities and adopted versions alike."""

from __future__ import annotations

from typing import Protocol, TypeVar

from bot.i18n import t
from store.models import CircleTheme
from store.vocabulary import DEFAULT_THEMES


class Themed(Protocol):
    """An activity, or one as an adopted version froze it: a theme key, and the circle's theme under it if any."""

    theme: str
    theme_entry: CircleTheme | None


T = TypeVar("T", bound=Themed)


def theme_label(theme: CircleTheme | str, locale: str) -> str:
    """A theme's name as typed by the circle, or for the method's three (not renamed) in the reader's language."""
    if isinstance(theme, CircleTheme):
        return theme.name or theme_label(theme.key, locale)
    return t(f"agenda.theme_{theme}", locale) if theme in DEFAULT_THEMES else theme


def activity_theme(activity: Themed, locale: str) -> str:
    return theme_label(activity.theme_entry or activity.theme, locale)


def by_theme(activities: list[T]) -> list[tuple[CircleTheme | str, list[T]]]:
    """Activities grouped by theme, in the circle's order of its themes; retired themes last."""
    groups: dict[str, tuple[tuple, CircleTheme | str]] = {}
    for activity in activities:
        entry = activity.theme_entry
        order = (entry.retired_at is not None, entry.position, entry.key) if entry else (True, 1 << 30, activity.theme)
        groups.setdefault(activity.theme, (order, entry or activity.theme))
    ranked = sorted(groups.items(), key=lambda item: item[1][0])
    return [(theme, [a for a in activities if a.theme == key]) for key, (_, theme) in ranked]
