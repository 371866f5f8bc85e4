"""The circle's common goals as Slack shows them: the list with progress, and one goal with its activities."""

from __future__ import annotations

from bot.blocks.common import context, sections
from bot.blocks.execution_agenda import status_label
from bot.i18n import t
from bot.slacktext import escape
from store.goals import Progress, progress
from store.models import Circle, Goal


def progress_text(found: Progress, locale: str) -> str:
    if found.percent is None:
        return t("goals.no_progress", locale)
    return t("goals.progress", locale, percent=found.percent)


def listing(circle: Circle, goals: list[Goal], locale: str) -> dict:
    active = [goal for goal in goals if goal.retired_at is None]
    lines = []
    for goal in active:
        found = progress(goal)
        text = progress_text(found, locale)
        lines.append(t("goals.line", locale, name=escape(goal.name), progress=text, count=len(goal.links)))
    if not active:
        lines.append(t("goals.none", locale))
    retired = [escape(goal.name) for goal in goals if goal.retired_at is not None]
    if retired:
        lines.append(t("goals.retired_line", locale, names=", ".join(retired)))
    payload = sections(t("goals.title", locale, circle=escape(circle.name)), lines, locale=locale, max_blocks=49)
    payload["blocks"].append(context(t("goals.how", locale)))
    return payload


def detail(goal: Goal, locale: str) -> dict:
    """One goal: its progress and every activity serving it, with status, progress and weight."""
    retired = t("goals.detail_retired", locale) if goal.retired_at else ""
    found = progress(goal)
    head = [
        t("goals.detail_title", locale, name=escape(goal.name), retired=retired),
        t("goals.detail_progress", locale, progress=progress_text(found, locale), count=found.counted, done=found.done),
    ]
    lines = [
        t(
            "goals.detail_line",
            locale,
            number=link.activity.number,
            title=escape(link.activity.title),
            status=status_label(link.activity.status, locale),
            percent=link.activity.percent,
            weight=link.weight,
        )
        for link in sorted(goal.links, key=lambda link: link.activity.number)
    ]
    if not lines:
        lines = [t("goals.detail_empty", locale, name=escape(goal.name))]
    payload = sections("\n".join(head), lines, locale=locale, max_blocks=50)
    payload["text"] = goal.name
    return payload
