"""Adopted versions of the execution agenda ("Uitvoeringsagenda versie 3"): a coordinator adopts the current state,
which freezes a snapshot; what changed between two versions is derived from their snapshots.

The number changes once per adoption, never with ordinary edits, so the version people cite in council reports
means one document. Between adoptions the agenda is "versie N + wijzigingen".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from store import activities, circles
from store import goals as goal_list
from store.errors import Conflict, NotFound
from store.models import Activity, AgendaVersion, Circle, CircleTheme, Goal, GoalLink, ProgressUpdate, TeamMember
from store.vocabulary import Status

# The fields of an activity that make up the agenda document; progress percentages are not part of it.
DOCUMENT_FIELDS = ("title", "theme", "goal", "initiator", "team", "deadline", "budget", "status")


@dataclass(frozen=True)
class VersionState:
    """Which adopted version the agenda is at, and whether it changed since (`versie 3 + wijzigingen`)."""

    number: int
    changed: bool = False


@dataclass(frozen=True)
class Change:
    """One difference between two versions: `new`, `finished`, `stopped`, `deadline`, `budget`, `status`,
    `changed` (title, theme, goal, initiator or team) or `removed`."""

    kind: str
    number: int
    title: str
    before: str | None = None
    after: str | None = None


@dataclass
class FrozenActivity:
    """An activity as a version froze it, shaped like `Activity` for the builders and the export."""

    number: int
    title: str
    theme: str
    status: str
    percent: int
    initiator_id: str
    team_ids: list[str]
    deadline: date | None
    budget: Decimal | None
    goal: str | None = None
    description: str | None = None
    needs: str | None = None
    stop_reason: str | None = None
    created_at: datetime | None = None
    completed_at: datetime | None = None
    updates: list[ProgressUpdate] = field(default_factory=list)
    theme_entry: CircleTheme | None = None  # the circle's theme under this key as it is now (its name may change)

    @property
    def team(self) -> list[Any]:
        return [_Teammate(user) for user in self.team_ids]


@dataclass(frozen=True)
class _Teammate:
    user_id: str


def snapshot_of(found: list[Activity]) -> dict[str, Any]:
    """The agenda's activities as plain JSON, by number."""
    return {"activities": [_frozen(activity) for activity in sorted(found, key=lambda a: a.number)]}


def _frozen(activity: Activity) -> dict[str, Any]:
    return {
        "number": activity.number,
        "title": activity.title,
        "theme": activity.theme,
        "goal": "; ".join(goal_list.names(activity)) or None,
        "initiator": activity.initiator_id,
        "team": activities.team_ids(activity),
        "deadline": activity.deadline.isoformat() if activity.deadline else None,
        "budget": str(activity.budget) if activity.budget is not None else None,
        "status": activity.status,
        "percent": activity.percent,
        "description": activity.description,
        "needs": activity.needs,
        "stop_reason": activity.stop_reason,
        "created": activity.created_at.isoformat() if activity.created_at else None,
        "completed": activity.completed_at.isoformat() if activity.completed_at else None,
    }


def changes(before: dict[str, Any] | None, after: dict[str, Any]) -> list[Change]:
    """What differs between two snapshots, by activity number; new activities first within each number."""
    old = {row["number"]: row for row in (before or {}).get("activities", [])}
    new = {row["number"]: row for row in after.get("activities", [])}
    found: list[Change] = []
    for number in sorted(old.keys() | new.keys()):
        found += _changed(old.get(number), new.get(number))
    return found


def _changed(old: dict[str, Any] | None, new: dict[str, Any] | None) -> list[Change]:
    if new is None:
        return [Change("removed", old["number"], old["title"])]
    number, title = new["number"], new["title"]
    if old is None:
        return [Change("new", number, title)]
    found = []
    if old["status"] != new["status"]:
        kind = {Status.AFGEROND: "finished", Status.GESTOPT: "stopped"}.get(new["status"], "status")
        found.append(Change(kind, number, title, old["status"], new["status"]))
    if old["deadline"] != new["deadline"]:
        found.append(Change("deadline", number, title, old["deadline"], new["deadline"]))
    if old["budget"] != new["budget"]:
        found.append(Change("budget", number, title, old["budget"], new["budget"]))
    if any(old.get(name) != new.get(name) for name in ("title", "theme", "goal", "initiator", "team")):
        found.append(Change("changed", number, title, old["title"], new["title"]))
    return found


def latest(session: Session, *, circle: Circle) -> AgendaVersion | None:
    statement = select(AgendaVersion).where(AgendaVersion.circle_id == circle.id)
    return session.scalars(statement.order_by(AgendaVersion.number.desc()).limit(1)).first()


def circles_behind_canvas(session: Session) -> list[tuple[int, str]]:
    """Over all circles that are posting (not paused), those with a version newer than the one their canvas shows:
    (circle id, workspace)."""
    newer = select(AgendaVersion.id).where(
        AgendaVersion.circle_id == Circle.id, AgendaVersion.number > Circle.canvas_version
    )
    found = select(Circle.id, Circle.team_id).where(Circle.active.is_(True), newer.exists()).order_by(Circle.id)
    return [(row.id, row.team_id) for row in session.execute(found)]


def get(session: Session, *, circle: Circle, number: int) -> AgendaVersion:
    statement = select(AgendaVersion).where(AgendaVersion.circle_id == circle.id, AgendaVersion.number == number)
    found = session.scalars(statement).first()
    if found is None:
        newest = latest(session, circle=circle)
        raise NotFound("versie.not_found", number=number, latest=newest.number if newest else 0)
    return found


