"""Delivery when Slack misbehaves beyond a plain retry: a duplicate check that fails, a sender that died mid-send,
refusals that last, an hour without Slack and rate-limit storms. Time is a parameter: nothing here waits."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import OperationalError

from bot import delivery
from store.models import Outbox
from tests.helpers import dump, english, tick


def texts(standin, channel="C1") -> list[str]:
    return [message.get("text", "") for message in standin.workspace.messages.get(channel, [])]


def rows(session_factory) -> list[tuple[str, str]]:
    with session_factory() as session:
        return [(row.key, row.status) for row in session.scalars(select(Outbox).order_by(Outbox.id))]


def queue_post(services, key="post:1", text="K-1: eerste", subject="K-1") -> None:
    with services.transaction() as session:
        delivery.enqueue(session, key=key, channel="C1", payload={"text": text}, subject=subject)


def refresh(services, text: str, version: str, subject="K-1") -> None:
    with services.transaction() as session:
        delivery.refresh(session, subject=subject, payload={"text": text}, version=version)


def a_post_that_met_a_server_error(services, standin, clock) -> None:
    """A post whose first attempt got a 5xx: it may or may not have reached the channel, so the next attempt
    first asks the channel's history."""
    queue_post(services)
    standin.fail_next("chat.postMessage", 503, times=3)  # the client's own two retries spent as well
    services.delivery.flush(now=clock.now)
    assert texts(standin) == [] and rows(services.session_factory) == [("post:1", "pending")]


def test_a_duplicate_check_that_can_never_answer_sends_anyway(services, standin, clock) -> None:
    a_post_that_met_a_server_error(services, standin, clock)
    standin.fail_next("conversations.history", error="not_in_channel")

    services.delivery.flush(now=clock.advance(minutes=1))

    assert texts(standin) == ["K-1: eerste"]
    assert rows(services.session_factory) == [("post:1", "sent")]
    refresh(services, "K-1: eerste (opgelost)", "opgelost")
    services.delivery.flush(now=clock.advance(seconds=1))
    assert texts(standin) == ["K-1: eerste (opgelost)"]


def test_a_duplicate_check_without_scope_sends_anyway(services, standin, clock) -> None:
    a_post_that_met_a_server_error(services, standin, clock)
    standin.fail_next("conversations.history", error="missing_scope")

    services.delivery.flush(now=clock.advance(minutes=1))

    assert texts(standin) == ["K-1: eerste"]


def test_a_duplicate_check_that_fails_for_now_is_asked_again_later(services, standin, clock) -> None:
    a_post_that_met_a_server_error(services, standin, clock)
    standin.fail_next("conversations.history", 503, times=3)

    services.delivery.flush(now=clock.advance(minutes=1))
    assert texts(standin) == [] and rows(services.session_factory) == [("post:1", "pending")]

    services.delivery.flush(now=clock.advance(minutes=10))
    assert texts(standin) == ["K-1: eerste"]
    assert rows(services.session_factory) == [("post:1", "sent")]
    assert len(standin.calls_to("conversations.history")) == 1  # asked again, and this time it answered
    refresh(services, "K-1: eerste (opgelost)", "opgelost")
    services.delivery.flush(now=clock.advance(seconds=1))
    assert texts(standin) == ["K-1: eerste (opgelost)"]


def test_a_duplicate_check_that_times_out_is_asked_again_later(services, standin, clock, settings, sleeps) -> None:
    from bot.app import make_client
    from bot.config import load_settings

    a_post_that_met_a_server_error(services, standin, clock)
    working = services.delivery.client
    dead = make_client(
        load_settings(SLACK_BOT_TOKEN="xoxb-test", SLACK_API_URL="http://127.0.0.1:9/api/"), sleep=sleeps
    )
    services.delivery.client = dead

    services.delivery.flush(now=clock.advance(minutes=1))
    assert rows(services.session_factory) == [("post:1", "pending")]

    services.delivery.client = working
    services.delivery.flush(now=clock.advance(minutes=10))
    assert texts(standin) == ["K-1: eerste"]


