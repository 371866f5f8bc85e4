"""Installed in several workspaces through Slack's OAuth flow, against the stand-in: each request, post and DM goes
with its own workspace's token; a workspace that removes the bot pauses its circles until it installs it again; a
channel shared by two workspaces (Slack Connect) is one circle for the members of both."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.request import Request, urlopen

import pytest
from sqlalchemy import select

from bot import delivery
from bot.app import create_app, make_services
from bot.config import load_settings
from bot.standin import ListenerPool, SlackSimulator
from store.models import Circle, KlaagpaalItem, Member, Outbox
from tests.conftest import SIGNING_SECRET
from tests.helpers import dump, tick

CLIENT_ID = "111.222"
AGENDA_DUE = datetime(2026, 12, 4, 8, 0, tzinfo=UTC)  # two working days before 8 December, 09:00 in Amsterdam


@pytest.fixture
def settings(standin, database_url):
    """No SLACK_BOT_TOKEN: every workspace's token comes from its installation."""
    return load_settings(
        SLACK_BOT_TOKEN=None,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=standin.url,
        DATABASE_URL=database_url,
        SLACK_CLIENT_ID=CLIENT_ID,
        SLACK_CLIENT_SECRET="client-secret",
        KENNISKRING_SECRET_KEY="k" * 40,
    )


@pytest.fixture
def oost(server_url, standin, listener_pool) -> SlackSimulator:
    """Slack as a second workspace, T0002, sends it."""
    return SlackSimulator(
        signing_secret=SIGNING_SECRET,
        url=server_url + "/slack/events",
        team_id="T0002",
        response_url=standin.response_url(),
        pool=listener_pool,
    )


def install(server_url: str, team_id: str) -> None:
    """Someone of `team_id` installs the bot: the install page, Slack's consent, back to the redirect."""
    with urlopen(server_url + "/slack/install") as response:
        cookie = response.headers["Set-Cookie"].split(";", 1)[0]
        state = re.search(r"state=([\w-]+)", response.read().decode()).group(1)
    back = Request(f"{server_url}/slack/oauth_redirect?code=code-{team_id}&state={state}", headers={"Cookie": cookie})
    with urlopen(back) as response:
        assert response.status == 200


def tokens_by_channel(standin) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for call in standin.calls_to("chat.postMessage") + standin.calls_to("chat.postEphemeral"):
        found.setdefault(call.body["channel"], set()).add(call.token)
    return found


def test_each_workspace_is_answered_and_posted_to_with_its_own_token(server_url, slack, oost, standin) -> None:
    install(server_url, "T0001")
    install(server_url, "T0002")
    west, east = standin.tokens_of("T0001"), standin.tokens_of("T0002")
    assert len(west) == len(east) == 1

    slack.command("/kenniskring", "start Kring West", user="U1", channel="C1")
    oost.command("/kenniskring", "start Kring Oost", user="U7", channel="C2")
    filed = [
        slack.command("/klaagpaal", "Punt West", channel="C1"),
        oost.command("/klaagpaal", "Punt Oost", user="U7", channel="C2"),
    ]

    assert all("K-1" in answer.text for answer in filed)
    assert tokens_by_channel(standin) == {"C1": set(west), "C2": set(east)}
    refused = [call for call in standin.calls if call.method != "oauth.v2.access" and not call.token]
    assert refused == []


def test_scheduled_posts_go_with_the_token_of_the_circles_workspace(server_url, slack, oost, standin, services):
    install(server_url, "T0001")
    install(server_url, "T0002")
    for simulator, channel in ((slack, "C1"), (oost, "C2")):
        simulator.command("/kenniskring", "start Kring", user="U1", channel=channel)
        simulator.command("/kenniskring", "vergadering 2026-12-08 14:00 elke 6 weken", user="U1", channel=channel)
    standin.clear()

    tick(services, AGENDA_DUE)

    agendas = {call.body["channel"]: call.token for call in standin.calls_to("chat.postMessage")}
    assert agendas == {"C1": standin.tokens_of("T0001")[0], "C2": standin.tokens_of("T0002")[0]}


