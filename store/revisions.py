"""Each circle's revision: a number that goes up in the same transaction as any change to what the circle shows.

Readers that keep an answer (a page of the agenda, a list) key it by the circle's revision, read with the circle in
one statement: a kept answer is used only while nothing it could show has changed, in this process or any other.

The number is kept by the session itself, not by each write: every flush notes which circles the rows it writes
belong to (a row with a `circle_id`, or through its parent: a progress update through its activity), and the commit
raises their revisions once. What only the scheduler keeps for itself (when a nudge is next due, which canvas version
is shown, the outbox) is no change to what a circle shows and leaves the number alone. A write this module cannot
place (a bulk statement over a table, a person forgotten) raises every circle's number: rare, and never stale.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import Result, event, inspect, select, update
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

from store.models import (
    ActionNudgeMark,
    Activity,
    Attendance,
    Base,
    Circle,
    CircleTheme,
    Counter,
    DmChannel,
    Effect,
    GoalLink,
    HelpOffer,
    HelpRequest,
    HerkenbaarMark,
    InstanceSecret,
    KlaagpaalItem,
    KlaagpaalQuestion,
    Measurement,
    Meeting,
    MeetingDecision,
    NudgeMark,
    Outbox,
    PersonGone,
    PersonWorkspace,
    ProgressRequest,
    ProgressUpdate,
    TeamMember,
    ThemeChange,
)

EVERY = "every circle"
_TOUCHED = "kenniskring.touched_circles"

# Rows that belong to a circle through a parent: the column naming the parent, and the parent's model.
THROUGH: dict[type, tuple[str, type]] = {
    TeamMember: ("activity_id", Activity),
    ProgressUpdate: ("activity_id", Activity),
    GoalLink: ("activity_id", Activity),
    Effect: ("activity_id", Activity),
    Measurement: ("effect_id", Effect),
    HerkenbaarMark: ("item_id", KlaagpaalItem),
    HelpOffer: ("request_id", HelpRequest),
    ThemeChange: ("theme_id", CircleTheme),
    MeetingDecision: ("meeting_id", Meeting),
    Attendance: ("meeting_id", Meeting),
    ProgressRequest: ("meeting_id", Meeting),
}
# What the bot keeps for itself: never shown as part of a circle.
UNSHOWN: frozenset[type] = frozenset(
    {Outbox, DmChannel, InstanceSecret, PersonWorkspace, Counter, NudgeMark, ActionNudgeMark, KlaagpaalQuestion}
)
# Shown wherever the person appears ("(verwijderd)"): a change reaches every circle.
EVERYWHERE: frozenset[type] = frozenset({PersonGone})
# Columns the scheduler and the delivery keep for themselves: a change to only these is no change to the circle.
BOOKKEEPING: dict[type, frozenset[str]] = {
    Activity: frozenset({"next_nudge_at", "updated_at", "version"}),
    Meeting: frozenset({"agenda_due_at", "progress_due_at", "updated_at"}),
    Circle: frozenset({"canvas_id", "canvas_version", "active", "resumed_at", "shared", "revision", "updated_at"}),
}


def watch(factory: sessionmaker) -> None:
    """Keep the revisions of every circle written through sessions of this factory."""
    event.listen(factory, "before_flush", _note_flushed)
    event.listen(factory, "do_orm_execute", _note_statement)
    event.listen(factory, "before_commit", _raise_revisions)  # last: a circle's row is locked only at the very end
    event.listen(factory, "after_rollback", _forget)


def _touched(session: Session) -> set[Any]:
    return session.info.setdefault(_TOUCHED, set())


def _note_flushed(session: Session, _context: Any, _instances: Any) -> None:
    touched = _touched(session)
    # Which collection holds a row is asked only when a row that belongs through its parent is written.
    held = _held_by(session) if any(type(row) in THROUGH for row in (*session.new, *session.deleted)) else {}
    with session.no_autoflush:
        for instance in (*session.new, *session.deleted):
            touched.add(_circle_of(session, instance, held))
        for instance in session.dirty:
            if _changed(instance):
                touched.add(_circle_of(session, instance, held))
    touched.discard(None)


def _held_by(session: Session) -> dict[int, object]:
    """Rows just added to (or dropped from) a collection of another row, by their id(): their parent, which a new
    row knows only this way when its relationship runs one way (an activity's team)."""
    found: dict[int, object] = {}
    for parent in (*session.new, *session.dirty):
        state = inspect(parent)
        for relationship in state.mapper.relationships:
            if relationship.uselist and not relationship.viewonly:
                history = state.attrs[relationship.key].history
                found.update((id(child), parent) for child in (*history.added, *history.deleted))
    return found


def _changed(instance: object) -> bool:
    """Whether anything but bookkeeping changed: a column, or a collection (rows it drops are deleted in the flush
    itself, after this looked)."""
    state = inspect(instance)
    kept = BOOKKEEPING.get(type(instance), frozenset())
    for attribute in state.mapper.attrs:
        if attribute.key in kept or getattr(attribute, "viewonly", False):
            continue
        if state.attrs[attribute.key].history.has_changes():
            return True
    return False


def _circle_of(session: Session, instance: object, held: dict[int, object]) -> Any:
    """The id of the circle a row belongs to; None when it belongs to none; EVERY when it is shown everywhere."""
    model = type(instance)
    if model in UNSHOWN:
        return None
    if model in EVERYWHERE or model not in _placed():
        return EVERY
    if model is Circle:
        return instance.id if instance.id is not None else None  # a new circle: nobody has read it yet
    if model in THROUGH:
        column, parent_model = THROUGH[model]
        parent = held.get(id(instance)) or _parent(session, instance, column, parent_model)
        return _circle_of(session, parent, held) if parent is not None else EVERY
    circle_id = getattr(instance, "circle_id", None)
    if circle_id is None and getattr(instance, "circle", None) is not None:
        circle_id = instance.circle.id
    return circle_id if circle_id is not None else EVERY


def _parent(session: Session, instance: object, column: str, parent_model: type) -> object | None:
    """The parent row: as a relationship holds it (also when both are new and have no ids yet), else by its id."""
    state = inspect(instance)
    for relationship in state.mapper.relationships:
        if relationship.mapper.class_ is parent_model and column in {c.key for c in relationship.local_columns}:
            held = state.attrs[relationship.key].loaded_value
            if isinstance(held, parent_model):
                return held
    parent_id = getattr(instance, column, None)
    if parent_id is None:  # a deleted row still says what it pointed at
        history = state.attrs[column].history
        parent_id = next((value for value in (*history.deleted, *history.unchanged) if value is not None), None)
    return session.get(parent_model, parent_id) if parent_id is not None else None


@cache
def _placed() -> frozenset[type]:
    """The models this module knows where to place (see tests: every model must be one of them)."""
    return frozenset({*THROUGH, *UNSHOWN, *EVERYWHERE, Circle}) | _with_circle_id()


def _with_circle_id() -> frozenset[type]:
    return frozenset(
        mapper.class_
        for mapper in Base.registry.mappers
        if "circle_id" in mapper.columns and mapper.class_ is not Circle
    )


def _note_statement(state: ORMExecuteState) -> Result | None:
    """A bulk UPDATE or DELETE through the session, placed by its table and the columns it sets: which circles its
    rows belong to is not known here, so one that changed rows that circles show raises every circle's number."""
    if not (state.is_update or state.is_delete):
        return None
    statement = state.statement
    model = _model_of(getattr(statement.table, "name", None))
    if model in UNSHOWN:
        return None
    if state.is_update and model is not None:
        setting = {getattr(column, "key", column) for column in (statement._values or {})}
        if setting and setting <= BOOKKEEPING.get(model, frozenset()):
            return None
    result = state.invoke_statement()
    if getattr(result, "rowcount", 1) != 0:  # removing someone's data where there is none changes nothing
        _touched(state.session).add(EVERY)
    return result


@cache
def _model_of(table_name: str | None) -> type | None:
    """The model of a table, by name (an ORM statement holds the table annotated, a copy)."""
    return next((mapper.class_ for mapper in Base.registry.mappers if mapper.local_table.name == table_name), None)


def _raise_revisions(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint: the numbers go up when the whole transaction commits
        return
    session.flush()  # what is still pending is written (and noted) before the numbers go up
    touched = session.info.pop(_TOUCHED, set())
    if not touched:
        return
    table = Circle.__table__
    raised = update(table).values(revision=table.c.revision + 1)
    if len(touched) == 1 and EVERY not in touched:
        session.connection().execute(raised.where(table.c.id == next(iter(touched))))
        return
    # Several rows: locked in the order of their ids, as every such raise does, so two never wait on each other.
    rows = select(table.c.id).order_by(table.c.id).with_for_update()
    if EVERY not in touched:
        rows = rows.where(table.c.id.in_(sorted(touched)))
    session.connection().execute(raised.where(table.c.id.in_(rows.scalar_subquery())))


def _forget(session: Session) -> None:
    session.info.pop(_TOUCHED, None)
