"""Speaks to the app the way Slack does: signed slash commands, button presses, modal submissions and events.

The console uses it in-process; the tests use it over HTTP against the real server. Both exercise the same
request verification, parsing, listeners and acknowledge-then-continue threading as production traffic.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from slack_bolt import App, BoltRequest
from slack_sdk.signature import SignatureVerifier


class ListenerPool(ThreadPoolExecutor):
    """Runs listeners in threads exactly as in production, and lets a caller wait until their work is done.

    Bolt answers Slack as soon as a listener acknowledges and lets the listener go on in this pool; the console
    and the tests then `drain()` the pool, so they see everything a request led to without waiting on a clock.
    """

    def __init__(self, max_workers: int = 8) -> None:
        super().__init__(max_workers=max_workers, thread_name_prefix="listener")
        self._pending: set[Future] = set()
        self._guard = threading.Lock()

    def submit(self, fn: Callable, /, *args: Any, **kwargs: Any) -> Future:
        future = super().submit(fn, *args, **kwargs)
        with self._guard:
            self._pending.add(future)
        future.add_done_callback(self._finished)
        return future

    def _finished(self, future: Future) -> None:
        with self._guard:
            self._pending.discard(future)

    def drain(self, timeout: float = 60) -> None:
        """Return once every listener started so far (and any it started) has finished."""
        while True:
            with self._guard:
                pending = list(self._pending)
            if not pending:
                return
            wait(pending, timeout=timeout)


@dataclass
class Answer:
    """What the app answered: the HTTP status and the acknowledgement body (JSON when it is JSON)."""

    status: int
    body: str

    @property
    def json(self) -> dict[str, Any]:
        return json.loads(self.body) if self.body and self.body.lstrip().startswith("{") else {}

    @property
    def text(self) -> str:
        return self.json.get("text", self.body if not self.body.lstrip().startswith("{") else "")


class SlackSimulator:
    """Builds Slack's payloads, signs them, and sends them to `app` in-process or to `url` over HTTP."""

    def __init__(
        self,
        *,
        signing_secret: str,
        app: App | None = None,
        url: str | None = None,
        team_id: str = "T0001",
        response_url: str = "http://127.0.0.1:9/response",
        clock: Callable[[], float] = time.time,
        pool: ListenerPool | None = None,
    ) -> None:
        self.verifier = SignatureVerifier(signing_secret)
        self.pool = pool
        self.app, self.url, self.team_id = app, url, team_id
        self.response_url = response_url
        self.clock = clock
        self._triggers = 0
        # Channels shared with other workspaces (Slack Connect): payloads from them say so, as Slack's do.
        self.shared: set[str] = set()

    # -- building payloads -------------------------------------------------------------------------------------
    def command(self, command: str, text: str = "", *, user: str = "U1", channel: str = "C1", **signing: Any) -> Answer:
        form = {
            "token": "legacy",
            "team_id": self.team_id,
            "team_domain": "kenniskring",
            "channel_id": channel,
            "channel_name": "kenniskring",
            "user_id": user,
            "user_name": user.lower(),
            "command": command,
            "text": text,
            "api_app_id": "A0001",
            "response_url": self.response_url,
            "trigger_id": self._trigger(),
        }
        if channel in self.shared:
            form["is_ext_shared_channel"] = "true"
        return self.send(urlencode(form), "application/x-www-form-urlencoded", **signing)

    def press(
        self, action_id: str, value: str, *, user: str = "U1", channel: str | None = "C1", message_ts: str | None = None
    ) -> Answer:
        container = (
            {"type": "message", "message_ts": message_ts or "0", "channel_id": channel}
            if channel
            else {"type": "view", "view_id": "VHOME"}
        )
        payload: dict[str, Any] = {
            "type": "block_actions",
            "team": {"id": self.team_id},
            "user": {"id": user, "username": user.lower(), "team_id": self.team_id},
            "api_app_id": "A0001",
            "container": container,
            "trigger_id": self._trigger(),
            "actions": [{"action_id": action_id, "block_id": "b", "value": value, "type": "button", "action_ts": "1"}],
        }
        if channel:
            payload["channel"] = {"id": channel}
            payload["message"] = {"ts": message_ts or "0", "type": "message"}
            payload["response_url"] = self.response_url
            if channel in self.shared:
                payload["is_ext_shared_channel"] = True
        return self.send_payload(payload)

    def submit(self, view: dict[str, Any], values: dict[str, Any], *, user: str = "U1") -> Answer:
        """Submit a modal the bot opened, with `values` by block_id (strings, dates, lists for checkboxes).

        A field `values` does not name keeps what the modal showed in it, as Slack submits an untouched field with
        its initial value; name it with None to submit it emptied.
        """
        state = {
            block["block_id"]: {
                block["element"].get("action_id", "value"): _state(
                    block["element"],
                    values[block["block_id"]] if block["block_id"] in values else _initial(block["element"]),
                )
            }
            for block in view.get("blocks", [])
            if block.get("type") == "input"
        }
        payload = {
            "type": "view_submission",
            "team": {"id": self.team_id},
            "user": {"id": user, "username": user.lower(), "team_id": self.team_id},
            "api_app_id": "A0001",
            "trigger_id": self._trigger(),
            "view": {**view, "id": "V0001", "team_id": self.team_id, "state": {"values": state}, "hash": "h"},
        }
        return self.send_payload(payload)

    def event(self, event: dict[str, Any]) -> Answer:
        body = {
            "token": "legacy",
            "team_id": self.team_id,
            "api_app_id": "A0001",
            "type": "event_callback",
            "event": event,
            "event_id": f"Ev{self._trigger()}",
            "event_time": int(self.clock()),
        }
        if event.get("channel") in self.shared:
            body["is_ext_shared_channel"] = True
        return self.send(json.dumps(body), "application/json")

    def send_payload(self, payload: dict[str, Any]) -> Answer:
        return self.send(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")

    # -- signing and sending -----------------------------------------------------------------------------------
    def headers(self, body: str, *, age: float = 0, signature: str | None = None, signed: bool = True) -> dict:
        timestamp = str(int(self.clock() - age))
        headers = {"X-Slack-Request-Timestamp": timestamp}
        if signed:
            headers["X-Slack-Signature"] = signature or self.verifier.generate_signature(timestamp=timestamp, body=body)
        return headers

    def send(self, body: str, content_type: str, **signing: Any) -> Answer:
        """Send a request as Slack would; with a pool, return once the work it started has finished too."""
        answer = self._send(body, content_type, **signing)
        if self.pool is not None:
            self.pool.drain()
        return answer

    def _send(self, body: str, content_type: str, **signing: Any) -> Answer:
        headers = {"Content-Type": content_type, **self.headers(body, **signing)}
        if self.app is not None:
            lowered = {name.lower(): [value] for name, value in headers.items()}
            response = self.app.dispatch(BoltRequest(body=body, headers=lowered))
            return Answer(response.status, response.body)
        request = urllib.request.Request(self.url, data=body.encode(), headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=30) as reply:
                return Answer(reply.status, reply.read().decode())
        except urllib.error.HTTPError as error:
            return Answer(error.code, error.read().decode())

    def _trigger(self) -> str:
        self._triggers += 1
        return f"{self._triggers}.trigger"


def _initial(element: dict[str, Any]) -> Any:
    """What an element shows before anyone touches it, in the shape `_state` takes."""
    kind = element.get("type")
    if kind == "datepicker":
        return element.get("initial_date")
    if kind == "timepicker":
        return element.get("initial_time")
    if kind == "users_select":
        return element.get("initial_user")
    if kind == "multi_users_select":
        return element.get("initial_users")
    if kind in ("checkboxes", "multi_static_select"):
        return [option["value"] for option in element.get("initial_options") or []] or None
    if kind in ("static_select", "radio_buttons"):
        return (element.get("initial_option") or {}).get("value")
    return element.get("initial_value")


def _state(element: dict[str, Any], value: Any) -> dict[str, Any]:
    kind = element.get("type")
    if kind == "datepicker":
        return {"type": kind, "selected_date": value}
    if kind == "users_select":
        return {"type": kind, "selected_user": value}
    if kind == "multi_users_select":
        return {"type": kind, "selected_users": list(value or [])}
    if kind in ("checkboxes", "multi_static_select"):
        return {"type": kind, "selected_options": [{"value": v} for v in value or []]}
    if kind in ("static_select", "radio_buttons"):
        return {"type": kind, "selected_option": {"value": value} if value else None}
    return {"type": kind or "plain_text_input", "value": value}
