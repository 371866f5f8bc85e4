"""What the App Home shows someone: per circle, their activities, what waits for their update, help they could give."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from store import actions as improvement
from store import activities, circles, hulpvraag, indicators, members
from store.meetings import local_today
from store.models import Activity, Circle, HelpRequest, ImprovementAction, Meeting, Member

UPDATING = ("gepland", "lopend", "geblokkeerd")


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


def circles_of(session: Session, *, team_id: str | None, user_id: str) -> list[Circle]:
    statement = select(Circle).join(Member, Member.circle_id == Circle.id).where(Member.user_id == user_id)
    if team_id:
        statement = statement.where(Circle.team_id == team_id)
    return list(session.scalars(statement.order_by(Circle.name, Circle.id)))


def overview(session: Session, *, team_id: str | None, user_id: str, now: datetime) -> list[CircleOverview]:
    found = []
    for circle in circles_of(session, team_id=team_id, user_id=user_id):
        today = local_today(circle, now)
        mine = [a for a in activities.active(session, circle=circle) if activities.involves(a, user_id)]
        mine.sort(key=lambda a: (a.deadline or date.max, a.number))
        waiting = [
            a
            for a in mine
            if a.initiator_id == user_id and needs_update(a, now=now, today=today, days=circle.stale_after_days)
        ]
        found.append(
            CircleOverview(
                circle=circle,
                today=today,
                mine=mine,
                waiting=waiting,
                help_requests=answerable(session, circle=circle, user_id=user_id),
                next_meeting=next_meeting(session, circle=circle, now=now),
                actions=improvement.open_actions(session, circle=circle, owner_id=user_id),
                suggestions=members.suggestions(session, circle=circle, today=today)
                if circles.is_coordinator(session, circle=circle, user_id=user_id)
                else None,
                effects=indicators.overview(session, circle=circle),
            )
        )
    return found


def needs_update(activity: Activity, *, now: datetime, today: date, days: int) -> bool:
    """Under way and late, or without news for `days` days (the circle's stale_after_days)."""
    if activity.status not in UPDATING:
        return False
    if activities.is_late(activity, today):
        return True
    latest = activities.latest_update(activity)
    since = latest.created_at if latest is not None else activity.created_at
    return days > 0 and now - since >= timedelta(days=days)


def answerable(session: Session, *, circle: Circle, user_id: str) -> list[HelpRequest]:
    """Open help requests someone else asked and this person has not yet offered to help with."""
    return [
        request
        for request in hulpvraag.open_requests(session, circle=circle)
        if request.requester_id != user_id and all(offer.user_id != user_id for offer in request.offers)
    ]


def next_meeting(session: Session, *, circle: Circle, now: datetime) -> Meeting | None:
    statement = select(Meeting).where(
        Meeting.circle_id == circle.id, Meeting.status == "gepland", Meeting.starts_at >= now
    )
    return session.scalars(statement.order_by(Meeting.starts_at).limit(1)).first()
