"""Workspaces coming and going: a workspace that removes the bot pauses its circles, installing it again resumes them.

While paused nothing is posted there: messages already queued are held (kept, not failed), scheduled work passes
the circles by, and all of it goes on once the workspace installs the bot again.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from store.models import Circle, Outbox, PersonWorkspace

HELD = "held"


def pause(session: Session, *, team_id: str) -> list[int]:
    """The workspace removed the bot: its circles pause and their queued messages are held. The circles paused."""
    paused = list(
        session.scalars(
            update(Circle)
            .where(Circle.team_id == team_id, Circle.active.is_(True))
            .values(active=False, resumed_at=None)
            .returning(Circle.id)
        )
    )
    session.execute(
        update(Outbox)
        .where(Outbox.team_id == team_id, Outbox.status == "pending")
        .values(status=HELD)
        .execution_options(synchronize_session=False)
    )
    return paused


def resume(session: Session, *, team_id: str, now: datetime) -> list[int]:
    """The workspace installed the bot (again): paused circles go on, and what was held is sent. The circles resumed."""
    resumed = list(
        session.scalars(
            update(Circle)
            .where(Circle.team_id == team_id, Circle.active.is_(False))
            .values(active=True, resumed_at=now)
            .returning(Circle.id)
        )
    )
    session.execute(
        update(Outbox)
        .where(Outbox.team_id == team_id, Outbox.status == HELD)
        .values(status="pending", next_attempt_at=now)
        .execution_options(synchronize_session=False)
    )
    return resumed


def active_team(session: Session, team_id: str | None) -> bool:
    """Whether messages for this workspace may go: none of its circles is paused."""
    if team_id is None:
        return True
    paused = select(Circle.id).where(Circle.team_id == team_id, Circle.active.is_(False)).limit(1)
    return session.scalars(paused).first() is None


def met(session: Session, *, user_id: str, team_id: str) -> None:
    """Someone of workspace `team_id` acted in a shared channel: their direct messages go through that workspace."""
    known = session.get(PersonWorkspace, user_id)
    if known is None:
        session.add(PersonWorkspace(user_id=user_id, team_id=team_id))
    else:
        known.team_id = team_id


def home_of(session: Session, *, user_id: str) -> str | None:
    known = session.get(PersonWorkspace, user_id)
    return known.team_id if known is not None else None


def take_resumed(session: Session, *, circles: list[Circle]) -> list[Circle]:
    """Those of these circles whose posting came back from a pause: said once (on the App Home), then forgotten."""
    resumed = [circle for circle in circles if circle.resumed_at is not None]
    for circle in resumed:
        circle.resumed_at = None
    return resumed
