"""Measuring the effects of the circle's work: its indicators, each activity's baseline and target on them, the
values measured over time, and the totals per goal, per theme and for the whole circle."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from store import activities, circles, goals, themes
from store.errors import Conflict, UserError, shown
from store.goals import Progress, progress
from store.models import Activity, Circle, CircleTheme, Effect, Goal, Indicator, Measurement
from store.themes import slug
from store.types import utcnow
from store.vocabulary import NAME_LIMIT

ALIASES = {
    "co2": "co2",
    "co2 vermeden": "co2",
    "co2 avoided": "co2",
    "circulair": "circulair",
    "circulair materiaal": "circulair",
    "circular": "circulair",
    "circular material": "circulair",
    "afstand": "afstand",
    "afstand tot de arbeidsmarkt": "afstand",
    "distance": "afstand",
    "euro": "euro",
    "euros": "euro",
    "bespaard": "euro",
    "saved": "euro",
}
AGGREGATES = {"som": "sum", "sum": "sum", "optellen": "sum", "gemiddelde": "mean", "mean": "mean", "average": "mean"}
MAX_VALUE = Decimal("1000000000000")


def _word(text: str) -> str:
    return " ".join((text or "").strip().strip("\"'“”").lower().split())


def listing(session: Session, *, circle: Circle, retired: bool = False) -> list[Indicator]:
    statement = select(Indicator).where(Indicator.circle_id == circle.id)
    if not retired:
        statement = statement.where(Indicator.retired_at.is_(None))
    found = session.scalars(statement.order_by(Indicator.position, Indicator.id))
    return sorted(found, key=lambda indicator: indicator.retired_at is not None)


def resolve(session: Session, *, circle: Circle, text: str) -> Indicator:
    """An indicator in use, by its key, its name, a word the method uses for it, or the start of its key or name."""
    word = _word(text)
    choices = listing(session, circle=circle)
    key = ALIASES.get(word, word)
    exact = [i for i in choices if i.key == key or _word(i.name or "") == word]
    starting = [i for i in choices if word and (i.key.startswith(word) or _word(i.name or "").startswith(word))]
    found = exact or (starting if len(starting) == 1 else [])
    if not found:
        keys = ", ".join(f"`{indicator.key}`" for indicator in choices)
        raise UserError("effects.indicator_unknown", text=shown(text), indicators=keys)
    return found[0]


def add(
    session: Session, *, circle: Circle, actor_id: str, name: str, unit: str = "", aggregate: str = "sum"
) -> Indicator:
    """A coordinator adds an indicator of the circle's own; a share (%) is averaged, anything else added up."""
    circles.require_coordinator(session, circle=circle, user_id=actor_id)
    name = " ".join((name or "").split())
    if not name:
        raise UserError("effects.name_missing")
    if len(name) > NAME_LIMIT:
        raise UserError("effects.name_too_long", limit=NAME_LIMIT)
    unit = " ".join((unit or "").split())[:16]
    how = AGGREGATES.get(_word(aggregate))
    if how is None:
        raise UserError("effects.aggregate_unknown", text=shown(aggregate))
    everything = listing(session, circle=circle, retired=True)
    key, number = slug(name), 2
    if any(_word(i.name or "") == _word(name) or ALIASES.get(_word(name)) == i.key for i in everything):
        raise Conflict("effects.exists", name=name)
    while any(indicator.key == key for indicator in everything):
        key, number = f"{slug(name)[:20]}-{number}", number + 1
    last = session.scalar(select(func.max(Indicator.position)).where(Indicator.circle_id == circle.id)) or 0
    indicator = Indicator(circle_id=circle.id, key=key, name=name, unit=unit, aggregate=how, position=last + 1)
    session.add(indicator)
    session.flush()
    circles.record(session, circle=circle, actor_id=actor_id, subject="effects", action="indicator_added", key=key)
    return indicator


def retire(session: Session, *, circle: Circle, actor_id: str, indicator: Indicator, now: datetime | None = None):
    """No new targets or values on it; what was measured stays in the totals and the export."""
    circles.require_coordinator(session, circle=circle, user_id=actor_id)
    indicator.retired_at = now or utcnow()
    details = {"key": indicator.key}
    circles.record(session, circle=circle, actor_id=actor_id, subject="effects", action="indicator_retired", **details)


def effect(activity: Activity, indicator: Indicator) -> Effect:
    """The activity's effect on this indicator, made when it has none yet."""
    found = next((effect for effect in activity.effects if effect.indicator_id == indicator.id), None)
    if found is None:
        found = Effect(indicator=indicator)
        activity.effects.append(found)
    return found


