"""A circle's own rhythm: when the agenda goes out, when initiators are reminded, when quiet counts as stale."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from sqlalchemy import update
from sqlalchemy.orm import Session

from store import circles
from store.errors import UserError
from store.models import Activity, Circle, Meeting

MAX_LEAD_DAYS = 10
MAX_NUDGE_DAY = 90
MAX_NUDGES = 6
MAX_STALE_DAYS = 365


@dataclass(frozen=True)
class Rhythm:
    agenda_lead_days: int
    post_time: str
    nudge_days: tuple[int, ...]
    stale_after_days: int

    @classmethod
    def of(cls, circle: Circle) -> Rhythm:
        return cls(circle.agenda_lead_days, circle.post_time, nudge_days(circle.nudge_days), circle.stale_after_days)


def nudge_days(text: str) -> tuple[int, ...]:
    """`14, 7, 1` → (14, 7, 1): distinct whole days, largest first; a clear error for anything else."""
    parts = [part.strip() for part in text.replace(";", ",").replace(" ", ",").split(",") if part.strip()]
    if not parts or not all(part.isascii() and part.isdigit() for part in parts):
        raise UserError("settings.nudge_days_format", field="nudge_days", text=text[:40])
    days = sorted({int(part) for part in parts}, reverse=True)
    if len(days) > MAX_NUDGES or not all(1 <= day <= MAX_NUDGE_DAY for day in days):
        raise UserError("settings.nudge_days_range", field="nudge_days", most=MAX_NUDGES, limit=MAX_NUDGE_DAY)
    return tuple(days)


def post_time(text: str) -> str:
    """`9:00`, `09.00` or `0900` → `09:00`."""
    cleaned = text.strip().replace(".", ":").replace("u", ":").rstrip(":")
    if cleaned.isdigit() and len(cleaned) in (3, 4):
        cleaned = f"{cleaned[:-2]}:{cleaned[-2:]}"
    try:
        return time.fromisoformat(cleaned.zfill(5)).strftime("%H:%M")
    except ValueError:
        raise UserError("settings.time_format", field="post_time", text=text[:20]) from None


def whole_number(text: str, *, field: str, low: int, high: int) -> int:
    if not text.strip().isdigit() or not low <= int(text) <= high:
        raise UserError(f"settings.{field}_range", field=field, low=low, high=high, text=text[:20])
    return int(text)


def configure(session: Session, *, circle: Circle, actor_id: str, rhythm: Rhythm) -> list[str]:
    """Set the circle's rhythm (coordinators only); the names of what changed, for the answer and the audit trail."""
    circles.require_coordinator(session, circle=circle, user_id=actor_id)
    before = Rhythm.of(circle)
    changed = [name for name in rhythm.__dataclass_fields__ if getattr(before, name) != getattr(rhythm, name)]
    circle.agenda_lead_days = rhythm.agenda_lead_days
    circle.post_time = rhythm.post_time
    circle.nudge_days = ",".join(str(day) for day in rhythm.nudge_days)
    circle.stale_after_days = rhythm.stale_after_days
    if changed:
        values = {name: str(getattr(rhythm, name)) for name in changed}
        circles.record(session, circle=circle, actor_id=actor_id, subject="circle", action="settings", **values)
        _plan_afresh(session, circle)
    return changed


def _plan_afresh(session: Session, circle: Circle) -> None:
    """The scheduler works out again when this circle's agendas (not yet out) and nudges are due."""
    for statement in (
        update(Meeting).where(Meeting.circle_id == circle.id, Meeting.agenda.is_(None)).values(agenda_due_at=None),
        update(Activity)
        .where(Activity.circle_id == circle.id)
        .values(next_nudge_at=None, updated_at=Activity.updated_at),  # the activities themselves did not change
    ):
        session.execute(statement.execution_options(synchronize_session=False))
