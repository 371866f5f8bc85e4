"""A stand-in for Slack's Web API on loopback, used by the tests and by `kenniskring console`."""

from __future__ import annotations

import json
import threading
from collections import defaultdict, deque
from dataclasses import dataclass, field
from email.message import Message
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from bot.standin.state import METHODS, REVOKED, Json, Workspace, auth_test, make_user, oauth_access

# Slack sends these as JSON strings inside form bodies; callers want them as structures.
JSON_FIELDS = frozenset({"blocks", "attachments", "view", "metadata", "files", "users"})
# serve_forever only notices shutdown() between polls; a short poll keeps stop() quick without sleeping.
POLL_SECONDS = 0.05


@dataclass
class Call:
    method: str  # Web API method, or "response_url" / "upload" for posts to those URLs
    body: dict[str, Any]
    token: str | None
    path: str = ""  # request path, e.g. "/response/r1", to tell response URLs apart


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes
    content_type: str = "application/json; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, payload: Json, status: int = 200, headers: dict[str, str] | None = None) -> Reply:
        # Serialised at once so later state changes cannot leak into a reply being written.
        return cls(status, json.dumps(payload).encode(), headers=headers or {})


@dataclass(frozen=True)
class Fault:
    status: int
    retry_after: int | None
    error: str | None = None  # Slack's error code, e.g. "not_in_channel" (answered with status 200, as Slack does)


def decode_fields(body: Json) -> Json:
    for key in JSON_FIELDS & body.keys():
        value = body[key]
        if isinstance(value, str) and value.lstrip()[:1] in ("[", "{"):
            body[key] = json.loads(value)
    return body


def parse_body(query: str, headers: Message, raw: bytes) -> Json:
    """Merges query string and body (form-encoded or JSON) into one dict."""
    body: Json = dict(parse_qsl(query, keep_blank_values=True))
    content_type = headers.get_content_type()
    if content_type == "application/json" and raw.strip():
        body.update(json.loads(raw))
    elif content_type in ("application/x-www-form-urlencoded", "text/plain"):
        body.update(parse_qsl(raw.decode(), keep_blank_values=True))
    return decode_fields(body)


def bearer_token(headers: Message, body: Json) -> str | None:
    auth = headers.get("Authorization", "")
    token = auth[len("Bearer ") :].strip() if auth.startswith("Bearer ") else body.pop("token", None)
    return token or None


def fault_reply(fault: Fault) -> Reply:
    status = HTTPStatus(fault.status)
    code = "ratelimited" if status == HTTPStatus.TOO_MANY_REQUESTS else status.phrase.lower().replace(" ", "_")
    code = fault.error or code
    headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
    return Reply.of({"ok": False, "error": code}, status=fault.status, headers=headers)


