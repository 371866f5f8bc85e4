"""Meetings: the series, single meetings moved or cancelled, topics for points 1 and 2, and when agendas are due.

A meeting keeps its wall-clock time and IANA zone (`local_start`, `timezone`), so a 14:00 meeting stays 14:00 when
the clocks change; `starts_at` is the same moment in UTC, for ordering and comparing with now.

A series is a recurrence rule (an RRULE such as `FREQ=WEEKLY;INTERVAL=6` or `FREQ=MONTHLY;BYDAY=+1TU`) from its
first meeting. A date of the series becomes a row when it is touched (listed, moved, cancelled) or due, keyed by the
series and the ordinal of its original date in the rule (`sequence`); a moved or cancelled row is the exception to
the rule for that date. So every date of a series, however far ahead, can be listed, moved or cancelled. One circle
has one planned meeting per moment (local date and time).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr
from sqlalchemy import bindparam, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from store import circles, themes
from store.errors import Conflict, NotFound, UserError
from store.models import Circle, Meeting, MeetingSeries, MeetingTopic
from store.workdays import working_days_before

POINTS = (1, 2)
MAX_INTERVAL_WEEKS = 52
# Dates of a series within this horizon are stored ahead, so the scheduler finds due agendas with one query over
# all circles (an agenda goes out at most ten working days before its meeting).
HORIZON = timedelta(days=70)
SEARCH_LIMIT = 2000  # the most dates of a series read to find one (decades of weekly meetings)
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


def weekly(weeks: int) -> str:
    """The rule of a series every `weeks` weeks on the first meeting's weekday."""
    return f"FREQ=WEEKLY;INTERVAL={weeks}"


def plan(
    session: Session,
    *,
    circle: Circle,
    user_id: str,
    first: datetime,
    interval_weeks: int | None = None,
    location: str | None,
    now: datetime,
    rule: str | None = None,
) -> Meeting:
    """Set the meeting series (replacing the old one) from `rule` or every `interval_weeks` weeks, or with neither
    add a single meeting. A moment that already has a planned meeting is refused, never planned twice."""
    circles.require_coordinator(session, circle=circle, user_id=user_id)
    _check_interval(interval_weeks)
    if rule is None and interval_weeks is not None:
        rule = weekly(interval_weeks)
    moment = _check_moment(first, circle.timezone, now)
    if rule is None:
        existing = planned_at(session, circle=circle, local=first, now=now)
        if existing is not None:
            raise Conflict(
                "meeting.already_planned", day=f"{first.day}-{first.month}-{first.year}", time=f"{first:%H:%M}"
            )
        meeting = _new_meeting(circle.id, first, circle.timezone, location)
        session.add(meeting)
        session.flush()
    else:
        _end_series(session, circle=circle, now=now)
        series = MeetingSeries(
            circle_id=circle.id,
            first_start=moment,
            timezone=circle.timezone,
            interval_weeks=_weeks_of(rule),
            rule=rule,
            location=location,
        )
        session.add(series)
        session.flush()
        meeting = _ensure(session, series, 1)
    circles.record(
        session, circle=circle, actor_id=user_id, subject="meeting", action="planned",
        start=meeting.local_start, interval_weeks=interval_weeks, rule=rule,
    )  # fmt: skip
    return meeting


def dropped(session: Session, *, circle: Circle, announced: list[tuple[int, str, str]], now: datetime) -> list[Meeting]:
    """Of the meetings announced before a change (id, wall clock, zone), those no longer planned at their moment,
    as unsaved meetings to name them by."""
    gone = []
    for _, local_start, zone in announced:
        local = datetime.strptime(local_start, LOCAL_FORMAT)
        if planned_at(session, circle=circle, local=local, now=now) is None:
            gone.append(Meeting(local_start=local_start, timezone=zone, starts_at=to_utc(local, zone)))
    return gone


def _weeks_of(rule: str) -> int:
    """The weeks of a plain weekly rule, 0 for any other rule (the column predates rules)."""
    match = re.fullmatch(r"FREQ=WEEKLY;INTERVAL=(\d+)", rule)
    return int(match.group(1)) if match else 0


def planned_at(session: Session, *, circle: Circle, local: datetime, now: datetime) -> Meeting | None:
    """The planned meeting at this wall-clock moment (a date of the series included), if any."""
    text = local.strftime(LOCAL_FORMAT)
    statement = select(Meeting).where(
        Meeting.circle_id == circle.id, Meeting.status == "gepland", Meeting.local_start == text
    )
    found = session.scalars(statement).first()
    if found is not None:
        return found
    for series in session.scalars(_active_series(circle)):
        sequence = _sequence_of(series, local)
        if sequence is not None:
            meeting = _ensure(session, series, sequence)
            if meeting.status == "gepland" and meeting.local_start == text:
                return meeting
    return None


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


