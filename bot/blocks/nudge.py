"""The nudge DM: everything due for one person that day, each activity with its three buttons."""

from __future__ import annotations

from datetime import date

from slack_sdk.models.blocks import Block

from bot.blocks.actions import done_button
from bot.blocks.common import actions, button, context, message, preview, section
from bot.blocks.execution_agenda import status_label
from bot.formatting import long_date
from bot.i18n import t
from bot.slacktext import escape
from store.actions import ActionNudge
from store.models import Circle
from store.nudges import Nudge


def nudge_dm(
    circle: Circle, nudges: list[Nudge], locale: str, *, left_over: int = 0, owed: list[ActionNudge] = ()
) -> dict:
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
    for nudge in owed:  # improvement actions, nudged like deadlines
        action = nudge.action
        title = t("actie.nudge_title", locale, number=action.number, text=escape(preview(action.text)))
        blocks.append(section(title + "\n" + _when(action.deadline, nudge.reason, nudge.days, locale)))
        blocks.append(actions(done_button(action, locale), block_id=f"nudge_action_{action.id}"))
    numbers = ", ".join([f"A-{nudge.activity.number}" for nudge in nudges] + [f"P-{n.action.number}" for n in owed])
    return message(blocks, t("nudge.fallback", locale, numbers=numbers))


def reason(nudge: Nudge, locale: str) -> str:
    """Why this activity is in the message, in days the reader can act on."""
    if nudge.reason == "stale":
        return t("nudge.stale", locale, count=nudge.days)
    return _when(nudge.activity.deadline, nudge.reason, nudge.days, locale)


def _when(deadline: date, why: str, days: int, locale: str) -> str:
    if why == "overdue":
        return t("nudge.overdue", locale, date=long_date(deadline, locale), count=days)
    if days == 0:
        return t("nudge.deadline_today", locale, date=long_date(deadline, locale))
    if days == 1:
        return t("nudge.deadline_tomorrow", locale, date=long_date(deadline, locale))
    return t("nudge.deadline_days", locale, date=long_date(deadline, locale), count=days)
