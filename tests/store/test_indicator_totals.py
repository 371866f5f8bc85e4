"""The effect totals are added up by the database: each effect's latest value counts, sums stay exact to the cent,
shares are averaged, and a circle of many activities costs as many statements as a circle of two."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from store import goals, indicators
from store.models import Circle, Effect, Measurement
from tests.helpers import counting, new_activity, start_circle


@pytest.fixture
def kring(session_factory):
    return start_circle(session_factory)


def aim(session, activity, key: str, *, baseline=None, target=None, values=()) -> None:
    indicator = next(
        i for i in indicators.listing(session, circle=session.get(Circle, activity.circle_id)) if i.key == key
    )
    effect = Effect(indicator=indicator, baseline=baseline, target=target)
    activity.effects.append(effect)
    for day, value in values:
        effect.measurements.append(Measurement(measured_on=day, value=value, author_id="U2"))
    session.flush()


def test_totals_count_the_latest_value_of_each_effect_to_the_cent(session_factory, kring) -> None:
    with session_factory.begin() as session:
        first = new_activity(session, kring, theme="klimaat")
        second = new_activity(session, kring, theme="leren")
        third = new_activity(session, kring, theme="klimaat")  # aims, nothing measured yet
        # Entered out of order: the value of the latest day counts, not the last one typed.
        aim(session, first, "co2", baseline=Decimal("0.10"), target=Decimal("40.29"),
            values=[(date(2026, 11, 3), Decimal("12.10")), (date(2026, 10, 1), Decimal("99"))])  # fmt: skip
        aim(session, second, "co2", target=Decimal("10.01"), values=[(date(2026, 11, 1), Decimal("0.20"))])
        aim(session, third, "co2", target=Decimal("0.01"))
        aim(session, first, "circulair", baseline=Decimal("20"), target=Decimal("50"), values=[(date(2026, 11, 1), 40)])
        aim(
            session, second, "circulair", baseline=Decimal("20"), target=Decimal("71"), values=[(date(2026, 11, 1), 31)]
        )
        goals.serve(second, [goals.add(session, circle=session.get(Circle, kring), actor_id="U1", name="Minder CO2")])
        session.flush()

    with session_factory() as session:
        found = indicators.overview(session, circle=session.get(Circle, kring))

    co2, circular = found.overall
    assert (co2.indicator.key, co2.measured, co2.baseline, co2.target, co2.count) == (
        "co2", Decimal("12.30"), Decimal("0.10"), Decimal("50.31"), 3
    )  # fmt: skip
    assert (circular.measured, circular.baseline, circular.target, circular.count) == (
        Decimal("35.50"), Decimal("20.00"), Decimal("60.50"), 2
    )  # averaged, to the cent  # fmt: skip
    themes = {
        effects.theme.key: [(t.indicator.key, t.measured, t.count) for t in effects.totals] for effects in found.themes
    }
    assert themes == {
        "klimaat": [("co2", Decimal("12.10"), 2), ("circulair", Decimal("40.00"), 1)],
        "leren": [("co2", Decimal("0.20"), 1), ("circulair", Decimal("31.00"), 1)],
    }
    [per_goal] = found.goals
    assert [(t.indicator.key, t.measured, t.target) for t in per_goal.totals] == [
        ("co2", Decimal("0.20"), Decimal("10.01")), ("circulair", Decimal("31.00"), Decimal("71.00"))
    ]  # fmt: skip


def test_totals_cost_as_many_statements_for_many_activities_as_for_two(session_factory, engine, kring) -> None:
    def statements_of_totals() -> int:
        with session_factory() as session, counting(engine) as statements:
            indicators.overview(session, circle=session.get(Circle, kring))
            indicators.overall(session, circle=session.get(Circle, kring))
        return len(statements)

    def add(count: int) -> None:
        with session_factory.begin() as session:
            for _ in range(count):
                activity = new_activity(session, kring)
                aim(session, activity, "co2", target=Decimal(5), values=[(date(2026, 11, 1), Decimal(1))])

    add(2)
    few = statements_of_totals()
    add(600)
    many = statements_of_totals()

    assert few == many
