"""Messages about a meeting's record: in the channel and in the agenda's thread, once, when the meeting closes."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import delivery
from bot.blocks.meeting_record import record_message
from bot.messages.meeting import agenda_key, refresh_agenda, reply
from store import meeting_record
from store.models import Circle, Meeting, Outbox


def post_record(session: Session, *, circle: Circle, meeting: Meeting, today: date) -> None:
    """The record in the channel and under the agenda; the agenda post loses its close menu."""
    payload = record_message(
        circle, meeting_record.build(session, circle=circle, meeting=meeting), today, circle.locale
    )
    delivery.enqueue(
        session, key=f"meeting:{meeting.id}:record", channel=circle.channel_id, payload=payload, circle_id=circle.id
    )
    post = session.scalars(select(Outbox).where(Outbox.key == agenda_key(meeting.id))).first()
    if post is not None:
        reply(session, circle=circle, post=post, key=f"meeting:{meeting.id}:record:thread", payload=payload)
    refresh_agenda(session, circle=circle, meeting=meeting, today=today, version="closed")
