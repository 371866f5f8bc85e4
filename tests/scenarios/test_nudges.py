"""Deadline nudges by DM: on working days at 09:00 local, bundled per person, each decided once."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from store.models import Circle, NudgeMark, Outbox, ProgressUpdate
from tests.helpers import configure, dump, make_activity, nudges_to, posts, tick


def morning(day: date, hour: int = 8) -> datetime:
    """09:00 in Amsterdam in winter (08:00 UTC)."""
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=UTC)


def days(first: date, last: date):
    while first <= last:
        yield first
        first += timedelta(days=1)


def test_deadline_nudges_come_on_their_days_and_at_nine(slack, standin, services, session_factory, circle) -> None:
    configure(session_factory, stale_after_days=0)
    make_activity(session_factory, 1, "Circulair asfalt", "U2", deadline=date(2027, 1, 21), percent=40)

    tick(services, datetime(2027, 1, 7, 7, 59, tzinfo=UTC))  # 08:59 local on the 14-day mark
    assert nudges_to(standin, "U2") == []
    sent_on = []
    for day in days(date(2027, 1, 4), date(2027, 2, 1)):
        before = len(nudges_to(standin, "U2"))
        tick(services, morning(day))
        tick(services, morning(day, 15))
        if len(nudges_to(standin, "U2")) > before:
            sent_on.append(day)

    assert sent_on == [date(2027, 1, 7), date(2027, 1, 14), date(2027, 1, 20), date(2027, 1, 22), date(2027, 1, 29)]
    texts = nudges_to(standin, "U2")
    assert "over *14 dagen*, op donderdag 21 januari 2027" in texts[0]
    assert "over *7 dagen*" in texts[1]
    assert "*morgen*" in texts[2]
    assert "was gisteren" in texts[3]
    assert "8 dagen voorbij" in texts[4]
    assert "Voortgang: 40%" in texts[0]


def test_the_dm_has_the_three_activity_buttons(slack, standin, services, session_factory, circle) -> None:
    configure(session_factory, stale_after_days=0)
    activity_id = make_activity(session_factory, 1, "Circulair asfalt", "U2", deadline=date(2027, 1, 21))

    tick(services, morning(date(2027, 1, 7)))

    [dm] = posts(standin, "DU2")
    [buttons] = [block["elements"] for block in dm.body["blocks"] if block["type"] == "actions"]
    assert [(b["action_id"], b["value"]) for b in buttons] == [
        ("activity_progress", str(activity_id)),
        ("activity_deadline", str(activity_id)),
        ("activity_done", str(activity_id)),
    ]
    assert dm.body["text"] == "Herinnering over je activiteiten: A-1"


def test_one_dm_per_person_bundles_everything_due(slack, standin, services, session_factory, circle) -> None:
    configure(session_factory, stale_after_days=0)
    make_activity(session_factory, 1, "Circulair asfalt", "U2", deadline=date(2027, 1, 21))
    make_activity(session_factory, 2, "Stageplekken", "U2", deadline=date(2027, 1, 15))
    make_activity(session_factory, 3, "Warmtenet", "U3", deadline=date(2027, 1, 21))
    make_activity(session_factory, 4, "Klaar", "U2", deadline=date(2027, 1, 21), status="afgerond")

    tick(services, morning(date(2027, 1, 14)))

    [u2] = posts(standin, "DU2")
    [u3] = posts(standin, "DU3")
    text = dump(u2.body["blocks"])
    assert text.index("A-2") < text.index("A-1")  # tomorrow before next week
    assert "Klaar" not in text and "Warmtenet" in dump(u3.body["blocks"])
    with session_factory() as session:
        keys = session.scalars(select(Outbox.key).where(Outbox.key.like("nudge:%")).order_by(Outbox.key)).all()
        circle_id = session.scalars(select(Circle.id)).one()
    assert keys == [f"nudge:{circle_id}:U2:2027-01-14", f"nudge:{circle_id}:U3:2027-01-14"]


def test_weekends_and_christmas_move_a_nudge_to_the_next_working_day(
    slack, standin, services, session_factory, circle
) -> None:
    configure(session_factory, stale_after_days=0, nudge_days="7")
    make_activity(session_factory, 1, "Op zaterdag", "U2", deadline=date(2027, 1, 16))  # 7 days before: Sat 9 Jan
    make_activity(session_factory, 2, "Na de kerst", "U3", deadline=date(2027, 1, 1))  # 7 days before: Christmas

    for day in days(date(2026, 12, 24), date(2027, 1, 11)):
        tick(services, morning(day))

    [u2] = nudges_to(standin, "U2")
    first, overdue, week_later = nudges_to(standin, "U3")
    assert "Op zaterdag" in u2 and "over *5 dagen*" in u2  # Monday 11 January
    assert "Na de kerst" in first and "over *4 dagen*" in first  # Monday 28 December
    assert "3 dagen voorbij" in overdue  # New Year's Day, then the weekend: Monday 4 January
    assert "10 dagen voorbij" in week_later  # the next overdue week starts on Saturday 9 January


def test_after_downtime_a_missed_nudge_goes_out_once(slack, standin, services, session_factory, circle) -> None:
    configure(session_factory, stale_after_days=0)
    activity_id = make_activity(session_factory, 1, "Circulair asfalt", "U2", deadline=date(2027, 1, 21))

    tick(services, morning(date(2027, 1, 15), 10))  # down since before the 14- and 7-day marks
    tick(services, morning(date(2027, 1, 18)))
    tick(services, morning(date(2027, 1, 19)))

    [dm] = nudges_to(standin, "U2")
    assert "over *6 dagen*" in dm
    with session_factory() as session:
        kinds = session.scalars(select(NudgeMark.kind).where(NudgeMark.activity_id == activity_id)).all()
    assert sorted(kinds) == ["d14:2027-01-21", "d7:2027-01-21"]


def test_overdue_repeats_weekly_and_once_after_weeks_of_downtime(
    slack, standin, services, session_factory, circle
) -> None:
    configure(session_factory, stale_after_days=0)
    make_activity(session_factory, 1, "Circulair asfalt", "U2", deadline=date(2027, 1, 4))

    for day in (date(2027, 1, 5), date(2027, 1, 6), date(2027, 1, 12)):
        tick(services, morning(day))
    assert len(nudges_to(standin, "U2")) == 2
    tick(services, morning(date(2027, 2, 3)))  # three weeks without a tick
    tick(services, morning(date(2027, 2, 4)))

    texts = nudges_to(standin, "U2")
    assert len(texts) == 3 and "30 dagen voorbij" in texts[-1]


def test_quiet_activities_get_a_gentle_nudge(slack, standin, services, session_factory, circle) -> None:
    quiet = make_activity(session_factory, 1, "Stil project", "U2", created_at=datetime(2026, 11, 1, 9, tzinfo=UTC))
    with session_factory.begin() as session:
        session.add(ProgressUpdate(activity_id=quiet, author_id="U2", created_at=datetime(2026, 11, 10, 9, tzinfo=UTC)))

    tick(services, morning(date(2026, 12, 7)))
    assert nudges_to(standin, "U2") == []
    tick(services, morning(date(2026, 12, 8)))  # 28 days after the last update
    tick(services, morning(date(2026, 12, 9)))
    [dm] = nudges_to(standin, "U2")
    assert "Al 28 dagen geen voortgang" in dm

    with session_factory.begin() as session:
        session.add(ProgressUpdate(activity_id=quiet, author_id="U2", created_at=datetime(2026, 12, 10, 9, tzinfo=UTC)))
    tick(services, morning(date(2027, 1, 6)))
    assert len(nudges_to(standin, "U2")) == 1
    tick(services, morning(date(2027, 1, 7)))
    assert len(nudges_to(standin, "U2")) == 2


def test_a_fresh_activity_is_not_nudged_for_marks_before_it_existed(
    slack, standin, services, session_factory, circle
) -> None:
    configure(session_factory, stale_after_days=0)
    created = datetime(2027, 1, 11, 10, tzinfo=UTC)
    make_activity(session_factory, 1, "Net begonnen", "U2", deadline=date(2027, 1, 21), created_at=created)

    for day in days(date(2027, 1, 11), date(2027, 1, 14)):
        tick(services, morning(day, 12))

    [dm] = nudges_to(standin, "U2")  # the 7-day mark only; the 14-day mark lay before it was created
    assert "over *7 dagen*" in dm


def test_the_same_moment_twice_sends_one_dm_and_late_additions_wait(
    slack, standin, services, session_factory, circle
) -> None:
    configure(session_factory, stale_after_days=0)
    make_activity(session_factory, 1, "Eerste", "U2", deadline=date(2027, 1, 21))

    tick(services, morning(date(2027, 1, 14)))
    tick(services, morning(date(2027, 1, 14)))
    make_activity(session_factory, 2, "Later toegevoegd", "U2", deadline=date(2027, 1, 15))
    tick(services, morning(date(2027, 1, 14), 12))
    assert len(nudges_to(standin, "U2")) == 1

    tick(services, morning(date(2027, 1, 15)))
    texts = nudges_to(standin, "U2")
    assert len(texts) == 2 and "Later toegevoegd" in texts[1] and "*vandaag*" in texts[1]


def test_nudges_follow_the_clock_change_in_october(slack, standin, services, session_factory, circle) -> None:
    configure(session_factory, stale_after_days=0, nudge_days="1")
    make_activity(session_factory, 1, "Voor de wisseling", "U2", deadline=date(2026, 10, 24))  # 1 day: Fri 23 Oct
    make_activity(session_factory, 2, "Na de wisseling", "U3", deadline=date(2026, 10, 27))  # 1 day: Mon 26 Oct

    tick(services, datetime(2026, 10, 23, 6, 59, tzinfo=UTC))  # 08:59 summer time
    assert nudges_to(standin, "U2") == []
    tick(services, datetime(2026, 10, 23, 7, 0, tzinfo=UTC))  # 09:00 summer time
    assert len(nudges_to(standin, "U2")) == 1
    tick(services, datetime(2026, 10, 26, 7, 59, tzinfo=UTC))  # 08:59 winter time
    assert nudges_to(standin, "U3") == []
    tick(services, datetime(2026, 10, 26, 8, 0, tzinfo=UTC))  # 09:00 winter time
    [after] = nudges_to(standin, "U3")
    assert "*morgen*" in after
