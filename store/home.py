"""What the App Home shows someone: per circle, their activities, what waits for their update, help they could give.

Only what the tab shows is read: the first few of each list, and how many there are in all, counted in SQL. So the
App Home costs the same in a circle of ten activities and in one of thousands.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from store import actions as improvement
from store import activities, circles, indicators, members, people
from store.meetings import local_today
from store.models import (
    Activity,
    Circle,
    HelpOffer,
    HelpRequest,
    ImprovementAction,
    Meeting,
    Member,
    Outbox,
    ProgressUpdate,
)
from store.vocabulary import FINISHED

UPDATING = ("gepland", "lopend", "geblokkeerd")
PROBLEMS_FOR = timedelta(days=30)  # how long a message Slack refused stays listed for the coordinators


@dataclass
class CircleOverview:
    circle: Circle
    today: date  # the circle's own calendar day: late and stale are reckoned in its zone
    mine: list[Activity] = field(default_factory=list)
    waiting: list[Activity] = field(default_factory=list)
    help_requests: list[HelpRequest] = field(default_factory=list)
    next_meeting: Meeting | None = None
    actions: list[ImprovementAction] = field(default_factory=list)  # my open improvement actions
    suggestions: members.Suggestions | None = None  # for coordinators: the circle's balance and rotation
    effects: indicators.Overview | None = None  # each goal's progress, and the effects per goal and theme
    orphans: list[Activity] = field(default_factory=list)  # for coordinators: activities whose initiator left
    problems: list[Outbox] = field(default_factory=list)  # for coordinators: messages Slack refused, newest first
    # How many there are of each ("mine", "waiting", "help"); the lists hold only the first ones, to be shown.
    totals: dict[str, int] = field(default_factory=dict)

    def total(self, key: str) -> int:
        shown = {
            "mine": self.mine,
            "waiting": self.waiting,
            "help": self.help_requests,
            "problems": self.problems,
            "orphans": self.orphans,
        }[key]
        return self.totals.get(key, len(shown))


def circles_of(session: Session, *, team_id: str | None, user_id: str) -> list[Circle]:
    statement = select(Circle).join(Member, Member.circle_id == Circle.id).where(Member.user_id == user_id)
    if team_id:  # the workspace's circles, and those in channels it shares with another workspace
        statement = statement.where(or_(Circle.team_id == team_id, Circle.shared.is_(True)))
    return list(session.scalars(statement.order_by(Circle.name, Circle.id)))


def overview(
    session: Session, *, team_id: str | None, user_id: str, now: datetime, shown: int = 6
) -> list[CircleOverview]:
    """Per circle of this person: the first `shown` of each list and their totals, and the next meeting."""
    found = []
    for circle in circles_of(session, team_id=team_id, user_id=user_id):
        today = local_today(circle, now)
        mine = [Activity.circle_id == circle.id, Activity.status.not_in(FINISHED), activities.involving(user_id)]
        waiting = [Activity.circle_id == circle.id, Activity.initiator_id == user_id, needs_update(circle, now, today)]
        requests = answerable(circle, user_id)
        by_deadline = (Activity.deadline.is_(None), Activity.deadline, Activity.number)
        coordinator = circles.is_coordinator(session, circle=circle, user_id=user_id)
        refused = failed_messages(circle, now) if coordinator else None
        orphaned = without_initiator(circle) if coordinator else None
        listed = select(Activity).options(*activities.plain())  # the lines show the activity's own columns only
        found.append(
            CircleOverview(
                circle=circle,
                today=today,
                mine=list(session.scalars(listed.where(*mine).order_by(*by_deadline).limit(shown))),
                waiting=list(session.scalars(listed.where(*waiting).order_by(*by_deadline).limit(shown))),
                help_requests=list(
                    session.scalars(select(HelpRequest).where(*requests).order_by(HelpRequest.number).limit(shown))
                ),
                next_meeting=next_meeting(session, circle=circle, now=now),
                actions=improvement.open_actions(session, circle=circle, owner_id=user_id),
                suggestions=members.suggestions(session, circle=circle, today=today) if coordinator else None,
                orphans=list(session.scalars(listed.where(*orphaned).order_by(*by_deadline).limit(shown)))
                if orphaned
                else [],
                problems=list(session.scalars(select(Outbox).where(*refused).order_by(Outbox.id.desc()).limit(shown)))
                if refused
                else [],
                effects=indicators.overview(session, circle=circle),
                totals={
                    "mine": _count(session, Activity, mine),
                    "waiting": _count(session, Activity, waiting),
                    "help": _count(session, HelpRequest, requests),
                    "problems": _count(session, Outbox, refused) if refused else 0,
                    "orphans": _count(session, Activity, orphaned) if orphaned else 0,
                },
            )
        )
    return found


def _count(session: Session, model: type, where: list[ColumnElement[bool]]) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def without_initiator(circle: Circle) -> list[ColumnElement[bool]]:
    """The circle's unfinished activities whose initiator has left the workspace."""
    return [
        Activity.circle_id == circle.id,
        Activity.status.not_in(FINISHED),
        ~people.still_here(Activity.initiator_id),
    ]


def failed_messages(circle: Circle, now: datetime) -> list[ColumnElement[bool]]:
    """The circle's messages the delivery gave up on (refused for good), of the last PROBLEMS_FOR."""
    return [Outbox.circle_id == circle.id, Outbox.status == "failed", Outbox.created_at >= now - PROBLEMS_FOR]


def needs_update(circle: Circle, now: datetime, today: date) -> ColumnElement[bool]:
    """Under way and late, or without news for the circle's stale_after_days (no update, or none that recent)."""
    late = and_(Activity.deadline.is_not(None), Activity.deadline < today)
    if circle.stale_after_days <= 0:
        return and_(Activity.status.in_(UPDATING), late)
    latest = select(func.max(ProgressUpdate.created_at)).where(ProgressUpdate.activity_id == Activity.id)
    quiet = func.coalesce(latest.scalar_subquery(), Activity.created_at) <= now - timedelta(
        days=circle.stale_after_days
    )
    return and_(Activity.status.in_(UPDATING), or_(late, quiet))


def answerable(circle: Circle, user_id: str) -> list[ColumnElement[bool]]:
    """Open help requests someone else asked and this person has not yet offered to help with."""
    offered = select(HelpOffer.id).where(HelpOffer.request_id == HelpRequest.id, HelpOffer.user_id == user_id)
    return [
        HelpRequest.circle_id == circle.id,
        HelpRequest.status == "open",
        HelpRequest.requester_id != user_id,
        ~offered.exists(),
    ]


def next_meeting(session: Session, *, circle: Circle, now: datetime) -> Meeting | None:
    statement = select(Meeting).where(
        Meeting.circle_id == circle.id, Meeting.status == "gepland", Meeting.starts_at >= now
    )
    return session.scalars(statement.order_by(Meeting.starts_at).limit(1)).first()
