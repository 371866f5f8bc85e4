"""Improvement actions P-n as Slack shows them: one line each, the list, the form, the owner's DM."""

from __future__ import annotations

from datetime import date

from slack_sdk.models.blocks import Block, DatePickerElement, UserSelectElement

from bot.blocks.common import actions, button, input_block, message, modal, preview, section, sections, text_input
from bot.formatting import short_date
from bot.i18n import t
from bot.slacktext import escape
from store.actions import DONE, is_late
from store.models import ImprovementAction


def deadline_text(action: ImprovementAction, today: date, locale: str) -> str:
    if action.deadline is None:
        return ""
    key = "actie.line_late" if is_late(action, today) else "actie.line_deadline"
    return t(key, locale, date=short_date(action.deadline, locale))


def action_line(action: ImprovementAction, today: date, locale: str, link: str | None = None) -> str:
    """`• P-3 Bestek aanpassen — @bram · uiterlijk 15 jan. 2027 · bij A-2`."""
    line = t(
        "actie.line", locale, number=action.number, text=escape(preview(action.text)), owner=action.owner_id,
        deadline=deadline_text(action, today, locale),
        link=t("actie.line_link", locale, link=link) if link else "",
    )  # fmt: skip
    return line + (t("actie.line_done", locale) if action.status == DONE else "")


def listing(found: list[ImprovementAction], links: dict[int, str], today: date, locale: str) -> dict:
    if not found:
        return {"text": t("actie.list_empty", locale)}
    title = t("actie.list_title", locale, count=len(found))
    return sections(title, [action_line(a, today, locale, links.get(a.id)) for a in found], locale=locale)


def done_button(action: ImprovementAction, locale: str):
    return button(t("actie.button_done", locale), "action_done", str(action.id))


def owner_dm(action: ImprovementAction, circle_name: str, today: date, locale: str) -> dict:
    text = t(
        "actie.owner_dm", locale, user=action.created_by, circle=escape(circle_name), number=action.number,
        text=escape(preview(action.text)), deadline=deadline_text(action, today, locale),
    )  # fmt: skip
    blocks: list[Block] = [section(text), actions(done_button(action, locale), block_id=f"action_{action.id}")]
    return message(blocks, t("actie.nudge_title", locale, number=action.number, text=escape(preview(action.text))))


def action_modal(locale: str, metadata: dict, *, owner: str | None = None, text: str | None = None) -> dict:
    blocks = [
        text_input("text", t("actie.modal_text", locale), multiline=True, max_length=1000, initial=text),
        input_block("owner", t("actie.modal_owner", locale), UserSelectElement(action_id="value", initial_user=owner)),
        input_block("deadline", t("actie.modal_deadline", locale), DatePickerElement(action_id="value"), optional=True),
    ]
    return modal("actie_new", t("actie.modal_title", locale), blocks, locale, metadata)
