"""Meetings: the series, single meetings moved or cancelled, topics for points 1 and 2, and when agendas are due.

A meeting keeps its wall-clock time and IANA zone (`local_start`, `timezone`), so a 14:00 meeting stays 14:00 when
the clocks change; `starts_at` is the same moment in UTC, for ordering and comparing with now. Occurrences of a
series are stored as rows a little ahead of time, so a single one can be moved or cancelled.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from store import circles, themes
from store.errors import Conflict, NotFound, UserError
from store.models import Circle, Meeting, MeetingSeries, MeetingTopic
from store.workdays import working_days_before

POINTS = (1, 2)
MAX_INTERVAL_WEEKS = 52
HORIZON = timedelta(days=70)  # how far ahead occurrences of a series are stored as rows
LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


def to_utc(local: datetime, zone: str) -> datetime:
    """A wall-clock time in `zone` as a UTC moment."""
    return local.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)


def zone(circle: Circle) -> ZoneInfo:
    return ZoneInfo(circle.timezone)


def local_today(circle: Circle, now: datetime) -> date:
    """The circle's calendar day at `now`."""
    return now.astimezone(ZoneInfo(circle.timezone)).date()


def wall_clock(meeting: Meeting) -> datetime:
    """The meeting's start as an aware datetime in its own zone."""
    return datetime.strptime(meeting.local_start, LOCAL_FORMAT).replace(tzinfo=ZoneInfo(meeting.timezone))


def _check_moment(local: datetime, zone: str, now: datetime) -> datetime:
    """The UTC moment of a typed wall-clock time; errors for a time the clocks skip and for the past."""
    moment = to_utc(local, zone)
    if moment.astimezone(ZoneInfo(zone)).replace(tzinfo=None) != local:
        raise UserError("meeting.time_skipped", field="time", time=local.strftime("%H:%M"))
    if moment <= now:
        raise UserError("meeting.in_past", field="date")
    return moment


def _check_interval(weeks: int | None) -> None:
    if weeks is not None and not 1 <= weeks <= MAX_INTERVAL_WEEKS:
        raise UserError("meeting.bad_interval", field="interval", limit=MAX_INTERVAL_WEEKS)


def plan(
    session: Session,
    *,
    circle: Circle,
    user_id: str,
    first: datetime,
    interval_weeks: int | None,
    location: str | None,
    now: datetime,
) -> Meeting:
    """Set the meeting series (replacing the old one), or with no interval add a single meeting."""
    circles.require_coordinator(session, circle=circle, user_id=user_id)
    _check_interval(interval_weeks)
    moment = _check_moment(first, circle.timezone, now)
    if interval_weeks is None:
        meeting = _new_meeting(circle.id, first, circle.timezone, location)
        session.add(meeting)
        session.flush()
    else:
        _end_series(session, circle=circle, now=now)
        series = MeetingSeries(
            circle_id=circle.id,
            first_start=moment,
            timezone=circle.timezone,
            interval_weeks=interval_weeks,
            location=location,
        )
        session.add(series)
        session.flush()
        meeting = _ensure(session, series, 1)
    circles.record(
        session, circle=circle, actor_id=user_id, subject="meeting", action="planned",
        start=meeting.local_start, interval_weeks=interval_weeks,
    )  # fmt: skip
    return meeting


def stop_series(session: Session, *, circle: Circle, user_id: str, now: datetime) -> bool:
    """End the series: its meetings whose agenda is not out yet are dropped. False when there was none."""
    circles.require_coordinator(session, circle=circle, user_id=user_id)
    ended = _end_series(session, circle=circle, now=now)
    if ended:
        circles.record(session, circle=circle, actor_id=user_id, subject="meeting", action="series_stopped")
    return ended


def _end_series(session: Session, *, circle: Circle, now: datetime) -> bool:
    series = list(session.scalars(_active_series(circle)))
    for old in series:
        old.active = False
        future = select(Meeting).where(
            Meeting.series_id == old.id, Meeting.starts_at > now, Meeting.agenda.is_(None)
        )  # an agenda already posted stays: that meeting is announced
        for meeting in session.scalars(future):
            session.delete(meeting)
    session.flush()
    return bool(series)


def _active_series(circle: Circle):
    return select(MeetingSeries).where(MeetingSeries.circle_id == circle.id, MeetingSeries.active.is_(True))


