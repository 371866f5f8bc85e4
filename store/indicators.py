"""Measuring the effects of the circle's work: its indicators, each activity's baseline and target on them, the
values measured over time, and the totals per goal, per theme and for the whole circle."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import BigInteger, cast, func, literal, select
from sqlalchemy.orm import Session

from store import activities, circles, goals, themes
from store.errors import Conflict, UserError, shown
from store.goals import Progress, progress
from store.models import Activity, Circle, CircleTheme, Effect, Goal, GoalLink, Indicator, Measurement
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


# Added up by the database in whole cents, so sums are exact on every backend (SQLite keeps numerics as floats).
def _cents(value):
    return cast(func.round(value * 100), BigInteger)


def _effects_of(circle: Circle):
    """Each effect of the circle's activities with its activity's theme and its latest measured value, in cents."""
    newest = (
        select(Measurement.value)
        .where(Measurement.effect_id == Effect.id)
        .order_by(Measurement.measured_on.desc(), Measurement.id.desc())
        .limit(1)
        .correlate(Effect)
        .scalar_subquery()
    )
    statement = select(
        Effect.activity_id,
        Effect.indicator_id,
        Activity.theme,
        _cents(Effect.baseline).label("baseline"),
        _cents(Effect.target).label("target"),
        _cents(newest).label("measured"),
    ).join(Activity, Activity.id == Effect.activity_id)
    return statement.where(Activity.circle_id == circle.id).subquery()


def _from_cents(total: int | None, count: int, how: str) -> Decimal | None:
    if not count:
        return None
    value = Decimal(int(total)).scaleb(-2)
    return value if how == "sum" else (value / count).quantize(Decimal("0.01"))


def _summed(session: Session, measures: list[Indicator], statement) -> dict[object, list[Total]]:
    """Totals per group: `statement` selects the group, the indicator, and the sums and counts of `_sums`."""
    by_id = {indicator.id: indicator for indicator in measures}
    rows: dict[object, dict[int, Total]] = {}
    for group, indicator_id, count, baseline, baselines, target, targets, measured, values in session.execute(
        statement
    ):
        indicator = by_id.get(indicator_id)
        if indicator is None:
            continue
        how = indicator.aggregate
        rows.setdefault(group, {})[indicator_id] = Total(
            indicator,
            _from_cents(measured, values, how),
            _from_cents(baseline, baselines, how),
            _from_cents(target, targets, how),
            count,
        )
    return {group: [found[i.id] for i in measures if i.id in found] for group, found in rows.items()}


def _sums(effects) -> tuple:
    return (
        func.count(),
        func.sum(effects.c.baseline),
        func.count(effects.c.baseline),
        func.sum(effects.c.target),
        func.count(effects.c.target),
        func.sum(effects.c.measured),
        func.count(effects.c.measured),
    )


def _overall(session: Session, circle: Circle, measures: list[Indicator]) -> list[Total]:
    effects = _effects_of(circle)
    statement = select(literal(0), effects.c.indicator_id, *_sums(effects)).group_by(effects.c.indicator_id)
    return _summed(session, measures, statement).get(0, [])


def _per_theme(session: Session, circle: Circle, measures: list[Indicator]) -> dict[object, list[Total]]:
    effects = _effects_of(circle)
    statement = select(effects.c.theme, effects.c.indicator_id, *_sums(effects))
    return _summed(session, measures, statement.group_by(effects.c.theme, effects.c.indicator_id))


def _per_goal(session: Session, circle: Circle, measures: list[Indicator]) -> dict[object, list[Total]]:
    effects = _effects_of(circle)
    statement = select(GoalLink.goal_id, effects.c.indicator_id, *_sums(effects)).join(
        GoalLink, GoalLink.activity_id == effects.c.activity_id
    )
    return _summed(session, measures, statement.group_by(GoalLink.goal_id, effects.c.indicator_id))


def overall(session: Session, *, circle: Circle) -> list[Total]:
    """The whole circle's effects, over every activity (finished ones too: that is when effects show), added up by
    the database."""
    return _overall(session, circle, listing(session, circle=circle, retired=True))


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
    """Each goal's progress and effects, each theme's effects, and the whole; the totals added up by the database,
    in as many statements for a circle of ten activities as for one of thousands."""
    measures = listing(session, circle=circle, retired=True)
    per_goal = _per_goal(session, circle, measures)
    per_theme = _per_theme(session, circle, measures)
    goal_effects = [
        GoalEffects(goal, progress(goal), per_goal.get(goal.id, [])) for goal in goals.listing(session, circle=circle)
    ]
    theme_effects = [
        ThemeEffects(theme, per_theme[theme.key])
        for theme in themes.listing(session, circle=circle, retired=True)
        if per_theme.get(theme.key)
    ]
    return Overview(goal_effects, theme_effects, _overall(session, circle, measures))
