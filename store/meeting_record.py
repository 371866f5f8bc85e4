"""The meeting record (verslag): who was there, what each point settled, the besluitenlijst, new actions, and what
moves to the next meeting. A meeting closes at its end (start plus a default two hours) or when a coordinator
closes it from the agenda post; then its record goes out, once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from store import actions as improvement
from store import circles
from store.errors import UserError
from store.meeting_agenda import DECISIONS, noted
from store.models import Activity, Circle, ImprovementAction, Meeting

DURATION = timedelta(hours=2)  # meetings store a start only


def ends_at(meeting: Meeting) -> datetime:
    return meeting.starts_at + DURATION


def running(session: Session, *, circle: Circle, now: datetime) -> Meeting | None:
    """The meeting under way at `now` (started, not ended or closed), if any."""
    statement = select(Meeting).where(
        Meeting.circle_id == circle.id,
        Meeting.status == "gepland",
        Meeting.closed_at.is_(None),
        Meeting.starts_at <= now,
        Meeting.starts_at > now - DURATION,
    )
    return session.scalars(statement.order_by(Meeting.starts_at.desc()).limit(1)).first()


@dataclass
class ActivitySettled:
    """What point 3 settled about one activity, and the action it agreed (for `verbeteractie`)."""

    activity: Activity
    decision: str
    text: str | None
    action: ImprovementAction | None = None


def settle_activity(
    session: Session,
    *,
    circle: Circle,
    meeting: Meeting,
    user_id: str,
    activity: Activity,
    decision: str,
    text: str | None,
    owner_id: str | None,
    deadline: date | None,
    now: datetime,
) -> ActivitySettled:
    """A coordinator settles an activity of point 3: noted, an improvement action agreed (filed as P-n for its
    owner), a decision taken, or escalated; all but `noted` need a short text."""
    circles.require_coordinator(session, circle=circle, user_id=user_id)
    if decision not in DECISIONS["activity"]:
        raise UserError("meeting.decision_missing", field="decision")
    if decision != "genoteerd" and not text:
        raise UserError("meeting.outcome_required_activity", field="outcome")
    action = None
    if decision == "verbeteractie":
        action = improvement.create(
            session, circle=circle, user_id=user_id, text=text, owner_id=owner_id or activity.initiator_id,
            deadline=deadline, activity_id=activity.id, meeting_id=meeting.id, now=now,
        )  # fmt: skip
    noted(
        session, meeting=meeting, kind="activity", found=activity, decision=decision, text=text, user_id=user_id,
        action_id=action.id if action else None,
    )  # fmt: skip
    circles.record(
        session, circle=circle, actor_id=user_id, subject=f"A-{activity.number}", action=f"agenda_{decision}",
        outcome=text,
    )  # fmt: skip
    return ActivitySettled(activity, decision, text, action)