def active_series(session: Session, *, circle: Circle) -> MeetingSeries | None:
    return session.scalars(_active_series(circle).order_by(MeetingSeries.id.desc())).first()


def _new_meeting(circle_id: int, local: datetime, zone: str, location: str | None, **series: int) -> Meeting:
    return Meeting(
        circle_id=circle_id,
        local_start=local.strftime(LOCAL_FORMAT),
        timezone=zone,
        starts_at=to_utc(local, zone),
        location=location,
        **series,
    )


def _scheduled(series: MeetingSeries, sequence: int) -> datetime:
    """Occurrence `sequence` (from 1) of a series as a naive wall-clock time: same weekday and clock time."""
    first = series.first_start.astimezone(ZoneInfo(series.timezone)).replace(tzinfo=None)
    return first + timedelta(weeks=series.interval_weeks * (sequence - 1))


def _ensure(session: Session, series: MeetingSeries, sequence: int) -> Meeting:
    """The stored occurrence, created if missing; two processes creating it at once end up with one row."""
    statement = select(Meeting).where(Meeting.series_id == series.id, Meeting.sequence == sequence)
    found = session.scalars(statement).first()
    if found is not None:
        return found
    meeting = _new_meeting(
        series.circle_id, _scheduled(series, sequence), series.timezone, series.location,
        series_id=series.id, sequence=sequence,
    )  # fmt: skip
    try:
        with session.begin_nested():
            session.add(meeting)
    except IntegrityError:
        return session.scalars(statement).one()
    return meeting


def materialise(session: Session, *, circle: Circle, now: datetime) -> None:
    """Store the coming occurrences of the circle's series (at least the next one), so each can be changed."""
    for series in session.scalars(_active_series(circle)):
        _extend(session, series, now)


def extend_series(session: Session, *, now: datetime) -> None:
    """Over all circles: store the occurrences of the series whose next one has come within the horizon."""
    statement = select(MeetingSeries).where(
        MeetingSeries.active.is_(True), or_(MeetingSeries.extend_at.is_(None), MeetingSeries.extend_at <= now)
    )
    for series in session.scalars(statement.order_by(MeetingSeries.id)):
        _extend(session, series, now)


