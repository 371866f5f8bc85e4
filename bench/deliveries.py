"""Direct messages in bulk: how fast the outbox drains, how many Web API calls it takes, and, against a Slack that
enforces its published limits, how close it comes to the fastest those limits allow without being refused."""

from __future__ import annotations

import inspect
import time

from slack_sdk import WebClient
from sqlalchemy import func, select

from bench.databases import fresh
from bench.slack import BURST, PER_CHANNEL_PER_MINUTE, PER_MINUTE, BenchSlack
from bot import delivery
from bot.app import make_client, make_services
from bot.config import load_settings
from store.db import make_session_factory
from store.models import Outbox

SPEED = 60  # Slack's clock, sped up: a minute of Slack's limits passes in a second


def services_for(url: str, engine, slack: BenchSlack, *, speed: float = 1.0):
    settings = load_settings(SLACK_BOT_TOKEN="xoxb-bench", SLACK_API_URL=slack.url, DATABASE_URL=url)
    options = {}
    if "pacer" in inspect.signature(make_client).parameters:  # a bot that paces follows Slack's faster clock
        from bot.pacing import Pacer

        options["pacer"] = Pacer(speed=speed)
    return make_services(settings, make_session_factory(engine), client=make_client(settings, **options))


def _enqueue(services, batch: str, messages: int, people: int, group: str | None = None) -> None:
    """`messages` DMs spread over `people` people (of `group`, by default a group of their own)."""
    with services.transaction() as session:
        for index in range(messages):
            person = f"U{group or batch}{index % people:05d}"
            delivery.enqueue(session, key=f"bench:{batch}:{index}", channel=person, payload={"text": f"dm {index}"})


def _unsent(engine) -> int:
    with engine.connect() as connection:
        statement = select(func.count()).where(Outbox.status.in_(("pending", "sending")))
        return connection.execute(statement).scalar_one()


def _drain(services, engine, budget: float) -> tuple[float, int]:
    """Flush until the outbox is empty or `budget` seconds passed: (seconds, messages left)."""
    start = time.perf_counter()
    while time.perf_counter() - start < budget:
        report = services.delivery.flush()
        left = _unsent(engine)
        if not left:
            break
        if not report.sent:
            time.sleep(0.05)
    return time.perf_counter() - start, _unsent(engine)


def minimum(messages: int, people: int, opens: int) -> float:
    """The fewest seconds Slack's limits allow, at `SPEED`: opening `opens` DMs, then `messages / people` posts to
    each DM channel (channels in parallel)."""
    open_rate = PER_MINUTE["conversations.open"] / 60 * SPEED
    post_rate = PER_CHANNEL_PER_MINUTE["chat.postMessage"] / 60 * SPEED
    per_channel = messages / people
    return max(0.0, (opens - BURST - 1) / open_rate) + max(0.0, (per_channel - BURST - 1) / post_rate)


def run(backend: str, *, messages: int, people: int, record) -> None:
    with fresh(backend, "deliveries") as (url, engine):
        with BenchSlack() as slack:
            bare = WebClient(token="xoxb-bench", base_url=slack.url)
            start = time.perf_counter()
            for index in range(min(messages, 2000)):
                bare.chat_postMessage(channel=f"D{index % people}", text="bare")
            bare_rate = min(messages, 2000) / (time.perf_counter() - start)
            record("bare chat.postMessage, one client", bare_rate, "per s")
            services = services_for(url, engine, slack, speed=1000.0)
            _enqueue(services, "a", messages, people)
            seconds, left = _drain(services, engine, budget=600)
            label = f"{messages} DMs to {people} people"
            record(f"{label}, no limits: rate", (messages - left) / seconds, "per s", bare_rate)
            record(f"{label}: conversations.open calls", slack.count("conversations.open"), "")
        with BenchSlack(limited=True, speed=SPEED) as slack:
            services = services_for(url, engine, slack, speed=SPEED)
            _enqueue(services, "b", messages, people)
            least = minimum(messages, people, people)
            seconds, left = _drain(services, engine, budget=3 * least + 30)
            label = f"{messages} DMs to {people} new people against Slack's limits (x{SPEED})"
            record(f"{label}: drained in", seconds, "s", least)
            record(f"{label}: fastest the limits allow", least, "s")
            record(f"{label}: left undelivered", left, "messages")
            record(f"{label}: refused with 429", sum(slack.rejected.values()), "requests")
            record(f"{label}: conversations.open calls", slack.count("conversations.open"), "")
            opened = slack.count("conversations.open")
            _enqueue(services, "c", messages, people, group="b")  # the same people again
            least = minimum(messages, people, 0)
            seconds, left = _drain(services, engine, budget=3 * least + 30)
            label = f"{messages} more DMs to the same people (x{SPEED})"
            record(f"{label}: drained in", seconds, "s", least)
            record(f"{label}: fastest the limits allow", least, "s")
            record(f"{label}: left undelivered", left, "messages")
            record(f"{label}: conversations.open calls", slack.count("conversations.open") - opened, "")
