"""Progress updates as Slack shows them: the modal, and the confirmation that can turn a blocker into a help request."""

from __future__ import annotations

from slack_sdk.models.blocks import Block, InputBlock, OptionGroup, PlainTextObject, StaticSelectElement

from bot.blocks.common import (
    actions,
    button,
    context,
    input_block,
    message,
    modal,
    option,
    preview,
    section,
    select,
    text_input,
)
from bot.blocks.execution_agenda import status_label
from bot.i18n import t
from bot.slacktext import escape, quote
from store.models import Activity, ProgressUpdate
from store.vocabulary import STATUSES

SELECT_LIMIT = 100  # options Slack allows in one select


def _choice(activity: Activity):
    return option(f"A-{activity.number} {activity.title}", str(activity.id))


def activity_select(own: list[Activity], others: list[Activity], locale: str, selected: int | None) -> InputBlock:
    """The user's own activities first, then the others they may report on; at most Slack's 100 options."""
    others = others[: max(SELECT_LIMIT - len(own), 0)]
    own = own[:SELECT_LIMIT]
    groups = [
        OptionGroup(label=PlainTextObject(text=t(key, locale)), options=[_choice(a) for a in group])
        for key, group in (("voortgang.group_own", own), ("voortgang.group_others", others))
        if group
    ]
    chosen = next((_choice(a) for a in own + others if a.id == selected), None)
    element = (
        StaticSelectElement(action_id="value", option_groups=groups, initial_option=chosen)
        if len(groups) > 1
        else StaticSelectElement(action_id="value", options=groups[0].options, initial_option=chosen)
    )
    return input_block("activity", t("voortgang.form_activity", locale), element)


def progress_modal(
    own: list[Activity], others: list[Activity], locale: str, metadata: dict, *, selected: Activity | None = None
) -> dict:
    """Activity, status, percentage, what happened, what we learned, improvement actions, blockers.

    The percentage starts filled in with the selected activity's; `percent` in the metadata says which number that
    was, because Slack submits it unchanged when nobody touches the field."""
    statuses = [option(status_label(status, locale), status) for status in STATUSES]
    percent_now = str(selected.percent) if selected is not None else None
    if selected is not None:
        metadata = {**metadata, "percent": selected.percent}
    blocks: list[Block] = [
        activity_select(own, others, locale, selected.id if selected else None),
        select("status", t("voortgang.form_status", locale), statuses, optional=True),
        text_input(
            "percent",
            t("voortgang.form_percent", locale),
            optional=True,
            max_length=5,
            hint=t("voortgang.form_percent_hint", locale),
            initial=percent_now,
        ),
        text_input("happened", t("voortgang.form_happened", locale), multiline=True, optional=True),
        text_input("learned", t("voortgang.form_learned", locale), multiline=True, optional=True),
        text_input(
            "improvements",
            t("voortgang.form_improvements", locale),
            multiline=True,
            optional=True,
            hint=t("voortgang.form_improvements_hint", locale),
        ),
        text_input(
            "blockers",
            t("voortgang.form_blockers", locale),
            multiline=True,
            optional=True,
            hint=t("voortgang.form_blockers_hint", locale),
        ),
    ]
    return modal("voortgang_submit", t("voortgang.form_title", locale), blocks, locale, metadata)


def recorded(activity: Activity, update: ProgressUpdate, locale: str) -> dict:
    """The confirmation to the one who reported; blockers come with a button to ask the circle for help."""
    text = t(
        "voortgang.recorded",
        locale,
        number=activity.number,
        title=escape(activity.title),
        percent=activity.percent,
        status=status_label(activity.status, locale),
    )
    blocks: list[Block] = [section(text)]
    if update.blockers:
        blocks.append(section(t("voortgang.blockers_offer", locale) + "\n" + quote(preview(update.blockers))))
        blocks.append(
            actions(button(t("voortgang.button_help", locale), "progress_help", str(update.id), style="primary"))
        )
    if activity.status == "afgerond":
        blocks.append(context(t("voortgang.celebrated", locale)))
    return message(blocks, t("voortgang.recorded_fallback", locale, number=activity.number))


def help_text(activity: Activity, update: ProgressUpdate, locale: str) -> str:
    """What the help request made from a blocker says: which activity, and the blocker in the reporter's words."""
    return t(
        "voortgang.help_text", locale, number=activity.number, title=activity.title, blockers=update.blockers or ""
    )
