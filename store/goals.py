"""The circle's common goals: a list per circle; activities serve one or more, each with a weight; a goal's
progress is the weighted share of its activities' progress."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from store import circles
from store.errors import Conflict, UserError, shown
from store.models import Activity, Circle, Goal, GoalLink
from store.types import utcnow
from store.vocabulary import GOAL_LIMIT, Status


def _word(text: str) -> str:
    return " ".join((text or "").strip().strip("\"'“”").lower().split())


def listing(session: Session, *, circle: Circle, retired: bool = False) -> list[Goal]:
    """The circle's goals in the order they were set; with `retired`, the retired ones too (last)."""
    statement = select(Goal).where(Goal.circle_id == circle.id)
    if not retired:
        statement = statement.where(Goal.retired_at.is_(None))
    found = session.scalars(statement.options(selectinload(Goal.links).selectinload(GoalLink.activity)))
    return sorted(found, key=lambda goal: (goal.retired_at is not None, goal.id))


def find(session: Session, *, circle: Circle, text: str) -> Goal | None:
    """A goal by exactly its name, in any case; retired ones too."""
    word = _word(text)
    return next((goal for goal in listing(session, circle=circle, retired=True) if _word(goal.name) == word), None)


def resolve(session: Session, *, circle: Circle, text: str, retired: bool = False) -> Goal:
    """The goal someone means: by its name, or by the start of it when only one goal starts so."""
    found = find(session, circle=circle, text=text)
    if found is not None and (retired or found.retired_at is None):
        return found
    word = _word(text)
    choices = listing(session, circle=circle, retired=retired)
    starting = [goal for goal in choices if word and _word(goal.name).startswith(word)]
    if len(starting) == 1:
        return starting[0]
    names = "; ".join(f"`{goal.name}`" for goal in listing(session, circle=circle)) or "—"
    raise UserError("goals.unknown", field="goals", text=shown(text), goals=names)


def chosen(session: Session, *, circle: Circle, picks: Iterable[str | int]) -> list[Goal]:
    """The goals an activity is to serve: ids from a form, or names (or their start) as typed."""
    found: dict[int, Goal] = {}
    for pick in picks:
        if isinstance(pick, int):
            goal = session.get(Goal, pick)
            if goal is None or goal.circle_id != circle.id:
                raise UserError("goals.gone", field="goals")
        else:
            goal = resolve(session, circle=circle, text=pick)
        found[goal.id] = goal
    return list(found.values())


def add(session: Session, *, circle: Circle, actor_id: str, name: str, now: datetime | None = None) -> Goal:
    """Anyone in the circle may set a common goal; the circle's list holds each name once."""
    name = " ".join((name or "").split())
    if not name:
        raise UserError("goals.name_missing")
    if len(name) > GOAL_LIMIT:
        raise UserError("goals.name_too_long", limit=GOAL_LIMIT)
    if find(session, circle=circle, text=name) is not None:
        raise Conflict("goals.exists", name=name)
    circles.ensure_member(session, circle=circle, user_id=actor_id)
    goal = Goal(circle_id=circle.id, name=name, created_by=actor_id, created_at=now or utcnow())
    session.add(goal)
    session.flush()
    circles.record(session, circle=circle, actor_id=actor_id, subject="goal", action="goal_added", name=name)
    return goal


def rename(session: Session, *, circle: Circle, actor_id: str, goal: Goal, name: str) -> None:
    circles.require_coordinator(session, circle=circle, user_id=actor_id)
    name = " ".join((name or "").split())
    if not name:
        raise UserError("goals.name_missing")
    if len(name) > GOAL_LIMIT:
        raise UserError("goals.name_too_long", limit=GOAL_LIMIT)
    other = find(session, circle=circle, text=name)
    if other is not None and other.id != goal.id:
        raise Conflict("goals.exists", name=name)
    details = {"from": goal.name, "to": name}
    goal.name = name
    circles.record(session, circle=circle, actor_id=actor_id, subject="goal", action="goal_renamed", **details)


def retire(session: Session, *, circle: Circle, actor_id: str, goal: Goal, now: datetime | None = None) -> None:
    """No new activities serve it; those that did keep the link."""
    circles.require_coordinator(session, circle=circle, user_id=actor_id)
    if goal.retired_at is not None:
        raise Conflict("goals.already_retired", name=goal.name)
    goal.retired_at = now or utcnow()
    circles.record(session, circle=circle, actor_id=actor_id, subject="goal", action="goal_retired", name=goal.name)


def restore(session: Session, *, circle: Circle, actor_id: str, goal: Goal) -> None:
    circles.require_coordinator(session, circle=circle, user_id=actor_id)
    if goal.retired_at is None:
        raise Conflict("goals.not_retired", name=goal.name)
    goal.retired_at = None
    circles.record(session, circle=circle, actor_id=actor_id, subject="goal", action="goal_restored", name=goal.name)


def serve(activity: Activity, goals: list[Goal]) -> bool:
    """Make `activity` serve exactly `goals`; weights of the goals it keeps stay. True when anything changed."""
    wanted = {goal.id for goal in goals}
    kept = [link for link in activity.goal_links if link.goal_id in wanted]
    present = {link.goal_id for link in kept}
    added = [GoalLink(goal=goal, weight=1) for goal in goals if goal.id not in present]
    if len(kept) == len(activity.goal_links) and not added:
        return False
    activity.goal_links = kept + added
    return True


@dataclass(frozen=True)
class Progress:
    percent: int | None  # None: nothing counts yet
    counted: int  # activities that count (stopped ones do not)
    done: int


def progress(goal: Goal) -> Progress:
    """The weighted share of its activities' progress; stopped activities no longer count."""
    counting = [link for link in goal.links if link.activity.status != Status.GESTOPT]
    total = sum(link.weight for link in counting)
    done = sum(1 for link in counting if link.activity.status == Status.AFGEROND)
    if not total:
        return Progress(None, 0, 0)
    share = sum(link.weight * link.activity.percent for link in counting) / total
    return Progress(round(share), len(counting), done)


def names(activity: Activity) -> list[str]:
    return [link.goal.name for link in activity.goal_links]
