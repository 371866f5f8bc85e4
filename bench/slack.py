"""The Slack stand-in as the benchmarks need it: with Slack's round trip, and enforcing Slack's published limits.

Limits are judged here, independently of the bot's own pacing: a token bucket per workspace and method (and per
channel for chat.postMessage), refilled at the tier's rate. A request over the limit gets what Slack sends, a 429
with Retry-After. `speed` runs Slack's clock faster, so limits measured in minutes can be tried in seconds; the
Retry-After then counts real seconds of this faster clock.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from email.message import Message
from urllib.parse import urlsplit

from bot.standin.server import Reply, SlackStandIn, parse_body

# Per minute, per workspace and method: Tier 2 = 20, Tier 3 = 50, Tier 4 = 100 (api.slack.com/docs/rate-limits).
# chat.postMessage: about one message per second per channel, short bursts allowed.
PER_MINUTE = {
    "conversations.open": 50,
    "conversations.history": 50,
    "chat.update": 50,
    "chat.postEphemeral": 100,
    "views.publish": 100,
    "views.open": 100,
    "users.info": 100,
}
PER_CHANNEL_PER_MINUTE = {"chat.postMessage": 60}
BURST = 3  # what Slack tolerates beyond the steady rate, judged generously


@dataclass
class _Bucket:
    rate: float  # per second
    tokens: float
    stamp: float

    def take(self, now: float) -> float:
        """0 when the request may pass; else the seconds until it would have."""
        self.tokens = min(BURST + 1.0, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return 0.0
        return (1.0 - self.tokens) / self.rate


class BenchSlack(SlackStandIn):
    """The stand-in with a round-trip `latency` and, when `limited`, Slack's rate limits at `speed`."""

    def __init__(self, *, latency: float = 0.0, limited: bool = False, speed: float = 1.0) -> None:
        super().__init__()
        self.latency, self.limited, self.speed = latency, limited, speed
        self.rejected: dict[str, int] = {}
        self._buckets: dict[tuple[str, ...], _Bucket] = {}
        self._guard = threading.Lock()

    def handle(self, path: str, headers: Message, raw: bytes) -> Reply:
        if self.latency:
            time.sleep(self.latency)
        parts = urlsplit(path)
        route, _, method = parts.path.lstrip("/").partition("/")
        if self.limited and route == "api":
            wait = self._judge(method, headers, parts.query, raw)
            if wait:
                return Reply.of({"ok": False, "error": "ratelimited"}, 429, {"Retry-After": f"{wait:.3f}"})
        return super().handle(path, headers, raw)

    def _judge(self, method: str, headers: Message, query: str, raw: bytes) -> float:
        token = headers.get("Authorization", "")
        if method in PER_CHANNEL_PER_MINUTE:
            channel = str(parse_body(query, headers, raw).get("channel"))
            key, per_minute = (token, method, channel), PER_CHANNEL_PER_MINUTE[method]
        elif method in PER_MINUTE:
            key, per_minute = (token, method), PER_MINUTE[method]
        else:
            return 0.0
        now = time.monotonic()
        with self._guard:
            rate = per_minute / 60 * self.speed
            bucket = self._buckets.setdefault(key, _Bucket(rate, BURST + 1.0, now))
            wait = bucket.take(now)
            if wait:
                self.rejected[method] = self.rejected.get(method, 0) + 1
        return wait

    def count(self, method: str) -> int:
        return len(self.calls_to(method))
