"""The one path every bot message takes: stored in the outbox with what it announces, then sent in order.

A message is enqueued inside the caller's transaction, so it exists exactly when the item it announces exists.
`Delivery.flush` sends what is due, oldest first; a message that cannot be sent now stays pending and blocks the
later messages to the same channel, so a channel never sees them out of order. Each message has an idempotency
key: enqueueing the same key twice is a no-op, and a message whose sender died mid-send is looked up in the
channel's history (by that key, carried as message metadata) before it is sent again.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import or_, select, text, update
from sqlalchemy.orm import Session

from bot.retry import retry_after
from bot.slacktext import defuse
from store.db import SessionFactory
from store.models import Outbox
from store.types import utcnow

log = logging.getLogger(__name__)

METADATA_TYPE = "kenniskring_message"
FLUSH_LOCK = 7_301_945
TRANSIENT_STATUS = (429, 500, 502, 503, 504)
Clock = Callable[[], datetime]


def enqueue(
    session: Session,
    *,
    key: str,
    channel: str,
    payload: dict[str, Any],
    method: str = "chat.postMessage",
    circle_id: int | None = None,
    subject: str | None = None,
) -> Outbox:
    """Add a message to the outbox in the caller's transaction; the same key twice gives the existing row."""
    existing = session.scalars(select(Outbox).where(Outbox.key == key)).first()
    if existing is not None:
        return existing
    row = Outbox(key=key, channel=channel, payload=payload, method=method, circle_id=circle_id, subject=subject)
    session.add(row)
    session.flush()
    return row


def refresh(session: Session, *, subject: str, payload: dict[str, Any], version: str) -> None:
    """Show a changed item in its channel post: rewrite the post while it waits, or queue a chat.update after it.

    `version` names the state shown (e.g. "opgelost:3"), so the same state is never sent twice.
    """
    statement = select(Outbox).where(Outbox.subject == subject, Outbox.method == "chat.postMessage")
    post = session.scalars(statement.order_by(Outbox.id)).first()
    if post is None or post.status == "failed":
        return
    if post.status == "pending":
        post.payload = payload
        return
    enqueue(
        session,
        key=f"{post.key}:update:{version}",
        method="chat.update",
        channel=post.channel,
        payload={**payload, "ts": post.sent_ts, "_reply_to": post.id},
        circle_id=post.circle_id,
    )


@dataclass
class _Claimed:
    id: int
    key: str
    method: str
    payload: dict[str, Any]
    channel: str
    attempts: int


@dataclass
class FlushReport:
    sent: list[str] = field(default_factory=list)
    deferred: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


