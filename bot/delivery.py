"""The one path every bot message takes: stored in the outbox with what it announces, then sent in order.

A message is enqueued inside the caller's transaction, so it exists exactly when the item it announces exists.
`Delivery.flush` sends what is due, oldest first; a message that cannot be sent now stays pending and blocks the
later messages to the same channel, so a channel never sees them out of order. Each message has an idempotency
key: enqueueing the same key twice is a no-op, and a message whose sender died mid-send is looked up in the
channel's history (by that key, carried as message metadata) before it is sent again.

Independent channels go out in parallel, each call taking its turn under Slack's rate limits (bot.pacing): a turn
within INLINE_WAIT is waited for, a later one leaves the channel's message for a later flush at that moment. A
person's DM channel is opened once and kept (bot.outbox.DmChannels), not opened again for every message.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import case, literal, or_, select, text, update
from sqlalchemy.orm import Session

from bot.outbox import DmChannels, due_by_channel, is_person
from bot.retry import retry_after
from bot.slacktext import defuse
from store.db import SessionFactory
from store.models import Outbox
from store.types import utcnow

log = logging.getLogger(__name__)

METADATA_TYPE = "kenniskring_message"
FLUSH_LOCK = 7_301_945
TRANSIENT_STATUS = (429, 500, 502, 503, 504)
TRANSIENT_ERRORS = ("ratelimited", "fatal_error", "channel_not_found")  # the last: a DM channel to open afresh
PARALLEL = 8  # channels sent to at once: each channel's messages still go one after another
INLINE_WAIT = 1.0  # a turn under Slack's limits this close is waited for; a later one is left for a later flush
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
class _Sent:
    id: int
    channel: str
    ts: str | None


def _record_sent(session: Session, sent: _Sent, now: datetime) -> None:
    values = {"status": "sent", "sent_at": now, "sent_channel": sent.channel, "sent_ts": sent.ts, "last_error": None}
    session.execute(update(Outbox).where(Outbox.id == sent.id).values(**values))


@dataclass
class FlushReport:
    sent: list[str] = field(default_factory=list)
    deferred: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    # Seconds until the first message left for Slack's rate limits may go (None: none was left for them).
    again: float | None = None
    postponed: dict[int, datetime] = field(default_factory=dict)  # message → when its turn comes

    def paced(self, wait: float) -> None:
        self.again = wait if self.again is None else min(self.again, wait)


class Delivery:
    """Sends the outbox. One flush at a time per database (an advisory lock on PostgreSQL, a lock in-process);
    within a flush, channels go out in parallel, each channel's messages one after another."""

    def __init__(
        self,
        *,
        session_factory: SessionFactory,
        client: WebClient,
        clock: Clock = utcnow,
        lease_seconds: int = 300,
        parallel: int = PARALLEL,
    ) -> None:
        self.session_factory = session_factory
        self.client = client
        self.clock = clock
        self.lease = timedelta(seconds=lease_seconds)
        self.parallel = parallel
        self.dm_channels = DmChannels(session_factory)
        self._lock = threading.Lock()
        self._senders: ThreadPoolExecutor | None = None

    def flush(self, *, now: datetime | None = None, limit: int = 1000) -> FlushReport:
        """Send what is due, oldest first per channel; what must wait (Slack's limits, failures) stays queued."""
        report = FlushReport()
        with self._lock, self._database_lock():
            now = now or self.clock()
            queues = due_by_channel(self.session_factory, now=now, lease=self.lease, limit=limit)
            self.dm_channels.load([channel for channel in queues if is_person(channel)])
            work = [partial(self._send_channel, channel, rows, now, report) for channel, rows in queues.items()]
            try:
                if len(work) <= 1:
                    for job in work:
                        job()
                else:  # every channel finishes before the flush ends (and lets the next one begin); then any error
                    running = [self._pool().submit(job) for job in work]
                    wait(running)
                    for job in running:
                        job.result()
            finally:  # the messages left for their turn, every channel's at once
                self._postpone(report.postponed)
        return report

    def _pool(self) -> ThreadPoolExecutor:
        if self._senders is None:
            self._senders = ThreadPoolExecutor(max_workers=self.parallel, thread_name_prefix="delivery")
        return self._senders

    def _send_channel(self, channel: str, rows: list[tuple[int, str]], now: datetime, report: FlushReport) -> None:
        """The channel's due messages in order, until one cannot go now: the later ones wait behind it. A message
        sent is recorded in the same transaction that takes the next one, so each costs one commit, not two."""
        sent: _Sent | None = None
        for row_id, method in rows:
            wait = self._turn(channel, method)
            if wait > INLINE_WAIT:
                report.postponed[row_id] = now + timedelta(seconds=wait)
                report.paced(wait)
                break
            claimed, sent = self._claim(row_id, now, sent), None
            if claimed is None:
                break
            outcome = self._deliver(claimed, now, report)
            if outcome is False:
                break
            sent = outcome if isinstance(outcome, _Sent) else None
        if sent is not None:
            self._mark_sent(sent.id, sent.channel, sent.ts, now)

    def _turn(self, channel: str, method: str) -> float:
        """Seconds until this message's calls have their turn under Slack's limits (the DM opened first if needed)."""
        pacer, workspace = getattr(self.client, "pacer", None), getattr(self.client, "workspace", "")
        if pacer is None:
            return 0.0
        if not is_person(channel):
            return pacer.delay(workspace, method, channel)
        known = self.dm_channels.get(channel)
        opening = pacer.delay(workspace, "conversations.open") if known is None else 0.0
        return max(opening, pacer.delay(workspace, method, known))

    def _postpone(self, until: dict[int, datetime]) -> None:
        """Messages left for their turn under Slack's limits wait until then: one statement for all of them."""
        if not until:
            return
        with self.session_factory.begin() as session:
            statement = update(Outbox).where(Outbox.id.in_(list(until)), Outbox.status == "pending")
            moments = set(until.values())
            kind = Outbox.next_attempt_at.type
            whens = {row_id: literal(moment, kind) for row_id, moment in until.items()}
            moment = moments.pop() if len(moments) == 1 else case(whens, value=Outbox.id)
            session.execute(statement.values(next_attempt_at=moment).execution_options(synchronize_session=False))

    def _claim(self, row_id: int, now: datetime, sent: _Sent | None = None) -> _Claimed | None:
        """Take a message for sending (recording `sent`, the one before it, as sent); a message left 'sending' by a
        dead sender is taken over after the lease."""
        with self.session_factory.begin() as session:
            if sent is not None:
                _record_sent(session, sent, now)
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

    def _deliver(self, message: _Claimed, now: datetime, report: FlushReport) -> _Sent | bool:
        """Send one message: what was sent, to be recorded; else whether the channel's next message may go (True
        after a permanent refusal, False when this one waits and the later ones wait behind it)."""
        try:
            channel = self._open_channel(message.channel)
            retaken = message.attempts > 1 and message.method == "chat.postMessage"
            ts = self._already_posted(channel, message.key) if retaken else None
            if ts is None:
                ts = self._send(message.method, channel, message.key, message.payload)
        except SlackApiError as error:
            if error.response.status_code == 429:  # not sent: back when Slack said (the pacer holds the method)
                wait = retry_after(dict(error.response.headers or {})) or 1.0
                self._release(message.id, now + timedelta(seconds=wait), f"429 {error.response.get('error')}")
                report.paced(wait)
                return False
            if error.response.get("error") == "channel_not_found" and is_person(message.channel):
                self.dm_channels.forget(message.channel)  # a DM channel gone: opened afresh next time
            return self._failed(message.id, message.key, error, now, report)
        except OSError as error:  # connection refused, timeouts: the client's own retries are spent
            return self._defer(message.id, message.key, f"connection: {error}", now, 30.0, report)
        report.sent.append(message.key)
        return _Sent(message.id, channel, ts)

    def _open_channel(self, target: str) -> str:
        """A user id means a direct message: its DM channel, opened (conversations.open) only the first time."""
        if not is_person(target):
            return target
        known = self.dm_channels.get(target)
        if known is None:
            known = self.client.conversations_open(users=target)["channel"]["id"]
            self.dm_channels.keep(target, known)
        return known

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
            _record_sent(session, _Sent(row_id, channel, ts), now)

    def _release(self, row_id: int, until: datetime, reason: str) -> None:
        """Not sent, certainly: pending again until `until`, the attempt not counted (nothing to look up later)."""
        with self.session_factory.begin() as session:
            values = {
                "status": "pending",
                "attempts": Outbox.attempts - 1,
                "next_attempt_at": until,
                "last_error": reason,
            }
            session.execute(update(Outbox).where(Outbox.id == row_id).values(**values))

    def _failed(self, row_id: int, key: str, error: SlackApiError, now: datetime, report: FlushReport) -> bool:
        status = error.response.status_code
        if status in TRANSIENT_STATUS or error.response.get("error") in TRANSIENT_ERRORS:
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
