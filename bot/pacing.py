"""Calls to Slack's Web API paced at Slack's published rate limits, per workspace and per method.

Slack limits each app per workspace (per token) and per method: Tier 2 about 20 calls a minute, Tier 3 about 50,
Tier 4 about 100, each with short bursts; chat.postMessage about one message a second per channel
(api.slack.com/docs/rate-limits). Every call the bot makes takes its turn in the lanes it needs (the method's, and
the channel's for chat.postMessage), so a burst of work is spread out instead of being refused. A 429 holds the
whole method in that workspace for its Retry-After, for every thread, not just the one message that met it.

`speed` runs the pacer's clock faster than Slack's, for tests and benchmarks that try minutes of limits in seconds.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.web import SlackResponse

from bot import metrics
from bot.retry import INTERACTIVE, retry_after

PER_MINUTE = {  # per workspace
    "conversations.open": 50,  # Tier 3
    "conversations.history": 50,  # Tier 3 (internal and Marketplace apps)
    "chat.update": 50,  # Tier 3
    "chat.delete": 50,  # Tier 3
    "reactions.add": 50,  # Tier 3
    "chat.postEphemeral": 100,  # Tier 4
    "chat.getPermalink": 100,
    "views.open": 100,  # Tier 4
    "views.push": 100,
    "views.update": 100,
    "views.publish": 100,  # Tier 4
    "users.info": 100,  # Tier 4
    "files.getUploadURLExternal": 20,  # Tier 2: an upload is rare and large
    "files.completeUploadExternal": 20,
}
PER_CHANNEL_PER_MINUTE = {"chat.postMessage": 60}  # about one a second per channel
BURST = 3  # calls that may go at once before the steady rate applies
MOST_WAIT = 10.0  # longest a call waits for its turn; beyond it, it is refused here as Slack would (Throttled)
INTERACTIVE_WAIT = 0.5  # the same for a call someone waits on within Slack's 3 seconds (opening a form)
Clock = Callable[[], float]
Sleep = Callable[[float], None]


@dataclass
class _Lane:
    """One limit, paced by the generic cell rate algorithm: `due` is when the next call would be on schedule."""

    interval: float
    burst: int
    due: float = 0.0
    held_until: float = 0.0

    def delay(self, now: float) -> float:
        wait = max(self.due - (self.burst - 1) * self.interval - now, self.held_until - now)
        return wait if wait > 1e-6 else 0.0  # what float arithmetic leaves over is no wait

    def take(self, start: float) -> None:
        self.due = max(self.due, start) + self.interval


class Throttled(SlackApiError):
    """A call that would have waited longer than MOST_WAIT for its turn: refused before it was sent, as a 429."""

    def __init__(self, client: WebClient, method: str, wait: float) -> None:
        response = SlackResponse(
            client=client,
            http_verb="POST",
            api_url=f"{client.base_url}{method}",
            req_args={},
            data={"ok": False, "error": "ratelimited"},
            headers={"Retry-After": f"{wait:.3f}"},
            status_code=429,
        )
        super().__init__(f"{method} waits {wait:.1f}s for its turn", response)
        self.wait = wait


class Pacer:
    """The lanes of every workspace and method (and channel, for chat.postMessage) the bot calls."""

    def __init__(self, *, speed: float = 1.0, clock: Clock = time.monotonic, sleep: Sleep = time.sleep) -> None:
        self.speed, self.clock, self.sleep = speed, clock, sleep
        self._lanes: dict[tuple[str, ...], _Lane] = {}
        self._guard = threading.Lock()

    def _lanes_of(self, workspace: str, method: str, channel: str | None) -> list[_Lane]:
        """The method's lane in this workspace (paced by its tier, or only held after a 429), and the channel's."""
        found = [self._lane((workspace, method), PER_MINUTE.get(method))]
        if method in PER_CHANNEL_PER_MINUTE and channel:
            found.append(self._lane((workspace, method, channel), PER_CHANNEL_PER_MINUTE[method]))
        return found

    def _lane(self, key: tuple[str, ...], per_minute: int | None) -> _Lane:
        lane = self._lanes.get(key)
        if lane is None:
            if len(self._lanes) > 20_000:  # channel lanes long idle hold nothing: forget them
                now = self.clock()
                self._lanes = {k: v for k, v in self._lanes.items() if v.due > now or v.held_until > now}
            interval = 60 / per_minute / self.speed if per_minute else 0.0
            lane = self._lanes[key] = _Lane(interval=interval, burst=BURST)
        return lane

    def delay(self, workspace: str, method: str, channel: str | None = None) -> float:
        """Seconds until a call would have its turn now, without taking it."""
        with self._guard:
            now = self.clock()
            return max((lane.delay(now) for lane in self._lanes_of(workspace, method, channel)), default=0.0)

    def take(self, workspace: str, method: str, channel: str | None = None, *, most: float = MOST_WAIT) -> float:
        """Take the next turn and wait for it: the seconds waited. Beyond `most`, nothing is taken: a ValueError."""
        with self._guard:
            now = self.clock()
            lanes = self._lanes_of(workspace, method, channel)
            wait = max((lane.delay(now) for lane in lanes), default=0.0)
            if wait > most:
                raise ValueError(wait)
            for lane in lanes:
                lane.take(now + wait)
        if wait > 0:
            metrics.rate_limit_wait(workspace, method, wait)
            self.sleep(wait)
        return wait

    def hold(self, workspace: str, method: str, seconds: float) -> None:
        """Slack answered 429 with Retry-After `seconds`: no call of this method in this workspace before then."""
        with self._guard:
            lane = self._lane((workspace, method), PER_MINUTE.get(method))
            lane.held_until = max(lane.held_until, self.clock() + seconds / self.speed)


class PacedClient(WebClient):
    """The Web API client with every call taking its turn with the pacer first."""

    def __init__(self, *args: Any, pacer: Pacer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pacer = pacer

    @property
    def workspace(self) -> str:
        return self.token or ""

    def api_call(self, api_method: str, **kwargs: Any) -> SlackResponse:  # type: ignore[override]
        try:
            most = INTERACTIVE_WAIT if api_method in INTERACTIVE else MOST_WAIT
            self.pacer.take(self.workspace, api_method, _channel(kwargs), most=most)
        except ValueError as waiting:
            raise Throttled(self, api_method, float(waiting.args[0])) from None
        try:
            return super().api_call(api_method, **kwargs)
        except SlackApiError as error:  # a 429 too long to wait for here: the method waits as long everywhere
            if error.response.status_code == 429:
                self.pacer.hold(self.workspace, api_method, retry_after(dict(error.response.headers or {})) or 1.0)
            raise

    def limited(self, request: HttpRequest, seconds: float) -> None:
        """For the retry handler: Slack answered this request 429, Retry-After `seconds`."""
        self.pacer.hold(self.workspace, method_of(request.url), seconds)


def _channel(arguments: dict[str, Any]) -> str | None:
    for part in ("json", "data", "params"):
        value = (arguments.get(part) or {}).get("channel")
        if value:
            return str(value)
    return None


def method_of(url: str) -> str:
    """The Web API method a request URL calls: https://slack.com/api/chat.postMessage → chat.postMessage."""
    return url.rstrip("/").rsplit("/", 1)[-1].split("?", 1)[0]
