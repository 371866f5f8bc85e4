"""Improvement actions P-n (verbeteracties): what, who, by when, what they belong to; done once, nudged like
deadlines, and carried forward on every meeting agenda until done."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from store import circles
from store.errors import Conflict, Forbidden, NotFound, UserError
from store.models import ActionNudgeMark, Activity, Circle, ImprovementAction
from store.nudges import is_send_time, local_now, threshold_reached
from store.rhythm import Rhythm

OPEN, DONE = "open", "klaar"
TEXT_LIMIT = 1000
MAX_PER_MESSAGE = 5  # a nudge DM stays within Slack's 50 blocks; the rest waits for the next working day


def label(action: ImprovementAction) -> str:
    return f"P-{action.number}"


def create(
    session: Session,
    *,
    circle: Circle,
    user_id: str,
    text: str,
    owner_id: str,
    deadline: date | None = None,
    activity_id: int | None = None,
    item: str | None = None,
    meeting_id: int | None = None,
    now: datetime,
) -> ImprovementAction:
    """File action P-n; its owner and filer become members of the circle."""
    text = " ".join((text or "").split()) if "\n" not in (text or "") else (text or "").strip()
    if not text:
        raise UserError("actie.text_missing", field="text")
    if len(text) > TEXT_LIMIT:
        raise UserError("text.too_long", field="text", limit=TEXT_LIMIT, length=len(text))
    number = circles.next_number(session, circle_id=circle.id, kind="P")
    for person in dict.fromkeys([user_id, owner_id]):
        circles.ensure_member(session, circle=circle, user_id=person)
    action = ImprovementAction(
        circle_id=circle.id, number=number, text=text, owner_id=owner_id, deadline=deadline, status=OPEN,
        activity_id=activity_id, item=item, meeting_id=meeting_id, created_by=user_id, created_at=now,
    )  # fmt: skip
    session.add(action)
    session.flush()
    circles.record(session, circle=circle, actor_id=user_id, subject=label(action), action="created", owner=owner_id)
    return action


def get(session: Session, *, circle: Circle, number: int) -> ImprovementAction:
    statement = select(ImprovementAction).where(
        ImprovementAction.circle_id == circle.id, ImprovementAction.number == number
    )
    found = session.scalars(statement).first()
    if found is None:
        raise NotFound("actie.not_found", number=number)
    return found


def by_id(session: Session, *, action_id: int) -> ImprovementAction:
    found = session.get(ImprovementAction, action_id)
    if found is None:
        raise NotFound("actie.gone")
    return found


def open_actions(session: Session, *, circle: Circle, owner_id: str | None = None) -> list[ImprovementAction]:
    """Open actions, soonest deadline first (those without one last), then by number."""
    statement = select(ImprovementAction).where(
        ImprovementAction.circle_id == circle.id, ImprovementAction.status == OPEN
    )
    if owner_id is not None:
        statement = statement.where(ImprovementAction.owner_id == owner_id)
    found = list(session.scalars(statement))
    return sorted(found, key=lambda a: (a.deadline or date.max, a.number))


def everything(session: Session, *, circle: Circle) -> list[ImprovementAction]:
    statement = select(ImprovementAction).where(ImprovementAction.circle_id == circle.id)
    return list(session.scalars(statement.order_by(ImprovementAction.number)))


def is_late(action: ImprovementAction, today: date) -> bool:
    return action.status == OPEN and action.deadline is not None and action.deadline < today


def complete(
    session: Session, *, circle: Circle, action: ImprovementAction, user_id: str, now: datetime
) -> ImprovementAction:
    """Mark an action done: its owner, whoever filed it, or a coordinator."""
    if user_id not in (action.owner_id, action.created_by) and not circles.is_coordinator(
        session, circle=circle, user_id=user_id
    ):
        raise Forbidden("actie.done_forbidden", number=action.number, owner=action.owner_id)
    if action.status == DONE:
        raise Conflict("actie.already_done", number=action.number)
    action.status, action.done_at, action.done_by = DONE, now, user_id
    session.flush()
    circles.record(session, circle=circle, actor_id=user_id, subject=label(action), action="done")
    return action


# -- nudges: like an activity's deadline, before it (the circle's days) and weekly once it has passed ----------------


@dataclass
class ActionNudge:
    action: ImprovementAction
    reason: str  # deadline, overdue
    kind: str
    days: int
    covered: tuple[str, ...] = ()


def circles_with_dated_actions(session: Session) -> list[int]:
    """The circles with an open action that has a deadline: the only ones where an action nudge can be due."""
    statement = select(ImprovementAction.circle_id).where(
        ImprovementAction.status == OPEN, ImprovementAction.deadline.is_not(None)
    )
    return list(session.scalars(statement.distinct().order_by(ImprovementAction.circle_id)))


def due_nudges(
    session: Session, *, circle: Circle, now: datetime, user_id: str | None = None
) -> dict[str, list[ActionNudge]]:
    """The action nudges due at `now`, by owner; nothing outside working days and the circle's posting time."""
    if not is_send_time(circle, now):
        return {}
    today = local_now(circle, now).date()
    days = list(Rhythm.of(circle).nudge_days)
    statement = select(ImprovementAction).where(
        ImprovementAction.circle_id == circle.id,
        ImprovementAction.status == OPEN,
        ImprovementAction.deadline.is_not(None),
    )
    if user_id is not None:
        statement = statement.where(ImprovementAction.owner_id == user_id)
    found: dict[str, list[ActionNudge]] = {}
    candidates = list(session.scalars(statement.order_by(ImprovementAction.number)))
    marked = _marked(session, [action.id for action in candidates])
    for action in candidates:
        created = local_now(circle, action.created_at).date()
        nudge = _overdue(action, today) or _before(action, today, days, created)
        if nudge is not None and nudge.kind not in marked.get(action.id, set()):
            found.setdefault(action.owner_id, []).append(nudge)
    return found


