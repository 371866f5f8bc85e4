"""The meeting record (verslag): who was there, what each point settled, the besluitenlijst, new actions, and what
moves to the next meeting. A meeting closes at its end (start plus a default two hours) or when a coordinator
closes it from the agenda post; then its record goes out, once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from store import actions as improvement
from store import circles, meeting_decisions
from store.errors import Conflict, NotFound, UserError
from store.meeting_agenda import DECISIONS, noted, subject
from store.meetings import lock, materialise
from store.models import (
    Activity,
    Attendance,
    Circle,
    HelpRequest,
    ImprovementAction,
    KlaagpaalItem,
    Meeting,
    MeetingDecision,
    MeetingTopic,
    Outbox,
)

DURATION = timedelta(hours=2)  # meetings store a start only


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


def due(session: Session, *, circle: Circle, now: datetime) -> list[Meeting]:
    """Meetings whose agenda went out and whose end has passed, not closed yet: their record is due."""
    statement = select(Meeting).where(
        Meeting.circle_id == circle.id,
        Meeting.status == "gepland",
        Meeting.agenda.is_not(None),
        Meeting.closed_at.is_(None),
        Meeting.starts_at <= now - DURATION,
    )
    return list(session.scalars(statement.order_by(Meeting.starts_at)))


def due_everywhere(session: Session, *, now: datetime) -> list[tuple[int, int]]:
    """Over all circles, (circle, meeting) whose record is due: what `due` finds for one circle."""
    statement = select(Meeting.circle_id, Meeting.id).where(
        Meeting.status == "gepland",
        Meeting.agenda.is_not(None),
        Meeting.closed_at.is_(None),
        Meeting.starts_at <= now - DURATION,
    )
    return [(circle_id, meeting_id) for circle_id, meeting_id in session.execute(statement.order_by(Meeting.starts_at))]


def close(session: Session, *, circle: Circle, meeting_id: int, user_id: str | None, now: datetime) -> Meeting | None:
    """Close the meeting (a coordinator from the post, or the clock at its end); None when it was closed already,
    so its record goes out once."""
    if user_id is not None:
        circles.require_coordinator(session, circle=circle, user_id=user_id)
    meeting = lock(session, meeting_id=meeting_id)
    if meeting is None or meeting.closed_at is not None or meeting.agenda is None or meeting.status != "gepland":
        if user_id is not None and meeting is not None and meeting.closed_at is not None:
            raise Conflict("verslag.already_closed")
        return None
    meeting.closed_at, meeting.closed_by = now, user_id
    circles.record(session, circle=circle, actor_id=user_id, subject="meeting", action="closed", id=meeting.id)
    return meeting


def mark_present(session: Session, *, circle: Circle, meeting: Meeting, user_id: str) -> bool:
    """Someone was there; False when they were marked already."""
    statement = select(Attendance).where(Attendance.meeting_id == meeting.id, Attendance.user_id == user_id)
    if session.scalars(statement).first() is not None:
        return False
    try:
        with session.begin_nested():
            session.add(Attendance(meeting_id=meeting.id, user_id=user_id))
    except IntegrityError:
        return False
    circles.ensure_member(session, circle=circle, user_id=user_id)
    return True


BESLUITEN = ("besluit", "opgelost", "activiteit", "geescaleerd", "verbeteractie")


@dataclass
class Record:
    """Everything the record of one meeting shows."""

    meeting: Meeting
    present: list[str]
    decisions: list[MeetingDecision]
    new_actions: list[ImprovementAction]
    carried: list[str]  # labels of listed items not settled at this meeting
    open_actions: list[ImprovementAction]

    @property
    def besluiten(self) -> list[MeetingDecision]:
        return [decision for decision in self.decisions if decision.decision in BESLUITEN]


def build(session: Session, *, circle: Circle, meeting: Meeting) -> Record:
    present = select(Attendance.user_id).where(Attendance.meeting_id == meeting.id).order_by(Attendance.id)
    found = meeting_decisions.of(session, meeting=meeting)
    new = select(ImprovementAction).where(ImprovementAction.meeting_id == meeting.id)
    return Record(
        meeting=meeting,
        present=list(session.scalars(present)),
        decisions=found,
        new_actions=list(session.scalars(new.order_by(ImprovementAction.number))),
        carried=_carried(session, meeting, {decision.ref for decision in found}),
        open_actions=[
            action for action in improvement.open_actions(session, circle=circle) if action.meeting_id != meeting.id
        ],
    )


def _carried(session: Session, meeting: Meeting, settled: set[str]) -> list[str]:
    listed = meeting.agenda or {}
    labels = []
    for key, kind, model in (
        ("topics_1", "topic", MeetingTopic), ("topics_2", "topic", MeetingTopic),
        ("klaagpaal", "klaagpaal", KlaagpaalItem), ("hulpvraag", "hulpvraag", HelpRequest),
    ):  # fmt: skip
        for item_id in listed.get(key) or []:
            found = session.get(model, item_id)
            if found is None or f"{kind}:{item_id}" in settled or found.status not in ("open", "besproken"):
                continue
            if kind == "topic" and found.status != "open":
                continue
            label = found.text if kind == "topic" else f"{subject(kind, found)} {found.text}"
            labels.append(label)
    return labels


def closed(session: Session, *, circle: Circle, day: date | None) -> Meeting:
    """The meeting whose record is asked for: the one on `day`, or the last one that was closed."""
    statement = select(Meeting).where(Meeting.circle_id == circle.id, Meeting.agenda.is_not(None))
    if day is not None:
        statement = statement.where(Meeting.local_start.startswith(day.isoformat()))
    else:
        statement = statement.where(Meeting.closed_at.is_not(None))
    found = session.scalars(statement.order_by(Meeting.starts_at.desc()).limit(1)).first()
    if found is None:
        if day is not None:
            raise NotFound("verslag.none_on_day", day=f"{day.day}-{day.month}-{day.year}")
        raise NotFound("verslag.none_yet")
    return found


def all_closed(session: Session, *, circle: Circle) -> list[Meeting]:
    statement = select(Meeting).where(Meeting.circle_id == circle.id, Meeting.closed_at.is_not(None))
    return list(session.scalars(statement.order_by(Meeting.starts_at)))


def meeting_of_post(session: Session, *, channel: str, ts: str) -> Meeting | None:
    """The meeting whose agenda post this is (a reaction to it marks presence)."""
    statement = select(Outbox.subject).where(
        Outbox.sent_channel == channel, Outbox.sent_ts == ts, Outbox.key.like("meeting:%:agenda")
    )
    found = session.scalars(statement).first()
    if not found:
        return None
    return session.get(Meeting, int(found.split(":")[1]))


def calendar_meetings(session: Session, *, circle: Circle, now: datetime) -> list[Meeting]:
    """The coming meetings for a calendar file, cancelled ones included (they become exceptions to the rhythm)."""
    materialise(session, circle=circle, now=now)
    statement = select(Meeting).where(Meeting.circle_id == circle.id, Meeting.starts_at > now)
    return list(session.scalars(statement.order_by(Meeting.starts_at, Meeting.id)))


def history(session: Session, *, circle: Circle) -> list[Record]:
    """The records of every closed meeting, oldest first: what the export's record sheet lists."""
    return [build(session, circle=circle, meeting=meeting) for meeting in all_closed(session, circle=circle)]