def _extend(session: Session, series: MeetingSeries, now: datetime) -> None:
    zone = ZoneInfo(series.timezone)
    local_now = now.astimezone(zone).replace(tzinfo=None)
    first = _scheduled(series, 1)
    elapsed = max(0, (local_now - first).days // (7 * series.interval_weeks))
    sequence = elapsed + 1
    while to_utc(_scheduled(series, sequence), series.timezone) <= now:
        sequence += 1
    _ensure(session, series, sequence)
    while to_utc(_scheduled(series, sequence + 1), series.timezone) <= now + HORIZON:
        sequence += 1
        _ensure(session, series, sequence)
    extend_at = to_utc(_scheduled(series, sequence + 1), series.timezone) - HORIZON
    if series.extend_at != extend_at:
        series.extend_at = extend_at


def upcoming(session: Session, *, circle: Circle, now: datetime, limit: int = 10) -> list[Meeting]:
    """Planned meetings that have not started yet, soonest first."""
    materialise(session, circle=circle, now=now)
    statement = select(Meeting).where(
        Meeting.circle_id == circle.id, Meeting.status == "gepland", Meeting.starts_at > now
    )
    return list(session.scalars(statement.order_by(Meeting.starts_at, Meeting.id).limit(limit)))


def next_meeting(session: Session, *, circle: Circle, now: datetime) -> Meeting | None:
    found = upcoming(session, circle=circle, now=now, limit=1)
    return found[0] if found else None


def on_day(session: Session, *, circle: Circle, day: date, now: datetime) -> Meeting:
    """The coming planned meeting on a local date; a clear error naming the date when there is none."""
    for meeting in upcoming(session, circle=circle, now=now, limit=200):
        if meeting.local_start.startswith(day.isoformat()):
            return meeting
    raise NotFound("meeting.none_on_day", day=f"{day.day}-{day.month}-{day.year}")


def move(
    session: Session,
    *,
    circle: Circle,
    user_id: str,
    meeting: Meeting,
    to: datetime,
    location: str | None,
    now: datetime,
) -> Meeting:
    """Move one meeting to another wall-clock time (in its own zone); the rest of the series stays."""
    circles.require_coordinator(session, circle=circle, user_id=user_id)
    old = meeting.local_start
    meeting.starts_at = _check_moment(to, meeting.timezone, now)
    meeting.local_start = to.strftime(LOCAL_FORMAT)
    meeting.agenda_due_at = None  # the scheduler works out the new one
    if location:
        meeting.location = location
    circles.record(
        session, circle=circle, actor_id=user_id, subject="meeting", action="moved", old=old, new=meeting.local_start
    )
    return meeting


def cancel(session: Session, *, circle: Circle, user_id: str, meeting: Meeting) -> Meeting:
    """Cancel one meeting; what was on its agenda carries forward to the next."""
    circles.require_coordinator(session, circle=circle, user_id=user_id)
    if meeting.status == "geannuleerd":
        raise Conflict("meeting.already_cancelled")
    meeting.status = "geannuleerd"
    circles.record(
        session, circle=circle, actor_id=user_id, subject="meeting", action="cancelled", start=meeting.local_start
    )
    return meeting


def add_topic(
    session: Session, *, circle: Circle, user_id: str, point: int, text: str, theme: str | None = None
) -> MeetingTopic:
    """A topic for point 1 or 2, maybe filed under one of the circle's themes (any word for it); it stays on every
    agenda until it has been discussed."""
    if point not in POINTS:
        raise UserError("meeting.bad_point")
    key = themes.resolve(session, circle=circle, text=theme).key if theme else None
    circles.ensure_member(session, circle=circle, user_id=user_id)
    topic = MeetingTopic(circle_id=circle.id, point=point, text=text, theme=key, author_id=user_id)
    session.add(topic)
    session.flush()
    circles.record(session, circle=circle, actor_id=user_id, subject="meeting", action="topic_added", point=point)
    return topic


def open_topics(session: Session, *, circle: Circle) -> list[MeetingTopic]:
    statement = select(MeetingTopic).where(MeetingTopic.circle_id == circle.id, MeetingTopic.status == "open")
    return list(session.scalars(statement.order_by(MeetingTopic.id)))


def post_moment(circle: Circle, day: date) -> datetime:
    """The circle's posting time (default 09:00 local) on `day`, as a UTC moment."""
    return to_utc(datetime.combine(day, time.fromisoformat(circle.post_time)), circle.timezone)


def agenda_due_at(circle: Circle, meeting: Meeting) -> datetime:
    """When the agenda goes out: `agenda_lead_days` working days before, at the posting time (before the start)."""
    day = working_days_before(wall_clock(meeting).date(), circle.agenda_lead_days)
    return min(post_moment(circle, day), meeting.starts_at - timedelta(hours=1))


def due_agendas(session: Session, *, now: datetime) -> list[tuple[int, int]]:
    """Over all circles, (circle, meeting) whose agenda is due and not posted yet; after downtime only meetings that
    have not started. Meetings whose agenda time is not worked out yet (new, moved, or their circle's rhythm
    changed) get it stored here."""
    statement = (
        select(Meeting, Circle)
        .join(Circle, Circle.id == Meeting.circle_id)
        .where(Meeting.status == "gepland", Meeting.agenda.is_(None), Meeting.starts_at > now)
        .where(or_(Meeting.agenda_due_at.is_(None), Meeting.agenda_due_at <= now))
    )
    due = []
    for meeting, circle in session.execute(statement.order_by(Meeting.starts_at, Meeting.id)):
        moment = meeting.agenda_due_at
        if moment is None:
            moment = agenda_due_at(circle, meeting)
            # Stored unless the meeting moved meanwhile (its time differs, and the move cleared this again).
            session.execute(
                update(Meeting)
                .where(Meeting.id == meeting.id, Meeting.starts_at == meeting.starts_at)
                .where(Meeting.agenda_due_at.is_(None))
                .values(agenda_due_at=moment)
                .execution_options(synchronize_session=False)
            )
        if moment <= now:
            due.append((circle.id, meeting.id))
    return due


def lock(session: Session, *, meeting_id: int) -> Meeting | None:
    """The meeting row, locked until the transaction ends and read afresh, so one process at a time posts or
    changes its agenda."""
    statement = select(Meeting).where(Meeting.id == meeting_id).with_for_update()
    return session.scalars(statement.execution_options(populate_existing=True)).first()
