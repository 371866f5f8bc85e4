"""People Slack says have left the workspace: remembered, so the bot stops nudging them and shows their activities
as without initiator. Someone reactivated is forgotten as gone the next time Slack is asked about them."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import PersonGone


def mark_gone(session: Session, *, user_id: str, reason: str) -> bool:
    """Remember that `user_id` has left; whether this is news."""
    if session.get(PersonGone, user_id) is not None:
        return False
    session.add(PersonGone(user_id=user_id, reason=reason[:40]))
    session.flush()
    return True


def mark_back(session: Session, *, user_id: str) -> None:
    """Slack knows the person again (reactivated): no longer gone. Reads only, unless they were."""
    found = session.get(PersonGone, user_id)
    if found is not None:
        session.delete(found)


def gone_among(session: Session, user_ids: Iterable[str]) -> set[str]:
    """Which of these people have left, in one statement."""
    wanted = sorted(set(user_ids))
    if not wanted:
        return set()
    return set(session.scalars(select(PersonGone.user_id).where(PersonGone.user_id.in_(wanted))))


def is_gone(session: Session, user_id: str) -> bool:
    return session.get(PersonGone, user_id) is not None


def still_here(column):
    """A condition for queries: the person in `column` has not left."""
    return column.not_in(select(PersonGone.user_id))
