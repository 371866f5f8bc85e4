"""Klaagpaal items: what must be said and stayed covered, optionally without an author.

An anonymous item stores no author. Only a keyed hash of the item and its filer (`filer_tag`) lets that person,
and nobody without the secret key, find it again: to list and withdraw it, and to count it toward the limit on
anonymous filing that keeps the klaagpaal from being flooded.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, lazyload

from store import circles
from store.errors import Conflict, Forbidden, NotFound, UserError
from store.models import Circle, HerkenbaarMark, KlaagpaalItem, KlaagpaalQuestion
from store.types import utcnow

CATEGORIES = ("marktblokkade", "regelgeving", "samenwerking", "overig")
OPEN_STATES = ("open", "besproken")
ANONYMOUS_PER_DAY = 5  # anonymous items one person may file in one circle in 24 hours
QUESTION_LIFETIME = timedelta(minutes=15)  # how long "anonymous or with your name?" waits for its answer


def filer_tag(key: bytes, *, circle_id: int, number: int, user_id: str) -> str:
    """The keyed hash that ties anonymous item K-n to its filer for whoever holds `key`, and for nobody else."""
    message = f"klaagpaal-filer\x00{circle_id}\x00{number}\x00{user_id}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


Keys = bytes | Sequence[bytes]  # one key, or the current key first and then earlier ones (while rotating)


def current_key(key: Keys) -> bytes:
    """The key new tags are made with: the current one."""
    return key if isinstance(key, bytes) else key[0]


def filed_by(item: KlaagpaalItem, *, user_id: str, key: Keys) -> bool:
    """Whether `user_id` filed the item: by name, or anonymously (found by the keyed hash, made with the current key
    or, for items filed before a rotation, an earlier one)."""
    if item.author_id is not None:
        return item.author_id == user_id
    if item.filer_tag is None:
        return False
    for one in (key,) if isinstance(key, bytes) else key:
        expected = filer_tag(one, circle_id=item.circle_id, number=item.number, user_id=user_id)
        if hmac.compare_digest(item.filer_tag, expected):
            return True
    return False


def file(
    session: Session,
    *,
    circle: Circle,
    text: str,
    author_id: str,
    anonymous: bool,
    category: str | None = None,
    filer_key: Keys | None = None,
    now: datetime | None = None,
) -> KlaagpaalItem:
    """Store a new item K-n. An anonymous item keeps no trace of its author, not even in the audit trail: only
    the keyed hash made with `filer_key`."""
    if category is not None and category not in CATEGORIES:
        raise UserError("klaagpaal.unknown_category", field="category", categories=", ".join(CATEGORIES))
    moment = now or utcnow()
    if anonymous:
        if filer_key is None:
            raise ValueError("an anonymous item needs the filer key")
        _check_anonymous_limit(session, circle=circle, user_id=author_id, key=filer_key, now=moment)
    else:
        circles.ensure_member(session, circle=circle, user_id=author_id)
    number = circles.next_number(session, circle_id=circle.id, kind="K")
    tag = None
    if anonymous:
        tag = filer_tag(current_key(filer_key), circle_id=circle.id, number=number, user_id=author_id)
    item = KlaagpaalItem(
        circle_id=circle.id,
        number=number,
        text=text,
        category=category,
        author_id=None if anonymous else author_id,
        filer_tag=tag,
        created_at=moment,
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


def by_id(session: Session, *, item_id: int | None) -> KlaagpaalItem:
    item = session.get(KlaagpaalItem, item_id) if item_id is not None else None
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
    """Count one "herkenbaar" per person; False when this person had already marked it.

    Recognising is what others say about an item, so its filer cannot mark it (an anonymous filer is not known)."""
    if item.author_id == user_id:
        raise Forbidden("klaagpaal.herkenbaar_own", number=item.number)
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


def resolve(
    session: Session, *, circle: Circle, item: KlaagpaalItem, user_id: str, outcome: str | None
) -> KlaagpaalItem:
    """Close an item with its outcome: its filer or a coordinator may do so."""
    if not can_close(session, circle=circle, item=item, user_id=user_id):
        raise Forbidden("klaagpaal.resolve_forbidden", number=item.number)
    if item.status == "opgelost":
        raise Conflict("klaagpaal.already_resolved", number=item.number)
    item.status, item.outcome, item.closed_by, item.closed_at = "opgelost", outcome, user_id, utcnow()
    circles.record(session, circle=circle, actor_id=user_id, subject=f"K-{item.number}", action="resolved")
    return item


def _check_anonymous_limit(session: Session, *, circle: Circle, user_id: str, key: Keys, now: datetime) -> None:
    statement = select(KlaagpaalItem).where(
        KlaagpaalItem.circle_id == circle.id,
        KlaagpaalItem.filer_tag.is_not(None),
        KlaagpaalItem.created_at > now - timedelta(days=1),
    )
    recent = sum(1 for item in session.scalars(statement) if filed_by(item, user_id=user_id, key=key))
    if recent >= ANONYMOUS_PER_DAY:
        raise UserError("klaagpaal.anonymous_limit", limit=ANONYMOUS_PER_DAY)


def mine(session: Session, *, circle: Circle, user_id: str, key: Keys) -> list[KlaagpaalItem]:
    """The items this person filed in the circle, by name or anonymously, by number."""
    statement = select(KlaagpaalItem).where(KlaagpaalItem.circle_id == circle.id)
    found = session.scalars(statement.order_by(KlaagpaalItem.number))
    return [item for item in found if filed_by(item, user_id=user_id, key=key)]


def withdraw(session: Session, *, circle: Circle, number: int, user_id: str, key: Keys) -> KlaagpaalItem:
    """Its filer takes an item back: it is deleted with its marks. Only the filer may; a resolved item stays."""
    item = get(session, circle=circle, number=number)
    if not filed_by(item, user_id=user_id, key=key):
        raise Forbidden("klaagpaal.withdraw_forbidden", number=number)
    if item.status == "opgelost":
        raise Conflict("klaagpaal.already_resolved", number=number)
    circles.record(session, circle=circle, actor_id=item.author_id, subject=f"K-{number}", action="withdrawn")
    session.delete(item)
    session.flush()
    return item


def ask(session: Session, *, circle: Circle, text: str, anonymous_text: str, now: datetime) -> str:
    """Hold a typed item until its filer says whether it is anonymous; the token the answer buttons carry."""
    forget_unanswered(session, now=now)
    token = secrets.token_urlsafe(24)
    question = KlaagpaalQuestion(
        token=token, circle_id=circle.id, text=text, anonymous_text=anonymous_text, created_at=now
    )
    session.add(question)
    session.flush()
    return token


def question(session: Session, *, token: str, now: datetime) -> KlaagpaalQuestion:
    """The question a button answers, locked until the transaction ends; gone when answered or expired."""
    forget_unanswered(session, now=now)
    statement = select(KlaagpaalQuestion).where(KlaagpaalQuestion.token == token).with_for_update()
    found = session.scalars(statement).first() if token else None
    if found is None:
        raise NotFound("klaagpaal.question_gone")
    return found


def forget_unanswered(session: Session, *, now: datetime) -> None:
    """Delete the questions nobody answered in time, with the text they held."""
    expired = select(KlaagpaalQuestion).where(KlaagpaalQuestion.created_at < now - QUESTION_LIFETIME)
    for old in session.scalars(expired):
        session.delete(old)