def rule_of(series: MeetingSeries) -> str:
    """The series' recurrence rule (RRULE without its start)."""
    return series.rule or weekly(series.interval_weeks)


def _rule(series: MeetingSeries) -> rrule:
    """The series' dates as naive wall-clock times from its first meeting."""
    first = series.first_start.astimezone(ZoneInfo(series.timezone)).replace(tzinfo=None)
    return rrulestr(rule_of(series), dtstart=first)


def _dates(series: MeetingSeries, after: datetime | None = None):
    """(sequence, wall-clock time) of the series' dates, from the first or from the first after `after`."""
    for sequence, local in enumerate(_rule(series), start=1):
        if sequence > SEARCH_LIMIT:
            return
        if after is None or local > after:
            yield sequence, local


def scheduled(series: MeetingSeries, sequence: int) -> datetime:
    """Date `sequence` (from 1) of a series as a naive wall-clock time."""
    for number, local in _dates(series):
        if number == sequence:
            return local
    raise NotFound("meeting.none_on_day", day=str(sequence))


def _sequence_of(series: MeetingSeries, local: datetime) -> int | None:
    """Which date of the series falls at this wall-clock time (or, without a time, on this day)."""
    for sequence, start in _dates(series):
        if start == local:
            return sequence
        if start > local:
            return None
    return None


def _ensure(session: Session, series: MeetingSeries, sequence: int, local: datetime | None = None) -> Meeting:
    """The stored date of the series, created if missing; two processes creating it at once end up with one row.
    A planned meeting outside this series at the same moment (a single one, or one kept from an ended series)
    becomes this date instead of a second meeting."""
    statement = select(Meeting).where(Meeting.series_id == series.id, Meeting.sequence == sequence)
    found = session.scalars(statement).first()
    if found is not None:
        return found
    local = local or scheduled(series, sequence)
    text = local.strftime(LOCAL_FORMAT)
    other = session.scalars(
        select(Meeting).where(
            Meeting.circle_id == series.circle_id,
            Meeting.status == "gepland",
            Meeting.local_start == text,
            (Meeting.series_id.is_(None)) | (Meeting.series_id != series.id),
        )
    ).first()
    if other is not None:
        other.series_id, other.sequence = series.id, sequence
        session.flush()
        return other
    meeting = _new_meeting(
        series.circle_id, local, series.timezone, series.location, series_id=series.id, sequence=sequence
    )
    try:
        with session.begin_nested():
            session.add(meeting)
    except IntegrityError:
        return session.scalars(statement).one()
    return meeting


def materialise(session: Session, *, circle: Circle, now: datetime, count: int = 1) -> None:
    """Store the next `count` dates of the circle's series that have not started (moved or cancelled ones count
    too), so each can be changed."""
    for series in session.scalars(_active_series(circle)):
        local_now = now.astimezone(ZoneInfo(series.timezone)).replace(tzinfo=None)
        for number, (sequence, local) in enumerate(_dates(series, after=local_now - timedelta(days=1)), start=1):
            if to_utc(local, series.timezone) <= now:
                continue
            _ensure(session, series, sequence, local)
            if number >= count:
                break


def _coming(circle: Circle, now: datetime):
    return select(Meeting).where(Meeting.circle_id == circle.id, Meeting.status == "gepland", Meeting.starts_at > now)


def extend_series(session: Session, *, now: datetime) -> None:
    """Over all circles: store the dates of the series whose next one has come within the horizon."""
    statement = select(MeetingSeries).where(
        MeetingSeries.active.is_(True), or_(MeetingSeries.extend_at.is_(None), MeetingSeries.extend_at <= now)
    )
    for series in session.scalars(statement.order_by(MeetingSeries.id)):
        _extend(session, series, now)


def _extend(session: Session, series: MeetingSeries, now: datetime) -> None:
    """Store the series' dates from now to the horizon (at least the next one), and when to look again."""
    local_now = now.astimezone(ZoneInfo(series.timezone)).replace(tzinfo=None)
    extend_at, stored = None, False
    for sequence, local in _dates(series, after=local_now - timedelta(days=1)):
        moment = to_utc(local, series.timezone)
        if moment <= now:
            continue
        if stored and moment > now + HORIZON:
            extend_at = moment - HORIZON
            break
        _ensure(session, series, sequence, local)
        stored = True
    if series.extend_at != extend_at:
        series.extend_at = extend_at


