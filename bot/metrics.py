"""Prometheus metrics, served at GET /metrics.

Counted as things happen: requests from Slack and the time to answer them, outbox messages handed to Slack (sent,
deferred, failed), waits for a turn under Slack's rate limits, and the lag of the scheduler's last tick. Read from
the database on each scrape, with one statement: the outbox's depth per status and the age of its oldest unsent
message; these are the same from every process.

With several web processes (`run --http --workers N`) the counters are kept in files under
PROMETHEUS_MULTIPROC_DIR and every process's /metrics sums them (prometheus_client's multiprocess mode). Processes
started separately (several `run --http` behind a balancer) each serve their own counters: scrape each one.
"""

from __future__ import annotations

import hashlib
import os
from datetime import datetime

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from sqlalchemy import Engine

from store.db import make_session_factory
from store.operations import NOT_SENT, outbox_status
from store.types import utcnow

CONTENT_TYPE = CONTENT_TYPE_LATEST
ANSWER_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0)

REQUESTS = Counter(
    "kenniskring_requests_total",
    "Requests from Slack, by kind (command, action, view, event, …), name and outcome (ok, refused, error)",
    ["kind", "name", "outcome"],
)
ANSWER_SECONDS = Histogram(
    "kenniskring_request_seconds",
    "Seconds from a request's arrival to its answer to Slack (the acknowledgement), by kind and name",
    ["kind", "name"],
    buckets=ANSWER_BUCKETS,
)
DELIVERIES = Counter(
    "kenniskring_deliveries_total",
    "Outbox messages handed to Slack, by method and outcome (sent, deferred, failed)",
    ["method", "outcome"],
)
DELIVERY_SECONDS = Histogram(
    "kenniskring_delivery_seconds", "Seconds one outbox message took to hand to Slack, by method", ["method"]
)
RATE_LIMIT_WAITS = Counter(
    "kenniskring_rate_limit_waits_total",
    "Calls to Slack that waited for their turn under its rate limits, per workspace and method",
    ["workspace", "method"],
)
RATE_LIMIT_WAIT_SECONDS = Counter(
    "kenniskring_rate_limit_wait_seconds_total",
    "Seconds calls to Slack waited for their turn under its rate limits, per workspace and method",
    ["workspace", "method"],
)
SCHEDULER_LAG = Gauge(
    "kenniskring_scheduler_lag_seconds",
    "Seconds between the moment the scheduler's last tick was due and the moment its work was done",
    multiprocess_mode="mostrecent",
)


def workspace_label(workspace: str) -> str:
    """A workspace as a label: a team id as it is; a token (the pacer keys by token) never, only a fingerprint."""
    if workspace.startswith(("xox", "xapp")):
        return "token-" + hashlib.sha256(workspace.encode()).hexdigest()[:10]
    return workspace or "-"


def rate_limit_wait(workspace: str, method: str, seconds: float) -> None:
    label = workspace_label(workspace)
    RATE_LIMIT_WAITS.labels(label, method).inc()
    RATE_LIMIT_WAIT_SECONDS.labels(label, method).inc(seconds)


def scheduler_lag(due: datetime, done: datetime) -> None:
    SCHEDULER_LAG.set(max((done - due).total_seconds(), 0.0))


class _Outbox:
    """The outbox's gauges, read from the database when scraped."""

    def __init__(self, engine: Engine, now: datetime) -> None:
        self.engine, self.now = engine, now

    def collect(self):
        with make_session_factory(self.engine)() as session:
            status = outbox_status(session, now=self.now)
        depth = GaugeMetricFamily(
            "kenniskring_outbox_messages", "Outbox messages not sent, by status", labels=["status"]
        )
        for name in NOT_SENT:
            depth.add_metric([name], status.counts.get(name, 0))
        yield depth
        yield GaugeMetricFamily(
            "kenniskring_outbox_oldest_pending_seconds",
            "Age of the oldest message waiting to be sent (0 when none waits)",
            value=status.oldest_pending_age or 0.0,
        )
        yield GaugeMetricFamily(
            "kenniskring_outbox_oldest_due_seconds",
            "How long the message due longest has been waiting for its turn (0 when none is due)",
            value=status.oldest_due_age or 0.0,
        )


def exposition(engine: Engine, *, now: datetime | None = None) -> bytes:
    """The text a scrape of /metrics gets: this process's (or all workers') counters, then the database's gauges."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        counted = CollectorRegistry()
        multiprocess.MultiProcessCollector(counted)
    else:
        counted = REGISTRY
    database = CollectorRegistry(auto_describe=False)
    database.register(_Outbox(engine, now or utcnow()))
    return generate_latest(counted) + generate_latest(database)
