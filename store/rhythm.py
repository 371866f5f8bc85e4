"""A circle's own rhythm: when the agenda goes out, when initiators are reminded, when quiet counts as stale."""

from __future__ import annotations

from dataclasses import dataclass, fields
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
    """The values, checked against their limits when made; reminder days come out distinct and largest first."""

    agenda_lead_days: int
    post_time: time
    nudge_days: tuple[int, ...]
    stale_after_days: int
    progress_lead_days: int = 5  # working days before a meeting that initiators without news are asked

    def __post_init__(self) -> None:
        _within("agenda_lead_days", self.agenda_lead_days, 0, MAX_LEAD_DAYS)
        _within("stale_after_days", self.stale_after_days, 0, MAX_STALE_DAYS)
        _within("progress_lead_days", self.progress_lead_days, 1, MAX_LEAD_DAYS)
        days = tuple(sorted(set(self.nudge_days), reverse=True))
        if not days or len(days) > MAX_NUDGES or not all(1 <= day <= MAX_NUDGE_DAY for day in days):
            raise UserError("settings.nudge_days_range", field="nudge_days", most=MAX_NUDGES, limit=MAX_NUDGE_DAY)
        object.__setattr__(self, "nudge_days", days)
        object.__setattr__(self, "post_time", self.post_time.replace(second=0, microsecond=0, tzinfo=None))

    @classmethod
    def of(cls, circle: Circle) -> Rhythm:
        """The circle's rhythm as stored (only `configure` writes it, so it is always readable)."""
        return cls(
            agenda_lead_days=circle.agenda_lead_days,
            post_time=time.fromisoformat(circle.post_time),
            nudge_days=tuple(int(day) for day in circle.nudge_days.split(",")),
            stale_after_days=circle.stale_after_days,
            progress_lead_days=circle.progress_lead_days,
        )

    def stored(self) -> dict[str, int | str]:
        """The values as the circle's columns hold them: `09:00`, `14,7,1`."""
        return {
            "agenda_lead_days": self.agenda_lead_days,
            "post_time": self.post_time.strftime("%H:%M"),
            "nudge_days": ",".join(str(day) for day in self.nudge_days),
            "stale_after_days": self.stale_after_days,
            "progress_lead_days": self.progress_lead_days,
        }


def _within(name: str, value: int, low: int, high: int) -> None:
    if not low <= value <= high:
        raise UserError(f"settings.{name}_range", field=name, low=low, high=high, text=str(value))


def configure(session: Session, *, circle: Circle, actor_id: str, rhythm: Rhythm) -> list[str]:
    """Set the circle's rhythm (coordinators only); the names of what changed, for the answer and the audit trail."""
    circles.require_coordinator(session, circle=circle, user_id=actor_id)
    before = Rhythm.of(circle)
    changed = [field.name for field in fields(Rhythm) if getattr(before, field.name) != getattr(rhythm, field.name)]
    values = rhythm.stored()
    for name, value in values.items():
        setattr(circle, name, value)
    if changed:
        details = {name: str(values[name]) for name in changed}
        circles.record(session, circle=circle, actor_id=actor_id, subject="circle", action="settings", **details)
        _plan_afresh(session, circle)
    return changed


def _plan_afresh(session: Session, circle: Circle) -> None:
    """The scheduler works out again when this circle's agendas (not yet out), progress questions and nudges are
    due."""
    for statement in (
        update(Meeting).where(Meeting.circle_id == circle.id, Meeting.agenda.is_(None)).values(agenda_due_at=None),
        update(Meeting).where(Meeting.circle_id == circle.id, Meeting.closed_at.is_(None)).values(progress_due_at=None),
        update(Activity)
        .where(Activity.circle_id == circle.id)
        .values(next_nudge_at=None, updated_at=Activity.updated_at),  # the activities themselves did not change
    ):
        session.execute(statement.execution_options(synchronize_session=False))
