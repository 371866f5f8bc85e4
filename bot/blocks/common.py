"""Pieces shared by the builders: text sections, buttons, modal shells, and reading modal state."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import (
    Block,
    DatePickerElement,
    InputBlock,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.i18n import t

SECTION_LIMIT = 3000
PREVIEW = 140
LIST_PAGE = 20  # items per page of a list: a few KB, far inside Slack's 50 blocks and 3,000 characters a section


Json = dict[str, Any]


# Messages are built as the JSON Slack wants, not as slack_sdk models turned into it: on a page of fifty sections
# that turning was a fifth of the request's time. The keys come in slack_sdk's order (sorted, empty ones left out),
# so the JSON is the same to the byte. Forms still use the models; `plain` turns either into JSON.


def _mrkdwn(text: str) -> Json:
    return {"text": text, "type": "mrkdwn"} if text else {"type": "mrkdwn"}


def _plain_text(text: str, *, emoji: bool | None = None) -> Json:
    made: Json = {} if emoji is None else {"emoji": emoji}
    if text:
        made["text"] = text
    made["type"] = "plain_text"
    return made


def plain(block: Block | Json) -> Json:
    """A block or element as JSON, whether a builder here made it or a slack_sdk model."""
    return block if isinstance(block, dict) else block.to_dict()


def section(text: str) -> Json:
    if len(text) > SECTION_LIMIT:
        text = text[: SECTION_LIMIT - 1] + "…"
    return {"text": _mrkdwn(text), "type": "section"}


def with_accessory(block: Json, accessory: object) -> Json:
    """`block` (a section) with an element beside its text."""
    return {"accessory": plain(accessory), **block}  # type: ignore[arg-type]


def header(text: str) -> Json:
    return {"text": _plain_text(text), "type": "header"}


def divider() -> Json:
    return {"type": "divider"}


def context(*texts: str) -> Json:
    elements = [_mrkdwn(text) for text in texts if text]
    return {"elements": elements, "type": "context"} if elements else {"type": "context"}


def button(label: str, action_id: str, value: str, *, style: str | None = None) -> Json:
    if len(label) > 75 or len(action_id) > 255 or len(value) > 2000:  # Slack's limits, as slack_sdk checks them
        raise SlackObjectFormationError(f"button {action_id!r} beyond Slack's limits")
    made: Json = {"action_id": action_id} if action_id else {}
    if style:
        made["style"] = style
    made["text"] = _plain_text(label, emoji=True)
    made["type"] = "button"
    if value:
        made["value"] = value
    return made


def actions(*elements: Json | object, block_id: str | None = None) -> Json:
    made: Json = {"block_id": block_id} if block_id else {}
    if elements:
        made["elements"] = [plain(element) for element in elements]  # type: ignore[arg-type]
    made["type"] = "actions"
    return made


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


def modal(callback_id: str, title: str, blocks: list[Block | Json], locale: str, metadata: dict[str, Any]) -> dict:
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


def message(blocks: list[Block | Json], fallback: str) -> dict[str, Any]:
    """A chat message payload: blocks plus the plain-text fallback notifications show."""
    return {"text": fallback, "blocks": [plain(block) for block in blocks]}


def sections(title: str, lines: list[str], *, locale: str = "nl", max_blocks: int = 50) -> dict:
    """A title and lines packed into sections below Slack's limits; what does not fit is counted, not dropped."""
    blocks: list[Json] = []
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
        payload["blocks"].append(actions(*navigation))
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
