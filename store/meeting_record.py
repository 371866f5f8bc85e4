"""The meeting record (verslag): who was there, what each point settled, the besluitenlijst, new actions, and what
moves to the next meeting. A meeting closes at its end (start plus a default two hours) or when a coordinator
closes it from the agenda post; then its record goes out, once."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import Circle, Meeting

DURATION = timedelta(hours=2)  # meetings store a start only


def ends_at(meeting: Meeting) -> datetime:
    return meeting.starts_at + DURATION


def running(session: Session, *, circle: Circle, now: datetime) -> Meeting | None:
    """The meeting under way at `now` (started, not ended or closed), if any."""
    statement = select(Meeting).where(
        Meeting.circle_id == circle.id,
        Meeting.status == "gepland",
        Meeting.closed_at.is_(None),
        Meeting.starts_at <= now,
        Meeting.starts_at > now - DURATION,
    )
    return session.scalars(statement.order_by(Meeting.starts_at.desc()).limit(1)).first()
