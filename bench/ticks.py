"""The scheduler over a whole region: `tick` with nothing due, and with 1% of the activities due, each run as cron
runs it (a process of its own, so its peak memory is its own)."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta

from bench import seed
from bench.databases import analyse, fresh
from bench.deliveries import services_for
from bench.load import ROOT
from bench.slack import BenchSlack

DAY = date(2026, 12, 1)  # a Tuesday; the quiet day after is Wednesday 2 December


def _moment(day: date, hour: int, minute: int = 30) -> datetime:
    """Local time in Amsterdam in winter, as UTC."""
    return datetime(day.year, day.month, day.day, hour - 1, minute, tzinfo=UTC)


def probe(environment: dict[str, str], now: datetime) -> dict:
    """One tick at `now`: its seconds, statements, outbox afterwards, and the process's peak memory in MB (measured
    by the process itself, see bench.tick_probe)."""
    env = {**os.environ, **environment, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "bench.tick_probe", "--now", now.isoformat()]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    output, _ = process.communicate()
    if process.returncode != 0:
        raise RuntimeError(f"tick at {now.isoformat()} failed")
    return json.loads(output.strip().splitlines()[-1])


def run(backend: str, *, circles: int, activities: int, repeats: int, record) -> None:
    with fresh(backend, "region") as (url, engine), BenchSlack() as slack:
        start = time.perf_counter()
        shape = seed.region(engine, circles=circles, activities=activities, day=DAY, agendas_due=max(1, circles // 100))
        analyse(engine)
        record(f"region seeded: {shape['circles']} circles, {shape['activities']} activities", 0, "")
        record("region seeding took", time.perf_counter() - start, "s")
        environment = {"DATABASE_URL": url, "SLACK_API_URL": slack.url, "SLACK_BOT_TOKEN": "xoxb-bench"}
        first = probe(environment, _moment(DAY - timedelta(days=1), 3, 0))
        label = "tick, the first over a region loaded in bulk (works out every activity's next nudge once)"
        record(label, first["seconds"], "s")
        record(f"{label}: peak memory", first["rss_mb"], "MB")
        _quiet(environment, _moment(DAY, 3, 0), "03:00", repeats, record)
        due = probe(environment, _moment(DAY, 9, 30))
        label = f"tick, 1% due ({shape['due']} nudges, {max(1, circles // 100)} agendas) at 09:30"
        record(label, due["seconds"], "s")
        record(f"{label}: statements", due["statements"], "")
        record(f"{label}: peak memory", due["rss_mb"], "MB")
        record(f"{label}: sent in the tick", due["outbox"].get("sent", 0), "messages")
        record(f"{label}: left for later", due["outbox"].get("pending", 0), "messages")
        _drain(url, engine, slack)
        _quiet(environment, _moment(DAY + timedelta(days=1), 9, 30), "09:30 (sending hour)", repeats, record)


def _quiet(environment: dict[str, str], first: datetime, label: str, repeats: int, record) -> None:
    runs = [probe(environment, first + timedelta(minutes=minute)) for minute in range(repeats)]
    record(f"tick, nothing due at {label}", statistics.median(r["seconds"] for r in runs), "s")
    record(f"tick, nothing due at {label}: statements", statistics.median(r["statements"] for r in runs), "")
    record(f"tick, nothing due at {label}: peak memory", max(r["rss_mb"] for r in runs), "MB")


def _drain(url: str, engine, slack: BenchSlack) -> None:
    """Send whatever the 1% tick left, so the next quiet tick has nothing waiting either."""
    services = services_for(url, engine, slack, speed=1000.0)
    moment = _moment(DAY, 23, 0)
    for _ in range(100):
        report = services.delivery.flush(now=moment)
        if not report.sent:
            return
