"""Delivery under failure: rate limits honoured, server errors retried, outages survived, order kept, no doubles."""

from __future__ import annotations

from datetime import timedelta

from slack_sdk import WebClient
from sqlalchemy import select, update

from bot import delivery
from bot.app import make_client
from bot.config import load_settings
from bot.delivery import METADATA_TYPE
from store.models import KlaagpaalItem, Outbox


def channel_texts(standin, channel="C1") -> list[str]:
    """What the channel shows after the circle's own start announcement."""
    texts = [message.get("text", "") for message in standin.workspace.messages.get(channel, [])]
    return [text for text in texts if not text.startswith(":seedling:")]


def outbox(session_factory) -> list[tuple[str, str]]:
    with session_factory() as session:
        return [(row.key, row.status) for row in session.scalars(select(Outbox).order_by(Outbox.id))]


def test_rate_limit_waits_as_long_as_slack_asks(slack, standin, sleeps, circle) -> None:
    standin.fail_next("chat.postMessage", 429, retry_after=3)

    answer = slack.command("/klaagpaal", "Te weinig vakmensen")

    assert "K-1" in answer.text
    assert sleeps == [3.0]
    assert channel_texts(standin) == ["K-1: Te weinig vakmensen"]
    assert len(standin.failures) == 1


def test_server_errors_are_retried_with_backoff(slack, standin, sleeps, circle) -> None:
    standin.fail_next("chat.postMessage", 500, times=2)

    slack.command("/klaagpaal", "Onduidelijke eisen")

    assert len(sleeps) == 2 and all(0 < wait < 10 for wait in sleeps)
    assert channel_texts(standin) == ["K-1: Onduidelijke eisen"]


def test_outage_keeps_everything_and_delivers_later_in_order(slack, standin, services, clock, session_factory, circle):
    standin.fail_next("chat.postMessage", 503, times=6)  # three attempts for each of two filings

    first = slack.command("/klaagpaal", "eerste")
    second = slack.command("/klaagpaal", "tweede")

    assert "K-1" in first.text and "K-2" in second.text
    assert channel_texts(standin) == []
    with session_factory() as session:
        assert session.scalars(select(KlaagpaalItem.text).order_by(KlaagpaalItem.number)).all() == ["eerste", "tweede"]
    assert [status for _, status in outbox(session_factory)] == ["sent", "pending", "pending"]  # circle post went out

    services.delivery.flush(now=clock.now + timedelta(seconds=5))
    assert channel_texts(standin) == []  # backing off: not yet due

    services.delivery.flush(now=clock.advance(minutes=5))
    services.delivery.flush(now=clock.advance(minutes=5))
    assert channel_texts(standin) == ["K-1: eerste", "K-2: tweede"]
    assert [status for _, status in outbox(session_factory)] == ["sent", "sent", "sent"]


def test_a_refused_connection_is_survived(slack, standin, services, clock, settings, sleeps, circle) -> None:
    working = services.delivery.client
    dead = load_settings(SLACK_BOT_TOKEN="xoxb-test", SLACK_API_URL="http://127.0.0.1:9/api/")
    services.delivery.client = make_client(dead, sleep=sleeps, timeout=2)

    answer = slack.command("/klaagpaal", "netwerk weg")
    assert "K-1" in answer.text and channel_texts(standin) == []

    services.delivery.client = working
    services.delivery.flush(now=clock.advance(minutes=2))
    assert channel_texts(standin) == ["K-1: netwerk weg"]


def test_a_long_retry_after_is_left_to_the_outbox(slack, standin, services, clock, sleeps, circle) -> None:
    standin.fail_next("chat.postMessage", 429, retry_after=120)

    slack.command("/klaagpaal", "drukte")
    assert sleeps == [] and channel_texts(standin) == []

    services.delivery.flush(now=clock.now + timedelta(seconds=60))
    assert channel_texts(standin) == []
    services.delivery.flush(now=clock.now + timedelta(seconds=121))
    assert channel_texts(standin) == ["K-1: drukte"]


def test_the_same_key_is_queued_once(services, session_factory) -> None:
    for _ in range(2):
        with services.transaction() as session:
            delivery.enqueue(session, key="agenda:7", channel="C1", payload={"text": "agenda"})
    services.delivery.flush()
    services.delivery.flush()
    assert outbox(session_factory) == [("agenda:7", "sent")]


def test_a_sender_that_died_after_posting_does_not_post_twice(services, standin, clock, session_factory) -> None:
    with services.transaction() as session:
        row = delivery.enqueue(session, key="agenda:8", channel="C1", payload={"text": "agenda 8"})
        row_id = row.id
    # The dead sender claimed the row, learned the channel and posted, but never recorded it.
    posted = WebClient(token="xoxb-test", base_url=standin.url).chat_postMessage(
        channel="C1", text="agenda 8", metadata={"event_type": METADATA_TYPE, "event_payload": {"key": "agenda:8"}}
    )
    with services.transaction() as session:
        values = {"status": "sending", "claimed_at": clock.now, "attempts": 1, "sent_channel": "C1"}
        session.execute(update(Outbox).where(Outbox.id == row_id).values(**values))

    services.delivery.flush(now=clock.now + timedelta(minutes=1))  # lease still held: left alone
    assert channel_texts(standin) == ["agenda 8"]

    services.delivery.flush(now=clock.now + timedelta(minutes=6))
    assert channel_texts(standin) == ["agenda 8"]
    with session_factory() as session:
        row = session.get(Outbox, row_id)
        assert (row.status, row.sent_ts) == ("sent", posted["ts"])


def test_a_permanent_refusal_is_kept_visible_and_does_not_block_others(services, standin, session_factory) -> None:
    standin.fail_next("chat.postMessage", 404)
    with services.transaction() as session:
        delivery.enqueue(session, key="a", channel="C1", payload={"text": "a"})
        delivery.enqueue(session, key="b", channel="C1", payload={"text": "b"})
    services.delivery.flush()
    assert outbox(session_factory) == [("a", "failed"), ("b", "sent")]
