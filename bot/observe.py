"""One log line and the metrics for every request from Slack and every outbox message handed to Slack.

A request is named by what it is (a command, a button's action id, a form's callback id, an event's type) and
where (workspace, channel), never by what was typed; a delivery by method, channel and the message's key.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext, BoltRequest, BoltResponse

from bot import metrics

requests_log = logging.getLogger("kenniskring.request")
deliveries_log = logging.getLogger("kenniskring.delivery")
OUTCOME = "kenniskring_outcome"  # set in the context by the error handler: refused (a user error) or error


def describe(body: dict[str, Any]) -> tuple[str, str]:
    """(kind, name) of a request: ("command", "/klaagpaal"), ("action", "klaagpaal_herkenbaar"), …"""
    if body.get("command"):
        return "command", str(body["command"])
    kind = body.get("type")
    if kind in ("block_actions", "block_suggestion"):
        actions = body.get("actions") or [{}]
        return ("action" if kind == "block_actions" else "options"), str(
            actions[0].get("action_id") or body.get("action_id") or "-"
        )
    if kind in ("view_submission", "view_closed"):
        return "view", str((body.get("view") or {}).get("callback_id") or "-")
    if kind in ("shortcut", "message_action"):
        return "shortcut", str(body.get("callback_id") or "-")
    if kind == "event_callback":
        return "event", str((body.get("event") or {}).get("type") or "-")
    return "other", str(kind or "-")


def outcome_of(status: int, context: BoltContext | dict) -> str:
    marked = context.get(OUTCOME) if context is not None else None
    if status >= 500:
        return "error"
    if status >= 400:
        return "refused"
    return marked or "ok"


def observed_dispatch(app: App) -> None:
    """Wrap the app's dispatch (HTTP and Socket Mode both come through it): time it, count it, log one line."""
    dispatch = app.dispatch

    def observed(request: BoltRequest) -> BoltResponse:
        started = time.perf_counter()
        status = 500
        try:
            response = dispatch(request)
            status = response.status
            return response
        finally:
            seconds = time.perf_counter() - started
            context = request.context or {}
            outcome = outcome_of(status, context)
            body = request.body if isinstance(request.body, dict) else {}
            # An unsigned request names whatever it likes: not as a label, or anyone could grow the metrics.
            kind, name = describe(body) if status != 401 else ("unverified", "-")
            metrics.REQUESTS.labels(kind, name, outcome).inc()
            metrics.ANSWER_SECONDS.labels(kind, name).observe(seconds)
            requests_log.info(
                "request",
                extra={
                    "fields": {
                        "workspace": context.get("team_id") if status != 401 else None,
                        "channel": context.get("channel_id") if status != 401 else None,
                        "kind": kind,
                        "name": name,
                        "status": status,
                        "outcome": outcome,
                        "latency_ms": round(seconds * 1000, 1),
                    }
                },
            )

    app.dispatch = observed  # type: ignore[method-assign]


def delivery(deliver: Callable[..., Any], message: Any, *arguments: Any, workspace: str = "") -> Any:
    """Hand one claimed outbox message to Slack through `deliver`, logging and counting what came of it: a sent
    message (an object), a refusal (True: the channel goes on) or a wait (False)."""
    started = time.perf_counter()
    outcome = "error"
    try:
        result = deliver(message, *arguments)
        outcome = "failed" if result is True else "deferred" if result is False else "sent"
        return result
    finally:
        seconds = time.perf_counter() - started
        metrics.DELIVERIES.labels(message.method, outcome).inc()
        metrics.DELIVERY_SECONDS.labels(message.method).observe(seconds)
        deliveries_log.info(
            "delivery",
            extra={
                "fields": {
                    "workspace": metrics.workspace_label(workspace),
                    "method": message.method,
                    "channel": message.channel,
                    "key": message.key,
                    "outcome": outcome,
                    "latency_ms": round(seconds * 1000, 1),
                }
            },
        )
