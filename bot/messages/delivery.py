"""Telling a circle's coordinators, once per kind of problem, that Slack refuses the circle's messages for good."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.blocks.delivery import problem_dm
from store import circles
from store.models import Circle, Outbox

PREFIX = "delivery-problem:"


def tell_coordinators(session: Session, circle_id: int, code: str) -> None:
    """One DM per coordinator per kind of problem (Slack's error code), however many messages it stops: the key
    makes a second one a no-op. Queued in the transaction that marks the message failed (bot.delivery calls this;
    it adds the rows itself, as bot.delivery.enqueue would, so the two modules do not import each other)."""
    circle = session.get(Circle, circle_id)
    if circle is None:
        return
    payload = problem_dm(circle, code, circle.locale)
    for user_id in circles.coordinators(session, circle=circle):
        key = f"{PREFIX}{circle.id}:{code}:{user_id}"
        if session.scalar(select(Outbox.id).where(Outbox.key == key)) is None:
            session.add(
                Outbox(key=key, channel=user_id, payload=payload, method="chat.postMessage", circle_id=circle.id)
            )
