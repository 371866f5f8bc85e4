"""The nudge DM: everything due for one person that day, each activity with its three buttons."""

from __future__ import annotations

from slack_sdk.models.blocks import Block

from bot.blocks.common import actions, button, context, message, section
from bot.blocks.execution_agenda import status_label
from bot.formatting import long_date
from bot.i18n import t
from bot.slacktext import escape
from store.models import Circle
from store.nudges import Nudge


def nudge_dm(circle: Circle, nudges: list[Nudge], locale: str, *, left_over: int = 0) -> dict:
    """One message: a greeting, then per activity why it is nudged, its progress, and what can be done at once."""
    blocks: list[Block] = [section(t("nudge.intro", locale, circle=escape(circle.name)))]
    for nudge in nudges:
        activity = nudge.activity
        title = t("nudge.title", locale, number=activity.number, title=escape(activity.title))
        blocks.append(section(title + "\n" + reason(nudge, locale)))
        status = status_label(activity.status, locale)
        blocks.append(context(t("nudge.progress", locale, percent=activity.percent, status=status)))
        value = str(activity.id)
        blocks.append(
            actions(
                button(t("nudge.button_progress", locale), "activity_progress", value, style="primary"),
                button(t("nudge.button_deadline", locale), "activity_deadline", value),
                button(t("nudge.button_done", locale), "activity_done", value),
                block_id=f"nudge_{activity.id}",
            )
        )
    if left_over:
        blocks.append(context(t("nudge.more", locale, count=left_over)))
    numbers = ", ".join(f"A-{nudge.activity.number}" for nudge in nudges)
    return message(blocks, t("nudge.fallback", locale, numbers=numbers))


def reason(nudge: Nudge, locale: str) -> str:
    """Why this activity is in the message, in days the reader can act on."""
    deadline = nudge.activity.deadline
    if nudge.reason == "stale":
        return t("nudge.stale", locale, count=nudge.days)
    if nudge.reason == "overdue":
        return t("nudge.overdue", locale, date=long_date(deadline, locale), count=nudge.days)
    if nudge.days == 0:
        return t("nudge.deadline_today", locale, date=long_date(deadline, locale))
    if nudge.days == 1:
        return t("nudge.deadline_tomorrow", locale, date=long_date(deadline, locale))
    return t("nudge.deadline_days", locale, date=long_date(deadline, locale), count=nudge.days)
