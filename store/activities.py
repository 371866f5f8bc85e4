"""Activities on the execution agenda: numbering, who may change them, their lifecycle, progress and audit trail."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import TypeVar

from sqlalchemy import ColumnElement, Select, func, or_, select, union_all
from sqlalchemy.orm import Session, aliased, joinedload, lazyload, selectinload
from sqlalchemy.orm.exc import StaleDataError

from store import circles, themes
from store import goals as goal_list
from store.errors import Conflict, Forbidden, NotFound, UserError, shown
from store.models import Activity, AuditEvent, Circle, CircleTheme, GoalLink, ProgressUpdate, TeamMember
from store.types import utcnow
from store.vocabulary import FINISHED, MAX_BUDGET, START_STATUSES, STATUSES, TITLE_LIMIT

T = TypeVar("T")
# idee → gepland → lopend ⇄ geblokkeerd → afgerond, and gestopt (with a reason) from anything unfinished.
# A planned activity may be marked done at once: the deadline reminder's "done" button must not need two steps.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "idee": ("gepland", "lopend", "gestopt"),
    "gepland": ("idee", "lopend", "afgerond", "gestopt"),
    "lopend": ("geblokkeerd", "afgerond", "gestopt"),
    "geblokkeerd": ("lopend", "afgerond", "gestopt"),
    "afgerond": (),
    "gestopt": (),
}


class Stale(Conflict):
    """Someone else changed the activity since this person saw it."""

    def __init__(self, number: int, activity_id: int) -> None:
        super().__init__("agenda.changed_meanwhile", number=number)
        self.activity_id = activity_id


def label(activity: Activity) -> str:
    return f"A-{activity.number}"


def create(
    session: Session,
    *,
    circle: Circle,
    user_id: str,
    title: str,
    theme: str,
    initiator_id: str,
    deadline: date | None = None,
    budget: Decimal | int | str | None = None,
    description: str | None = None,
    needs: str | None = None,
    team: Iterable[str] = (),
    goals: Iterable[str | int] = (),
    status: str = "idee",
    now: datetime | None = None,
) -> Activity:
    """Put a new activity A-n on the agenda under one of the circle's themes (by key, name or a word for it);
    it serves the common `goals` named (by id from a form, or by name); its initiator, team and filer become
    members of the circle."""
    theme = themes.resolve(session, circle=circle, text=str(theme)).key
    served = goal_list.chosen(session, circle=circle, picks=goals)
    if status not in START_STATUSES:
        raise UserError("agenda.status_at_start", field="status")
    title, description = title_and_description(title, description)
    budget, members = checked_budget(budget), team_without_initiator(team, initiator_id)
    number = circles.next_number(session, circle_id=circle.id, kind="A")
    for person in dict.fromkeys([user_id, initiator_id, *members]):
        circles.ensure_member(session, circle=circle, user_id=person)
    moment = now or utcnow()
    activity = Activity(
        circle_id=circle.id,
        number=number,
        title=title,
        description=description or None,
        theme=theme,
        initiator_id=initiator_id,
        deadline=deadline,
        budget=budget,
        needs=needs or None,
        status=status,
        percent=0,
        created_at=moment,
        updated_at=moment,
        team=[TeamMember(user_id=person) for person in members],
        goal_links=[GoalLink(goal=goal, weight=1) for goal in served],
    )
    session.add(activity)
    session.flush()
    circles.record(session, circle=circle, actor_id=user_id, subject=label(activity), action="created", title=title)
    return activity


def title_and_description(title: str, description: str | None) -> tuple[str, str | None]:
    """A one-line title; a longer text (say, from a klaagpaal item) keeps its whole wording in the description."""
    flat = " ".join((title or "").split())
    if not flat:
        raise UserError("agenda.title_missing", field="title")
    if len(flat) <= TITLE_LIMIT:
        return flat, description
    return flat[: TITLE_LIMIT - 1] + "…", description or title


def checked_budget(value: Decimal | int | str | None) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        budget = Decimal(str(value))
    except InvalidOperation:
        raise UserError("agenda.amount_format", field="budget", text=shown(str(value))) from None
    if not budget.is_finite():
        raise UserError("agenda.amount_format", field="budget", text=shown(str(value)))
    if budget < 0:
        raise UserError("agenda.amount_negative", field="budget")
    if budget > MAX_BUDGET:
        raise UserError("agenda.amount_too_large", field="budget", limit="€ 100.000.000")
    return budget.quantize(Decimal("0.01"))


def team_without_initiator(team: Iterable[str], initiator_id: str) -> list[str]:
    return [person for person in dict.fromkeys(team or ()) if person and person != initiator_id]


def get(session: Session, *, circle: Circle, number: int) -> Activity:
    statement = select(Activity).where(Activity.circle_id == circle.id, Activity.number == number)
    activity = session.scalars(statement.options(selectinload(Activity.updates))).first()
    if activity is None:
        raise NotFound("agenda.not_found", number=number)
    return activity


def by_id(session: Session, *, activity_id: int) -> Activity:
    activity = session.get(Activity, activity_id)
    if activity is None:
        raise NotFound("agenda.gone")
    return activity


def team_ids(activity: Activity) -> list[str]:
    return [member.user_id for member in activity.team]


def can_change(session: Session, *, circle: Circle, activity: Activity, user_id: str) -> bool:
    """The initiator, the team, whoever put the activity on the agenda and the circle's coordinators may change it."""
    if user_id == activity.initiator_id or user_id in team_ids(activity):
        return True
    return circles.is_coordinator(session, circle=circle, user_id=user_id) or creator(session, activity) == user_id


