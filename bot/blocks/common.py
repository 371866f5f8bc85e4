"""Pieces shared by the builders: text sections, buttons, modal shells, and reading modal state."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DatePickerElement,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.i18n import t

SECTION_LIMIT = 3000
PREVIEW = 140
LIST_PAGE = 20  # items per page of a list: a few KB, far inside Slack's 50 blocks and 3,000 characters a section


def section(text: str) -> SectionBlock:
    if len(text) > SECTION_LIMIT:
        text = text[: SECTION_LIMIT - 1] + "…"
    return SectionBlock(text=MarkdownTextObject(text=text))


def context(*texts: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=text) for text in texts if text])


def button(label: str, action_id: str, value: str, *, style: str | None = None) -> ButtonElement:
    return ButtonElement(text=PlainTextObject(text=label, emoji=True), action_id=action_id, value=value, style=style)


def actions(*buttons: ButtonElement, block_id: str | None = None) -> ActionsBlock:
    return ActionsBlock(elements=list(buttons), block_id=block_id)


def input_block(
    block_id: str, label: str, element: object, *, optional: bool = False, hint: str | None = None
) -> InputBlock:
    """A modal input; every element reports its value under action_id "value", read back by state_values."""
    return InputBlock(
        block_id=block_id,
        label=PlainTextObject(text=label),
        element=element,
        optional=optional,
        hint=PlainTextObject(text=hint) if hint else None,
    )


def text_input(
    block_id: str,
    label: str,
    *,
    multiline: bool = False,
    optional: bool = False,
    hint: str | None = None,
    initial: str | None = None,
    max_length: int = 2000,
) -> InputBlock:
    element = PlainTextInputElement(
        action_id="value", multiline=multiline, max_length=max_length, initial_value=initial or None
    )
    return input_block(block_id, label, element, optional=optional, hint=hint)


def option(text: str, value: str) -> Option:
    return Option(text=PlainTextObject(text=text[:75]), value=value)


def select(
    block_id: str, label: str, options: list[Option], *, initial: str | None = None, optional: bool = False
) -> InputBlock:
    chosen = next((choice for choice in options if choice.value == initial), None)
    element = StaticSelectElement(action_id="value", options=options, initial_option=chosen)
    return input_block(block_id, label, element, optional=optional)


def date_input(block_id: str, label: str, *, initial: str | None = None, optional: bool = True) -> InputBlock:
    return input_block(block_id, label, DatePickerElement(action_id="value", initial_date=initial), optional=optional)


def modal(callback_id: str, title: str, blocks: list[Block], locale: str, metadata: dict[str, Any]) -> dict:
    """A modal with Save/Cancel; `metadata` travels along as private_metadata (where it came from)."""
    view = View(
        type="modal",
        callback_id=callback_id,
        title=PlainTextObject(text=title[:24]),
        submit=PlainTextObject(text=t("common.modal_submit", locale)),
        close=PlainTextObject(text=t("common.modal_cancel", locale)),
        blocks=blocks,
        # Unescaped: a typed text carried to the next modal must fit Slack's 3000 characters, é as one of them.
        private_metadata=json.dumps(metadata, ensure_ascii=False),
    )
    return view.to_dict()


def message(blocks: list[Block], fallback: str) -> dict[str, Any]:
    """A chat message payload: blocks plus the plain-text fallback notifications show."""
    return {"text": fallback, "blocks": [block.to_dict() for block in blocks]}


def sections(title: str, lines: list[str], *, locale: str = "nl", max_blocks: int = 50) -> dict:
    """A title and lines packed into sections below Slack's limits; what does not fit is counted, not dropped."""
    blocks: list[Block] = []
    chunk = title
    for index, line in enumerate(lines):
        if len(chunk) + len(line) + 1 > 2900:
            if len(blocks) == max_blocks - 2:
                blocks += [section(chunk), context(t("common.more", locale, count=len(lines) - index))]
                return message(blocks, title)
            blocks.append(section(chunk))
            chunk = ""
        chunk = f"{chunk}\n{line}" if chunk else line
    blocks.append(section(chunk))
    return message(blocks, title)


@dataclass(frozen=True)
class Paging:
    """Which page of a list an answer shows; its buttons carry `kind|circle|page` back to the `list_page` action."""

    kind: str
    circle_id: int
    number: int
    pages: int

    @classmethod
    def of(cls, kind: str, circle_id: int, *, total: int, wanted: int) -> Paging:
        """Page `wanted` of `total` items, or the nearest page there is."""
        pages = max(1, -(-total // LIST_PAGE))
        return cls(kind, circle_id, min(max(wanted, 1), pages), pages)

    @property
    def offset(self) -> int:
        return (self.number - 1) * LIST_PAGE

    def value(self, number: int) -> str:
        return f"{self.kind}|{self.circle_id}|{number}"


def paged(title: str, lines: list[str], paging: Paging, locale: str) -> dict:
    """One page of a list: its lines under the title (with "page x of y" when there are more), buttons to the
    pages before and after."""
    if paging.pages > 1:
        title += " · " + t("common.page", locale, page=paging.number, pages=paging.pages)
    payload = sections(title, lines, locale=locale, max_blocks=48)
    navigation = []
    if paging.number > 1:
        navigation.append(button(t("common.previous", locale), "list_page", paging.value(paging.number - 1)))
    if paging.number < paging.pages:
        navigation.append(button(t("common.next", locale), "list_page", paging.value(paging.number + 1)))
    if navigation:
        payload["blocks"].append(actions(*navigation).to_dict())
    return payload


def preview(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= PREVIEW else flat[: PREVIEW - 1] + "…"


def state_values(view: dict[str, Any]) -> dict[str, Any]:
    """Modal input values by block_id: strings for text, dates and selects; lists for checkboxes and multi-selects."""
    values: dict[str, Any] = {}
    for block_id, actions_by_id in view.get("state", {}).get("values", {}).items():
        for element in actions_by_id.values():
            values[block_id] = _element_value(element)
    return values


def _element_value(element: dict[str, Any]) -> Any:
    kind = element.get("type")
    if kind == "plain_text_input":
        return element.get("value")
    if kind == "datepicker":
        return element.get("selected_date")
    if kind == "users_select":
        return element.get("selected_user")
    if kind == "multi_users_select":
        return element.get("selected_users") or []
    if kind in ("checkboxes", "multi_static_select"):
        return [option["value"] for option in element.get("selected_options") or []]
    if kind in ("static_select", "radio_buttons"):
        return (element.get("selected_option") or {}).get("value")
    return element.get("value")
