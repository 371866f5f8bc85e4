"""Several real `kenniskring` processes on one PostgreSQL database: requests answered by any of them and scheduled
work done by all of them at once reach Slack exactly once each, every channel in its order."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, text

from bot.standin import SlackSimulator, SlackStandIn
from store.db import make_engine, make_session_factory, migrate
from store.models import Base, Outbox

pytestmark = pytest.mark.postgres

SIGNING_SECRET = "many-processes-secret"
ROOT = Path(__file__).resolve().parents[2]
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def wait_for(condition: Callable[[], object], *, within: float, what: str) -> object:
    """Poll `condition` until it holds, failing with `what` at the deadline; no fixed sleeps."""
    deadline = time.monotonic() + within
    pause = 0.02
    while True:
        found = condition()
        if found:
            return found
        if time.monotonic() > deadline:
            pytest.fail(f"not within {within:.0f}s: {what}")
        time.sleep(pause)
        pause = min(pause * 2, 0.5)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as reply:
            return reply.status == 200
    except (urllib.error.URLError, OSError):
        return False


class Processes:
    """`kenniskring` processes started by a test, each logging to its own file, all ended in teardown."""

    def __init__(self, environment: dict[str, str], logs: Path) -> None:
        self.environment, self.logs = environment, logs
        self.running: list[subprocess.Popen] = []

    def start(self, *arguments: str) -> subprocess.Popen:
        log = open(self.logs / f"process-{len(self.running)}.log", "w")  # noqa: SIM115 (closed with the process)
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", *arguments],
            cwd=self.logs,  # no .env of the checkout is read
            env=self.environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        process.log = log  # type: ignore[attr-defined]
        self.running.append(process)
        return process

    def output(self) -> str:
        return "\n".join(path.read_text() for path in sorted(self.logs.glob("process-*.log")))

    def stop(self) -> None:
        for process in self.running:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.running:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=15)
            process.log.close()  # type: ignore[attr-defined]


@pytest.fixture
def pg_factory(postgres_url: str) -> Iterator:
    engine = make_engine(postgres_url)
    migrate(engine)
    yield make_session_factory(engine)
    with engine.begin() as connection:
        connection.execute(text("SET LOCAL lock_timeout = '20s'"))
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())
    engine.dispose()


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn() as server:
        yield server


@pytest.fixture
def processes(postgres_url: str, standin: SlackStandIn, tmp_path: Path) -> Iterator[Processes]:
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith(("SLACK_", "KENNISKRING_", "PROMETHEUS"))
    }
    environment.update(
        SLACK_BOT_TOKEN="xoxb-many-processes",
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=standin.url,
        DATABASE_URL=postgres_url,
        PYTHONPATH=str(ROOT),
    )
    started = Processes(environment, tmp_path)
    yield started
    started.stop()


def sent_keys_by_channel(standin: SlackStandIn) -> dict[str, list[str]]:
    """What reached Slack: each posted message's key (carried as metadata), per channel, in arrival order."""
    found: dict[str, list[str]] = {}
    for call in standin.calls_to("chat.postMessage"):
        key = ((call.body.get("metadata") or {}).get("event_payload") or {}).get("key")
        found.setdefault(call.body["channel"], []).append(key)
    return found


def queued_keys_by_channel(session_factory) -> dict[str, list[str]]:
    """What the processes queued for channels, per channel, in the order it was queued."""
    with session_factory() as session:
        rows = session.execute(
            select(Outbox.channel, Outbox.key, Outbox.status)
            .where(Outbox.method == "chat.postMessage", Outbox.channel.like("C%"))
            .order_by(Outbox.id)
        ).all()
    found: dict[str, list[str]] = {}
    for channel, key, _status in rows:
        found.setdefault(channel, []).append(key)
    return found


def all_sent(session_factory) -> bool:
    with session_factory() as session:
        return not session.scalars(select(Outbox.id).where(Outbox.status != "sent")).first()


