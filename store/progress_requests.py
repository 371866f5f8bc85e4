"""Before each meeting, initiators of activities without news since the meeting before are asked how they are
doing ("Hoe staat A-3 ervoor?"): one DM per person and meeting, each activity asked once (a unique record)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, bindparam, func, or_, select, update
from sqlalchemy.orm import Session

from store import activities
from store.meeting_agenda import previous_meeting_start
from store.meetings import local_today, next_meeting, post_moment, wall_clock
from store.models import Activity, Circle, Meeting, ProgressRequest, ProgressUpdate
from store.nudges import is_send_time
from store.workdays import working_days_before

ASKED = ("gepland", "lopend", "geblokkeerd")


def due(
    session: Session, *, circle: Circle, now: datetime, user_id: str | None = None
) -> tuple[Meeting | None, dict[str, list[Activity]]]:
    """The coming meeting and, by initiator, the activities to ask about at `now` (from the circle's number of
    working days before it, on working days from the posting time)."""
    if not is_send_time(circle, now):
        return None, {}
    meeting = next_meeting(session, circle=circle, now=now)
    if meeting is None:
        return None, {}
    if local_today(circle, now) < working_days_before(wall_clock(meeting).date(), circle.progress_lead_days):
        return meeting, {}
    since = previous_meeting_start(session, meeting=meeting)
    asked = set(session.scalars(select(ProgressRequest.activity_id).where(ProgressRequest.meeting_id == meeting.id)))
    found: dict[str, list[Activity]] = {}
    for activity in activities.active(session, circle=circle, initiator_id=user_id):
        if activity.status not in ASKED or activity.id in asked:
            continue
        latest = activities.latest_update(activity)
        if latest is not None and (since is None or latest.created_at > since):
            continue  # there is news since the meeting before
        found.setdefault(activity.initiator_id, []).append(activity)
    return meeting, found


def asking_from(circle: Circle, meeting: Meeting) -> datetime:
    """The first moment initiators can be asked before the meeting: the posting time, the circle's number of working
    days before it."""
    return post_moment(circle, working_days_before(wall_clock(meeting).date(), circle.progress_lead_days))


def people_to_ask(session: Session, *, now: datetime) -> list[tuple[int, str]]:
    """Over all circles, (circle, initiator) with something to ask at `now`, what `due` finds circle by circle, in
    three statements however many circles there are: a minute when everyone was asked already costs the same for
    one circle as for a thousand."""
    coming = _coming_meetings(session, now=now)
    if not coming:
        return []
    before = or_(*(and_(Meeting.circle_id == c, Meeting.starts_at < m.starts_at) for c, m in coming.items()))
    statement = select(Meeting.circle_id, func.max(Meeting.starts_at)).where(Meeting.status == "gepland", before)
    since = dict(session.execute(statement.group_by(Meeting.circle_id)).all())
    latest = (
        select(ProgressUpdate.created_at)
        .where(ProgressUpdate.activity_id == Activity.id)
        .order_by(ProgressUpdate.id.desc())
        .limit(1)
        .correlate(Activity)
        .scalar_subquery()
    )
    per_circle = []
    for circle_id, meeting in coming.items():
        asked = select(ProgressRequest.id).where(
            ProgressRequest.meeting_id == meeting.id, ProgressRequest.activity_id == Activity.id
        )
        quiet = latest.is_(None) if since.get(circle_id) is None else or_(latest.is_(None), latest <= since[circle_id])
        per_circle.append(and_(Activity.circle_id == circle_id, ~asked.exists(), quiet))
    statement = (
        select(Activity.circle_id, Activity.initiator_id)
        .where(Activity.status.in_(ASKED), or_(*per_circle))
        .distinct()
        .order_by(Activity.circle_id, Activity.initiator_id)
    )
    return [(circle_id, user_id) for circle_id, user_id in session.execute(statement)]


def _coming_meetings(session: Session, *, now: datetime) -> dict[int, Meeting]:
    """Circle → its coming meeting, for the circles whose asking time before it has come (at their posting time on
    a working day). Meetings whose moment is not worked out yet (new, moved, or their circle's rhythm changed) get
    it stored here."""
    statement = (
        select(Meeting, Circle)
        .join(Circle, Circle.id == Meeting.circle_id)
        .where(Meeting.status == "gepland", Meeting.starts_at > now)
        .where(or_(Meeting.progress_due_at.is_(None), Meeting.progress_due_at <= now))
        .order_by(Meeting.starts_at, Meeting.id)
    )
    found: dict[int, Meeting] = {}
    worked_out: list[dict] = []
    for meeting, circle in session.execute(statement):
        moment = meeting.progress_due_at
        if moment is None:
            moment = asking_from(circle, meeting)
            worked_out.append({"meeting": meeting.id, "starts": meeting.starts_at, "moment": moment})
        if moment <= now and is_send_time(circle, now):
            found.setdefault(circle.id, meeting)  # the soonest: the circle's coming meeting
    if worked_out:  # all of them in one statement, however many meetings are new (the first tick: every one)
        session.connection().execute(_STORE_MOMENT, worked_out)
    return found


# Stored unless the meeting moved meanwhile (its time differs, and the move cleared this again).
_meetings = Meeting.__table__
_STORE_MOMENT = (
    update(_meetings)
    .where(_meetings.c.id == bindparam("meeting"), _meetings.c.starts_at == bindparam("starts"))
    .where(_meetings.c.progress_due_at.is_(None))
    .values(progress_due_at=bindparam("moment"))
)


def message_key(meeting: Meeting, user_id: str) -> str:
    return f"progress-ask:{meeting.id}:{user_id}"


def record(session: Session, *, meeting: Meeting, user_id: str, asked: list[Activity], outbox_key: str) -> None:
    for activity in asked:
        session.add(
            ProgressRequest(meeting_id=meeting.id, activity_id=activity.id, user_id=user_id, outbox_key=outbox_key)
        )
    session.flush()