class Delivery:
    """Sends the outbox. One flush at a time per database (an advisory lock on PostgreSQL, a lock in-process)."""

    def __init__(
        self, *, session_factory: SessionFactory, client: WebClient, clock: Clock = utcnow, lease_seconds: int = 300
    ) -> None:
        self.session_factory = session_factory
        self.client = client
        self.clock = clock
        self.lease = timedelta(seconds=lease_seconds)
        self._lock = threading.Lock()

    def flush(self, *, now: datetime | None = None, limit: int = 500) -> FlushReport:
        report = FlushReport()
        with self._lock, self._database_lock():
            now = now or self.clock()
            blocked: set[str] = set()
            for row_id, channel, due in self._unsent(limit):
                if channel in blocked:
                    continue
                claimed = self._claim(row_id, now) if due <= now else None
                if claimed is None or not self._deliver(claimed, now, report):
                    blocked.add(channel)
        return report

    def _unsent(self, limit: int) -> list[tuple[int, str, datetime]]:
        with self.session_factory() as session:
            statement = (
                select(Outbox.id, Outbox.channel, Outbox.next_attempt_at)
                .where(Outbox.status.in_(("pending", "sending")))
                .order_by(Outbox.id)
                .limit(limit)
            )
            return [tuple(row) for row in session.execute(statement)]

    def _claim(self, row_id: int, now: datetime) -> _Claimed | None:
        """Take a message for sending; a message left 'sending' by a dead sender is taken over after the lease."""
        with self.session_factory.begin() as session:
            row = session.execute(
                update(Outbox)
                .where(Outbox.id == row_id)
                .where(
                    or_(
                        Outbox.status == "pending",
                        (Outbox.status == "sending") & (Outbox.claimed_at < now - self.lease),
                    )
                )
                .values(status="sending", claimed_at=now, attempts=Outbox.attempts + 1)
                .returning(Outbox.key, Outbox.method, Outbox.payload, Outbox.channel, Outbox.attempts)
                .execution_options(synchronize_session=False)
            ).first()
            if row is None:
                return None
            claimed = _Claimed(row_id, row.key, row.method, dict(row.payload), row.channel, row.attempts)
            original = claimed.payload.pop("_reply_to", None)
            if original is not None:  # an update of an earlier post: its ts is known now that the post went out
                post = session.get(Outbox, original)
                claimed.payload["ts"], claimed.channel = post.sent_ts, post.sent_channel or post.channel
            parent = claimed.payload.pop("_thread_of", None)
            if parent is not None:  # a reply in the thread of an earlier post, once that post has its ts
                post = session.get(Outbox, parent)
                if post is not None and post.sent_ts:
                    claimed.payload["thread_ts"], claimed.channel = post.sent_ts, post.sent_channel or post.channel
            return claimed

    def _deliver(self, message: _Claimed, now: datetime, report: FlushReport) -> bool:
        try:
            channel = self._open_channel(message.channel)
            retaken = message.attempts > 1 and message.method == "chat.postMessage"
            ts = self._already_posted(channel, message.key) if retaken else None
            if ts is None:
                ts = self._send(message.method, channel, message.key, message.payload)
        except SlackApiError as error:
            return self._failed(message.id, message.key, error, now, report)
        except OSError as error:  # connection refused, timeouts: the client's own retries are spent
            return self._defer(message.id, message.key, f"connection: {error}", now, 30.0, report)
        self._mark_sent(message.id, channel, ts, now)
        report.sent.append(message.key)
        return True

    def _open_channel(self, target: str) -> str:
        """A user id means a direct message: open (or find) the DM channel first."""
        if target[:1] in ("U", "W"):
            return self.client.conversations_open(users=target)["channel"]["id"]
        return target

    def _already_posted(self, channel: str, key: str) -> str | None:
        history = self.client.conversations_history(channel=channel, limit=50, include_all_metadata=True)
        for message in history.get("messages", []):
            metadata = message.get("metadata") or {}
            if metadata.get("event_type") == METADATA_TYPE and metadata.get("event_payload", {}).get("key") == key:
                return message.get("ts")
        return None

    def _send(self, method: str, channel: str, key: str, payload: dict[str, Any]) -> str | None:
        arguments = {**defuse(payload), "channel": channel}
        if method == "chat.postMessage":
            arguments.setdefault("metadata", {"event_type": METADATA_TYPE, "event_payload": {"key": key}})
            arguments.setdefault("unfurl_links", False)
        response = self.client.api_call(method, json=arguments)
        return response.get("ts") or response.get("message_ts")

    def _mark_sent(self, row_id: int, channel: str, ts: str | None, now: datetime) -> None:
        with self.session_factory.begin() as session:
            values = {"status": "sent", "sent_at": now, "sent_channel": channel, "sent_ts": ts, "last_error": None}
            session.execute(update(Outbox).where(Outbox.id == row_id).values(**values))

    def _failed(self, row_id: int, key: str, error: SlackApiError, now: datetime, report: FlushReport) -> bool:
        status = error.response.status_code
        if status in TRANSIENT_STATUS or error.response.get("error") in ("ratelimited", "fatal_error"):
            wait = retry_after(dict(error.response.headers or {})) or 0.0
            return self._defer(row_id, key, f"{status} {error.response.get('error')}", now, wait, report)
        # A permanent refusal (channel gone, bot removed): keep the row as failed, visible, and move on.
        log.error("Slack refused message %s: %s", key, error.response.get("error"))
        with self.session_factory.begin() as session:
            values = {"status": "failed", "last_error": str(error.response.get("error"))[:300]}
            session.execute(update(Outbox).where(Outbox.id == row_id).values(**values))
        report.failed.append(key)
        return True

    def _defer(self, row_id: int, key: str, reason: str, now: datetime, wait: float, report: FlushReport) -> bool:
        with self.session_factory.begin() as session:
            attempts = session.get(Outbox, row_id).attempts
            backoff = max(wait, min(15 * 2 ** (attempts - 1), 900))
            values = {"status": "pending", "next_attempt_at": now + timedelta(seconds=backoff), "last_error": reason}
            session.execute(update(Outbox).where(Outbox.id == row_id).values(**values))
        log.warning("Message %s deferred %.0fs: %s", key, backoff, reason)
        report.deferred.append(key)
        return False

    def _database_lock(self):
        return _PostgresLock(self.session_factory) if self._is_postgres() else _NoLock()

    def _is_postgres(self) -> bool:
        return self.session_factory.kw["bind"].dialect.name == "postgresql"


class _NoLock:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


class _PostgresLock:
    """Serialises flushes across processes sharing one PostgreSQL database."""

    def __init__(self, session_factory: SessionFactory) -> None:
        self.connection = session_factory.kw["bind"].connect()

    def __enter__(self) -> None:
        self.connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": FLUSH_LOCK})
        self.connection.commit()

    def __exit__(self, *exc: object) -> None:
        self.connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": FLUSH_LOCK})
        self.connection.commit()
        self.connection.close()
