"""The scheduler finds due work by indexed moments over all circles: a quiet minute costs the same for five circles
as for fifty, and every change that brings work nearer has it done on time."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from sqlalchemy import func, select

from bench import seed
from bot import scheduler
from store import activities
from store.models import Activity, Circle, Meeting, ProgressRequest
from tests.helpers import agenda_time, configure, counting, make_activity, nudges_to, plan_series, posts, tick
from tests.scenarios.test_nudges import morning

QUIET_DAY = date(2026, 12, 1)  # a Tuesday
SENDING_HOUR = datetime(2026, 12, 1, 8, 30, tzinfo=UTC)  # 09:30 in Amsterdam


def statements_of_a_tick(services, engine, now: datetime) -> int:
    scheduler.run_due(services, now)  # the first tick after new circles works out their moments
    with counting(engine) as counted:
        scheduler.run_due(services, now)
    return len(counted)


def test_a_quiet_tick_costs_the_same_for_five_circles_and_for_fifty(services, engine) -> None:
    seed.region(engine, circles=5, activities=8, day=QUIET_DAY, due_share=0, prefix="A")
    few = statements_of_a_tick(services, engine, SENDING_HOUR)
    seed.region(engine, circles=45, activities=8, day=QUIET_DAY, due_share=0, prefix="B")
    many = statements_of_a_tick(services, engine, SENDING_HOUR)
    assert few == many


def test_a_tick_inside_the_circles_asking_time_costs_the_same_for_five_circles_and_for_fifty(services, engine):
    # Every circle meets on Thursday: their initiators are asked from the first tick at the sending hour on; once
    # everyone is asked, a tick costs the same however many circles are waiting for their meeting.
    seed.region(engine, circles=5, activities=8, day=QUIET_DAY, due_share=0, agendas_due=5, prefix="A")
    few = statements_of_a_tick(services, engine, SENDING_HOUR)
    seed.region(engine, circles=45, activities=8, day=QUIET_DAY, due_share=0, agendas_due=45, prefix="B")
    many = statements_of_a_tick(services, engine, SENDING_HOUR)
    assert few == many
    with services.reading() as session:
        asked = session.scalars(select(func.count()).select_from(ProgressRequest)).one()
    assert asked == 50 * 8


def moments_stored_by_the_first_tick(services, engine, now: datetime) -> int:
    """Statements of the first tick that store meetings' moments: to ask initiators, to post the agenda."""
    with counting(engine) as counted:
        scheduler.run_due(services, now)
    return len([statement for statement in counted if re.search(r"SET (progress|agenda)_due_at", statement)])


def test_the_first_tick_stores_the_moments_of_fifty_meetings_as_of_five(services, engine, session_factory):
    seed.region(engine, circles=5, activities=2, day=QUIET_DAY, due_share=0, agendas_due=5, prefix="A")
    few = moments_stored_by_the_first_tick(services, engine, SENDING_HOUR)
    seed.region(engine, circles=45, activities=2, day=QUIET_DAY, due_share=0, agendas_due=45, prefix="B")
    many = moments_stored_by_the_first_tick(services, engine, SENDING_HOUR)

    assert few == many == 2
    with session_factory() as session:  # every coming meeting has its moments, before the meeting itself
        moments = select(Meeting.progress_due_at, Meeting.agenda_due_at, Meeting.starts_at)
        rows = session.execute(moments.where(Meeting.status == "gepland")).all()
    assert len(rows) >= 50
    assert all(
        asking is not None and agenda is not None and max(asking, agenda) < starts for asking, agenda, starts in rows
    )


def test_a_quiet_tick_plans_every_activity_and_changes_none(services, engine, session_factory) -> None:
    seed.region(engine, circles=50, activities=8, day=QUIET_DAY, due_share=0, prefix="A")
    statements_of_a_tick(services, engine, SENDING_HOUR)
    with session_factory() as session:  # every activity has its moment, none of them today; none looks changed
        rows = session.execute(select(Activity.next_nudge_at, Activity.updated_at, Activity.created_at)).all()
    assert len(rows) == 400 and all(moment is not None and moment > SENDING_HOUR for moment, _, _ in rows)
    assert all(updated == created for _, updated, created in rows)  # as seeded: planning changed none of them


