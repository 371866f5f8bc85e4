"""Circles, their members and coordinators, and per-circle numbering of items."""

from __future__ import annotations

from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from store import defaults
from store.errors import Conflict, Forbidden, UserError
from store.models import AuditEvent, Circle, Counter, Member

KINDS = ("A", "K", "H", "P", "V")  # activities, klaagpaal, help, actions (P), versions


# Every request looks its circle up: the statements are built once (building one is most of a lookup's Python).
_OWN = select(Circle).where(Circle.team_id == bindparam("team_id"), Circle.channel_id == bindparam("channel_id"))
_SHARED = select(Circle).where(Circle.channel_id == bindparam("channel_id"), Circle.shared.is_(True))


def find(session: Session, *, team_id: str, channel_id: str) -> Circle | None:
    """The circle bound to a channel, if any: the workspace's own, or one started in another workspace whose channel
    is shared with this one (Slack Connect: one channel, one id, members from both workspaces)."""
    own = session.scalars(_OWN, {"team_id": team_id, "channel_id": channel_id}).first()
    if own is not None or not channel_id:
        return own
    return session.scalars(_SHARED, {"channel_id": channel_id}).first()


def shared_home(session: Session, *, channel_id: str) -> str | None:
    """The workspace that started the circle in this shared channel, if there is one."""
    statement = select(Circle.team_id).where(Circle.channel_id == channel_id, Circle.shared.is_(True))
    return session.scalars(statement.limit(1)).first()


def mark_shared(session: Session, *, channel_id: str) -> None:
    """Slack says this channel is shared with other workspaces: their members reach its circle from now on."""
    session.execute(
        update(Circle)
        .where(Circle.channel_id == channel_id, Circle.shared.is_(False))
        .values(shared=True)
        .execution_options(synchronize_session=False)
    )


def get(session: Session, *, team_id: str, channel_id: str) -> Circle:
    """The circle bound to a channel; a hint naming `/kenniskring start` when there is none."""
    circle = find(session, team_id=team_id, channel_id=channel_id)
    if circle is None:
        raise UserError("circle.none_here")
    return circle


def start(
    session: Session, *, team_id: str, channel_id: str, name: str, user_id: str, locale: str, timezone: str
) -> Circle:
    """Bind a channel to a new circle in `locale` and `timezone` (IANA); whoever starts it is its first coordinator.

    The circle keeps that zone: its meetings, nudges and "today" are reckoned in it, whatever the settings say later.
    """
    name = " ".join(name.split())
    if not name:
        raise UserError("circle.name_missing")
    if len(name) > 120:
        raise UserError("circle.name_too_long", limit=120)
    existing = find(session, team_id=team_id, channel_id=channel_id)
    if existing is not None:
        raise Conflict("circle.exists", name=existing.name)
    circle = Circle(
        team_id=team_id, channel_id=channel_id, name=name, created_by=user_id, locale=locale, timezone=timezone
    )
    session.add(circle)
    session.flush()
    session.add_all([Counter(circle_id=circle.id, kind=kind, last=0) for kind in KINDS])
    session.add(Member(circle_id=circle.id, user_id=user_id, is_coordinator=True))
    defaults.seed(session, circle=circle)
    record(session, circle=circle, actor_id=user_id, subject="circle", action="started", name=name)
    return circle


def next_number(session: Session, *, circle_id: int, kind: str) -> int:
    """Hand out the next number of a kind; the counter row is locked until the caller's transaction ends."""
    statement = (
        update(Counter)
        .where(Counter.circle_id == circle_id, Counter.kind == kind)
        .values(last=Counter.last + 1)
        .returning(Counter.last)
    )
    return session.execute(statement).scalar_one()


def member(session: Session, *, circle: Circle, user_id: str) -> Member | None:
    return session.scalars(select(Member).where(Member.circle_id == circle.id, Member.user_id == user_id)).first()


def ensure_member(session: Session, *, circle: Circle, user_id: str) -> Member:
    """Whoever files something in a circle becomes a member of it."""
    found = member(session, circle=circle, user_id=user_id)
    if found is not None:
        return found
    try:
        with session.begin_nested():  # someone else may join at this very moment
            found = Member(circle_id=circle.id, user_id=user_id, is_coordinator=False)
            session.add(found)
    except IntegrityError:
        found = member(session, circle=circle, user_id=user_id)
    return found


def require_reach(
    session: Session, *, circle: Circle, team_id: str, user_id: str, channel_id: str | None = None
) -> None:
    """Refuse a record of `circle` to anyone acting on it from outside the circle; the refusal names nobody.

    From the circle's own channel anyone in it may (the channel is the circle's boundary). From a DM, the App
    Home or a form, whose channel no one can vouch for, only the circle's members. From another circle's
    channel, or from another workspace, no one.
    """
    if circle.team_id == team_id or circle.shared:  # a shared channel's circle is as near to both workspaces
        if channel_id is not None and channel_id == circle.channel_id:
            return
        elsewhere = find(session, team_id=team_id, channel_id=channel_id) if channel_id else None
        if elsewhere is None and member(session, circle=circle, user_id=user_id) is not None:
            return
    raise Forbidden("circle.out_of_reach")


def is_coordinator(session: Session, *, circle: Circle, user_id: str) -> bool:
    found = member(session, circle=circle, user_id=user_id)
    return found is not None and found.is_coordinator


def require_coordinator(session: Session, *, circle: Circle, user_id: str) -> None:
    if not is_coordinator(session, circle=circle, user_id=user_id):
        raise Forbidden("circle.coordinators_only")


def add_coordinator(session: Session, *, circle: Circle, actor_id: str, user_id: str) -> bool:
    """Make someone a coordinator; False when they already were."""
    require_coordinator(session, circle=circle, user_id=actor_id)
    found = ensure_member(session, circle=circle, user_id=user_id)
    if found.is_coordinator:
        return False
    found.is_coordinator = True
    record(session, circle=circle, actor_id=actor_id, subject="circle", action="coordinator_added", user=user_id)
    return True


def coordinators(session: Session, *, circle: Circle) -> list[str]:
    statement = select(Member.user_id).where(Member.circle_id == circle.id, Member.is_coordinator.is_(True))
    return list(session.scalars(statement.order_by(Member.id)))


def record(session: Session, *, circle: Circle, actor_id: str | None, subject: str, action: str, **details) -> None:
    """Add a line to the audit trail."""
    session.add(AuditEvent(circle_id=circle.id, actor_id=actor_id, subject=subject, action=action, details=details))


def find_for_operator(
    session: Session, *, channel_id: str | None, team_id: str | None, circle_id: int | None
) -> Circle:
    """The circle the command line names: by its id, or by its channel (and workspace, when several share one)."""
    if circle_id is not None:
        circle = session.get(Circle, circle_id)
        if circle is None:
            raise LookupError(f"there is no circle {circle_id}")
        return circle
    statement = select(Circle).where(Circle.channel_id == channel_id)
    if team_id:
        statement = statement.where(Circle.team_id == team_id)
    found = list(session.scalars(statement))
    if not found:
        raise LookupError(f"no circle is bound to channel {channel_id}")
    if len(found) > 1:
        raise LookupError(f"several workspaces have a circle in channel {channel_id}; name one with --team")
    return found[0]
