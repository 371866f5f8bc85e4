"""The meeting record (verslag) as Slack shows it."""

from __future__ import annotations

from datetime import date

from slack_sdk.models.blocks import Block

from bot.blocks.actions import action_line
from bot.blocks.common import context, message, preview, section
from bot.blocks.meeting import when
from bot.i18n import mention, t
from bot.slacktext import escape
from store.meeting_record import Record
from store.models import Circle, MeetingDecision

CHUNK = 2900


def _decision_line(decision: MeetingDecision, locale: str) -> str:
    text = t(
        "verslag.decision_line", locale, label=escape(preview(decision.label)),
        decision=t(f"verslag.decision_{decision.decision}", locale),
    )  # fmt: skip
    return text + (": " + escape(preview(decision.text)) if decision.text else "")


def _packed(parts: list[str]) -> list[str]:
    chunks: list[str] = []
    for part in parts:
        if chunks and len(chunks[-1]) + len(part) + 1 <= CHUNK:
            chunks[-1] += "\n" + part
        else:
            chunks.append(part[:CHUNK])
    return chunks


def record_message(circle: Circle, record: Record, today: date, locale: str) -> dict:
    """Present, what each point settled, the besluitenlijst, new actions, and what moves to the next meeting."""
    meeting = record.meeting
    title = t("verslag.title", locale, circle=escape(circle.name), when=when(meeting, locale))
    present = ", ".join(mention(user, locale) for user in record.present) or t("verslag.nobody_marked", locale)
    parts = [f"*{title}*", t("verslag.present", locale, people=present)]
    for point in (1, 2, 3, 4, 5):
        lines = [_decision_line(d, locale) for d in record.decisions if d.point == point]
        if lines:
            parts.append(t(f"meeting.point_name_{point}" if point < 3 else f"verslag.point_{point}", locale))
            parts += lines
    parts.append(t("verslag.besluiten", locale))
    parts += [_decision_line(d, locale) for d in record.besluiten] or [t("verslag.none", locale)]
    parts.append(t("verslag.new_actions", locale))
    parts += [action_line(a, today, locale) for a in record.new_actions] or [t("verslag.none", locale)]
    parts.append(t("verslag.carried", locale))
    carried = [f"• {escape(preview(label))}" for label in record.carried]
    carried += [action_line(a, today, locale) for a in record.open_actions]
    parts += carried or [t("verslag.none", locale)]
    chunks = _packed(["\n".join(parts[:2]), *parts[2:]])
    blocks: list[Block] = [section(chunk) for chunk in chunks[:45]]
    blocks.append(context(t("verslag.footer", locale)))
    return message(blocks, title)