def creator(session: Session, activity: Activity) -> str | None:
    """Who put the activity on the agenda: the actor of its "created" line in the audit trail."""
    statement = select(AuditEvent.actor_id).where(
        AuditEvent.circle_id == activity.circle_id,
        AuditEvent.subject == label(activity),
        AuditEvent.action == "created",
    )
    return session.scalars(statement).first()


def require_change(session: Session, *, circle: Circle, activity: Activity, user_id: str) -> None:
    if not can_change(session, circle=circle, activity=activity, user_id=user_id):
        raise Forbidden("agenda.change_forbidden", number=activity.number, initiator=activity.initiator_id)


def check_version(activity: Activity, expected_version: int | None) -> None:
    if expected_version is not None and activity.version != expected_version:
        raise Stale(activity.number, activity.id)


def save(session: Session, activity: Activity, now: datetime | None) -> None:
    """Write the change; the version column makes a concurrent writer's UPDATE miss, which means Stale."""
    number, activity_id = activity.number, activity.id  # read now: after a failed flush the session cannot load
    activity.updated_at = now or utcnow()
    activity.next_nudge_at = None  # a change can bring a nudge nearer: the scheduler works out the moment afresh
    try:
        session.flush()
    except StaleDataError:
        raise Stale(number, activity_id) from None


def again_if_stale(work: Callable[[], T]) -> T:
    """Work that carries no version of its own (a button, a progress report) is no conflict when someone else
    wrote at the same moment: it is done once more, on the new state, in a fresh transaction."""
    try:
        return work()
    except Stale:
        return work()