class SlackStandIn:
    """Serves the Web API methods the bot uses from memory and records every call made to it."""

    def __init__(self, *, bot_user_id: str = "UBOT", team_id: str = "T0001") -> None:
        self.workspace = Workspace(bot_user_id=bot_user_id, team_id=team_id)
        self.calls: list[Call] = []
        self.failures: list[Call] = []
        self._faults: defaultdict[str, deque[Fault]] = defaultdict(deque)
        self._refusing: Fault | None = None
        self._refused_channels: dict[str, str] = {}  # channel -> Slack's error for every call naming it
        self._lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------------------------------

    def start(self) -> SlackStandIn:
        if self._server is None:
            self._server = _Server(self)
            self.workspace.base = self.base
            self._thread = threading.Thread(
                target=self._server.serve_forever, args=(POLL_SECONDS,), name="slack-standin", daemon=True
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        server, thread, self._server, self._thread = self._server, self._thread, None, None
        if server is not None:
            server.shutdown()
            server.server_close()
        if thread is not None:
            thread.join()

    def __enter__(self) -> SlackStandIn:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def base(self) -> str:
        if self._server is None:
            raise RuntimeError("SlackStandIn is not started")
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def url(self) -> str:
        return f"{self.base}/api/"

    # -- inspection and set-up -------------------------------------------------------------------------------------

    @property
    def home_views(self) -> dict[str, Json]:
        return self.workspace.home_views

    @property
    def uploads(self) -> dict[str, bytes]:
        return self.workspace.uploads

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def clear(self) -> None:
        with self._lock:
            self.calls.clear()
            self.failures.clear()

    def fail_next(
        self,
        method: str,
        status: int = 200,
        *,
        times: int = 1,
        retry_after: int | None = None,
        error: str | None = None,
    ) -> None:
        """The next `times` calls of `method` fail: with an HTTP status, or (status 200) with Slack's `error` code."""
        with self._lock:
            self._faults[method].extend(Fault(status, retry_after, error) for _ in range(times))

    def deactivate(self, user_id: str) -> None:
        """The person leaves the workspace: users.info says deleted, and a DM to them is refused."""
        with self._lock:
            user = self.workspace.users.setdefault(user_id, make_user(user_id, name=user_id.lower()))
            user["deleted"] = True
            self._refused_channels["D" + user_id] = "account_inactive"
            self.workspace.gone.add(user_id)

    def reactivate(self, user_id: str) -> None:
        with self._lock:
            self.workspace.users.get(user_id, {}).pop("deleted", None)
            self._refused_channels.pop("D" + user_id, None)
            self.workspace.gone.discard(user_id)

    def refuse_channel(self, channel: str, error: str | None = "not_in_channel") -> None:
        """Every call naming `channel` fails with Slack's `error` (e.g. the bot removed, the channel archived) until
        `refuse_channel(channel, None)`."""
        with self._lock:
            if error is None:
                self._refused_channels.pop(channel, None)
            else:
                self._refused_channels[channel] = error

    def refuse_all(self, status: int | None = 503, *, retry_after: int | None = None) -> None:
        """Every call fails with `status` until `refuse_all(None)`: Slack unreachable or refusing."""
        with self._lock:
            self._refusing = None if status is None else Fault(status, retry_after)

    def tokens_of(self, team_id: str) -> list[str]:
        """The bot tokens oauth.v2.access gave out for a workspace."""
        with self._lock:
            return [token for token, team in self.workspace.tokens.items() if team == team_id]

    def revoke(self, team_id: str) -> None:
        """The workspace removed the app: its tokens are refused from now on."""
        with self._lock:
            for token in [token for token, team in self.workspace.tokens.items() if team == team_id]:
                self.workspace.tokens[token] = REVOKED

    def response_url(self, key: str = "r1") -> str:
        return f"{self.base}/response/{key}"

    def user(
        self,
        user_id: str,
        *,
        name: str,
        real_name: str | None = None,
        tz: str = "Europe/Amsterdam",
        locale: str = "nl-NL",
    ) -> None:
        with self._lock:
            self.workspace.users[user_id] = make_user(user_id, name=name, real_name=real_name, tz=tz, locale=locale)

    # -- request handling (called from server threads) -------------------------------------------------------------

    def handle(self, path: str, headers: Message, raw: bytes) -> Reply:
        try:
            return self._route(path, headers, raw)
        except json.JSONDecodeError:
            # Slack answers malformed JSON with an error body rather than dropping the connection.
            return Reply.of({"ok": False, "error": "invalid_json"})

    def _route(self, path: str, headers: Message, raw: bytes) -> Reply:
        parts = urlsplit(path)
        route, _, rest = parts.path.lstrip("/").partition("/")
        if route == "api":
            body = parse_body(parts.query, headers, raw)
            return self._api(Call(rest, body, bearer_token(headers, body), parts.path))
        if route == "response":
            return self._response_url(Call("response_url", parse_body(parts.query, headers, raw), None, parts.path))
        if route == "upload":
            return self._upload(Call("upload", {"file_id": rest, "bytes": raw, "length": len(raw)}, None, parts.path))
        return Reply.of({"ok": False, "error": "not_found"}, status=404)

    def _record(self, call: Call) -> Reply | None:
        """Logs the call; returns the injected failure when one is due for its method."""
        with self._lock:
            if self._refusing is not None:
                self.failures.append(call)
                return fault_reply(self._refusing)
            refused = self._refused_channels.get(str(call.body.get("channel") or call.body.get("channel_id") or ""))
            if refused is not None:
                self.failures.append(call)
                return fault_reply(Fault(200, None, refused))
            faults = self._faults.get(call.method)
            if faults:
                self.failures.append(call)
                return fault_reply(faults.popleft())
            self.calls.append(call)
            return None

    def _api(self, call: Call) -> Reply:
        if (fault := self._record(call)) is not None:
            return fault
        if call.method == "oauth.v2.access":  # the app's client id and secret, not a token
            with self._lock:
                return Reply.of(oauth_access(self.workspace, call.body))
        if not call.token:
            return Reply.of({"ok": False, "error": "not_authed"})
        if call.method == "auth.test":
            with self._lock:
                return Reply.of(auth_test(self.workspace, call.body, call.token))
        if self.workspace.tokens.get(call.token) == REVOKED:
            return Reply.of({"ok": False, "error": "token_revoked"})
        method = METHODS.get(call.method)
        if method is None:
            return Reply.of({"ok": False, "error": "unknown_method"})
        with self._lock:
            return Reply.of(method(self.workspace, call.body))

    def _response_url(self, call: Call) -> Reply:
        fault = self._record(call)
        return fault if fault is not None else Reply.of({"ok": True})

    def _upload(self, call: Call) -> Reply:
        if (fault := self._record(call)) is not None:
            return fault
        file_id = call.body["file_id"]
        with self._lock:
            if file_id not in self.workspace.pending_files:
                return Reply(404, b"file_not_found", "text/plain")
            self.workspace.uploads[file_id] = call.body["bytes"]
        # files.slack.com answers a successful upload with this plain-text line.
        return Reply(200, f"OK - {len(call.body['bytes'])}".encode(), "text/plain")


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, standin: SlackStandIn) -> None:
        self.standin = standin
        super().__init__(("127.0.0.1", 0), _Handler)


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_POST(self) -> None:
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self._send(self.server.standin.handle(self.path, self.headers, raw))

    do_GET = do_POST

    def _send(self, reply: Reply) -> None:
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(reply.body)

    def log_message(self, format: str, *args: Any) -> None:
        # Request lines on stderr would drown test and console output; calls are recorded instead.
        pass
