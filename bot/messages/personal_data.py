"""What the bot tells one person about their own data: the document with everything it keeps about them, and the
question before it is removed. Neither goes through the outbox: the outbox would keep a copy of what is removed."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from bot.blocks.common import actions, button, message, section
from bot.i18n import t
from store.personal_data import Found

REMOVE_ACTION = "personal_data_remove"


def document(found: Found, *, locale: str, now: datetime, language: str | None) -> dict[str, Any]:
    """Everything found, one section per table in the reader's language; the language kept in memory too."""
    sections = [
        {"title": t(f"personal_data.section.{table}", locale), "table": table, "rows": rows}
        for table, rows in found.tables.items()
    ]
    if language is not None:
        sections.append({"title": t("personal_data.language_note", locale), "table": None, "rows": [language]})
    return {
        "title": t("personal_data.title", locale),
        "user": found.user_id,
        "made_at": now.isoformat(),
        "note": t("personal_data.anonymous_note", locale),
        "sections": sections,
    }


def document_bytes(doc: dict[str, Any]) -> bytes:
    return json.dumps(doc, ensure_ascii=False, indent=2, default=str).encode()


def confirm_removal(locale: str, value: str, user_id: str | None = None) -> dict[str, Any]:
    """The question with its one button; `value` says whose data and where, and is checked again when pressed."""
    text = (
        t("personal_data.confirm_member", locale, user=user_id) if user_id else t("personal_data.confirm_self", locale)
    )
    blocks = [
        section(text),
        actions(button(t("personal_data.confirm_button", locale), REMOVE_ACTION, value, style="danger")),
    ]
    return message(blocks, text)