def _before(action: ImprovementAction, today: date, days: list[int], created: date) -> ActionNudge | None:
    found = threshold_reached(action.deadline, today, days, created)
    if found is None:
        return None
    key, covered = found
    return ActionNudge(action, "deadline", key, (action.deadline - today).days, tuple(covered))


def _overdue(action: ImprovementAction, today: date) -> ActionNudge | None:
    deadline = action.deadline
    if today <= deadline:
        return None
    first = deadline + timedelta(days=1)
    week_start = first + timedelta(weeks=(today - first).days // 7)
    return ActionNudge(action, "overdue", f"overdue:{week_start}", (today - deadline).days)


def _marked(session: Session, action_ids: list[int]) -> dict[int, set[str]]:
    marked: dict[int, set[str]] = {}
    if action_ids:
        statement = select(ActionNudgeMark.action_id, ActionNudgeMark.kind).where(
            ActionNudgeMark.action_id.in_(action_ids)
        )
        for action_id, kind in session.execute(statement):
            marked.setdefault(action_id, set()).add(kind)
    return marked


def record_nudges(session: Session, *, user_id: str, nudges: list[ActionNudge], outbox_key: str) -> None:
    """Mark every kind these nudges decide (and the thresholds they cover), so none is ever sent again."""
    marked = _marked(session, [nudge.action.id for nudge in nudges])
    for nudge in nudges:
        for kind in (nudge.kind, *nudge.covered):
            if kind not in marked.get(nudge.action.id, set()):
                session.add(
                    ActionNudgeMark(action_id=nudge.action.id, kind=kind, user_id=user_id, outbox_key=outbox_key)
                )
    session.flush()


def links(session: Session, found: list[ImprovementAction]) -> dict[int, str]:
    """What each action belongs to, as people name it: `A-3` for an activity, else the item it came from."""
    ids = {action.activity_id for action in found if action.activity_id is not None}
    statement = select(Activity.id, Activity.number).where(Activity.id.in_(ids))
    numbers = {row[0]: row[1] for row in session.execute(statement)} if ids else {}
    shown = {}
    for action in found:
        if action.activity_id in numbers:
            shown[action.id] = f"A-{numbers[action.activity_id]}"
        elif action.item:
            shown[action.id] = action.item
    return shown