def aim(
    session: Session,
    *,
    circle: Circle,
    actor_id: str,
    activity: Activity,
    indicator: Indicator,
    baseline: Decimal | None = None,
    target: Decimal | None = None,
) -> Effect:
    """Set where an activity starts from and what it aims for on an indicator; its team and coordinators may."""
    activities.require_change(session, circle=circle, activity=activity, user_id=actor_id)
    if baseline is None and target is None:
        raise UserError("effects.aim_missing")
    found = effect(activity, indicator)
    if baseline is not None:
        found.baseline = _checked(baseline)
    if target is not None:
        found.target = _checked(target)
    session.flush()
    details = {"indicator": indicator.key, "baseline": _text(found.baseline), "target": _text(found.target)}
    subject = activities.label(activity)
    circles.record(session, circle=circle, actor_id=actor_id, subject=subject, action="effect_aim", **details)
    return found


def measure(
    session: Session,
    *,
    circle: Circle,
    actor_id: str,
    activity: Activity,
    indicator: Indicator,
    value: Decimal,
    on: date,
    today: date,
) -> Measurement:
    """A value measured on a day (not in the future) for an activity's effect."""
    activities.require_change(session, circle=circle, activity=activity, user_id=actor_id)
    if on > today:
        raise UserError("effects.date_future")
    found = effect(activity, indicator)
    measurement = Measurement(measured_on=on, value=_checked(value), author_id=actor_id)
    found.measurements.append(measurement)
    found.measurements.sort(key=lambda m: (m.measured_on, m.id or 1 << 60))
    session.flush()
    details = {"indicator": indicator.key, "value": _text(measurement.value), "on": on.isoformat()}
    subject = activities.label(activity)
    circles.record(session, circle=circle, actor_id=actor_id, subject=subject, action="effect_measured", **details)
    return measurement


def _checked(value: Decimal) -> Decimal:
    if not value.is_finite() or abs(value) >= MAX_VALUE:
        raise UserError("effects.value_range", text=shown(str(value)))
    return value.quantize(Decimal("0.01"))


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def latest(found: Effect) -> Measurement | None:
    return max(found.measurements, key=lambda m: (m.measured_on, m.id or 0)) if found.measurements else None


# -- totals ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Total:
    """One indicator over a set of activities: what was measured last, from where, toward what."""

    indicator: Indicator
    measured: Decimal | None
    baseline: Decimal | None
    target: Decimal | None
    count: int  # activities with a target or a value on it

    @property
    def share(self) -> int | None:
        """How far from the baseline toward the target the measured value is, in percent."""
        if self.measured is None or self.target is None:
            return None
        start = self.baseline or Decimal(0)
        if self.target == start:
            return None
        return round((self.measured - start) / (self.target - start) * 100)


def _combine(values: list[Decimal], how: str) -> Decimal | None:
    if not values:
        return None
    total = sum(values, Decimal(0))
    return total if how == "sum" else (total / len(values)).quantize(Decimal("0.01"))


def totals(indicators: Iterable[Indicator], among: Iterable[Activity]) -> list[Total]:
    """Per indicator, the activities' latest values, baselines and targets added up (or averaged, for shares)."""
    chosen = list(among)
    found = []
    for indicator in indicators:
        effects = [e for activity in chosen for e in activity.effects if e.indicator_id == indicator.id]
        if not effects:
            continue
        measured = [m.value for e in effects if (m := latest(e)) is not None]
        found.append(
            Total(
                indicator,
                _combine(measured, indicator.aggregate),
                _combine([e.baseline for e in effects if e.baseline is not None], indicator.aggregate),
                _combine([e.target for e in effects if e.target is not None], indicator.aggregate),
                len(effects),
            )
        )
    return found


def overall(session: Session, *, circle: Circle) -> list[Total]:
    """The whole circle's effects, over every activity (finished ones too: that is when effects show)."""
    return totals(listing(session, circle=circle, retired=True), activities.everything(session, circle=circle))


@dataclass(frozen=True)
class GoalEffects:
    goal: Goal
    progress: Progress
    totals: list[Total]


@dataclass(frozen=True)
class ThemeEffects:
    theme: CircleTheme
    totals: list[Total]


@dataclass(frozen=True)
class Overview:
    """What the circle achieves: each goal's progress and effects, each theme's effects, and the whole."""

    goals: list[GoalEffects]
    themes: list[ThemeEffects]
    overall: list[Total]


def overview(session: Session, *, circle: Circle) -> Overview:
    measures = listing(session, circle=circle, retired=True)
    everything = activities.everything(session, circle=circle)
    per_goal = [
        GoalEffects(goal, progress(goal), totals(measures, [link.activity for link in goal.links]))
        for goal in goals.listing(session, circle=circle)
    ]
    per_theme = [
        ThemeEffects(theme, found)
        for theme in themes.listing(session, circle=circle, retired=True)
        if (found := totals(measures, [a for a in everything if a.theme == theme.key]))
    ]
    return Overview(per_goal, per_theme, totals(measures, everything))