def previous(session: Session, *, version: AgendaVersion) -> AgendaVersion | None:
    statement = select(AgendaVersion).where(
        AgendaVersion.circle_id == version.circle_id, AgendaVersion.number < version.number
    )
    return session.scalars(statement.order_by(AgendaVersion.number.desc()).limit(1)).first()


def state(session: Session, *, circle: Circle) -> VersionState:
    """The version the agenda is at: the last adopted number, and whether anything changed since (what `changes`
    compares, read as plain rows in a few statements: every page of the agenda asks)."""
    found = latest(session, circle=circle)
    if found is None:
        anything = select(Activity.id).where(Activity.circle_id == circle.id).exists()
        return VersionState(0, bool(session.scalar(select(anything))))
    return VersionState(found.number, _differs(found.snapshot, _compared(session, circle)))


_COMPARED = ("title", "theme", "goal", "initiator", "team", "deadline", "budget", "status")


def _compared(session: Session, circle: Circle) -> dict[int, dict[str, Any]]:
    """Each activity's fields that `changes` compares, by number, as a snapshot holds them (its team sorted)."""
    mine = Activity.circle_id == circle.id
    team: dict[int, list[str]] = {}
    for activity_id, user_id in session.execute(
        select(TeamMember.activity_id, TeamMember.user_id)
        .join(Activity, Activity.id == TeamMember.activity_id)
        .where(mine)
    ):
        team.setdefault(activity_id, []).append(user_id)
    goals: dict[int, list[str]] = {}
    for activity_id, name in session.execute(
        select(GoalLink.activity_id, Goal.name)
        .join(Goal, Goal.id == GoalLink.goal_id)
        .join(Activity, Activity.id == GoalLink.activity_id)
        .where(mine)
        .order_by(GoalLink.activity_id, GoalLink.goal_id)
    ):
        goals.setdefault(activity_id, []).append(name)
    columns = (Activity.id, Activity.number, Activity.title, Activity.theme, Activity.initiator_id, Activity.deadline)
    found = {}
    for row in session.execute(select(*columns, Activity.budget, Activity.status).where(mine)):
        found[row.number] = {
            "title": row.title,
            "theme": row.theme,
            "goal": "; ".join(goals.get(row.id, [])) or None,
            "initiator": row.initiator_id,
            "team": sorted(team.get(row.id, [])),
            "deadline": row.deadline.isoformat() if row.deadline else None,
            "budget": str(row.budget) if row.budget is not None else None,
            "status": row.status,
        }
    return found


def _differs(snapshot: dict[str, Any], current: dict[int, dict[str, Any]]) -> bool:
    """Whether `changes` would find anything between the snapshot and the current rows."""
    frozen = {row["number"]: row for row in snapshot.get("activities", [])}
    if frozen.keys() != current.keys():
        return True
    for number, now in current.items():
        then = {name: frozen[number].get(name) for name in _COMPARED}
        then["team"] = sorted(then["team"] or [])
        if then != now:
            return True
    return False


def adopt(session: Session, *, circle: Circle, user_id: str, now: datetime) -> tuple[AgendaVersion, list[Change]]:
    """A coordinator adopts the agenda as it is now as version N+1; refused when nothing changed since N."""
    circles.require_coordinator(session, circle=circle, user_id=user_id)
    number = circles.next_number(session, circle_id=circle.id, kind="V")  # locks the counter: one adoption at once
    before = latest(session, circle=circle)
    current = snapshot_of(activities.everything(session, circle=circle))
    found = changes(before.snapshot if before else None, current)
    if not found:
        if before is None:
            raise Conflict("versie.nothing_to_adopt")
        raise Conflict("versie.unchanged", number=before.number)
    version = AgendaVersion(circle_id=circle.id, number=number, adopted_at=now, adopted_by=user_id, snapshot=current)
    session.add(version)
    session.flush()
    circles.record(session, circle=circle, actor_id=user_id, subject="agenda", action="adopted", number=number)
    return version, found


def frozen_activities(session: Session, *, version: AgendaVersion) -> list[FrozenActivity]:
    """The activities as the version froze them, each with the progress updates recorded up to its adoption."""
    updates: dict[int, list[ProgressUpdate]] = {}
    statement = (
        select(Activity.number, ProgressUpdate)
        .join(ProgressUpdate, ProgressUpdate.activity_id == Activity.id)
        .where(Activity.circle_id == version.circle_id, ProgressUpdate.created_at <= version.adopted_at)
        .order_by(ProgressUpdate.id)
    )
    for number, update in session.execute(statement):
        updates.setdefault(number, []).append(update)
    statement = select(CircleTheme).where(CircleTheme.circle_id == version.circle_id)
    themes = {theme.key: theme for theme in session.scalars(statement)}
    return [
        _thawed(row, updates.get(row["number"], []), themes.get(row["theme"]))
        for row in version.snapshot.get("activities", [])
    ]


def _thawed(row: dict[str, Any], updates: list[ProgressUpdate], theme: CircleTheme | None) -> FrozenActivity:
    return FrozenActivity(
        number=row["number"],
        title=row["title"],
        theme=row["theme"],
        status=row["status"],
        percent=row.get("percent") or 0,
        initiator_id=row["initiator"],
        team_ids=list(row.get("team") or []),
        deadline=date.fromisoformat(row["deadline"]) if row.get("deadline") else None,
        budget=Decimal(row["budget"]) if row.get("budget") is not None else None,
        goal=row.get("goal"),
        description=row.get("description"),
        needs=row.get("needs"),
        stop_reason=row.get("stop_reason"),
        created_at=_moment(row.get("created")),
        completed_at=_moment(row.get("completed")),
        updates=updates,
        theme_entry=theme,
    )


def _moment(value: str | None) -> datetime | None:
    if not value:
        return None
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
