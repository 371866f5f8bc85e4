"""Deadline and progress nudges: which are due for whom at a moment, each decided once per activity and kind.

Kinds name what a nudge is about, so a NudgeMark (unique per activity and kind) makes it happen once:
`d7:2027-03-01` (7 days before that deadline), `overdue:2027-03-09` (the overdue week starting that day) and
`stale:2027-04-05` (no progress since four weeks before that day). Only the latest of several missed nudges is sent
after downtime; the older ones are marked as decided with it.

So that the scheduler need not look at every activity of every circle each minute, each activity keeps the earliest
moment a nudge about it can be due (`next_nudge_at`, never later than the real one): the scheduler reads the
activities whose moment has come with one indexed query, decides them exactly as before, and plans them again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, func, or_, select, text, update
from sqlalchemy.orm import Session, lazyload

from store import people
from store.meetings import post_moment
from store.models import NEVER, Activity, Circle, NudgeMark, Outbox, ProgressUpdate
from store.rhythm import Rhythm
from store.vocabulary import FINISHED
from store.workdays import is_working_day, next_working_day

PRIORITY = {"overdue": 0, "deadline": 1, "stale": 2}
MAX_PER_MESSAGE = 20  # Slack allows 50 blocks; the rest waits for the next working day
PLAN_BATCH = 2000  # activities worked out per statement when many have no moment yet (after an upgrade)


@dataclass
class Nudge:
    """One activity in someone's nudge: why (`reason`), how many days (to or past the deadline, or since an update)."""

    activity: Activity
    reason: str  # deadline, overdue, stale
    kind: str
    days: int
    covered: list[str] = field(default_factory=list)  # kinds decided along with this one, without a line of their own


def local_now(circle: Circle, now: datetime) -> datetime:
    return now.astimezone(ZoneInfo(circle.timezone))


def is_send_time(circle: Circle, now: datetime) -> bool:
    """Working days from the circle's posting time (default 09:00 local)."""
    local = local_now(circle, now)
    return is_working_day(local.date()) and local.time() >= time.fromisoformat(circle.post_time)


def due(
    session: Session,
    *,
    circle: Circle,
    now: datetime,
    user_id: str | None = None,
    activity_ids: list[int] | None = None,
) -> dict[str, list[Nudge]]:
    """The nudges due at `now`, by initiator, most urgent first; nothing outside working days and posting time.
    `activity_ids` limits the look to those activities (the ones whose moment has come)."""
    if not is_send_time(circle, now):
        return {}
    today = local_now(circle, now).date()
    statement = select(Activity).where(Activity.circle_id == circle.id, Activity.status.not_in(FINISHED))
    if user_id is not None:
        statement = statement.where(Activity.initiator_id == user_id)
    if activity_ids is not None:
        statement = statement.where(Activity.id.in_(activity_ids))
    # A nudge shows the activity's own fields: its team, goals and effects are not read along.
    activities = list(session.scalars(statement.options(lazyload("*")).order_by(Activity.number)))
    marked = _marked(session, [activity.id for activity in activities])
    updates = _last_updates(session, [activity.id for activity in activities])
    days = list(Rhythm.of(circle).nudge_days)
    found: dict[str, list[Nudge]] = {}
    for activity in activities:
        last = updates.get(activity.id) or activity.created_at
        nudge = _decide(circle, activity, today, last, marked.get(activity.id, set()), days)
        if nudge is not None:
            found.setdefault(activity.initiator_id, []).append(nudge)
    for nudges in found.values():
        nudges.sort(
            key=lambda n: (PRIORITY[n.reason], n.days if n.reason == "deadline" else -n.days, n.activity.number)
        )
    return found


def _decide(
    circle: Circle, activity: Activity, today: date, last: datetime, marked: set[str], days: list[int]
) -> Nudge | None:
    zone = ZoneInfo(circle.timezone)
    created = activity.created_at.astimezone(zone).date()
    candidates = [
        nudge
        for nudge in (
            _overdue(activity, today) or _deadline(activity, today, days, created),
            _stale(activity, today, last.astimezone(zone).date(), circle.stale_after_days),
        )
        if nudge is not None and nudge.kind not in marked
    ]
    if not candidates:
        return None
    first, *rest = candidates
    first.covered = [kind for kind in first.covered if kind not in marked] + [nudge.kind for nudge in rest]
    return first