def upcoming(session: Session, *, circle: Circle, now: datetime, limit: int = 10) -> list[Meeting]:
    """Planned meetings that have not started yet, soonest first; the dates of the series among them are stored
    as they are listed, however many were moved or cancelled."""
    for series in list(session.scalars(_active_series(circle))):
        local_now = now.astimezone(ZoneInfo(series.timezone)).replace(tzinfo=None)
        planned = 0
        for sequence, local in _dates(series, after=local_now - timedelta(days=1)):
            if to_utc(local, series.timezone) <= now:
                continue
            meeting = _ensure(session, series, sequence, local)
            planned += meeting.status == "gepland"
            if planned >= limit:
                break
    statement = _coming(circle, now)
    return list(session.scalars(statement.order_by(Meeting.starts_at, Meeting.id).limit(limit)))


def next_meeting(session: Session, *, circle: Circle, now: datetime) -> Meeting | None:
    found = upcoming(session, circle=circle, now=now, limit=1)
    return found[0] if found else None


def on_day(session: Session, *, circle: Circle, day: date, now: datetime) -> Meeting:
    """The coming planned meeting on a local date, a date of the series however far ahead included; a clear error
    naming the date when there is none."""
    for series in list(session.scalars(_active_series(circle))):
        for sequence, local in _dates(series, after=datetime.combine(day, time.min) - timedelta(seconds=1)):
            if local.date() == day:
                _ensure(session, series, sequence, local)
            break
    statement = _coming(circle, now).where(Meeting.local_start.startswith(day.isoformat()))
    found = session.scalars(statement.order_by(Meeting.starts_at, Meeting.id)).first()
    if found is None:
        raise NotFound("meeting.none_on_day", day=f"{day.day}-{day.month}-{day.year}")
    return found


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
    """Move one meeting to another wall-clock time (in its own zone); the rest of the series stays. A moment that
    already has another meeting is refused."""
    circles.require_coordinator(session, circle=circle, user_id=user_id)
    old = meeting.local_start
    starts_at = _check_moment(to, meeting.timezone, now)
    taken = planned_at(session, circle=circle, local=to, now=now)
    if taken is not None and taken.id != meeting.id:
        raise Conflict("meeting.already_planned", day=f"{to.day}-{to.month}-{to.year}", time=f"{to:%H:%M}")
    meeting.starts_at = starts_at
    meeting.local_start = to.strftime(LOCAL_FORMAT)
    meeting.agenda_due_at = meeting.progress_due_at = None  # the scheduler works out the new ones
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
    due, worked_out = [], []
    for meeting, circle in session.execute(statement.order_by(Meeting.starts_at, Meeting.id)):
        moment = meeting.agenda_due_at
        if moment is None:
            moment = agenda_due_at(circle, meeting)
            worked_out.append({"meeting": meeting.id, "starts": meeting.starts_at, "moment": moment})
        if moment <= now:
            due.append((circle.id, meeting.id))
    if worked_out:  # all of them in one statement, however many meetings are new (the first tick: every one)
        session.connection().execute(_STORE_AGENDA_MOMENT, worked_out)
    return due


# Stored unless the meeting moved meanwhile (its time differs, and the move cleared this again).
_STORE_AGENDA_MOMENT = (
    update(Meeting.__table__)
    .where(Meeting.__table__.c.id == bindparam("meeting"), Meeting.__table__.c.starts_at == bindparam("starts"))
    .where(Meeting.__table__.c.agenda_due_at.is_(None))
    .values(agenda_due_at=bindparam("moment"))
)


def upcoming_within(session: Session, *, now: datetime, within: timedelta) -> list[tuple[Circle, Meeting]]:
    """Over all circles, planned meetings starting after `now` and no later than `within` from it, soonest first."""
    statement = (
        select(Circle, Meeting)
        .join(Circle, Circle.id == Meeting.circle_id)
        .where(Meeting.status == "gepland", Meeting.starts_at > now, Meeting.starts_at <= now + within)
    )
    return [(circle, meeting) for circle, meeting in session.execute(statement.order_by(Meeting.starts_at, Meeting.id))]


def lock(session: Session, *, meeting_id: int) -> Meeting | None:
    """The meeting row, locked until the transaction ends and read afresh, so one process at a time posts or
    changes its agenda."""
    statement = select(Meeting).where(Meeting.id == meeting_id).with_for_update()
    return session.scalars(statement.execution_options(populate_existing=True)).first()
