"""Load for the benchmarks: server processes, signed requests as Slack sends them, and latency figures.

A request counts as unanswered when no acknowledgement came within Slack's three seconds (or not a 200).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier

SECRET = "bench-signing-secret"
SLACK_TIMEOUT = 3.0
ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Figures:
    """Latencies in seconds of answered requests, how many went unanswered, and the size of the answers."""

    latencies: list[float] = field(default_factory=list)
    unanswered: int = 0
    sizes: list[int] = field(default_factory=list)

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]

    def add(self, other: Figures) -> None:
        self.latencies += other.latencies
        self.unanswered += other.unanswered
        self.sizes += other.sizes

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies) if self.latencies else float("nan")

    @property
    def p99(self) -> float:
        return self.percentile(0.99)

    @property
    def size(self) -> int:
        return max(self.sizes) if self.sizes else 0


class Server:
    """`python -m bench.serve` in a process of its own, so clients and server do not share one interpreter."""

    def __init__(self, environment: dict[str, str], *, bare: bool = False, afresh: bool = False) -> None:
        command = [
            sys.executable,
            "-m",
            "bench.serve",
            *(["--bare"] if bare else []),
            *(["--afresh"] if afresh else []),
        ]
        env = {**os.environ, **environment, "SLACK_SIGNING_SECRET": SECRET, "PYTHONPATH": str(ROOT)}
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        line = self.process.stdout.readline()
        if not line.startswith("PORT "):
            self.process.kill()
            raise RuntimeError(f"the bench server did not start: {line!r}")
        self.url = f"http://127.0.0.1:{int(line.split()[1])}/slack/events"

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.process.stdin.close()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class Client:
    """Builds, signs and sends Slack's requests: slash commands and events."""

    def __init__(self, url: str, team_id: str = "T0001") -> None:
        self.url, self.team_id = url, team_id
        self.verifier = SignatureVerifier(SECRET)

    def command(self, command: str, text: str, *, user: str = "U1", channel: str = "C1") -> tuple[float, int] | None:
        form = {
            "token": "legacy", "team_id": self.team_id, "channel_id": channel, "user_id": user, "command": command,
            "text": text, "api_app_id": "A0001", "response_url": "http://127.0.0.1:9/r", "trigger_id": "1.trigger",
        }  # fmt: skip
        return self._send(urlencode(form), "application/x-www-form-urlencoded")

    def home_opened(self, user: str) -> tuple[float, int] | None:
        event = {"type": "app_home_opened", "user": user, "channel": "D1", "tab": "home"}
        body = {"team_id": self.team_id, "api_app_id": "A0001", "type": "event_callback", "event": event,
                "event_id": f"Ev{user}{time.monotonic_ns()}", "event_time": int(time.time())}  # fmt: skip
        return self._send(json.dumps(body), "application/json")

    def _send(self, body: str, content_type: str) -> tuple[float, int] | None:
        """(seconds, answer size), or None when Slack would have given up."""
        stamp = str(int(time.time()))
        headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": self.verifier.generate_signature(timestamp=stamp, body=body),
        }
        request = urllib.request.Request(self.url, data=body.encode(), headers=headers, method="POST")
        start = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=SLACK_TIMEOUT) as reply:
                size = len(reply.read())
                status = reply.status
        except (urllib.error.URLError, TimeoutError, ConnectionError):
            return None
        elapsed = time.perf_counter() - start
        return (elapsed, size) if status == 200 and elapsed <= SLACK_TIMEOUT else None


def measure(send, count: int, clients: int = 1) -> Figures:
    """`count` calls of `send(index)` spread over `clients` concurrent clients."""
    figures, guard = Figures(), threading.Lock()

    def one(index: int) -> None:
        result = send(index)
        with guard:
            if result is None:
                figures.unanswered += 1
            else:
                figures.latencies.append(result[0])
                figures.sizes.append(result[1])

    if clients == 1:
        for index in range(count):
            one(index)
    else:
        with ThreadPoolExecutor(max_workers=clients) as pool:
            list(pool.map(one, range(count)))
    return figures
