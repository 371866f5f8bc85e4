"""The question before a meeting: how are your activities doing? One DM per initiator and meeting."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot import delivery
from bot.blocks.progress_requests import progress_request_dm
from store.models import Activity, Circle, Meeting


def ask(session: Session, *, circle: Circle, meeting: Meeting, user_id: str, key: str, asked: list[Activity]) -> None:
    payload = progress_request_dm(circle, meeting, asked, circle.locale)
    delivery.enqueue(session, key=key, channel=user_id, payload=payload, circle_id=circle.id)
