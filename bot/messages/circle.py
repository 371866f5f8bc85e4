"""Messages about the circle itself: the word in its channel when it starts."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot import delivery
from bot.blocks.common import message, section
from bot.i18n import t
from bot.slacktext import escape
from store.models import Circle


def started(session: Session, *, circle: Circle, user_id: str) -> None:
    text = t("circle.started_post", circle.locale, name=escape(circle.name), user=user_id)
    delivery.enqueue(
        session,
        key=f"circle:{circle.id}:started",
        channel=circle.channel_id,
        payload=message([section(text)], text),
        circle_id=circle.id,
    )
