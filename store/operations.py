"""What an operator reads and mends: the outbox's state, its failed messages, the circles and workspaces."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import case, func, inspect, select, text, update
from sqlalchemy.orm import Session

from store.models import Activity, Circle, Member, Outbox

NOT_SENT = ("pending", "sending", "held", "failed", "dropped")  # held: its workspace has the bot uninstalled
RETRYABLE = ("failed", "dropped")
DROPPABLE = ("failed", "pending")


@dataclass
class OutboxStatus:
    counts: dict[str, int] = field(default_factory=dict)  # per status, sent messages not counted
    oldest_pending_age: float | None = None  # seconds since the oldest unsent message was queued
    oldest_due_age: float | None = None  # seconds the message due longest has been waiting for its turn


def outbox_status(session: Session, *, now: datetime) -> OutboxStatus:
    """The outbox's depth and ages, in one statement over the unsent rows (found by the status index)."""
    waiting_since = case((Outbox.next_attempt_at > Outbox.created_at, Outbox.next_attempt_at), else_=Outbox.created_at)
    due_since = case((Outbox.next_attempt_at <= now, waiting_since))
    rows = session.execute(
        select(Outbox.status, func.count(Outbox.id), func.min(Outbox.created_at), func.min(due_since))
        .where(Outbox.status.in_(NOT_SENT))
        .group_by(Outbox.status)
    ).all()
    status = OutboxStatus()
    for name, count, oldest, due in rows:
        status.counts[name] = count
        if name in ("pending", "sending"):
            status.oldest_pending_age = _oldest(status.oldest_pending_age, now, oldest)
            if name == "pending":
                status.oldest_due_age = _oldest(status.oldest_due_age, now, due)
    return status


def _oldest(known: float | None, now: datetime, moment: datetime | None) -> float | None:
    if moment is None:
        return known
    age = max((now - moment).total_seconds(), 0.0)
    return age if known is None else max(known, age)


def unsent_rows(
    session: Session, *, statuses: tuple[str, ...] = ("failed", "dropped"), limit: int = 50
) -> list[Outbox]:
    statement = select(Outbox).where(Outbox.status.in_(statuses)).order_by(Outbox.id.desc()).limit(limit)
    return list(session.scalars(statement))


class NotChangeable(LookupError):
    """The outbox row does not exist, or its status does not allow the change."""


def retry(session: Session, *, row_id: int, now: datetime) -> Outbox:
    """A failed (or dropped) message back in the queue, due now."""
    return _change(session, row_id, RETRYABLE, status="pending", next_attempt_at=now, claimed_at=None)


def drop(session: Session, *, row_id: int) -> Outbox:
    """A failed or waiting message given up: marked dropped, kept to be seen; the channel's later ones go on."""
    return _change(session, row_id, DROPPABLE, status="dropped")


def _change(session: Session, row_id: int, allowed: tuple[str, ...], **values: object) -> Outbox:
    changed = session.execute(
        update(Outbox)
        .where(Outbox.id == row_id, Outbox.status.in_(allowed))
        .values(**values)
        .execution_options(synchronize_session=False)
    ).rowcount
    row = session.get(Outbox, row_id, populate_existing=True)
    if row is None:
        raise NotChangeable(f"there is no outbox message {row_id}")
    if not changed:
        raise NotChangeable(f"outbox message {row_id} is {row.status}; only {' or '.join(allowed)} ones can be")
    return row


@dataclass
class CircleRow:
    id: int
    team: str
    channel: str
    name: str
    members: int
    activities: int


def circle_rows(session: Session) -> list[CircleRow]:
    members = select(func.count(Member.id)).where(Member.circle_id == Circle.id).scalar_subquery()
    activities = select(func.count(Activity.id)).where(Activity.circle_id == Circle.id).scalar_subquery()
    rows = session.execute(
        select(Circle.id, Circle.team_id, Circle.channel_id, Circle.name, members, activities).order_by(Circle.id)
    )
    return [CircleRow(*row) for row in rows]


@dataclass
class WorkspaceRow:
    team: str
    circles: int
    installation: str | None = None  # when the database keeps installations: installed, or not installed


def workspace_rows(session: Session) -> list[WorkspaceRow]:
    rows = session.execute(
        select(Circle.team_id, func.count(Circle.id)).group_by(Circle.team_id).order_by(Circle.team_id)
    )
    found = [WorkspaceRow(team, count) for team, count in rows]
    inspector = inspect(session.connection())
    if inspector.has_table("installations") and "team_id" in {
        c["name"] for c in inspector.get_columns("installations")
    }:
        installed = {team for (team,) in session.execute(text("SELECT team_id FROM installations"))}
        for row in found:
            row.installation = "installed" if row.team in installed else "not installed"
        found += [WorkspaceRow(team, 0, "installed") for team in sorted(installed - {row.team for row in found})]
    return found
