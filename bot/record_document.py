"""The meeting record (verslag) as a Word document: the same parts as in Slack, with names instead of ids. What
people typed goes in as plain text, never as markup."""

from __future__ import annotations

import io
import re
from collections.abc import Callable

from bot.blocks.meeting import when
from bot.formatting import short_date
from bot.i18n import t
from store.meeting_record import Record
from store.models import Circle, ImprovementAction, MeetingDecision

Names = Callable[[str], str]

# Characters XML 1.0 cannot hold; Slack text rarely has them, but one would make the whole file fail.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _plain(text: str) -> str:
    return _NOT_XML.sub("", text)


def _label(key: str, locale: str, **params: object) -> str:
    return t(f"verslag.document.{key}", locale, **params)


def user_ids(record: Record) -> list[str]:
    found = dict.fromkeys(record.present)
    found.update(dict.fromkeys(action.owner_id for action in (*record.new_actions, *record.open_actions)))
    return list(found)


def _decision(decision: MeetingDecision, locale: str) -> str:
    line = f"{decision.label} — {t(f'verslag.decision_{decision.decision}', locale)}"
    return line + (f": {decision.text}" if decision.text else "")


def _action(action: ImprovementAction, names: Names, locale: str) -> str:
    line = f"P-{action.number} {action.text} — {names(action.owner_id)}"
    if action.deadline is not None:
        line += " · " + _label("deadline", locale, date=short_date(action.deadline, locale))
    return line


def _list(document, lines: list[str], locale: str) -> None:
    if not lines:
        document.add_paragraph(_label("none", locale))
    for line in lines:
        document.add_paragraph(_plain(line), style="List Bullet")


def docx(circle: Circle, record: Record, locale: str, names: Names = str) -> bytes:
    """Title (circle, date, place), present, what each point settled, the besluitenlijst, new actions with owners
    and dates, and what moves to the next meeting."""
    from docx import Document

    meeting, document = record.meeting, Document()
    document.add_heading(_plain(_label("title", locale, circle=circle.name, when=when(meeting, locale))), level=0)
    if meeting.location:
        document.add_paragraph(_plain(_label("place", locale, location=meeting.location)))
    present = ", ".join(names(user) for user in record.present) or _label("nobody_marked", locale)
    document.add_paragraph(_plain(_label("present", locale, people=present)))
    for point in (1, 2, 3, 4, 5):
        lines = [_decision(d, locale) for d in record.decisions if d.point == point]
        if lines:
            document.add_heading(t(f"meeting.point_name_{point}" if point < 3 else f"verslag.point_{point}", locale), 1)
            _list(document, lines, locale)
    document.add_heading(_label("besluiten", locale), 1)
    _list(document, [_decision(d, locale) for d in record.besluiten], locale)
    document.add_heading(_label("new_actions", locale), 1)
    _list(document, [_action(a, names, locale) for a in record.new_actions], locale)
    document.add_heading(_label("carried", locale), 1)
    _list(document, [*record.carried, *(_action(a, names, locale) for a in record.open_actions)], locale)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def file_name(circle: Circle, record: Record, locale: str) -> str:
    slug = "".join(ch if ch.isalnum() else "-" for ch in circle.name.lower()).strip("-")[:40]
    day = record.meeting.local_start[:10]
    return f"{_label('file_name', locale)}-{slug}-{day}.docx"
