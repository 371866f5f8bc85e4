"""Messages about the circle's members: the welcome with one button for whoever joins the channel."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot import delivery
from bot.blocks import members as blocks
from store.models import Circle


def welcome(session: Session, *, circle: Circle, user_id: str, occasion: str) -> None:
    """Only the newcomer sees it, in the channel they joined; `occasion` (the join event) keeps it to one."""
    delivery.enqueue(
        session,
        key=f"welcome:{circle.id}:{user_id}:{occasion}",
        method="chat.postEphemeral",
        channel=circle.channel_id,
        payload={"user": user_id, **blocks.welcome(circle, user_id, circle.locale)},
        circle_id=circle.id,
    )
