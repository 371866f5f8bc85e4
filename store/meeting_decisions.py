"""What a meeting settled about each item of its agenda, one row per meeting and item: its record's lines."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import Meeting, MeetingDecision

POINT_OF = {"topic": 0, "activity": 3, "klaagpaal": 4, "hulpvraag": 5}
LABEL_LIMIT = 300


def note(
    session: Session,
    *,
    meeting: Meeting,
    point: int,
    ref: str,
    label: str,
    decision: str,
    text: str | None,
    user_id: str,
    action_id: int | None = None,
) -> MeetingDecision:
    """Record (or correct) what the meeting settled about `ref`; the latest word counts."""
    statement = select(MeetingDecision).where(MeetingDecision.meeting_id == meeting.id, MeetingDecision.ref == ref)
    found = session.scalars(statement).first()
    if found is None:
        found = MeetingDecision(meeting_id=meeting.id, ref=ref)
        session.add(found)
    found.point, found.label, found.decision, found.text = point, label[:LABEL_LIMIT], decision, text
    found.user_id, found.action_id = user_id, action_id or found.action_id
    session.flush()
    return found


def of(session: Session, *, meeting: Meeting) -> list[MeetingDecision]:
    statement = select(MeetingDecision).where(MeetingDecision.meeting_id == meeting.id)
    return list(session.scalars(statement.order_by(MeetingDecision.point, MeetingDecision.id)))