def set_status(
    session: Session,
    *,
    circle: Circle,
    activity: Activity,
    user_id: str,
    status: str,
    reason: str | None = None,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Activity:
    """Move along the lifecycle; the caller announces what the change means (a completion is celebrated)."""
    require_change(session, circle=circle, activity=activity, user_id=user_id)
    check_version(activity, expected_version)
    _check_transition(activity, status)
    reason = (reason or "").strip() or None
    if status == "gestopt":
        if reason is None:
            raise UserError("agenda.stop_reason_missing", field="reason", number=activity.number)
        activity.stop_reason = reason
    previous, activity.status = activity.status, status
    if status == "afgerond":
        activity.percent, activity.completed_at = 100, now or utcnow()
    save(session, activity, now)
    details = {"from": previous, "to": status, **({"reason": reason} if reason else {})}
    circles.record(session, circle=circle, actor_id=user_id, subject=label(activity), action="status", **details)
    return activity


def _check_transition(activity: Activity, status: str) -> None:
    if status not in STATUSES:
        raise UserError("agenda.status_unknown", field="status", text=shown(str(status)))
    if status == activity.status:
        raise Conflict("agenda.status_same", field="status", number=activity.number, status=status)
    if activity.status in FINISHED:
        raise Conflict("agenda.finished", field="status", number=activity.number, status=activity.status)
    if status not in TRANSITIONS[activity.status]:
        allowed = ", ".join(TRANSITIONS[activity.status])
        raise Conflict(
            "agenda.status_not_allowed",
            field="status",
            number=activity.number,
            current=activity.status,
            wanted=status,
            allowed=allowed,
        )


def move_deadline(
    session: Session,
    *,
    circle: Circle,
    activity: Activity,
    user_id: str,
    deadline: date,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Activity:
    """Set a new deadline; the move is kept in the audit trail with the old and the new date."""
    require_change(session, circle=circle, activity=activity, user_id=user_id)
    check_version(activity, expected_version)
    if activity.status in FINISHED:
        raise Conflict("agenda.finished", field="deadline", number=activity.number, status=activity.status)
    previous = activity.deadline
    if previous == deadline:
        return activity
    activity.deadline = deadline
    save(session, activity, now)
    moved = {"from": previous.isoformat() if previous else None, "to": deadline.isoformat()}
    circles.record(session, circle=circle, actor_id=user_id, subject=label(activity), action="deadline", **moved)
    return activity


def record_progress(
    session: Session,
    *,
    circle: Circle,
    activity: Activity,
    user_id: str,
    percent: int | None = None,
    status: str | None = None,
    happened: str | None = None,
    learned: str | None = None,
    improvements: str | None = None,
    blockers: str | None = None,
    now: datetime | None = None,
) -> ProgressUpdate:
    """A progress update; a status it names moves the lifecycle, and progress on a planned activity starts it.

    `percent` is what the reporter says now (None: not reported); completing reports 100%."""
    require_change(session, circle=circle, activity=activity, user_id=user_id)
    texts = {"happened": happened, "learned": learned, "improvements": improvements, "blockers": blockers}
    texts = {name: (value or "").strip() or None for name, value in texts.items()}
    if status == activity.status:
        status = None
    if percent is None and status is None and not any(texts.values()):
        raise UserError("voortgang.empty", field="happened")
    if percent is not None and not 0 <= percent <= 100:
        raise UserError("voortgang.percent_range", field="percent", text=str(percent))
    if activity.status in FINISHED and (percent is not None or status is not None):
        raise Conflict("agenda.finished", field="status", number=activity.number, status=activity.status)
    if status == "afgerond":
        percent = 100  # completing is all of it, in the history and the export too
    if percent is not None:
        activity.percent = percent
    if status is None and percent and activity.status in ("idee", "gepland"):
        status = "lopend"
    if status is not None:
        if status == "gestopt" and not (texts["happened"] or texts["blockers"]):
            raise UserError("agenda.stop_reason_missing", field="happened", number=activity.number)
        reason = texts["happened"] or texts["blockers"] if status == "gestopt" else None
        set_status(session, circle=circle, activity=activity, user_id=user_id, status=status, reason=reason, now=now)
    update = ProgressUpdate(author_id=user_id, status=status, percent=percent, created_at=now or utcnow(), **texts)
    activity.updates.append(update)
    save(session, activity, now)
    details = {"percent": percent, "status": status}
    circles.record(session, circle=circle, actor_id=user_id, subject=label(activity), action="progress", **details)
    return update


def plain() -> tuple:
    """Options reading activities without what they are linked to (team, goals, theme, effects)."""
    return (
        lazyload(Activity.team),
        lazyload(Activity.goal_links),
        lazyload(Activity.theme_entry),
        lazyload(Activity.effects),
    )


def _loaded() -> tuple:
    return (selectinload(Activity.updates), selectinload(Activity.team))


def active(session: Session, *, circle: Circle, initiator_id: str | None = None) -> list[Activity]:
    """The activities not yet afgerond or gestopt (only those `initiator_id` leads, if given), by number."""
    statement = select(Activity).where(Activity.circle_id == circle.id, Activity.status.not_in(FINISHED))
    if initiator_id is not None:
        statement = statement.where(Activity.initiator_id == initiator_id)
    return list(session.scalars(statement.options(*_loaded()).order_by(Activity.number)))


def listing(
    session: Session,
    *,
    circle: Circle,
    user_id: str | None = None,
    theme: str | None = None,
    status: str | None = None,
    goal: str | None = None,
) -> list[Activity]:
    """The agenda, optionally only someone's own activities, one theme, one status ("actief": unfinished) or the
    activities serving one common goal."""
    chosen = _filters(session, circle, user_id=user_id, theme=theme, status=status, goal=goal)
    statement = select(Activity).where(*chosen)
    return list(session.scalars(statement.options(*_loaded()).order_by(Activity.number)))


def _filters(
    session: Session,
    circle: Circle,
    *,
    user_id: str | None = None,
    theme: str | None = None,
    status: str | None = None,
    goal: str | None = None,
) -> list[ColumnElement[bool]]:
    found = [Activity.circle_id == circle.id]
    if user_id is not None:
        found.append(involving(user_id))
    if theme is not None:
        found.append(Activity.theme == themes.resolve(session, circle=circle, text=theme, retired=True).key)
    if goal is not None:
        served = goal_list.resolve(session, circle=circle, text=goal, retired=True)
        found.append(Activity.goal_links.any(GoalLink.goal_id == served.id))
    if status == "actief":
        found.append(Activity.status.not_in(FINISHED))
    elif status is not None:
        found.append(Activity.status == status)
    return found


def involving(user_id: str) -> ColumnElement[bool]:
    """`involves` as SQL: the initiator or a member of the team."""
    team = select(TeamMember.activity_id).where(TeamMember.user_id == user_id)
    return or_(Activity.initiator_id == user_id, Activity.id.in_(team))


def theme_counts(session: Session, *, circle: Circle, **filters: str | None) -> dict[str, int]:
    """How many activities of each theme the agenda (filtered as `listing`) holds: pages are laid out from these."""
    chosen = _filters(session, circle, **filters)
    statement = select(Activity.theme, func.count()).where(*chosen).group_by(Activity.theme)
    return {theme: count for theme, count in session.execute(statement)}


def theme_order(session: Session, *, circle: Circle, counts: dict[str, int]) -> list[tuple[str, int]]:
    """(theme, count) in the circle's order of its themes, retired ones last, as the agenda groups them."""
    # Plain rows, not the themes with their history: every page of the agenda asks.
    placed = select(CircleTheme.key, CircleTheme.retired_at.is_not(None), CircleTheme.position)
    entries = {
        key: (retired, position)
        for key, retired, position in session.execute(placed.where(CircleTheme.circle_id == circle.id))
    }

    def rank(key: str) -> tuple:
        entry = entries.get(key)
        return (bool(entry[0]), entry[1], key) if entry else (True, 1 << 30, key)

    return [(key, counts[key]) for key in sorted(counts, key=rank)]


def page(
    session: Session, *, circle: Circle, spans: list[tuple[str, int, int]], **filters: str | None
) -> tuple[list[Activity], dict[int, ProgressUpdate]]:
    """The activities of one page of the agenda (per (theme, offset, count), that run of the theme by number) with
    their circle's theme and each one's latest progress update (as `latest_update`): one statement however many
    themes the page holds."""
    chosen = _filters(session, circle, **{**filters, "theme": None})
    runs = [
        select(Activity.id)
        .where(*chosen, Activity.theme == theme)
        .order_by(Activity.number)
        .offset(offset)
        .limit(count)
        .subquery()
        for theme, offset, count in spans
    ]
    if not runs:
        return [], {}
    wanted = union_all(*(select(run.c.id) for run in runs))
    statement = _with_latest_update().where(Activity.id.in_(wanted))
    order = {theme: position for position, (theme, _, _) in enumerate(spans)}
    rows = sorted(session.execute(statement).unique(), key=lambda row: (order[row[0].theme], row[0].number))
    return [activity for activity, _ in rows], {activity.id: update for activity, update in rows if update}


@cache
def _with_latest_update() -> Select:
    """Activities with their theme and their latest progress update: the same for every page, so built once (a
    statement is immutable; building it is most of the Python work of a page)."""
    newest = aliased(ProgressUpdate)
    latest_id = (
        select(func.max(newest.id)).where(newest.activity_id == Activity.id).correlate(Activity).scalar_subquery()
    )
    return (
        select(Activity, ProgressUpdate)
        .outerjoin(ProgressUpdate, ProgressUpdate.id == latest_id)
        .options(
            joinedload(Activity.theme_entry).lazyload(CircleTheme.changes),
            lazyload(Activity.team),
            lazyload(Activity.goal_links),
            lazyload(Activity.effects),
        )
    )


def everything(session: Session, *, circle: Circle) -> list[Activity]:
    """Every activity of the circle with its updates and team, by number: what an export shows."""
    statement = select(Activity).where(Activity.circle_id == circle.id)
    return list(session.scalars(statement.options(*_loaded()).order_by(Activity.number)))


def involves(activity: Activity, user_id: str) -> bool:
    return activity.initiator_id == user_id or user_id in team_ids(activity)


def latest_update(activity: Activity) -> ProgressUpdate | None:
    return activity.updates[-1] if activity.updates else None


def is_late(activity: Activity, today: date) -> bool:
    return activity.deadline is not None and activity.deadline < today and activity.status not in FINISHED


def history(session: Session, *, activity: Activity) -> list[AuditEvent]:
    """Who changed what when on this activity, oldest first."""
    statement = select(AuditEvent).where(
        AuditEvent.circle_id == activity.circle_id, AuditEvent.subject == label(activity)
    )
    return list(session.scalars(statement.order_by(AuditEvent.id)))
