"""Modals around meetings (planning, a topic, settling an agenda item, item → activity) and the filer's DM."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    DatePickerElement,
    RadioButtonsElement,
    StaticSelectElement,
    TimePickerElement,
    UserSelectElement,
)

from bot.blocks.common import input_block, message, modal, option, preview, section, text_input
from bot.blocks.execution_agenda import theme_options
from bot.i18n import t
from bot.slacktext import escape, quote
from store.meeting_agenda import DECISIONS, Settled
from store.models import Activity, CircleTheme, KlaagpaalItem

INTERVALS = (0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12)
DEFAULT_INTERVAL = 6


def plan_modal(locale: str, metadata: dict) -> dict:
    """First date, time, how often, and where (an address or a video link)."""
    interval_options = [
        option(t("meeting.interval_once", locale) if weeks == 0 else _every(weeks, locale), str(weeks))
        for weeks in INTERVALS
    ]
    default = interval_options[INTERVALS.index(DEFAULT_INTERVAL)]
    blocks = [
        input_block("date", t("meeting.modal_date", locale), DatePickerElement(action_id="value")),
        input_block(
            "time", t("meeting.modal_time", locale), TimePickerElement(action_id="value", initial_time="14:00")
        ),
        input_block(
            "interval",
            t("meeting.modal_interval", locale),
            StaticSelectElement(action_id="value", options=interval_options, initial_option=default),
        ),
        text_input(
            "location", t("meeting.modal_location", locale), optional=True, max_length=300,
            hint=t("meeting.modal_location_hint", locale),
        ),
    ]  # fmt: skip
    return modal("meeting_plan", t("meeting.modal_plan_title", locale), blocks, locale, metadata)


def _every(weeks: int, locale: str) -> str:
    return t("meeting.interval_one", locale) if weeks == 1 else t("meeting.interval_many", locale, weeks=weeks)


def topic_modal(locale: str, metadata: dict) -> dict:
    points = RadioButtonsElement(
        action_id="value", options=[option(t(f"meeting.point_name_{p}", locale), str(p)) for p in (1, 2)]
    )
    blocks = [
        input_block("point", t("meeting.modal_point", locale), points),
        text_input("text", t("meeting.modal_topic", locale), multiline=True, max_length=1000),
    ]
    return modal("meeting_topic", t("meeting.modal_topic_title", locale), blocks, locale, metadata)


def item_modal(kind: str, label: str, text: str, locale: str, metadata: dict) -> dict:
    """What became of one agenda item: the choices that fit its kind, and the outcome its filer will read."""
    if kind == "activity":
        return activity_item_modal(label, text, locale, metadata)
    decisions = RadioButtonsElement(
        action_id="value",
        options=[option(t(f"meeting.decision_{kind}_{decision}", locale), decision) for decision in DECISIONS[kind]],
    )
    blocks = [
        section(f"*{escape(label)}*\n" + quote(preview(text))),
        input_block("decision", t("meeting.modal_decision", locale), decisions),
        text_input(
            "outcome", t("meeting.modal_outcome", locale), multiline=True, optional=True, max_length=1000,
            hint=t("meeting.modal_outcome_hint", locale),
        ),
    ]  # fmt: skip
    return modal("meeting_item", t("meeting.modal_item_title", locale), blocks, locale, metadata)


def activity_item_modal(label: str, title: str, locale: str, metadata: dict) -> dict:
    """Point 3: what the meeting did with an activity; an agreed improvement action gets an owner and a date."""
    decisions = RadioButtonsElement(
        action_id="value",
        options=[option(t(f"meeting.decision_activity_{d}", locale), d) for d in DECISIONS["activity"]],
    )
    blocks = [
        section(f"*{escape(label)}* {escape(title)}"),
        input_block("decision", t("meeting.modal_decision", locale), decisions),
        text_input(
            "outcome", t("meeting.modal_activity_outcome", locale), multiline=True, optional=True, max_length=1000,
            hint=t("meeting.modal_activity_outcome_hint", locale),
        ),
        input_block(
            "owner", t("meeting.modal_action_owner", locale), UserSelectElement(action_id="value"), optional=True
        ),
        input_block(
            "deadline", t("meeting.modal_action_deadline", locale), DatePickerElement(action_id="value"), optional=True
        ),
    ]  # fmt: skip
    return modal("meeting_activity_item", t("meeting.modal_item_title", locale), blocks, locale, metadata)


def activity_modal(item: KlaagpaalItem, locale: str, metadata: dict, *, themes: list[CircleTheme], **_: object) -> dict:
    """A klaagpaal item becomes an activity: title, theme (one of the circle's), initiator and maybe a deadline."""
    choice = StaticSelectElement(action_id="value", options=theme_options(themes, locale))
    blocks = [
        section(f"*K-{item.number}*\n" + quote(preview(item.text))),
        text_input(
            "title", t("meeting.modal_activity_title", locale), max_length=200, initial=preview(item.text)[:200]
        ),
        input_block("theme", t("meeting.modal_theme", locale), choice),
        input_block("initiator", t("meeting.modal_initiator", locale), UserSelectElement(action_id="value")),
        input_block(
            "deadline", t("meeting.modal_deadline", locale), DatePickerElement(action_id="value"), optional=True
        ),
    ]
    return modal("meeting_activity", t("meeting.modal_activity", locale), blocks, locale, metadata)


def settled_dm(settled: Settled, locale: str, activity: Activity | None = None) -> dict:
    """What the filer of an item hears about it; never sent for an anonymous klaagpaal item."""
    found = settled.item
    if activity is not None:
        text = t(
            "meeting.dm_klaagpaal_activiteit",
            locale,
            number=found.number,
            activity=activity.number,
            title=escape(activity.title),
            user=activity.initiator_id,
        )
    elif settled.kind == "topic":
        point = t(f"meeting.point_name_{found.point}", locale)
        text = t("meeting.dm_topic", locale, point=point, text=escape(preview(found.text)))
    else:
        text = t(f"meeting.dm_{settled.kind}_{settled.decision}", locale, number=found.number)
    if settled.outcome:
        text += "\n" + t("meeting.dm_outcome", locale, outcome=escape(settled.outcome))
    return message([section(text)], text)
