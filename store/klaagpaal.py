"""Klaagpaal items: what must be said and stayed covered, optionally without an author."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, lazyload

from store import circles
from store.errors import Conflict, Forbidden, NotFound, UserError
from store.models import Circle, HerkenbaarMark, KlaagpaalItem
from store.types import utcnow

CATEGORIES = ("marktblokkade", "regelgeving", "samenwerking", "overig")
OPEN_STATES = ("open", "besproken")


def file(
    session: Session, *, circle: Circle, text: str, author_id: str, anonymous: bool, category: str | None = None
) -> KlaagpaalItem:
    """Store a new item K-n. An anonymous item keeps no trace of its author, not even in the audit trail."""
    if category is not None and category not in CATEGORIES:
        raise UserError("klaagpaal.unknown_category", field="category", categories=", ".join(CATEGORIES))
    if not anonymous:
        circles.ensure_member(session, circle=circle, user_id=author_id)
    number = circles.next_number(session, circle_id=circle.id, kind="K")
    item = KlaagpaalItem(
        circle_id=circle.id, number=number, text=text, category=category, author_id=None if anonymous else author_id
    )
    session.add(item)
    session.flush()
    actor = None if anonymous else author_id
    circles.record(session, circle=circle, actor_id=actor, subject=f"K-{number}", action="filed")
    return item


def get(session: Session, *, circle: Circle, number: int) -> KlaagpaalItem:
    item = session.scalars(
        select(KlaagpaalItem).where(KlaagpaalItem.circle_id == circle.id, KlaagpaalItem.number == number)
    ).first()
    if item is None:
        raise NotFound("klaagpaal.not_found", number=number)
    return item


def by_id(session: Session, *, item_id: int) -> KlaagpaalItem:
    item = session.get(KlaagpaalItem, item_id)
    if item is None:
        raise NotFound("klaagpaal.gone")
    return item


def open_items(session: Session, *, circle: Circle) -> list[KlaagpaalItem]:
    statement = select(KlaagpaalItem).where(KlaagpaalItem.circle_id == circle.id, KlaagpaalItem.status.in_(OPEN_STATES))
    return list(session.scalars(statement.order_by(KlaagpaalItem.number)))


def count_open(session: Session, *, circle: Circle) -> int:
    statement = select(func.count()).where(KlaagpaalItem.circle_id == circle.id, KlaagpaalItem.status.in_(OPEN_STATES))
    return session.scalar(statement) or 0


def open_page(session: Session, *, circle: Circle, offset: int, limit: int) -> list[tuple[KlaagpaalItem, int]]:
    """A page of the open items by number, each with its number of "herkenbaar" marks (counted, not loaded)."""
    marks = select(func.count()).where(HerkenbaarMark.item_id == KlaagpaalItem.id).scalar_subquery()
    statement = (
        select(KlaagpaalItem, marks)
        .where(KlaagpaalItem.circle_id == circle.id, KlaagpaalItem.status.in_(OPEN_STATES))
        .order_by(KlaagpaalItem.number)
        .offset(offset)
        .limit(limit)
        .options(lazyload(KlaagpaalItem.marks))
    )
    return [(item, count) for item, count in session.execute(statement)]


def mark_herkenbaar(session: Session, *, item: KlaagpaalItem, user_id: str) -> bool:
    """Count one "herkenbaar" per person; False when this person had already marked it."""
    exists = session.scalar(
        select(func.count()).where(HerkenbaarMark.item_id == item.id, HerkenbaarMark.user_id == user_id)
    )
    if exists:
        return False
    try:
        with session.begin_nested():
            session.add(HerkenbaarMark(item_id=item.id, user_id=user_id))
    except IntegrityError:  # the same person pressed twice at once
        return False
    session.refresh(item, ["marks"])
    return True


def can_close(session: Session, *, circle: Circle, item: KlaagpaalItem, user_id: str) -> bool:
    return item.author_id == user_id or circles.is_coordinator(session, circle=circle, user_id=user_id)


def resolve(session: Session, *, circle: Circle, item: KlaagpaalItem, user_id: str, outcome: str) -> KlaagpaalItem:
    """Close an item with its outcome: its filer or a coordinator may do so."""
    if not can_close(session, circle=circle, item=item, user_id=user_id):
        raise Forbidden("klaagpaal.resolve_forbidden", number=item.number)
    if item.status == "opgelost":
        raise Conflict("klaagpaal.already_resolved", number=item.number)
    item.status, item.outcome, item.closed_by, item.closed_at = "opgelost", outcome, user_id, utcnow()
    circles.record(session, circle=circle, actor_id=user_id, subject=f"K-{item.number}", action="resolved")
    return item
