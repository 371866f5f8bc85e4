"""Delivery when Slack misbehaves beyond a plain retry: a duplicate check that fails, a sender that died mid-send,
refusals that last, an hour without Slack and rate-limit storms. Time is a parameter: nothing here waits."""

from __future__ import annotations

from sqlalchemy import select

from bot import delivery
from store.models import Outbox


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
