"""The outbox as the delivery reads it: what is due per channel, in order, and the DM channels already opened.

A channel's messages go in the order they were queued, so a channel's due messages count only up to its first
message that must wait (backing off, or being sent by another process): the later ones wait behind it.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

from sqlalchemy import and_, func, not_, or_, select
from sqlalchemy.exc import IntegrityError

from store.db import SessionFactory
from store.models import DmChannel, Outbox

UNSENT = ("pending", "sending")
PER_CHANNEL = 50  # the most of one channel's messages a flush reads (about a minute of its turns)


def is_person(target: str) -> bool:
    """A user id (U…, W…) as a message's channel means a direct message to that person."""
    return target[:1] in ("U", "W")


def due_by_channel(
    session_factory: SessionFactory, *, now: datetime, lease: timedelta, limit: int
) -> dict[str, list[tuple[int, str]]]:
    """Channel → its messages (id, method) that may go now, oldest first; channels by their oldest message, each
    with all its due messages (up to PER_CHANNEL), `limit` messages in all."""
    due = or_(
        and_(Outbox.status == "pending", Outbox.next_attempt_at <= now),
        and_(Outbox.status == "sending", Outbox.claimed_at < now - lease),  # its sender died: taken over
    )
    # Whole channels, oldest first: a channel's due messages (up to PER_CHANNEL) go in the same flush, so the posts
    # to a DM just opened go while the next DMs wait for conversations.open, not one message per DM per flush.
    oldest = select(Outbox.id, Outbox.channel, Outbox.method).where(due).order_by(Outbox.id)
    oldest = oldest.limit(limit * PER_CHANNEL).subquery()
    ranked = select(
        oldest,
        func.min(oldest.c.id).over(partition_by=oldest.c.channel).label("first"),
        func.row_number().over(partition_by=oldest.c.channel, order_by=oldest.c.id).label("place"),
    ).subquery()
    chosen = select(ranked.c.id, ranked.c.channel, ranked.c.method).where(ranked.c.place <= PER_CHANNEL)
    with session_factory() as session:
        rows = list(session.execute(chosen.order_by(ranked.c.first, ranked.c.id).limit(limit)))
        channels = {channel for _, channel, _ in rows}
        waiting = (
            select(Outbox.channel, func.min(Outbox.id))
            .where(Outbox.channel.in_(channels), Outbox.status.in_(UNSENT), not_(due))
            .group_by(Outbox.channel)
        )
        first_waiting = dict(session.execute(waiting).all()) if channels else {}
    queues: dict[str, list[tuple[int, str]]] = {}
    for row_id, channel, method in rows:
        if row_id < first_waiting.get(channel, row_id + 1):
            queues.setdefault(channel, []).append((row_id, method))
    return queues


class DmChannels:
    """Each person's DM channel, kept in the database once opened and remembered in this process."""

    def __init__(self, session_factory: SessionFactory) -> None:
        self.session_factory = session_factory
        self._known: dict[str, str] = {}
        self._guard = threading.Lock()

    def load(self, people: list[str]) -> None:
        """Read the channels of these people that this process does not know yet, in one statement."""
        with self._guard:
            unknown = [person for person in people if person not in self._known]
        if not unknown:
            return
        with self.session_factory() as session:
            found = session.execute(
                select(DmChannel.user_id, DmChannel.channel_id).where(DmChannel.user_id.in_(unknown))
            )
            with self._guard:
                self._known.update(found.all())

    def get(self, person: str) -> str | None:
        with self._guard:
            return self._known.get(person)

    def keep(self, person: str, channel: str) -> None:
        with self._guard:
            self._known[person] = channel
        try:
            with self.session_factory.begin() as session:
                session.merge(DmChannel(user_id=person, channel_id=channel))
        except IntegrityError:  # another process kept it at the same moment: the same channel
            pass

    def forget(self, person: str) -> None:
        with self._guard:
            self._known.pop(person, None)
        with self.session_factory.begin() as session:
            found = session.get(DmChannel, person)
            if found is not None:
                session.delete(found)