def test_a_post_that_did_go_out_is_found_by_the_check_and_not_doubled(services, standin, clock) -> None:
    queue_post(services)
    standin.fail_next("chat.postMessage", 503, times=3)
    services.delivery.flush(now=clock.now)
    # Slack had posted it after all: the check finds it by its key.
    services.delivery.client.chat_postMessage(
        channel="C1",
        text="K-1: eerste",
        metadata={"event_type": delivery.METADATA_TYPE, "event_payload": {"key": "post:1"}},
    )
    services.delivery.flush(now=clock.advance(minutes=1))
    assert texts(standin) == ["K-1: eerste"]
    assert rows(services.session_factory) == [("post:1", "sent")]


# A sender that died between claiming a message and recording it sent.


def left_sending(services, clock, key: str, text: str) -> None:
    """A message claimed by a process that was then killed: 'sending', its lease still running for minutes."""
    with services.transaction() as session:
        row = delivery.enqueue(session, key=key, channel="C1", payload={"text": text})
        row.status, row.claimed_at, row.attempts = "sending", clock.now, 1


def test_a_message_left_sending_by_a_dead_process_goes_at_the_next_start(services, standin, clock) -> None:
    left_sending(services, clock, "post:1", "K-1: eerste")  # killed before it reached Slack
    queue_post(services, key="post:2", text="K-2: tweede", subject="K-2")

    tick(services, clock.advance(seconds=90))  # the next start: a tick from cron, well within the 5-minute lease

    assert texts(standin) == ["K-1: eerste", "K-2: tweede"]
    assert rows(services.session_factory) == [("post:1", "sent"), ("post:2", "sent")]


def test_a_message_a_dead_process_did_post_is_not_doubled_at_the_next_start(services, standin, clock) -> None:
    left_sending(services, clock, "post:1", "K-1: eerste")
    # Killed after Slack took it, before "sent" was written.
    services.delivery.client.chat_postMessage(
        channel="C1",
        text="K-1: eerste",
        metadata={"event_type": delivery.METADATA_TYPE, "event_payload": {"key": "post:1"}},
    )
    queue_post(services, key="post:2", text="K-2: tweede", subject="K-2")

    tick(services, clock.advance(seconds=90))

    assert texts(standin) == ["K-1: eerste", "K-2: tweede"]
    with services.session_factory() as session:
        first = session.scalars(select(Outbox).where(Outbox.key == "post:1")).one()
        assert (first.status, first.sent_ts) == ("sent", standin.workspace.messages["C1"][0]["ts"])


def test_a_database_error_while_recording_sent_does_not_hold_the_channel(services, standin, clock, monkeypatch) -> None:
    services.delivery.flush(now=clock.now)  # this process has started and settled long ago
    queue_post(services, key="post:1", text="K-1: eerste")
    record, failures = delivery._record_sent, []

    def flaky(session, sent, now):
        if len(failures) < 2:  # the write of "sent" and its retry both fail
            failures.append(sent.id)
            raise OperationalError("UPDATE outbox", {}, Exception("server closed the connection unexpectedly"))
        record(session, sent, now)

    monkeypatch.setattr(delivery, "_record_sent", flaky)
    with pytest.raises(OperationalError):
        services.delivery.flush(now=clock.advance(seconds=1))
    assert texts(standin) == ["K-1: eerste"]
    queue_post(services, key="post:2", text="K-2: tweede", subject="K-2")

    services.delivery.flush(now=clock.advance(seconds=1))  # the database is back: not five minutes later

    assert texts(standin) == ["K-1: eerste", "K-2: tweede"]
    assert rows(services.session_factory) == [("post:1", "sent"), ("post:2", "sent")]


def test_a_single_failed_write_of_sent_is_retried_at_once(services, standin, clock, monkeypatch) -> None:
    queue_post(services, key="post:1", text="K-1: eerste")
    queue_post(services, key="post:2", text="K-2: tweede", subject="K-2")
    record, failures = delivery._record_sent, []

    def flaky(session, sent, now):
        if not failures:
            failures.append(sent.id)
            raise OperationalError("UPDATE outbox", {}, Exception("deadlock detected"))
        record(session, sent, now)

    monkeypatch.setattr(delivery, "_record_sent", flaky)
    services.delivery.flush(now=clock.now)

    assert texts(standin) == ["K-1: eerste", "K-2: tweede"]
    assert rows(services.session_factory) == [("post:1", "sent"), ("post:2", "sent")]


