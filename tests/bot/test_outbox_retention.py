"""Sent messages are forgotten after KENNISKRING_OUTBOX_RETENTION_DAYS, without breaking a later refresh of a post."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from bot.jobs import prune_outbox
from store.models import KlaagpaalItem, Outbox
from tests.helpers import NOW, tick

LATER = NOW + timedelta(days=31)


def age_everything_sent(session_factory) -> None:
    with session_factory.begin() as session:
        session.execute(update(Outbox).where(Outbox.status == "sent").values(sent_at=NOW - timedelta(days=1)))


def rows(session_factory) -> list[Outbox]:
    with session_factory() as session:
        return list(session.scalars(select(Outbox).order_by(Outbox.id)))


def test_old_sent_messages_are_forgotten_but_a_post_can_still_be_refreshed(slack, standin, circle, services):
    slack.command("/klaagpaal", "Te veel papier bij aanbestedingen", user="U2")
    slack.command("/hulpvraag", "Wie kent een asfaltcentrale?", user="U2")
    age_everything_sent(services.session_factory)
    before = rows(services.session_factory)
    assert len(before) >= 3 and {row.status for row in before} == {"sent"}

    tick(services, LATER)

    kept = rows(services.session_factory)
    assert {row.subject for row in kept} == {row.subject for row in before if row.subject} and len(kept) < len(before)
    assert all(row.payload == {} and row.sent_ts for row in kept)  # what was said is gone; where it is stays
    with services.session_factory() as session:
        item = session.scalars(select(KlaagpaalItem)).one()
    post = next(row for row in kept if row.subject and "klaagpaal" in row.subject)
    standin.clear()
    slack.press("klaagpaal_herkenbaar", str(item.id), user="U3")
    [updated] = standin.calls_to("chat.update")
    assert (updated.body["channel"], updated.body["ts"]) == (post.sent_channel, post.sent_ts)


def test_a_post_a_waiting_message_updates_or_replies_under_is_kept(slack, circle, services):
    with services.session_factory.begin() as session:
        old = [
            Outbox(key=f"old:{n}", channel="C1", method="chat.postMessage", payload={"text": "x"}, status="sent",
                   sent_at=NOW - timedelta(days=60), sent_ts=f"1.{n}", sent_channel="C1")
            for n in range(3)
        ]  # fmt: skip
        session.add_all(old)
        session.flush()
        session.add_all(
            [
                Outbox(key="w:1", channel="C1", method="chat.update", payload={"text": "y", "_reply_to": old[0].id},
                       next_attempt_at=NOW + timedelta(days=90)),
                Outbox(key="w:2", channel="C1", method="chat.postMessage", payload={"_thread_of": old[1].id},
                       next_attempt_at=NOW + timedelta(days=90)),
            ]
        )  # fmt: skip

    prune_outbox(services, NOW)

    keys = [row.key for row in rows(services.session_factory) if row.key.startswith(("old:", "w:"))]
    assert keys == ["old:0", "old:1", "w:1", "w:2"]


@pytest.mark.parametrize("days", [0, 90])
def test_nothing_younger_than_the_retention_or_with_retention_off_is_forgotten(slack, circle, services, days):
    slack.command("/klaagpaal", "Te veel papier", user="U2")
    age_everything_sent(services.session_factory)
    before = [row.key for row in rows(services.session_factory)]
    settings = services.settings.model_copy(update={"outbox_retention_days": days})
    prune_outbox(replace(services, settings=settings), LATER)

    assert [row.key for row in rows(services.session_factory)] == before


def test_the_retention_is_a_setting_in_days() -> None:
    from bot.config import ConfigError, load_settings

    assert load_settings().outbox_retention_days == 30
    assert load_settings(KENNISKRING_OUTBOX_RETENTION_DAYS="0").outbox_retention_days == 0
    with pytest.raises(ConfigError, match="KENNISKRING_OUTBOX_RETENTION_DAYS"):
        load_settings(KENNISKRING_OUTBOX_RETENTION_DAYS="-1")
