"""Messages Slack refused for good, in plain words: the App Home's "Delivery problems" and the coordinators' DM."""

from __future__ import annotations

from slack_sdk.models.blocks import Block

from bot.blocks.common import context, preview, section
from bot.i18n import catalogue, t
from bot.slacktext import escape
from store.models import Circle, Outbox


def reason(code: str | None, locale: str) -> str:
    """What Slack's error code means for the circle, in a sentence; a code without a sentence is named."""
    code = (code or "").split()[-1] if code else ""
    key = f"delivery.reason.{code}"
    return t(key, locale) if key in catalogue("nl") else t("delivery.reason.other", locale, code=code or "?")


def _what(row: Outbox, locale: str) -> str:
    text = (row.payload or {}).get("text") or ""
    return f"_{escape(preview(text))}_" if text.strip() else t("delivery.nothing", locale)


def problem_blocks(rows: list[Outbox], total: int, locale: str) -> list[Block]:
    """The coordinators' list of refused messages, newest first, each with its reason; nothing when there is none."""
    if not rows:
        return []
    lines = [
        t("delivery.problems_line", locale, what=_what(row, locale), reason=reason(row.last_error, locale))
        for row in rows
    ]
    blocks: list[Block] = [section("\n".join([t("delivery.problems_title", locale), *lines]))]
    if total > len(rows):
        blocks.append(context(t("delivery.problems_more", locale, count=total - len(rows))))
    return blocks


def problem_dm(circle: Circle, code: str, locale: str) -> dict:
    text = t("delivery.problem_dm", locale, circle=escape(circle.name), reason=reason(code, locale))
    return {"text": text}