# Refusals that last: marked failed, logged once, shown to the circle's coordinators.


def home_of(slack, standin, user: str = "U1") -> str:
    slack.event({"type": "app_home_opened", "user": user, "channel": "D1", "tab": "home"})
    return dump(standin.home_views[user])


def refusals_logged(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "bot.delivery" and "refused" in r.getMessage()]


def test_a_channel_that_refuses_for_good_is_reported_once_to_the_coordinators(
    slack, standin, services, clock, caplog, circle
) -> None:
    slack.command("/kenniskring", "coordinator <@U2|bram>", user="U1")
    standin.clear()
    standin.refuse_channel("C1", "not_in_channel")

    for filed in ("eerste", "tweede", "derde"):
        assert "K-" in slack.command("/klaagpaal", filed).text  # filing answers as ever
    services.delivery.flush(now=clock.advance(seconds=1))

    with services.session_factory() as session:
        refused = session.scalars(select(Outbox).where(Outbox.key.like("klaagpaal:%"))).all()
    assert [(row.status, row.last_error) for row in refused] == [("failed", "not_in_channel")] * 3
    assert len(refusals_logged(caplog)) == 1  # not once per message
    told = {call.body["channel"]: call.body["text"] for call in standin.calls_to("chat.postMessage")}
    assert set(told) == {"DU1", "DU2"}  # one DM per coordinator, not one per message
    assert "de bot zit niet (meer) in het kanaal" in told["DU1"]
    home = home_of(slack, standin)
    assert "Bezorgproblemen" in home and "eerste" in home and "derde" in home
    assert "de bot zit niet (meer) in het kanaal" in home

    slack.command("/klaagpaal", "vierde")
    services.delivery.flush(now=clock.advance(seconds=1))
    assert len(standin.calls_to("chat.postMessage")) == 2  # the same kind of problem: nobody told again
    assert len(refusals_logged(caplog)) == 1  # within the hour: not logged again


def test_members_who_are_not_coordinators_see_no_delivery_problems(slack, standin, services, clock, circle) -> None:
    slack.command("/klaagpaal", "iets", user="U3")
    standin.refuse_channel("C1", "is_archived")
    slack.command("/klaagpaal", "gearchiveerd", user="U3")
    services.delivery.flush(now=clock.advance(seconds=1))
    assert "Bezorgproblemen" not in home_of(slack, standin, "U3")
    assert "het kanaal is gearchiveerd" in home_of(slack, standin, "U1")


@pytest.mark.parametrize("dead", ["invalid_auth", "token_revoked", "account_inactive"])
def test_a_dead_token_is_only_logged(slack, standin, services, clock, caplog, circle, dead) -> None:
    standin.refuse_channel("C1", dead)
    slack.command("/klaagpaal", "eerste")
    slack.command("/klaagpaal", "tweede")
    services.delivery.flush(now=clock.advance(seconds=1))

    assert standin.calls_to("chat.postMessage") == []  # no DM to anyone: it could not go out either
    assert len(refusals_logged(caplog)) == 1
    assert [status for key, status in rows(services.session_factory) if key.startswith("klaagpaal")] == ["failed"] * 2


@pytest.mark.parametrize("settings", ["en"], indirect=True)
def test_delivery_problems_in_english(slack, standin, services, clock) -> None:
    english(standin, "U1")
    slack.command("/kenniskring", "start Circle West", user="U1", channel="C1")
    standin.refuse_channel("C1", "channel_not_found")
    slack.command("/klaagpaal", "gone")
    services.delivery.flush(now=clock.advance(seconds=1))
    home = home_of(slack, standin)
    assert "Delivery problems" in home and "the channel no longer exists" in home


# Slack away for an hour, and rate-limit storms: nothing lost, nothing doubled, Slack's Retry-After honoured.


