"""The circle's themes as Slack shows them: the list with ambitions and levels, one theme with its history."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.blocks.common import context, message, section, sections
from bot.blocks.execution_agenda import local_day, theme_label
from bot.formatting import short_date
from bot.i18n import mention, t
from bot.slacktext import escape
from store.models import Circle, CircleTheme, ThemeChange


def listing(circle: Circle, themes: list[CircleTheme], counts: dict[str, int], locale: str) -> dict:
    """Every theme in use with its ambition and level; the retired ones named at the end."""
    lines = []
    active = [theme for theme in themes if theme.retired_at is None]
    for number, theme in enumerate(active, 1):
        name = escape(theme_label(theme, locale))
        count = counts.get(theme.key, 0)
        lines.append(t("themes.line", locale, number=number, name=name, key=theme.key, level=theme.level, count=count))
        lines.append(ambition_line(theme, locale))
    retired = [theme for theme in themes if theme.retired_at is not None]
    if retired:
        names = ", ".join(f"{escape(theme_label(theme, locale))} ({counts.get(theme.key, 0)})" for theme in retired)
        lines.append(t("themes.retired_line", locale, names=names))
    payload = sections(t("themes.title", locale, circle=escape(circle.name)), lines, locale=locale, max_blocks=49)
    payload["blocks"].append(context(t("themes.how", locale)))
    return payload


def detail(theme: CircleTheme, count: int, locale: str, zone: ZoneInfo) -> dict:
    """One theme: its ambition, level, activities, and every change with date and who."""
    name = escape(theme_label(theme, locale))
    retired = t("themes.detail_retired", locale) if theme.retired_at else ""
    head = [
        t("themes.detail_title", locale, name=name, key=theme.key, retired=retired),
        t("themes.detail_facts", locale, level=theme.level, count=count),
        ambition_line(theme, locale),
    ]
    history = [t("themes.history_title", locale)] + [change_line(change, locale, zone) for change in theme.changes]
    blocks = [section("\n".join(head))]
    if theme.changes:
        blocks.append(section("\n".join(history)))
    return message(blocks, theme_label(theme, locale))


def ambition_line(theme: CircleTheme, locale: str) -> str:
    if theme.ambition:
        return t("themes.ambition", locale, text=escape(theme.ambition))
    return t("themes.no_ambition", locale)


def change_text(change: ThemeChange, locale: str) -> str:
    return t(f"themes.change_{change.what}", locale, value=escape(change.value or ""))


def change_line(change: ThemeChange, locale: str, zone: ZoneInfo) -> str:
    who = mention(change.actor_id, locale) if change.actor_id else t("themes.nobody", locale)
    when = short_date(local_day(change.created_at, zone), locale)
    return t("themes.history_line", locale, date=when, who=who, what=change_text(change, locale))
