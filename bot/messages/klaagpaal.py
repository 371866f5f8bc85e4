"""Messages about a klaagpaal item: its post in the circle's channel and that post's refresh."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot import delivery
from bot.blocks import klaagpaal as blocks
from store.models import Circle, KlaagpaalItem


def subject(item: KlaagpaalItem) -> str:
    return f"klaagpaal:{item.id}"


def post(session: Session, *, circle: Circle, item: KlaagpaalItem) -> None:
    """The new item in the circle's channel, where others can mark it "herkenbaar"."""
    delivery.enqueue(
        session,
        key=f"klaagpaal:{item.id}:post",
        channel=circle.channel_id,
        payload=blocks.post(item, circle.locale),
        circle_id=circle.id,
        subject=subject(item),
    )


def refresh(session: Session, *, circle: Circle, item: KlaagpaalItem) -> None:
    """Show the item's new state (marks, resolved, settled) in its post."""
    version = f"{item.status}:{len(item.marks)}"
    delivery.refresh(session, subject=subject(item), payload=blocks.post(item, circle.locale), version=version)


def withdrawn(session: Session, *, circle: Circle, item: KlaagpaalItem) -> None:
    """Its filer took the item back: its post keeps only the number, never the text or who filed it."""
    payload = blocks.withdrawn_post(item.number, circle.locale)
    delivery.refresh(session, subject=subject(item), payload=payload, version="ingetrokken")
