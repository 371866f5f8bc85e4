"""The HTTP face of the bot: `POST /slack/events` for everything Slack sends; for operators `GET /healthz` (alive:
the database answers), `GET /readyz` (ready: schema at head, outbox moving; 503 with the reason otherwise) and
`GET /metrics` (Prometheus)."""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Callable, Iterable

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from sqlalchemy import Engine

from bot import metrics
from bot.health import not_ready
from store.db import ping

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
THREADS = 8  # requests served at once; the app's listener pool has as many threads


def wsgi_app(app: App, engine: Engine) -> Callable:
    """A WSGI application: health checks answered here, Slack's requests handed to Bolt."""
    slack = SlackRequestHandler(app, path=EVENTS_PATH)

    def application(environ: dict, start_response: Callable) -> Iterable[bytes]:
        path, reading = environ.get("PATH_INFO"), environ.get("REQUEST_METHOD") in ("GET", "HEAD")
        if path == "/healthz" and reading:
            healthy = ping(engine)
            body = b"ok\n" if healthy else b"database unreachable\n"
            start_response("200 OK" if healthy else "503 Service Unavailable", [("Content-Type", "text/plain")])
            return [body]
        if path == "/readyz" and reading:
            reason = not_ready(engine)
            start_response("200 OK" if reason is None else "503 Service Unavailable", [("Content-Type", "text/plain")])
            return [f"{reason or 'ready'}\n".encode()]
        if path == "/metrics" and reading:
            try:
                body = metrics.exposition(engine)
            except Exception as error:  # the database gauges could not be read: say so, as /readyz would
                log.warning("Metrics not served: %s", type(error).__name__)
                start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
                return [b"database unreachable\n"]
            start_response("200 OK", [("Content-Type", metrics.CONTENT_TYPE)])
            return [body]
        try:
            return slack(environ, start_response)
        except (ValueError, TypeError, AttributeError) as error:  # Bolt cannot read the body: broken JSON, no object
            log.warning("Refused a malformed request to %s: %s", environ.get("PATH_INFO"), type(error).__name__)
            start_response("400 Bad Request", [("Content-Type", "text/plain")])
            return [b"malformed request\n"]

    return application


def make_server(
    application: Callable,
    *,
    host: str = "",
    port: int = 0,
    threads: int = THREADS,
    loop_timeout: float = 1.0,
    sock: socket.socket | None = None,
):
    """A production WSGI server (waitress); `.run()` serves until `.close()`, noticed within `loop_timeout`.
    With `sock` it serves that listening socket (shared by the web workers) instead of opening one."""
    from waitress.server import create_server

    where = {"sockets": [sock]} if sock is not None else {"host": host, "port": port}
    return create_server(application, threads=threads, ident="kenniskring", asyncore_loop_timeout=loop_timeout, **where)


class ServerThread:
    """A server running in a background thread that can be stopped cleanly (tests, embedded use)."""

    def __init__(self, server) -> None:
        self.server = server
        self._closing = False
        self._thread = threading.Thread(target=self._run, name="kenniskring-http", daemon=True)

    @property
    def port(self) -> int:
        return self.server.effective_port

    def start(self) -> ServerThread:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._closing = True
        self.server.close()
        self._thread.join(timeout=5)
        self.server.task_dispatcher.shutdown(timeout=5)

    def _run(self) -> None:
        try:
            self.server.run()
        except (OSError, ValueError):
            # Closing the listening socket wakes the loop with a closed descriptor: expected while stopping.
            if not self._closing:
                raise
