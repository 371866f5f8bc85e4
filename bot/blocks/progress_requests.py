"""The DM before a meeting that asks an initiator how their activities are doing, with the progress form's
questions and a button that opens it."""

from __future__ import annotations

from slack_sdk.models.blocks import Block

from bot.blocks.common import actions, button, context, message, section
from bot.blocks.meeting import when
from bot.i18n import t
from bot.slacktext import escape
from store.models import Activity, Circle, Meeting


def progress_request_dm(circle: Circle, meeting: Meeting, asked: list[Activity], locale: str) -> dict:
    blocks: list[Block] = [
        section(t("voortgang.ask_intro", locale, circle=escape(circle.name), when=when(meeting, locale)))
    ]
    for activity in asked[:15]:
        blocks.append(section(t("voortgang.ask_title", locale, number=activity.number, title=escape(activity.title))))
        blocks.append(context(t("voortgang.ask_questions", locale)))
        blocks.append(
            actions(
                button(t("agenda.button_progress", locale), "activity_progress", str(activity.id), style="primary"),
                block_id=f"ask_{activity.id}",
            )
        )
    numbers = ", ".join(f"A-{activity.number}" for activity in asked)
    return message(blocks, t("voortgang.ask_fallback", locale, numbers=numbers))