def test_a_workspace_that_removes_the_bot_pauses_until_it_installs_it_again(
    server_url, slack, standin, services, session_factory
) -> None:
    install(server_url, "T0001")
    slack.command("/kenniskring", "start Kring West", user="U1", channel="C1")
    standin.clear()

    slack.event({"type": "app_uninstalled"})
    standin.revoke("T0001")

    assert services.installations.find_bot(enterprise_id=None, team_id="T0001") is None
    with services.transaction() as session:
        circle = session.scalars(select(Circle)).one()
        assert circle.active is False
        delivery.enqueue(session, key="tussendoor", channel="C1", payload={"text": "Tussendoor"}, circle_id=circle.id)
    services.delivery.flush()
    assert standin.calls_to("chat.postMessage") == []
    with session_factory() as session:
        assert session.scalars(select(Outbox.status).where(Outbox.key == "tussendoor")).one() == "held"

    install(server_url, "T0001")
    services.delivery.flush()

    posted = standin.calls_to("chat.postMessage")
    assert [call.body["text"] for call in posted] == ["Tussendoor"]
    assert [posted[0].token] == standin.tokens_of("T0001")  # the new token: the one revoked is no longer T0001's
    slack.event({"type": "app_home_opened", "user": "U1", "tab": "home"})
    slack.event({"type": "app_home_opened", "user": "U1", "tab": "home"})
    homes = [dump(call.body["view"]) for call in standin.calls_to("views.publish")]
    assert ["is terug" in home for home in homes] == [True, False]


def test_a_channel_shared_by_two_workspaces_is_one_circle_for_both(server_url, slack, oost, standin, session_factory):
    install(server_url, "T0001")
    slack.command("/kenniskring", "start Kring West", user="U1", channel="C1")
    standin.clear()
    oost.shared.add("C1")

    answer = oost.command("/klaagpaal", "Van de overkant", user="U7", channel="C1")

    assert "K-1" in answer.text
    assert tokens_by_channel(standin) == {"C1": set(standin.tokens_of("T0001"))}
    with session_factory() as session:
        item = session.scalars(select(KlaagpaalItem)).one()
        assert item.text == "Van de overkant"
        assert "U7" in session.scalars(select(Member.user_id).where(Member.circle_id == item.circle_id)).all()


def test_a_channel_not_shared_stays_out_of_reach_of_another_workspace(
    server_url, slack, oost, standin, session_factory
):
    install(server_url, "T0001")
    install(server_url, "T0002")
    slack.command("/kenniskring", "start Kring West", user="U1", channel="C1")

    answer = oost.command("/klaagpaal", "Van elders", user="U7", channel="C1")

    assert "K-1" not in answer.text and "/kenniskring start" in answer.text
    with session_factory() as session:
        assert session.scalars(select(KlaagpaalItem)).all() == []


def test_someone_of_the_other_workspace_gets_direct_messages_from_their_own_workspaces_bot(
    server_url, slack, oost, standin, services, session_factory
) -> None:
    install(server_url, "T0001")
    install(server_url, "T0002")
    slack.command("/kenniskring", "start Kring West", user="U1", channel="C1")
    oost.shared.add("C1")
    oost.command("/klaagpaal", "Van de overkant", user="U7", channel="C1")
    standin.clear()

    with services.transaction() as session:
        circle = session.scalars(select(Circle)).one()
        for user in ("U1", "U7"):
            delivery.enqueue(session, key=f"dm:{user}", channel=user, payload={"text": "Hallo"}, circle_id=circle.id)
    services.delivery.flush()

    opened = {call.body["users"]: call.token for call in standin.calls_to("conversations.open")}
    assert opened == {"U1": standin.tokens_of("T0001")[0], "U7": standin.tokens_of("T0002")[0]}
    oost.event({"type": "app_home_opened", "user": "U7", "tab": "home"})
    (home,) = standin.calls_to("views.publish")
    assert "Kring West" in dump(home.body["view"]) and home.token == standin.tokens_of("T0002")[0]


def test_with_one_bot_token_an_uninstall_event_changes_nothing(standin, database_url, session_factory) -> None:
    """One SLACK_BOT_TOKEN has no install flow to come back through: the operator sets a new token instead."""
    one = load_settings(
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=standin.url,
        DATABASE_URL=database_url,
    )
    pool = ListenerPool()
    app = create_app(make_services(one, session_factory, background=pool), listener_executor=pool)
    slack = SlackSimulator(signing_secret=SIGNING_SECRET, app=app, pool=pool)
    slack.command("/kenniskring", "start Kring West", user="U1", channel="C1")

    slack.event({"type": "app_uninstalled"})

    with session_factory() as session:
        assert session.scalars(select(Circle.active)).one() is True
    pool.shutdown(wait=True)