def test_three_processes_send_everything_once_in_order(processes, standin, pg_factory) -> None:
    ports = [free_port() for _ in range(3)]
    for port in ports:
        processes.start("run", "--http", "--host", "127.0.0.1", "--port", str(port))
    for port in ports:
        wait_for(
            lambda port=port: answers(f"http://127.0.0.1:{port}/healthz"),
            within=90,
            what=f"the process on {port} answers /healthz\n{processes.output()}",
        )
    slacks = [
        SlackSimulator(signing_secret=SIGNING_SECRET, url=f"http://127.0.0.1:{port}/slack/events") for port in ports
    ]
    channels = ["C1", "C2", "C3"]
    meeting_day = date.today() + timedelta(days=21)
    for number, channel in enumerate(channels):
        slack = slacks[number]
        assert slack.command("/kenniskring", f"start Kring {number}", user="U1", channel=channel).status == 200
        answer = slack.command(
            "/kenniskring", f"vergadering {meeting_day.isoformat()} 14:00 elke 6 weken Zaal {number}", channel=channel
        )
        assert answer.status == 200, answer.body

    filings = 0
    for round_ in range(4):  # each channel's filings arrive at every process in turn
        for number, channel in enumerate(channels):
            slack = slacks[(number + round_) % 3]
            filer = f"U{round_ + 2}"
            answer = slack.command("/klaagpaal", f"Klacht {round_} in {channel}", user=filer, channel=channel)
            assert answer.status == 200, answer.body
            filings += 1

    moment = datetime.combine(meeting_day, datetime.min.time().replace(hour=10), tzinfo=AMSTERDAM).isoformat()
    ticks = [processes.start("tick", "--now", moment) for _ in range(3)]
    for tick in ticks:
        assert tick.wait(timeout=120) == 0, processes.output()

    wait_for(lambda: all_sent(pg_factory), within=90, what="every queued message is sent")
    queued = queued_keys_by_channel(pg_factory)
    wait_for(
        lambda: (
            {channel: len(keys) for channel, keys in sent_keys_by_channel(standin).items() if channel in queued}
            == {channel: len(keys) for channel, keys in queued.items()}
        ),
        within=30,
        what="the stand-in received every queued channel message",
    )
    sent = sent_keys_by_channel(standin)
    for channel in channels:
        assert sent[channel] == queued[channel]  # nothing doubled, nothing lost, in the order queued
    everything = [key for keys in sent.values() for key in keys]
    assert len(everything) == len(set(everything))
    agendas = [key for key in everything if key.endswith(":agenda")]
    assert len(agendas) == 3  # one agenda per circle, though three processes ticked at once
    assert len([key for key in everything if key.startswith("klaagpaal:") and key.endswith(":post")]) == filings


def test_workers_share_one_port_and_end_with_their_parent(processes, standin, pg_factory) -> None:
    port = free_port()
    parent = processes.start("run", "--http", "--host", "127.0.0.1", "--port", str(port), "--workers", "2")
    wait_for(lambda: answers(f"http://127.0.0.1:{port}/healthz"), within=90, what=processes.output())
    slack = SlackSimulator(signing_secret=SIGNING_SECRET, url=f"http://127.0.0.1:{port}/slack/events")
    assert slack.command("/kenniskring", "start Kring Oost", user="U1", channel="C7").status == 200
    for number in range(6):
        assert slack.command("/klaagpaal", f"Klacht {number}", user="U2", channel="C7").status == 200

    wait_for(lambda: all_sent(pg_factory), within=60, what="every queued message is sent")
    wait_for(
        lambda: sent_keys_by_channel(standin).get("C7") == queued_keys_by_channel(pg_factory)["C7"],
        within=30,
        what="the channel's messages reached Slack once each, in order",
    )
    workers = subprocess.run(["pgrep", "-P", str(parent.pid)], capture_output=True, text=True).stdout.split()
    assert len(workers) == 2
    for _ in range(3):  # whichever worker answers the scrape counts the requests of both
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as reply:
            scraped = reply.read().decode()
        assert 'kenniskring_requests_total{kind="command",name="/klaagpaal",outcome="ok"} 6.0' in scraped

    parent.send_signal(signal.SIGTERM)
    assert parent.wait(timeout=30) == 0
    for pid in workers:
        wait_for(lambda pid=pid: not Path(f"/proc/{pid}").exists(), within=30, what=f"worker {pid} ended")
    assert not answers(f"http://127.0.0.1:{port}/healthz")