def threshold_reached(deadline: date, today: date, days: list[int], created: date) -> tuple[str, list[str]] | None:
    """The key of the nearest threshold before `deadline` reached by `today` (on its working day, and only those that
    fell after `created`), and the keys of the farther ones it covers: missed meanwhile, they are not sent."""
    if today > deadline:
        return None
    reached = [
        before
        for before in days
        if created < deadline - timedelta(days=before) and next_working_day(deadline - timedelta(days=before)) <= today
    ]
    if not reached:
        return None
    nearest = min(reached)
    return f"d{nearest}:{deadline}", [f"d{before}:{deadline}" for before in reached if before != nearest]


def _deadline(activity: Activity, today: date, days: list[int], created: date) -> Nudge | None:
    """The nearest threshold reached; thresholds that were missed meanwhile are covered by it, not sent."""
    if activity.deadline is None:
        return None
    found = threshold_reached(activity.deadline, today, days, created)
    if found is None:
        return None
    key, covered = found
    return Nudge(activity, "deadline", key, (activity.deadline - today).days, covered)


def _overdue(activity: Activity, today: date) -> Nudge | None:
    """Past the deadline: once in each week it stays open, on the first working day of that week."""
    deadline = activity.deadline
    if deadline is None or today <= deadline:
        return None
    first = deadline + timedelta(days=1)
    week_start = first + timedelta(weeks=(today - first).days // 7)
    return Nudge(activity, "overdue", f"overdue:{week_start}", (today - deadline).days)


def _stale(activity: Activity, today: date, last: date, after_days: int) -> Nudge | None:
    """No progress update for `after_days`: a gentle nudge, repeated each further `after_days` of silence."""
    quiet = (today - last).days
    if after_days <= 0 or quiet < after_days:
        return None
    since = last + timedelta(days=after_days * (quiet // after_days))
    return Nudge(activity, "stale", f"stale:{since}", quiet)


def _marked(session: Session, activity_ids: list[int]) -> dict[int, set[str]]:
    marked: dict[int, set[str]] = {}
    if activity_ids:
        statement = select(NudgeMark.activity_id, NudgeMark.kind).where(NudgeMark.activity_id.in_(activity_ids))
        for activity_id, kind in session.execute(statement):
            marked.setdefault(activity_id, set()).add(kind)
    return marked


def _last_updates(session: Session, activity_ids: list[int]) -> dict[int, datetime]:
    if not activity_ids:
        return {}
    statement = (
        select(ProgressUpdate.activity_id, func.max(ProgressUpdate.created_at))
        .where(ProgressUpdate.activity_id.in_(activity_ids))
        .group_by(ProgressUpdate.activity_id)
    )
    return {activity_id: _aware(latest) for activity_id, latest in session.execute(statement)}


def _aware(value: datetime) -> datetime:
    # An aggregate comes back without the column type's conversion: SQLite gives a naive UTC value (or a string).
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=ZoneInfo("UTC"))


def message_key(circle: Circle, user_id: str, now: datetime) -> str:
    """One nudge message per person, circle and local day."""
    return f"nudge:{circle.id}:{user_id}:{local_now(circle, now).date()}"


def claim(session: Session, *, key: str) -> bool:
    """Whether this process may decide the message `key`: False when it exists already.

    On PostgreSQL a transaction-scoped advisory lock on the key makes a second process wait here and then see the
    first one's message, so two schedulers never decide the same person's nudges at once.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": key})
    return session.scalar(select(func.count()).where(Outbox.key == key)) == 0


def record(session: Session, *, user_id: str, nudges: list[Nudge], outbox_key: str) -> None:
    """Mark every kind these nudges decide, so none of them is ever sent again."""
    for nudge in nudges:
        for kind in (nudge.kind, *nudge.covered):
            session.add(NudgeMark(activity_id=nudge.activity.id, kind=kind, user_id=user_id, outbox_key=outbox_key))
    session.flush()


# -- planning: when a nudge can next be due ------------------------------------------------------------------------


def next_moment(circle: Circle, activity: Activity, last: datetime, marked: set[str], now: datetime) -> datetime:
    """The first moment, from `now`'s day on, at which a nudge about `activity` can be due: the circle's posting time
    on the first working day from the first day on which one is. NEVER when none will come.

    What is due changes only on a few days (a threshold reached, the deadline passed, a new overdue week or stretch
    of silence), and once something is due it stays due until it is marked; so trying those days is enough.
    """
    zone = ZoneInfo(circle.timezone)
    today = now.astimezone(zone).date()
    days = list(Rhythm.of(circle).nudge_days)
    for day in _turning_points(activity, today, last.astimezone(zone).date(), days, circle.stale_after_days):
        if _decide(circle, activity, day, last, marked, days) is not None:
            return post_moment(circle, next_working_day(day))
    return NEVER


def _turning_points(activity: Activity, today: date, last: date, days: list[int], after_days: int) -> list[date]:
    points = {today}
    deadline = activity.deadline
    if deadline is not None:
        points |= {next_working_day(deadline - timedelta(days=before)) for before in days}
        first = deadline + timedelta(days=1)
        points.add(first if today < first else first + timedelta(weeks=(today - first).days // 7 + 1))
    if after_days > 0:
        points.add(last + timedelta(days=after_days * max(1, (today - last).days // after_days + 1)))
    return sorted(day for day in points if day >= today)


def plan(session: Session, *, circle: Circle, activity_ids: list[int], now: datetime) -> None:
    """Work out and store when each of these activities can next be nudged."""
    if not activity_ids:
        return
    statement = select(Activity.id, Activity.version, Activity.deadline, Activity.created_at).where(
        Activity.id.in_(activity_ids), Activity.status.not_in(FINISHED)
    )
    rows = list(session.execute(statement))
    marked = _marked(session, [row.id for row in rows])
    updates = _last_updates(session, [row.id for row in rows])
    moments = [
        (
            row.id,
            row.version,
            next_moment(circle, row, updates.get(row.id) or row.created_at, marked.get(row.id, set()), now),
        )
        for row in rows
    ]
    _store(session, moments)


def plan_unplanned(session: Session, *, now: datetime, after_id: int = 0) -> int | None:
    """Plan the next PLAN_BATCH activities (by id, after `after_id`) that have no moment yet: new or changed ones,
    or all of them after an upgrade. The last id planned, or None when there were none."""
    statement = (
        select(Activity.id, Activity.circle_id)
        .where(Activity.id > after_id, Activity.next_nudge_at.is_(None), Activity.status.not_in(FINISHED))
        .order_by(Activity.id)
        .limit(PLAN_BATCH)
    )
    rows = list(session.execute(statement))
    by_circle: dict[int, list[int]] = {}
    for activity_id, circle_id in rows:
        by_circle.setdefault(circle_id, []).append(activity_id)
    circles = {circle.id: circle for circle in session.scalars(select(Circle).where(Circle.id.in_(by_circle)))}
    for circle_id, ids in by_circle.items():
        plan(session, circle=circles[circle_id], activity_ids=ids, now=now)
    return rows[-1].id if rows else None


def due_people(session: Session, *, now: datetime) -> dict[tuple[int, str], list[int]]:
    """Over all circles: (circle, initiator) → the activities whose moment has come."""
    statement = select(Activity.circle_id, Activity.initiator_id, Activity.id).where(
        Activity.next_nudge_at <= now, Activity.status.not_in(FINISHED), people.still_here(Activity.initiator_id)
    )
    found: dict[tuple[int, str], list[int]] = {}
    for circle_id, user_id, activity_id in session.execute(statement.order_by(Activity.id)):
        found.setdefault((circle_id, user_id), []).append(activity_id)
    return found


def wait_for_next_day(session: Session, *, circle: Circle, activity_ids: list[int], now: datetime) -> None:
    """Today's message to this person is out: what else is due for them waits for the next working day."""
    if not activity_ids:
        return
    tomorrow = next_working_day(local_now(circle, now).date() + timedelta(days=1))
    moment = post_moment(circle, tomorrow)
    statement = update(Activity).where(
        Activity.id.in_(activity_ids), or_(Activity.next_nudge_at < moment, Activity.next_nudge_at.is_(None))
    )
    values = {"next_nudge_at": moment, "updated_at": Activity.updated_at}  # planning is no change to the activity
    session.execute(statement.values(**values).execution_options(synchronize_session=False))


def _store(session: Session, moments: list[tuple[int, int, datetime]]) -> None:
    """Store each moment, unless the activity changed meanwhile: its version then differs, and the change has
    cleared the moment for the next tick to work out afresh. Core UPDATE: the scheduler must not raise the version
    itself, or people editing at that moment would get "changed meanwhile"."""
    if not moments:
        return
    table = Activity.__table__
    statement = (
        update(table)
        .where(table.c.id == bindparam("planned_id"), table.c.version == bindparam("planned_version"))
        .values(next_nudge_at=bindparam("planned_at"), updated_at=table.c.updated_at)  # no change to the activity
    )
    values = [{"planned_id": i, "planned_version": v, "planned_at": at} for i, v, at in moments]
    session.connection().execute(statement, values)