def test_an_hour_without_slack_loses_nothing_and_doubles_nothing(slack, standin, services, clock, circle) -> None:
    slack.command("/kenniskring", "start Kring Oost", user="U5", channel="C2")
    standin.clear()
    standin.refuse_all(503)

    for minute in range(0, 60, 5):  # filing keeps answering while Slack refuses everything
        channel = "C1" if minute % 10 == 0 else "C2"
        answer = slack.command("/klaagpaal", f"punt {minute}", user="U5" if channel == "C2" else "U1", channel=channel)
        assert answer.status == 200 and "K-" in answer.text
        tick(services, clock.advance(minutes=5))
    assert texts(standin)[1:] == [] and texts(standin, "C2")[1:] == []  # after each circle's start
    with services.session_factory() as session:
        waiting = session.scalars(select(Outbox.status).where(Outbox.key.like("klaagpaal:%"))).all()
    assert waiting == ["pending"] * 12  # the outbox holds everything

    standin.refuse_all(None)
    for _ in range(4):
        tick(services, clock.advance(minutes=5))

    assert texts(standin)[1:] == [f"K-{n}: punt {m}" for n, m in enumerate(range(0, 60, 10), start=1)]
    assert texts(standin, "C2")[1:] == [f"K-{n}: punt {m}" for n, m in enumerate(range(5, 60, 10), start=1)]
    assert [status for key, status in rows(services.session_factory) if key.startswith("klaagpaal")] == ["sent"] * 12


def test_a_rate_limit_storm_gets_no_more_calls_than_slack_allows(settings, standin, session_factory, clock) -> None:
    from bot.app import make_client, make_services
    from bot.pacing import Pacer

    # Slack's own clock for the pacer, so its holds last as long as Slack said in the test's time
    pacer = Pacer(clock=lambda: clock.now.timestamp(), sleep=lambda seconds: clock.advance(seconds=seconds))
    services = make_services(settings, session_factory, client=make_client(settings, pacer=pacer), clock=clock)
    with services.transaction() as session:
        for n in range(5):
            for channel in ("C1", "C2", "C3"):
                delivery.enqueue(session, key=f"{channel}:{n}", channel=channel, payload={"text": f"{channel} {n}"})
    standin.refuse_all(429, retry_after=60)

    for _ in range(30):  # five minutes of flushes every ten seconds, into a storm asking for a minute each time
        services.delivery.flush(now=clock.advance(seconds=10))

    calls = len(standin.failures)
    assert calls <= 3 + 5  # at most one first try per channel, then one per minute Slack asked to wait
    standin.refuse_all(None)
    for _ in range(12):
        services.delivery.flush(now=clock.advance(seconds=10))
    for channel in ("C1", "C2", "C3"):
        assert texts(standin, channel) == [f"{channel} {n}" for n in range(5)]


# Locks that hold behind PgBouncer in transaction mode: bound to a transaction, never to a session.


def test_the_flush_lock_lives_in_a_transaction_not_a_session(services, session_factory, monkeypatch) -> None:
    engine = session_factory.kw["bind"]
    if engine.dialect.name != "postgresql":
        pytest.skip("advisory locks are PostgreSQL's")
    holders: list[tuple[str, int]] = []
    send_channel = delivery.Delivery._send_channel

    def looking(self, channel, rows_, now, report) -> None:
        with engine.connect() as connection:
            holders.extend(
                connection.execute(
                    text(
                        "SELECT a.state, l.objid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                        "WHERE l.locktype = 'advisory' AND l.granted AND a.datname = current_database()"
                    )
                ).all()
            )
        send_channel(self, channel, rows_, now, report)

    monkeypatch.setattr(delivery.Delivery, "_send_channel", looking)
    queue_post(services)
    services.delivery.flush()

    # Held by a transaction that stays open for the flush: PgBouncer keeps that server connection for it.
    assert [(state, objid) for state, objid in holders] == [("idle in transaction", delivery.FLUSH_LOCK)]
    with engine.connect() as connection:
        left = connection.execute(
            text(
                "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database "
                "WHERE l.locktype = 'advisory' AND d.datname = current_database()"
            )
        ).scalar()
    assert left == 0
