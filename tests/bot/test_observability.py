"""What an operator sees: /metrics, /readyz, and logs that say what happened without saying what anyone typed."""

from __future__ import annotations

import io
import json
import logging
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta

import pytest
from alembic import command
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from bot import logs, metrics, scheduler
from bot.pacing import Pacer
from bot.web import wsgi_app
from store.db import alembic_config, make_engine
from store.models import Outbox


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as reply:
            return reply.status, reply.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def samples(text: str) -> dict[tuple[str, tuple], float]:
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def counted(metric: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(metric, labels) or 0.0


def test_metrics_count_requests_and_deliveries(slack, standin, server_url, circle) -> None:
    requests = counted("kenniskring_requests_total", kind="command", name="/klaagpaal", outcome="ok")
    sent = counted("kenniskring_deliveries_total", method="chat.postMessage", outcome="sent")
    refused = counted("kenniskring_requests_total", kind="command", name="/klaagpaal", outcome="refused")
    answered = counted("kenniskring_request_seconds_count", kind="command", name="/klaagpaal")

    assert slack.command("/klaagpaal", "Te veel formulieren", user="U2").status == 200
    assert slack.command("/klaagpaal", "intrekken K-99", user="U2").status == 200  # refused: there is no K-99

    status, body = get(server_url + "/metrics")
    assert status == 200
    found = samples(body)
    assert counted("kenniskring_requests_total", kind="command", name="/klaagpaal", outcome="ok") == requests + 1
    assert counted("kenniskring_request_seconds_count", kind="command", name="/klaagpaal") == answered + 2
    assert counted("kenniskring_requests_total", kind="command", name="/klaagpaal", outcome="refused") == refused + 1
    assert counted("kenniskring_deliveries_total", method="chat.postMessage", outcome="sent") == sent + 1
    assert found[("kenniskring_outbox_messages", (("status", "pending"),))] == 0
    assert found[("kenniskring_outbox_oldest_pending_seconds", ())] == 0


def test_an_unsigned_request_does_not_name_a_metric(slack, server_url) -> None:
    before = counted("kenniskring_requests_total", kind="unverified", name="-", outcome="refused")
    assert slack.command("/anything-at-all", "x", signed=False).status == 401
    assert counted("kenniskring_requests_total", kind="unverified", name="-", outcome="refused") == before + 1
    assert "/anything-at-all" not in get(server_url + "/metrics")[1]


def test_the_outbox_gauges_and_readiness_follow_a_stuck_message(app, engine, session_factory) -> None:
    now = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    with session_factory.begin() as session:
        queued = now - timedelta(minutes=20)
        session.add(Outbox(key="k1", method="chat.postMessage", channel="C1", payload={"text": "x"}, created_at=queued))
        session.add(
            Outbox(
                key="k2",
                method="chat.postMessage",
                channel="C2",
                payload={"text": "y"},
                status="failed",
                created_at=now - timedelta(hours=2),
            )
        )
        session.add(  # deferred to later: waiting, but not due, so not stuck
            Outbox(
                key="k3",
                method="chat.postMessage",
                channel="C3",
                payload={"text": "z"},
                created_at=now - timedelta(hours=1),
                next_attempt_at=now + timedelta(minutes=5),
            )
        )

    found = samples(metrics.exposition(engine, now=now).decode())
    assert found[("kenniskring_outbox_messages", (("status", "pending"),))] == 2
    assert found[("kenniskring_outbox_messages", (("status", "failed"),))] == 1
    assert found[("kenniskring_outbox_oldest_pending_seconds", ())] == 3600
    assert found[("kenniskring_outbox_oldest_due_seconds", ())] == 20 * 60

    from bot.health import not_ready

    assert not_ready(engine, now=now) == "outbox stuck: a message due 20 minutes ago is not sent"
    assert not_ready(engine, now=now - timedelta(minutes=10)) is None


def test_readyz_answers_ready(server_url) -> None:
    assert get(server_url + "/readyz") == (200, "ready\n")


def test_readyz_refuses_a_schema_behind_the_code(app, tmp_path) -> None:
    behind = make_engine(f"sqlite:///{tmp_path}/behind.db")
    command.upgrade(alembic_config(behind), "0007_dm_channels")
    responses: list[str] = []
    body = wsgi_app(app, behind)({"PATH_INFO": "/readyz", "REQUEST_METHOD": "GET"}, lambda s, h: responses.append(s))
    assert responses == ["503 Service Unavailable"]
    assert b"".join(body).startswith(b"database schema at 0007_dm_channels, this code expects 0")


def test_readyz_refuses_without_a_database(app, tmp_path) -> None:
    gone = make_engine(f"sqlite:///{tmp_path}/missing/dir/k.db")
    responses: list[str] = []
    body = wsgi_app(app, gone)({"PATH_INFO": "/readyz", "REQUEST_METHOD": "GET"}, lambda s, h: responses.append(s))
    assert responses == ["503 Service Unavailable"] and b"".join(body) == b"database unreachable\n"


def test_rate_limit_waits_are_counted_per_workspace_never_by_token() -> None:
    pacer = Pacer(clock=lambda: 100.0, sleep=lambda seconds: None)
    label = metrics.workspace_label("xoxb-secret-token")
    before = counted("kenniskring_rate_limit_waits_total", workspace=label, method="chat.postMessage")
    for _ in range(5):  # a burst of three goes at once; the fourth and fifth wait their turn
        pacer.take("xoxb-secret-token", "chat.postMessage", "C1")
    assert counted("kenniskring_rate_limit_waits_total", workspace=label, method="chat.postMessage") == before + 2
    assert "secret" not in label and label.startswith("token-")


def test_the_scheduler_lag_is_the_time_from_due_to_done(services, clock) -> None:
    clock.now = datetime(2026, 12, 1, 9, 30, 7, tzinfo=UTC)  # the 09:30 tick, done seven seconds late
    scheduler._minute(services)
    assert REGISTRY.get_sample_value("kenniskring_scheduler_lag_seconds") == 7


@pytest.fixture
def json_log() -> io.StringIO:
    stream = io.StringIO()
    root = logging.getLogger()
    level = root.level
    handler = logs.setup("json", "DEBUG", stream=stream)
    yield stream
    root.removeHandler(handler)
    root.setLevel(level)


def test_json_logs_name_requests_and_deliveries_never_text_or_token(json_log, slack, circle) -> None:
    secret = "Zeldzame-klacht-over-de-wethouder-7391"
    assert slack.command("/klaagpaal", secret, user="U2").status == 200

    lines = [json.loads(line) for line in json_log.getvalue().splitlines()]  # every line is one JSON object
    output = json_log.getvalue()
    assert secret not in output and "xoxb-test" not in output
    [request] = [line for line in lines if line["message"] == "request" and line.get("name") == "/klaagpaal"]
    assert request["kind"] == "command" and request["workspace"] == "T0001" and request["channel"] == "C1"
    assert request["outcome"] == "ok" and request["latency_ms"] >= 0
    [delivery] = [line for line in lines if line["message"] == "delivery" and line["key"].startswith("klaagpaal:")]
    assert delivery["method"] == "chat.postMessage" and delivery["outcome"] == "sent"
    assert delivery["key"].startswith("klaagpaal:") and delivery["workspace"] == "T0001"
    assert any(line["level"] == "debug" for line in lines) or len(lines) >= 2


def test_tokens_are_masked_in_any_line() -> None:
    assert logs.mask("calling with xoxb-123-456-abc and xapp-1-A-2") == "calling with xoxb-… and xapp-…"