def test_a_deadline_moved_nearer_is_nudged_on_time(slack, standin, services, session_factory, circle) -> None:
    configure(session_factory, stale_after_days=0)
    activity_id = make_activity(session_factory, 1, "Circulair asfalt", "U2", deadline=date(2027, 6, 1))
    tick(services, morning(date(2027, 1, 7)))  # plans the first nudge for May
    with session_factory.begin() as session:
        circle_row = session.scalars(select(Circle)).one()
        activity = session.get(Activity, activity_id)
        activities.move_deadline(
            session, circle=circle_row, activity=activity, user_id="U2", deadline=date(2027, 1, 15)
        )

    tick(services, morning(date(2027, 1, 8)))  # seven days before the new deadline

    [dm] = nudges_to(standin, "U2")
    assert "over *7 dagen*" in dm


def test_a_new_rhythm_applies_to_nudges_already_planned(slack, standin, services, session_factory, circle) -> None:
    configure(session_factory, stale_after_days=0, nudge_days="7")
    make_activity(session_factory, 1, "Circulair asfalt", "U2", deadline=date(2027, 1, 29))
    tick(services, morning(date(2027, 1, 4)))  # plans the 7-day nudge for 22 January
    slack.command("/kenniskring", "instellingen herinneringen:21,7", user="U1")

    tick(services, morning(date(2027, 1, 8)))  # 21 days before the deadline

    [dm] = nudges_to(standin, "U2")
    assert "over *21 dagen*" in dm


def test_a_meeting_moved_earlier_gets_its_agenda_at_the_new_moment(slack, standin, services, circle) -> None:
    slack.command("/kenniskring", "vergadering 15-12-2026 14:00", user="U1")
    tick(services, datetime(2026, 12, 4, 8, 0, tzinfo=UTC))  # works out: Friday 11 December, 09:00
    slack.command("/kenniskring", "vergadering verzet 15-12-2026 naar 9-12-2026 14:00", user="U1")
    standin.clear()

    tick(services, datetime(2026, 12, 7, 8, 0, tzinfo=UTC))  # Monday 7 December, two working days before

    assert agenda_time(standin) == ["woensdag 9 december 2026, 14:00"]


def test_a_series_keeps_its_occurrences_ahead_with_the_tick_alone(slack, standin, services, circle) -> None:
    plan_series(slack, "2026-12-08 14:00 elke 2 weken")
    standin.clear()
    for moment in ("2027-02-01T08:00", "2027-04-01T08:00", "2027-06-04T07:30"):  # no command in between
        tick(services, datetime.fromisoformat(moment).replace(tzinfo=UTC))

    # 2 February still gets its agenda after the downtime; 8 June's goes out on Friday 4 June at 09:00.
    assert agenda_time(standin) == ["dinsdag 2 februari 2027, 14:00", "dinsdag 8 juni 2027, 14:00"]


def asked_how_it_goes(standin, user: str) -> int:
    return sum("Hoe staan je activiteiten" in call.body["text"] for call in posts(standin, f"D{user}"))


def test_a_meeting_moved_earlier_has_its_initiators_asked_at_the_new_moment(
    slack, standin, services, session_factory, circle
) -> None:
    slack.command("/kenniskring", "vergadering 15-12-2026 14:00", user="U1")
    make_activity(session_factory, 1, "Circulair asfalt", "U2")
    tick(services, datetime(2026, 11, 30, 8, 0, tzinfo=UTC))  # works out: Tuesday 8 December, 09:00
    slack.command("/kenniskring", "vergadering verzet 15-12-2026 naar 4-12-2026 14:00", user="U1")

    tick(services, datetime(2026, 12, 1, 8, 0, tzinfo=UTC))  # three working days before Friday 4 December

    assert asked_how_it_goes(standin, "U2") == 1


def test_more_working_days_ahead_has_initiators_asked_at_once(slack, standin, services, session_factory, circle):
    plan_series(slack)  # Tuesday 8 December
    make_activity(session_factory, 1, "Circulair asfalt", "U2")
    tick(services, datetime(2026, 11, 24, 8, 0, tzinfo=UTC))  # works out: Tuesday 1 December, 09:00
    slack.command("/kenniskring", "instellingen voortgang:10", user="U1")

    tick(services, datetime(2026, 11, 24, 8, 1, tzinfo=UTC))  # ten working days before: from today

    assert asked_how_it_goes(standin, "U2") == 1
