"""The meeting defects users met: one meeting per moment, every date of a series reachable however far ahead,
monthly rhythms, and news in the channel when a new plan drops an announced meeting."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import command
from sqlalchemy import select, text

from store.db import alembic_config, make_engine, migrate
from store.models import Meeting, MeetingSeries
from tests.helpers import agenda_time, english, plan_series, posts, tick


def planned(session_factory) -> list[str]:
    with session_factory() as session:
        rows = session.scalars(select(Meeting).where(Meeting.status == "gepland").order_by(Meeting.starts_at))
        return [meeting.local_start for meeting in rows]


def test_planning_the_same_moment_twice_keeps_one_meeting_and_one_agenda(
    slack, standin, services, session_factory, circle
) -> None:
    plan_series(slack, "8-12-2026 14:00 elke 6 weken Zwolle")
    answer = slack.command("/kenniskring", "vergadering 8-12-2026 14:00 Zwolle", user="U1")

    assert "Op 8-12-2026 om 14:00 staat al een bijeenkomst" in answer.text
    assert planned(session_factory).count("2026-12-08T14:00") == 1
    standin.clear()
    tick(services, datetime(2026, 12, 4, 8, 0, tzinfo=UTC))
    tick(services, datetime(2026, 12, 4, 8, 5, tzinfo=UTC))
    assert agenda_time(standin) == ["dinsdag 8 december 2026, 14:00"]


def test_moving_a_meeting_onto_another_date_of_the_series_is_refused(slack, session_factory, circle) -> None:
    plan_series(slack, "8-12-2026 14:00 elke 6 weken Zwolle")
    answer = slack.command("/kenniskring", "vergadering verzet 8-12-2026 naar 19-1-2027", user="U1")

    assert "Op 19-1-2027 om 14:00 staat al een bijeenkomst" in answer.text
    assert planned(session_factory)[:1] == ["2026-12-08T14:00"]  # stays where it was


def test_a_series_over_a_single_meeting_at_its_moment_takes_that_meeting(slack, session_factory, circle) -> None:
    slack.command("/kenniskring", "vergadering 8-12-2026 14:00 Zwolle", user="U1")
    plan_series(slack, "8-12-2026 14:00 elke 6 weken Zwolle")
    plan_series(slack, "8-12-2026 14:00 elke 4 weken Zwolle")

    assert planned(session_factory).count("2026-12-08T14:00") == 1


def test_every_date_of_a_series_can_be_reached_however_far_ahead(slack, standin, circle) -> None:
    plan_series(slack, "8-12-2026 14:00 elke 6 weken Zwolle")
    slack.command("/kenniskring", "vergadering annuleer 8-12-2026", user="U1")
    slack.command("/kenniskring", "vergadering annuleer 19-1-2027", user="U1")

    preview = slack.command("/kenniskring", "vergadering", user="U1")
    assert "2 maart 2027" in str(preview.body) and "nog geen bijeenkomst" not in preview.text.lower()

    far = slack.command("/kenniskring", "vergadering annuleer 27-3-2029", user="U1")
    assert "dinsdag 27 maart 2029, 14:00" in far.text and "geen komende" not in far.text
    moved = slack.command("/kenniskring", "vergadering verzet 11-9-2029 naar 13-9-2029", user="U1")
    assert "donderdag 13 september 2029, 14:00" in moved.text

    listing = str(slack.command("/kenniskring", "vergadering lijst", user="U1").body)
    assert "2 maart 2027" in listing and "8 december 2026" not in listing and "19 januari 2027" not in listing


def test_monthly_rhythms_in_dutch_and_english(slack, standin, session_factory, circle) -> None:
    answer = plan_series(slack, "1-12-2026 14:00 elke eerste dinsdag van de maand Zwolle")
    assert "Gepland (elke eerste dinsdag van de maand)" in answer.text
    listing = str(slack.command("/kenniskring", "vergadering lijst", user="U1").body)
    assert "elke eerste dinsdag van de maand" in listing
    assert planned(session_factory)[:3] == ["2026-12-01T14:00", "2027-01-05T14:00", "2027-02-02T14:00"]

    plan_series(slack, "3-12-2026 10:00 elke laatste donderdag van de maand")
    assert planned(session_factory)[:1] == ["2026-12-31T10:00"]

    plan_series(slack, "15-12-2026 10:00 maandelijks")
    slack.command("/kenniskring", "vergadering lijst", user="U1")
    assert "2027-01-15T10:00" in planned(session_factory)
    with session_factory() as session:
        rules = [series.rule for series in session.scalars(select(MeetingSeries).order_by(MeetingSeries.id))]
    assert rules == ["FREQ=MONTHLY;BYDAY=+1TU", "FREQ=MONTHLY;BYDAY=-1TH", "FREQ=MONTHLY"]


def test_monthly_rhythms_in_english(slack, standin, session_factory) -> None:
    english(standin, "U1")
    slack.command("/kenniskring", "start Kenniskring West", user="U1", channel="C1")
    answer = plan_series(slack, "2-12-2026 09:00 every first wednesday of the month")
    assert "Planned (every first Wednesday of the month)" in answer.text
    answer = plan_series(slack, "20-12-2026 09:00 monthly")
    assert "Planned (monthly)" in answer.text
    with session_factory() as session:
        rules = [series.rule for series in session.scalars(select(MeetingSeries).order_by(MeetingSeries.id))]
    assert rules == ["FREQ=MONTHLY;BYDAY=+1WE", "FREQ=MONTHLY"]


def test_a_new_series_tells_the_channel_which_announced_meeting_is_dropped(slack, standin, circle) -> None:
    plan_series(slack, "8-12-2026 14:00 elke 6 weken Zwolle")
    standin.clear()
    plan_series(slack, "15-12-2026 14:00 elke 4 weken Zwolle")

    [post] = posts(standin)
    assert "vervalt een eerder aangekondigde bijeenkomst" in post.body["text"]
    assert "~dinsdag 8 december 2026, 14:00~ gaat niet door" in post.body["text"]
    assert "dinsdag 15 december 2026, 14:00" in post.body["text"]


def test_existing_series_every_n_weeks_become_rules(tmp_path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'rules.db'}")
    command.upgrade(alembic_config(engine), "0004_the_circle_itself")
    now = datetime(2026, 12, 1, 9, tzinfo=UTC)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO circles (id, team_id, channel_id, name, created_by, locale, timezone, agenda_lead_days,"
                " post_time, nudge_days, stale_after_days, created_at)"
                " VALUES (1, 'T1', 'C1', 'Kring', 'U1', 'nl', 'Europe/Amsterdam', 2, '09:00', '14,7,1', 28, :at)"
            ),
            {"at": now},
        )
        connection.execute(
            text(
                "INSERT INTO meeting_series (circle_id, first_start, timezone, interval_weeks, active, created_at)"
                " VALUES (1, :first, 'Europe/Amsterdam', 6, 1, :at)"
            ),
            {"first": datetime(2026, 12, 8, 13, tzinfo=UTC), "at": now},
        )
    migrate(engine)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT rule FROM meeting_series")).scalar() == "FREQ=WEEKLY;INTERVAL=6"
