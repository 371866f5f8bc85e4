"""Web API retries: rate limits honour Retry-After, server errors and dropped connections back off.

slack_sdk's handlers sleep with `time.sleep`; ours take the sleep as a parameter, so tests pass time instead of
waiting, and a long Retry-After is left to the outbox (which reschedules) rather than blocking a worker.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, ServerErrorRetryHandler
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

Sleep = Callable[[float], None]
Limited = Callable[[HttpRequest, float], None]
SERVER_ERRORS = (500, 502, 503, 504)
# Calls made while someone waits for an answer within Slack's 3 seconds (a trigger_id expires then): a 429 is not
# slept through; the user is asked to try again instead (bot.errors_handler).
INTERACTIVE = ("views.open",)


def retry_after(headers: dict | None) -> float | None:
    """Seconds from a Retry-After header, in whatever shape the client hands the headers over."""
    for name, value in (headers or {}).items():
        if name.lower() == "retry-after":
            raw = value[0] if isinstance(value, list | tuple) else value
            try:
                return max(0.0, float(raw))
            except (TypeError, ValueError):
                return None
    return None


class _SleepInjected(RetryHandler):
    def __init__(self, *, max_retry_count: int, sleep: Sleep, **kwargs) -> None:
        super().__init__(max_retry_count=max_retry_count, **kwargs)
        self.sleep = sleep

    def prepare_for_next_attempt(self, *, state: RetryState, request: HttpRequest, response=None, error=None) -> None:
        state.next_attempt_requested = True
        self.sleep(self.interval_calculator.calculate_sleep_duration(state.current_attempt))
        state.increment_current_attempt()


class RateLimitRetry(_SleepInjected):
    """Retries a 429 after exactly the Retry-After Slack asked for, when that is short enough to wait for; tells
    `on_limited` first, so every other call of the method waits as long (the pacer holds the whole method)."""

    def __init__(
        self,
        *,
        max_retry_count: int = 3,
        max_wait: float = 10.0,
        sleep: Sleep = time.sleep,
        on_limited: Limited | None = None,
    ) -> None:
        super().__init__(max_retry_count=max_retry_count, sleep=sleep)
        self.max_wait = max_wait
        self.on_limited = on_limited

    def _can_retry(self, *, state: RetryState, request: HttpRequest, response=None, error=None) -> bool:
        if response is None or response.status_code != 429:
            return False
        if request.url.rstrip("/").rsplit("/", 1)[-1].split("?", 1)[0] in INTERACTIVE:
            return False
        wait = retry_after(response.headers)
        return wait is None or wait <= self.max_wait

    def prepare_for_next_attempt(
        self, *, state: RetryState, request: HttpRequest, response: HttpResponse | None = None, error=None
    ) -> None:
        state.next_attempt_requested = True
        wait = retry_after(response.headers if response else None)
        wait = 1.0 if wait is None else wait
        if self.on_limited is not None:
            self.on_limited(request, wait)
        self.sleep(wait)
        state.increment_current_attempt()


class ServerErrorRetry(ServerErrorRetryHandler):
    def __init__(self, *, max_retry_count: int = 2, sleep: Sleep = time.sleep) -> None:
        super().__init__(max_retry_count=max_retry_count, interval_calculator=BackoffRetryIntervalCalculator())
        self.sleep = sleep

    def _can_retry(self, *, state: RetryState, request: HttpRequest, response=None, error=None) -> bool:
        return response is not None and response.status_code in SERVER_ERRORS

    prepare_for_next_attempt = _SleepInjected.prepare_for_next_attempt


class ConnectionErrorRetry(ConnectionErrorRetryHandler):
    def __init__(self, *, max_retry_count: int = 2, sleep: Sleep = time.sleep) -> None:
        super().__init__(max_retry_count=max_retry_count, interval_calculator=BackoffRetryIntervalCalculator())
        self.sleep = sleep

    prepare_for_next_attempt = _SleepInjected.prepare_for_next_attempt


def retry_handlers(sleep: Sleep = time.sleep, on_limited: Limited | None = None) -> list[RetryHandler]:
    return [
        RateLimitRetry(sleep=sleep, on_limited=on_limited),
        ServerErrorRetry(sleep=sleep),
        ConnectionErrorRetry(sleep=sleep),
    ]
