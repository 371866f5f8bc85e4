"""Answer latency across web processes: `kenniskring run --http --workers N` for N = 1 and 4 on PostgreSQL, ten
clients at once, beside the bare Bolt app (one process) taking turns round by round on the same machine.

SQLite is left out: several processes writing one SQLite file is not a layout the bot is deployed in.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime

from bench import seed
from bench.databases import analyse, fresh
from bench.load import ROOT, SECRET, Client, Figures, Server, measure
from bench.slack import BenchSlack

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
WORKERS = (1, 4)
CLIENTS = 10
PROBE = ("/klaagpaal", "lijst")  # reads a page of the circle's items: a real answer, not only an acknowledgement


class Workers:
    """`kenniskring run --http --workers N` as deployed (no scheduler: the bench measures answers only)."""

    def __init__(self, environment: dict[str, str], workers: int) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        command = [sys.executable, "-m", "bot", "run", "--http", "--host", "127.0.0.1", "--port", str(port)]
        command += ["--workers", str(workers), "--no-scheduler"]
        env = {**os.environ, **environment, "SLACK_SIGNING_SECRET": SECRET, "PYTHONPATH": str(ROOT)}
        env["KENNISKRING_LOG_LEVEL"] = "ERROR"  # a line per request (or per queued request) is not what is measured
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
        self.url = f"http://127.0.0.1:{port}/slack/events"
        deadline = time.monotonic() + 120
        while not _answers(f"http://127.0.0.1:{port}/healthz"):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.process.kill()
                raise RuntimeError(f"`run --http --workers {workers}` did not start")
            time.sleep(0.1)

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as reply:
            return reply.status == 200
    except OSError:
        return False


def run(backend: str, *, size: int, samples: int, record) -> None:
    if backend != "postgresql":
        return
    with fresh(backend, "processes") as (url, engine), BenchSlack() as slack:
        people = seed.big_circle(engine, channel="C1", activities=size, klaagpaal=size, requests=size // 2, now=NOW)
        analyse(engine)
        environment = {"DATABASE_URL": url, "SLACK_API_URL": slack.url, "SLACK_BOT_TOKEN": "xoxb-bench"}
        command, text = PROBE
        with Server(environment, bare=True) as bare:
            for workers in WORKERS:
                with Workers(environment, workers) as bot:
                    clients = (Client(bare.url), Client(bot.url))
                    crowd = (Figures(), Figures())
                    for client in clients:  # warm every worker's caches and connections
                        measure(lambda _, c=client: c.command(command, text, user=people[0]), 4 * workers, CLIENTS)
                    for _ in range(4):  # the two servers take turns, round by round
                        for client, figures in zip(clients, crowd, strict=True):
                            send = lambda _, c=client: c.command(command, text, user=people[0])  # noqa: E731
                            figures.add(measure(send, samples, clients=CLIENTS))
                    bare_figures, bot_figures = crowd
                    name = f"{command} {text} at {size}, {workers} web process{'es' if workers > 1 else ''}"
                    record(f"{name}, {CLIENTS} clients p50", bot_figures.p50, "ms", bare_figures.p50)
                    record(f"{name}, {CLIENTS} clients p99", bot_figures.p99, "ms", bare_figures.p99)
                    record(f"{name}, {CLIENTS} clients unanswered", bot_figures.unanswered, f"of {4 * samples}")
