"""A circle gets the configured zone and language when it is started, and keeps them: its meetings, nudges and
"today" are reckoned in its own zone, never in a default nor in what the settings say later."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from bot.config import load_settings
from store import circles
from store.models import Activity, Circle, Meeting
from tests.conftest import SIGNING_SECRET
from tests.helpers import configure, make_activity, nudges_to, posts, tick

ZONE = "America/Curacao"  # UTC-4 all year: nine in the morning there is 13:00 UTC


@pytest.fixture
def settings(standin, database_url):
    return load_settings(
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=standin.url,
        DATABASE_URL=database_url,
        KENNISKRING_TIMEZONE=ZONE,
        KENNISKRING_LOCALE="en",
    )


def stored(session_factory, channel: str = "C1") -> Circle:
    with session_factory() as session:
        return session.scalars(select(Circle).where(Circle.channel_id == channel)).one()


def test_a_new_circle_takes_the_configured_zone_and_language(slack, session_factory) -> None:
    answer = slack.command("/kenniskring", "start Kring Curaçao", user="U1", channel="C1")
    assert answer.status == 200, answer.body

    circle = stored(session_factory)
    assert (circle.timezone, circle.locale) == (ZONE, "en")


def test_its_meetings_and_agenda_post_are_in_its_zone(slack, standin, services, session_factory, circle) -> None:
    slack.command("/kenniskring", "vergadering 2026-12-08 14:00", user="U1")
    with session_factory() as session:
        meeting = session.scalars(select(Meeting)).one()
        assert meeting.timezone == ZONE
        assert meeting.starts_at == datetime(2026, 12, 8, 18, 0, tzinfo=UTC)  # 14:00 in Willemstad

    standin.clear()
    tick(services, datetime(2026, 12, 4, 12, 59, tzinfo=UTC))  # two working days before, 08:59 local
    assert posts(standin) == []
    tick(services, datetime(2026, 12, 4, 13, 0, tzinfo=UTC))
    assert len(posts(standin)) == 1


def test_its_nudges_come_at_nine_in_its_zone(slack, standin, services, session_factory, circle) -> None:
    configure(session_factory, stale_after_days=0)
    make_activity(session_factory, 1, "Circulair asfalt", "U2", deadline=date(2027, 1, 21))

    tick(services, datetime(2027, 1, 7, 12, 59, tzinfo=UTC))  # the 14-day mark, 08:59 local
    assert nudges_to(standin, "U2") == []
    tick(services, datetime(2027, 1, 7, 13, 0, tzinfo=UTC))
    assert len(nudges_to(standin, "U2")) == 1


def test_its_today_is_its_own_day(slack, services, session_factory, circle) -> None:
    services.clock.now = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)  # still 1 December in Willemstad
    answer = slack.command("/agenda", "nieuw Proefvak deadline:1-12-2026 thema:klimaat", user="U1")
    assert "A-1" in answer.text, answer.text
    with session_factory() as session:
        assert session.scalars(select(Activity.deadline)).one() == date(2026, 12, 1)


@pytest.fixture
def amsterdam(session_factory) -> str:
    """A circle started before the settings named another zone."""
    with session_factory.begin() as session:
        circles.start(
            session,
            team_id="T0001",
            channel_id="C1",
            name="Kring",
            user_id="U1",
            locale="nl",
            timezone="Europe/Amsterdam",
        )
    return "C1"


def test_a_circle_started_earlier_keeps_its_zone_for_meetings(slack, session_factory, amsterdam) -> None:
    slack.command("/kenniskring", "vergadering 2026-12-08 14:00", user="U1")

    assert stored(session_factory).timezone == "Europe/Amsterdam"
    with session_factory() as session:
        meeting = session.scalars(select(Meeting)).one()
        assert (meeting.timezone, meeting.starts_at) == ("Europe/Amsterdam", datetime(2026, 12, 8, 13, 0, tzinfo=UTC))


def test_a_circle_started_earlier_keeps_its_own_today(slack, services, session_factory, amsterdam) -> None:
    services.clock.now = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)  # 2 December in Amsterdam, 1 December configured
    answer = slack.command("/agenda", "nieuw Proefvak deadline:1-12-2026 thema:klimaat", user="U1")
    assert "in het verleden" in answer.text, answer.text  # U1's Slack and the circle are Dutch
    with session_factory() as session:
        assert session.scalars(select(Activity)).all() == []
