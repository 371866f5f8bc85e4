"""The outbox as the delivery reads it: what is due per channel, in order, and the DM channels already opened.

A channel's messages go in the order they were queued, so a channel's due messages count only up to its first
message that must wait (backing off, or being sent by another process): the later ones wait behind it.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

from sqlalchemy import Text, and_, cast, delete, false, func, not_, or_, select, tuple_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from store.db import SessionFactory
from store.models import DmChannel, Outbox

UNSENT = ("pending", "sending", "held")  # a held message (its workspace paused) keeps its channel's later ones back
PER_CHANNEL = 50  # the most of one channel's messages a flush reads (about a minute of its turns)


def is_person(target: str) -> bool:
    """A user id (U…, W…) as a message's channel means a direct message to that person."""
    return target[:1] in ("U", "W")


def due_by_channel(
    session_factory: SessionFactory, *, now: datetime, lease: timedelta, limit: int
) -> dict[str, list[tuple[int, str, str | None]]]:
    """Channel → its messages (id, method, workspace) that may go now, oldest first; channels by their oldest
    message, each with all its due messages (up to PER_CHANNEL), `limit` messages in all."""
    due = or_(
        and_(Outbox.status == "pending", Outbox.next_attempt_at <= now),
        and_(Outbox.status == "sending", Outbox.claimed_at < now - lease),  # its sender died: taken over
    )
    # Whole channels, oldest first: a channel's due messages (up to PER_CHANNEL) go in the same flush, so the posts
    # to a DM just opened go while the next DMs wait for conversations.open, not one message per DM per flush.
    oldest = select(Outbox.id, Outbox.channel, Outbox.method, Outbox.team_id).where(due).order_by(Outbox.id)
    oldest = oldest.limit(limit * PER_CHANNEL).subquery()
    ranked = select(
        oldest,
        func.min(oldest.c.id).over(partition_by=oldest.c.channel).label("first"),
        func.row_number().over(partition_by=oldest.c.channel, order_by=oldest.c.id).label("place"),
    ).subquery()
    chosen = select(ranked.c.id, ranked.c.channel, ranked.c.method, ranked.c.team_id).where(
        ranked.c.place <= PER_CHANNEL
    )
    with session_factory() as session:
        rows = list(session.execute(chosen.order_by(ranked.c.first, ranked.c.id).limit(limit)))
        channels = {channel for _, channel, _, _ in rows}
        waiting = (
            select(Outbox.channel, func.min(Outbox.id))
            .where(Outbox.channel.in_(channels), Outbox.status.in_(UNSENT), not_(due))
            .group_by(Outbox.channel)
        )
        first_waiting = dict(session.execute(waiting).all()) if channels else {}
    queues: dict[str, list[tuple[int, str, str | None]]] = {}
    for row_id, channel, method, team_id in rows:
        if row_id < first_waiting.get(channel, row_id + 1):
            queues.setdefault(channel, []).append((row_id, method, team_id))
    return queues


class DmChannels:
    """Each person's DM channel with the bot of a workspace, kept in the database once opened and remembered here."""

    def __init__(self, session_factory: SessionFactory) -> None:
        self.session_factory = session_factory
        self._known: dict[tuple[str, str], str] = {}
        self._guard = threading.Lock()

    def load(self, targets: list[tuple[str | None, str]]) -> None:
        """Read the channels of these (workspace, person) pairs this process does not know yet, in one statement."""
        with self._guard:
            unknown = {(team or "", person) for team, person in targets if is_person(person)} - self._known.keys()
        if not unknown:
            return
        with self.session_factory() as session:
            found = session.execute(
                select(DmChannel.team_id, DmChannel.user_id, DmChannel.channel_id).where(
                    tuple_(DmChannel.team_id, DmChannel.user_id).in_(sorted(unknown))
                )
            )
            with self._guard:
                self._known.update({(team, person): channel for team, person, channel in found})

    def get(self, team: str | None, person: str) -> str | None:
        with self._guard:
            return self._known.get((team or "", person))

    def keep(self, team: str | None, person: str, channel: str) -> None:
        with self._guard:
            self._known[(team or "", person)] = channel
        try:
            with self.session_factory.begin() as session:
                session.merge(DmChannel(team_id=team or "", user_id=person, channel_id=channel))
        except IntegrityError:  # another process kept it at the same moment: the same channel
            pass

    def forget(self, team: str | None, person: str) -> None:
        with self._guard:
            self._known.pop((team or "", person), None)
        with self.session_factory.begin() as session:
            found = session.get(DmChannel, (team or "", person))
            if found is not None:
                session.delete(found)


def prune(session: Session, *, before: datetime) -> int:
    """Forget messages sent before `before`, in one statement over every circle; how many were deleted.

    Kept: the post a later change refreshes (`delivery.refresh` finds the first post of a subject; its payload is
    dropped, its channel and ts stay), and every post a message still waiting updates or replies under."""
    waiting = session.scalars(select(Outbox.payload).where(Outbox.status.in_(UNSENT)))
    referenced = {
        payload[name]
        for payload in waiting
        for name in ("_reply_to", "_thread_of")
        if isinstance(payload.get(name), int)
    }
    refreshable = (
        select(func.min(Outbox.id))
        .where(Outbox.subject.is_not(None), Outbox.method == "chat.postMessage")
        .group_by(Outbox.subject)
    )
    old = and_(Outbox.status == "sent", Outbox.sent_at < before)
    keep = or_(Outbox.id.in_(refreshable), Outbox.id.in_(referenced) if referenced else false())
    deleted = session.execute(delete(Outbox).where(old, not_(keep)).execution_options(synchronize_session=False))
    session.execute(
        update(Outbox)
        .where(old, cast(Outbox.payload, Text) != "{}")
        .values(payload={})
        .execution_options(synchronize_session=False)
    )
    return deleted.rowcount or 0
