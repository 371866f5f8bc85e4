"""People who left the workspace: remembered when Slack says so, no longer nudged, and their activities shown to
the coordinators as without initiator."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from store.models import DmChannel, PersonGone
from tests.helpers import configure, dump, make_activity, nudges_to, tick


def morning(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 8, 0, tzinfo=UTC)  # 09:00 in Amsterdam in winter


def gone(session_factory) -> dict[str, str]:
    with session_factory() as session:
        return {row.user_id: row.reason for row in session.scalars(select(PersonGone))}


def home_of(slack, standin, user: str = "U1") -> str:
    slack.event({"type": "app_home_opened", "user": user, "channel": "D1", "tab": "home"})
    return dump(standin.home_views[user])


def test_a_deactivated_initiator_is_no_longer_nudged(slack, standin, services, session_factory, circle) -> None:
    configure(session_factory, stale_after_days=0)
    make_activity(session_factory, 1, "Circulair asfalt", "U2", deadline=date(2027, 1, 21))
    make_activity(session_factory, 2, "Groene daken", "U3", deadline=date(2027, 1, 21))
    standin.deactivate("U2")

    tick(services, morning(date(2027, 1, 7)))  # the 14-day mark: Slack refuses the DM to U2
    assert gone(session_factory) == {"U2": "user_disabled"}
    assert nudges_to(standin, "U2") == [] and len(nudges_to(standin, "U3")) == 1
    tried = len(standin.failures)

    for day in (date(2027, 1, 14), date(2027, 1, 20), date(2027, 1, 22)):
        tick(services, morning(day))
    assert len(standin.failures) == tried  # not even tried: U2 is known to be gone
    assert len(nudges_to(standin, "U3")) == 4


def test_a_dm_refused_as_account_inactive_marks_the_person_gone(slack, standin, services, session_factory, circle):
    configure(session_factory, stale_after_days=0)
    make_activity(session_factory, 1, "Circulair asfalt", "U2", deadline=date(2027, 1, 21))
    with session_factory.begin() as session:  # the DM channel was opened before, when U2 was still here
        session.add(DmChannel(team_id="T0001", user_id="U2", channel_id="DU2"))
    standin.deactivate("U2")
    tick(services, morning(date(2027, 1, 7)))
    assert gone(session_factory) == {"U2": "account_inactive"}


def test_a_dead_token_marks_nobody_gone(slack, standin, services, session_factory, circle) -> None:
    configure(session_factory, stale_after_days=0)
    make_activity(session_factory, 1, "Circulair asfalt", "U2", deadline=date(2027, 1, 21))
    with session_factory.begin() as session:
        session.add(DmChannel(team_id="T0001", user_id="U2", channel_id="DU2"))
    standin.refuse_channel("DU2", "account_inactive")  # what the bot's own deactivated token gets too
    standin.fail_next("users.info", error="account_inactive")
    tick(services, morning(date(2027, 1, 7)))
    assert gone(session_factory) == {}


def test_slack_saying_deleted_marks_the_person_gone(services, standin, session_factory) -> None:
    standin.deactivate("U4")
    services.languages.of("T0001", "U4")  # asked when someone's language is needed
    assert gone(session_factory) == {"U4": "deleted"}


def test_someone_reactivated_is_no_longer_gone(services, standin, session_factory, clock) -> None:
    standin.deactivate("U4")
    services.languages.of("T0001", "U4")
    standin.reactivate("U4")
    clock.advance(days=2)  # a person's language is asked again after a day
    services.languages.of("T0001", "U4")
    assert gone(session_factory) == {}


def test_the_coordinator_sees_the_activity_without_initiator(slack, standin, services, session_factory, circle):
    make_activity(session_factory, 1, "Circulair asfalt", "U2", deadline=date(2027, 1, 21))
    make_activity(session_factory, 2, "Groene daken", "U3", deadline=date(2027, 1, 21))
    standin.deactivate("U2")
    slack.command("/kenniskring", "hallo", user="U2")  # anything that asks Slack about U2 learns it

    home = home_of(slack, standin)
    assert "Zonder trekker" in home and "Circulair asfalt" in home
    orphan_part = home[home.index("Zonder trekker") :]
    assert "zonder trekker" in orphan_part and "<@U2>" not in orphan_part
    assert "Zonder trekker" not in home_of(slack, standin, "U3")  # only coordinators get the list

    agenda = slack.command("/agenda", "")
    assert "zonder trekker" in agenda.body and "<@U2>" not in agenda.body
    assert "<@U3>" in agenda.body
