"""Time zones and the calendar: a 14:00 meeting stays 14:00 across the clock changes, agendas skip holidays."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from bot.blocks.meeting import when
from store.meetings import agenda_due_at, materialise
from store.models import Circle, Meeting
from tests.helpers import agenda_time, plan_series, tick


def stored(session_factory) -> list[tuple[str, datetime]]:
    with session_factory() as session:
        meetings = session.scalars(select(Meeting).order_by(Meeting.starts_at))
        return [(meeting.local_start, meeting.starts_at) for meeting in meetings]


def test_a_weekly_series_keeps_its_wall_clock_across_the_october_change(
    slack, services, session_factory, circle
) -> None:
    services.clock.now = datetime(2026, 10, 1, 9, tzinfo=UTC)
    plan_series(slack, "13-10-2026 14:00 elke week")
    with session_factory.begin() as session:
        materialise(
            session, circle=session.scalars(select(Circle)).one(), now=datetime(2026, 10, 1, tzinfo=UTC), count=3
        )

    assert stored(session_factory)[:3] == [
        ("2026-10-13T14:00", datetime(2026, 10, 13, 12, 0, tzinfo=UTC)),  # summer time, UTC+2
        ("2026-10-20T14:00", datetime(2026, 10, 20, 12, 0, tzinfo=UTC)),
        ("2026-10-27T14:00", datetime(2026, 10, 27, 13, 0, tzinfo=UTC)),  # winter time, UTC+1
    ]


def test_a_series_crossing_the_march_change(slack, services, session_factory, circle) -> None:
    services.clock.now = datetime(2027, 3, 1, 9, tzinfo=UTC)
    plan_series(slack, "23-3-2027 14:00 elke week")
    with session_factory.begin() as session:
        materialise(
            session, circle=session.scalars(select(Circle)).one(), now=datetime(2027, 3, 1, tzinfo=UTC), count=2
        )
        meeting = session.scalars(select(Meeting).where(Meeting.sequence == 2)).one()
        assert when(meeting, "nl") == "dinsdag 30 maart 2027, 14:00"

    assert stored(session_factory)[:2] == [
        ("2027-03-23T14:00", datetime(2027, 3, 23, 13, 0, tzinfo=UTC)),
        ("2027-03-30T14:00", datetime(2027, 3, 30, 12, 0, tzinfo=UTC)),
    ]


def test_agendas_go_out_at_nine_local_in_the_weeks_of_the_clock_changes(slack, standin, services, circle) -> None:
    services.clock.now = datetime(2026, 10, 1, 9, tzinfo=UTC)
    plan_series(slack, "27-10-2026 14:00 elke 22 weken")  # then Tuesday 30 March 2027
    standin.clear()

    tick(services, datetime(2026, 10, 23, 6, 59, tzinfo=UTC))  # Friday 08:59 summer time
    assert agenda_time(standin) == []
    tick(services, datetime(2026, 10, 23, 7, 0, tzinfo=UTC))  # Friday 09:00 summer time
    assert agenda_time(standin) == ["dinsdag 27 oktober 2026, 14:00"]

    tick(services, datetime(2027, 3, 24, 7, 59, tzinfo=UTC))  # two working days before: Wednesday (Good Friday,
    assert len(agenda_time(standin)) == 1  # Easter Monday skipped), 08:59 winter time
    tick(services, datetime(2027, 3, 24, 8, 0, tzinfo=UTC))
    assert agenda_time(standin)[-1] == "dinsdag 30 maart 2027, 14:00"


@pytest.mark.parametrize(
    ("meeting", "due"),
    [
        ("29-12-2026 14:00", datetime(2026, 12, 24, 8, 0, tzinfo=UTC)),  # over Christmas: Thursday 24th
        ("5-1-2027 10:00", datetime(2026, 12, 31, 8, 0, tzinfo=UTC)),  # over New Year's Day
        ("29-4-2026 14:00", datetime(2026, 4, 24, 7, 0, tzinfo=UTC)),  # over King's Day (Mon 27 April)
        ("28-4-2027 14:00", datetime(2027, 4, 23, 7, 0, tzinfo=UTC)),  # King's Day on Tuesday 27 April
        ("30-3-2026 14:00", datetime(2026, 3, 26, 8, 0, tzinfo=UTC)),  # the March change falls in between
    ],
)
def test_agenda_moments_skip_holidays(slack, services, session_factory, circle, meeting: str, due: datetime) -> None:
    services.clock.now = datetime(2026, 1, 5, 9, tzinfo=UTC)
    plan_series(slack, meeting)
    with session_factory() as session:
        circle_row = session.scalars(select(Circle)).one()
        assert agenda_due_at(circle_row, session.scalars(select(Meeting)).one()) == due


def test_a_time_the_clocks_skip_is_refused(slack, services, session_factory, circle) -> None:
    services.clock.now = datetime(2026, 3, 1, 9, tzinfo=UTC)
    answer = slack.command("/kenniskring", "vergadering 29-3-2026 02:30", user="U1")
    assert "zomertijd" in answer.text
    with session_factory() as session:
        assert session.scalars(select(Meeting)).all() == []
    assert date(2026, 3, 29).weekday() == 6
