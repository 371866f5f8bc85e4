"""Messages about adopted versions of the execution agenda: the word in the channel when one is adopted."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot import delivery
from bot.blocks.versions import adopted_post
from store.models import AgendaVersion, Circle
from store.versions import Change


def adopted(session: Session, *, circle: Circle, version: AgendaVersion, found: list[Change]) -> None:
    """Version N is adopted, with what changed since N-1, in the circle's channel (once per version)."""
    delivery.enqueue(
        session,
        key=f"agenda_version:{version.id}:adopted",
        channel=circle.channel_id,
        payload=adopted_post(version, found, circle.locale),
        circle_id=circle.id,
    )
