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
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from bot import observe
from bot.outbox import DmChannels, due_by_channel, is_person
from bot.retry import retry_after
from bot.slacktext import defuse
from store import people, workspaces
from store.db import SessionFactory
from store.models import Circle, Member, Outbox
from store.types import utcnow

log = logging.getLogger(__name__)

METADATA_TYPE = "kenniskring_message"
FLUSH_LOCK = 7_301_945
TRANSIENT_STATUS = (429, 500, 502, 503, 504)
TRANSIENT_ERRORS = ("ratelimited", "fatal_error", "internal_error", "service_unavailable", "request_timeout")
PARALLEL = 8  # channels sent to at once: each channel's messages still go one after another
INLINE_WAIT = 1.0  # a turn under Slack's limits this close is waited for; a later one is left for a later flush
PERSON_GONE = ("account_inactive", "user_not_found", "user_disabled")  # said of a DM: the person has left
DEAD_TOKEN = ("invalid_auth", "account_inactive", "token_revoked", "not_authed")  # the bot itself cannot speak
# On SQLite, a message 'sending' this long was left by a sender that is gone: one call takes at most its 10 s
# timeout, twice more on retries, so 60 s never cuts into a send still under way.
SETTLE_AFTER = timedelta(seconds=60)
REVOKED = ("invalid_auth", "token_revoked", "not_authed")  # said of a workspace's token: the bot was taken out
LOG_EVERY = timedelta(hours=1)
Clock = Callable[[], datetime]
Refused = Callable[[Session, int, str], object]  # (session, circle id, Slack's error code), in the same transaction


def enqueue(
    session: Session,
    *,
    key: str,
    channel: str,
    payload: dict[str, Any],
    method: str = "chat.postMessage",
    circle_id: int | None = None,
    subject: str | None = None,
    team_id: str | None = None,
) -> Outbox:
    """Add a message to the outbox in the caller's transaction; the same key twice gives the existing row.

    It goes out with the token of `team_id`, by default the workspace of its circle (see `workspace_of`); while that
    workspace has the bot uninstalled it is held until the bot is back."""
    existing = session.scalars(select(Outbox).where(Outbox.key == key)).first()
    if existing is not None:
        return existing
    if team_id is None:
        team_id, active = workspace_of(session, circle_id=circle_id, channel=channel)
    else:
        active = workspaces.active_team(session, team_id)
    status = "pending" if active else workspaces.HELD
    row = Outbox(
        key=key,
        channel=channel,
        payload=payload,
        method=method,
        circle_id=circle_id,
        subject=subject,
        team_id=team_id,
        status=status,
    )
    session.add(row)
    session.flush()
    return row


def workspace_of(session: Session, *, circle_id: int | None, channel: str) -> tuple[str | None, bool]:
    """The workspace a message belongs to, and whether posting there goes on (not paused): its circle's; else that of
    the circle in its channel; for a direct message without a circle, that of a circle the person belongs to."""
    if circle_id is not None:
        circle = session.get(Circle, circle_id)  # usually in the session already: the caller has just used it
        return (circle.team_id, circle.active) if circle is not None else (None, True)
    found = select(Circle.team_id, Circle.active)
    if is_person(channel):
        found = found.join(Member, Member.circle_id == Circle.id).where(Member.user_id == channel)
    else:
        found = found.where(Circle.channel_id == channel)
    row = session.execute(found.order_by(Circle.id).limit(1)).first()
    return (row.team_id, row.active) if row is not None else (None, True)


def refresh(session: Session, *, subject: str, payload: dict[str, Any], version: str) -> None:
    """Show a changed item in its channel post: rewrite the post while it waits, or queue a chat.update after it.

    `version` names the state shown (e.g. "opgelost:3"), so the same state is never sent twice.
    """
    statement = select(Outbox).where(Outbox.subject == subject, Outbox.method == "chat.postMessage")
    post = session.scalars(statement.order_by(Outbox.id)).first()
    if post is None or post.status in ("failed", "dropped"):
        return
    if post.status in ("pending", workspaces.HELD):
        post.payload = payload
        return
    enqueue(
        session,
        key=f"{post.key}:update:{version}",
        method="chat.update",
        channel=post.channel,
        payload={**payload, "ts": post.sent_ts, "_reply_to": post.id},
        circle_id=post.circle_id,
        team_id=post.team_id,
    )


@dataclass
class _Claimed:
    id: int
    key: str
    method: str
    payload: dict[str, Any]
    channel: str
    attempts: int
    team_id: str | None = None


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
    """Sends the outbox. One flush at a time per database (a transaction's advisory lock on PostgreSQL, a lock
    in-process); within a flush, channels go out in parallel, each channel's messages one after another."""

    def __init__(
        self,
        *,
        session_factory: SessionFactory,
        client: WebClient,
        clock: Clock = utcnow,
        lease_seconds: int = 300,
        parallel: int = PARALLEL,
        clients: Callable[[str | None], WebClient | None] | None = None,
    ) -> None:
        self.session_factory = session_factory
        self.client = client
        # The client for a message's workspace (bot.installations.Workspaces); one client for all when not given.
        self.clients = clients
        self.clock = clock
        self.lease = timedelta(seconds=lease_seconds)
        self.parallel = parallel
        self.dm_channels = DmChannels(session_factory)
        self._lock = threading.Lock()
        self._senders: ThreadPoolExecutor | None = None
        self.on_refused: Refused | None = None  # tells the circle's coordinators of a permanent refusal
        self._logged: dict[tuple[str, str], datetime] = {}  # (channel, error) -> when it was last logged
        self._guard = threading.Lock()
        self._limited = False  # a call met a 429: the next flush probes with one channel first
        self._settled = False  # whether this process has settled what an earlier one left half-sent
        self._settled_at: datetime | None = None  # on SQLite, looked again once SETTLE_AFTER has passed
        self._unsettled: set[int] = set()  # messages sent whose "sent" could not be written: settled next flush

    def flush(self, *, now: datetime | None = None, limit: int = 1000) -> FlushReport:
        """Send what is due, oldest first per channel; what must wait (Slack's limits, failures) stays queued."""
        report = FlushReport()
        with self._lock, self._database_lock():
            now = now or self.clock()
            self._settle(now)
            queues = due_by_channel(self.session_factory, now=now, lease=self.lease, limit=limit)
            self.dm_channels.load([(team, channel) for channel, rows in queues.items() for _, _, team in rows])
            work = [partial(self._send_channel, channel, rows, now, report) for channel, rows in queues.items()]
            try:
                if self._limited and len(work) > 1:
                    # Slack rate-limited the last flush: one channel tries first, alone. Still limited, the others find
                    # the method held (bot.pacing) and wait without a call; so a storm gets one call per Retry-After.
                    self._limited = False
                    work.pop(0)()
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

    def _settle(self, now: datetime) -> None:
        """Make messages left 'sending' by a sender that is gone due again, instead of after the lease: on PostgreSQL
        at this process's first flush (a start: whatever is 'sending' then was claimed by a process that died, since
        flushes take turns per database), on SQLite at any flush once SETTLE_AFTER has passed since the claim; and
        those whose "sent" this process failed to write. Each goes through the duplicate check again (its
        attempt still counts), so one that did go out is recorded, not doubled, and the channel's later messages
        no longer wait behind it."""
        postgres = self._is_postgres()
        recently = self._settled_at is not None and now - self._settled_at < SETTLE_AFTER
        if self._settled and not self._unsettled and (postgres or recently):
            return
        statement = update(Outbox).where(Outbox.status == "sending")
        if not postgres:
            # SQLite has no lock across processes: a `tick` from cron may be sending beside `run` at this moment.
            # What another process claimed within SETTLE_AFTER may still be on its way; older, its sender is gone.
            settled_ids = Outbox.id.in_(sorted(self._unsettled))
            statement = statement.where((Outbox.claimed_at < now - SETTLE_AFTER) | settled_ids)
        elif self._settled:
            statement = statement.where(Outbox.id.in_(sorted(self._unsettled)))
        with self.session_factory.begin() as session:
            settled = session.execute(statement.values(status="pending", next_attempt_at=now)).rowcount
        if settled:
            log.warning("%d message(s) left half-sent: checked and sent again now", settled)
        self._settled, self._settled_at = True, now
        self._unsettled.clear()

    def _pool(self) -> ThreadPoolExecutor:
        if self._senders is None:
            self._senders = ThreadPoolExecutor(max_workers=self.parallel, thread_name_prefix="delivery")
        return self._senders

    def _send_channel(
        self, channel: str, rows: list[tuple[int, str, str | None]], now: datetime, report: FlushReport
    ) -> None:
        """The channel's due messages in order, until one cannot go now: the later ones wait behind it. A message
        sent is recorded in the same transaction that takes the next one, so each costs one commit, not two."""
        sent: _Sent | None = None
        for row_id, method, team_id in rows:
            wait = self._turn(channel, method, team_id)
            if wait > INLINE_WAIT:
                report.postponed[row_id] = now + timedelta(seconds=wait)
                report.paced(wait)
                break
            try:
                claimed = self._claim(row_id, now, sent)
            except SQLAlchemyError:
                if sent is None or not self._record_again(sent, now):
                    raise
                claimed = self._claim(row_id, now)
            sent = None
            if claimed is None:
                break
            workspace = claimed.team_id or getattr(self.client, "workspace", "")
            outcome = observe.delivery(self._deliver, claimed, now, report, workspace=workspace)
            if outcome is False:
                break
            sent = outcome if isinstance(outcome, _Sent) else None
        if sent is not None:
            try:
                self._mark_sent(sent.id, sent.channel, sent.ts, now)
            except SQLAlchemyError:
                if not self._record_again(sent, now):
                    raise

    def _record_again(self, sent: _Sent, now: datetime) -> bool:
        """Writing "sent" failed (the database hiccuped): try once more; failing that, the message is settled at the
        next flush (its duplicate check finds it sent) rather than holding its channel for the whole lease."""
        try:
            self._mark_sent(sent.id, sent.channel, sent.ts, now)
            return True
        except SQLAlchemyError:
            log.exception("Could not record message %s as sent; settled at the next flush", sent.id)
            self._unsettled.add(sent.id)
            return False

    def _turn(self, channel: str, method: str, team_id: str | None = None) -> float:
        """Seconds until this message's calls have their turn under Slack's limits (the DM opened first if needed)."""
        client = self._client(team_id)
        pacer, workspace = getattr(client, "pacer", None), getattr(client, "workspace", "")
        if pacer is None:
            return 0.0
        if not is_person(channel):
            return pacer.delay(workspace, method, channel)
        known = self.dm_channels.get(team_id, channel)
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
                .returning(Outbox.key, Outbox.method, Outbox.payload, Outbox.channel, Outbox.attempts, Outbox.team_id)
                .execution_options(synchronize_session=False)
            ).first()
            if row is None:
                return None
            claimed = _Claimed(row_id, row.key, row.method, dict(row.payload), row.channel, row.attempts, row.team_id)
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
        message.team_id = self._own_workspace(message)
        client = self._client(message.team_id)
        if client is None:  # the workspace has no installation (now): held until it installs the bot again
            self._hold(message.id, message.key)
            return False
        try:
            channel = self._open_channel(message.channel, client, message.team_id)
            retaken = message.attempts > 1 and message.method == "chat.postMessage"
            ts = None
            if retaken:
                checked = self._check_posted(client, message, channel, now, report)
                if checked is False:
                    return False
                ts = checked if isinstance(checked, str) else None
            if ts is None:
                ts = self._send(client, message.method, channel, message.key, message.payload)
        except SlackApiError as error:
            if error.response.status_code == 429:  # not sent: back when Slack said (the pacer holds the method)
                self._limited = True
                wait = retry_after(dict(error.response.headers or {})) or 1.0
                self._release(message.id, now + timedelta(seconds=wait), f"429 {error.response.get('error')}")
                report.paced(wait)
                return False
            if error.response.get("error") == "channel_not_found" and is_person(message.channel):
                self.dm_channels.forget(message.team_id, message.channel)  # a DM channel gone: opened afresh next time
            return self._failed(message.id, message.key, error, now, report, message.channel, message.team_id)
        except OSError as error:  # connection refused, timeouts: the client's own retries are spent
            return self._defer(message.id, message.key, f"connection: {error}", now, 30.0, report)
        report.sent.append(message.key)
        return _Sent(message.id, channel, ts)

    def _client(self, team_id: str | None) -> WebClient | None:
        return self.clients(team_id) if self.clients is not None else self.client

    def _own_workspace(self, message: _Claimed) -> str | None:
        """A direct message to someone met in a shared channel goes through their own workspace's bot, if it has one;
        otherwise through that of the message's circle."""
        if self.clients is None or not is_person(message.channel):
            return message.team_id
        with self.session_factory() as session:
            own = workspaces.home_of(session, user_id=message.channel)
        return own if own and self.clients(own) is not None else message.team_id

    def _open_channel(self, target: str, client: WebClient, team_id: str | None) -> str:
        """A user id means a direct message: its DM channel, opened (conversations.open) only the first time."""
        if not is_person(target):
            return target
        known = self.dm_channels.get(team_id, target)
        if known is None:
            known = client.conversations_open(users=target)["channel"]["id"]
            self.dm_channels.keep(team_id, target, known)
        return known

    def _hold(self, row_id: int, key: str) -> None:
        with self.session_factory.begin() as session:
            statement = update(Outbox).where(Outbox.id == row_id).values(status=workspaces.HELD, attempts=0)
            session.execute(statement)
        log.info("Message %s held: its workspace has no installation", key)

    def _check_posted(
        self, client: WebClient, message: _Claimed, channel: str, now: datetime, report: FlushReport
    ) -> str | bool:
        """Whether an earlier attempt already posted this message: its ts; True when it did not, or when nobody can
        tell; False when the check must be asked again later (the message deferred, the channel waiting behind it).

        A check that fails is "unknown", never "not to be sent": the promise is that nothing is lost. A transient
        failure (rate limit, server error, timeout) defers the message and asks again later, so a second copy is
        avoided too. A permanent one (the bot may post but not read here: not_in_channel, missing_scope, …) will
        never answer, so the message is sent anyway: a possible second copy is the lesser harm than a lost one.
        """
        try:
            return self._already_posted(client, channel, message.key) or True
        except SlackApiError as error:
            reason = f"{error.response.status_code} {error.response.get('error')} (conversations.history)"
            if _is_transient(error):
                wait = retry_after(dict(error.response.headers or {})) or 0.0
                self._defer(message.id, message.key, reason, now, wait, report)
                return False
            log.warning("Cannot tell whether message %s went out (%s): sending it", message.key, reason)
            return True
        except OSError as error:
            self._defer(message.id, message.key, f"connection: {error} (conversations.history)", now, 30.0, report)
            return False

    def _already_posted(self, client: WebClient, channel: str, key: str) -> str | None:
        history = client.conversations_history(channel=channel, limit=50, include_all_metadata=True)
        for message in history.get("messages", []):
            metadata = message.get("metadata") or {}
            if metadata.get("event_type") == METADATA_TYPE and metadata.get("event_payload", {}).get("key") == key:
                return message.get("ts")
        return None

    def _send(self, client: WebClient, method: str, channel: str, key: str, payload: dict[str, Any]) -> str | None:
        arguments = {**defuse(payload), "channel": channel}
        if method == "chat.postMessage":
            arguments.setdefault("metadata", {"event_type": METADATA_TYPE, "event_payload": {"key": key}})
            arguments.setdefault("unfurl_links", False)
        response = client.api_call(method, json=arguments)
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

    def _failed(
        self,
        row_id: int,
        key: str,
        error: SlackApiError,
        now: datetime,
        report: FlushReport,
        target: str = "",
        team_id: str | None = None,
    ) -> bool:
        status = error.response.status_code
        if _is_transient(error, target):
            wait = retry_after(dict(error.response.headers or {})) or 0.0
            return self._defer(row_id, key, f"{status} {error.response.get('error')}", now, wait, report)
        if self.clients is not None and error.response.get("error") in REVOKED:
            # Installed per workspace: a token revoked between the uninstall and its event. Held, not lost: the
            # workspace's messages go out when it installs the bot again (store.workspaces), like those queued after.
            self._hold(row_id, key)
            report.deferred.append(key)
            return False
        # A permanent refusal (channel gone, bot removed): keep the row as failed, visible to the circle's
        # coordinators in the App Home, tell them once per kind of problem, and move on.
        code = str(error.response.get("error"))[:300]
        self._log_refusal(target, code, key, now)
        if is_person(target) and code in PERSON_GONE:
            self._person_gone(target, code, team_id)
        with self.session_factory.begin() as session:
            values = {"status": "failed", "last_error": code}
            session.execute(update(Outbox).where(Outbox.id == row_id).values(**values))
            circle_id = session.scalar(select(Outbox.circle_id).where(Outbox.id == row_id))
            # A dead token is the operator's to mend (in the log): the coordinators' DM could not go out either. A
            # DM refused concerns that person, not the circle's channel.
            tell = code not in DEAD_TOKEN and not is_person(target)
            if self.on_refused is not None and circle_id is not None and tell:
                self.on_refused(session, circle_id, code)
                report.paced(0.0)  # the coordinators' DMs go in the next round of this flush's caller
        report.failed.append(key)
        return True

    def _person_gone(self, person: str, code: str, team_id: str | None = None) -> None:
        """Slack says the person a DM was for has left: remembered, so nudges stop and their activities show as
        without initiator (store.people). `account_inactive` is also what a dead bot token gets: then Slack is
        asked about the person first, so a dead token never makes everyone "gone"."""
        if code == "account_inactive" and not self._deleted(person, team_id):
            return
        try:
            with self.session_factory.begin() as session:
                if people.mark_gone(session, user_id=person, reason=code):
                    log.info("%s has left the workspace (%s): no more nudges", person, code)
        except IntegrityError:  # another process remembered it at the same moment
            pass

    def _deleted(self, person: str, team_id: str | None = None) -> bool:
        client = self._client(team_id)
        if client is None:
            return False
        try:
            return bool(client.users_info(user=person)["user"].get("deleted"))
        except (SlackApiError, OSError):  # the token itself is dead, or Slack does not answer: nobody is marked
            return False

    def _log_refusal(self, target: str, code: str, key: str, now: datetime) -> None:
        """Log a refusal once per channel and error per hour, not once per message of a storm."""
        with self._guard:
            last = self._logged.get((target, code))
            if last is not None and now - last < LOG_EVERY:
                return
            self._logged[(target, code)] = now
        log.error("Slack refused message %s to %s: %s (logged once an hour per channel and error)", key, target, code)

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


def _is_transient(error: SlackApiError, target: str = "") -> bool:
    """Worth trying again later: Slack busy or down, or a person's DM channel gone (it is opened afresh). A
    channel that is not found, like every other refusal, stays refused."""
    code = error.response.get("error")
    if code == "channel_not_found":
        return is_person(target)
    return error.response.status_code in TRANSIENT_STATUS or code in TRANSIENT_ERRORS


class _NoLock:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


class _PostgresLock:
    """Serialises flushes across processes sharing one PostgreSQL database: a transaction-level advisory lock, held
    by a transaction of its own that stays open for the whole flush and ends with it. Behind PgBouncer in
    transaction mode that transaction keeps one server connection for the flush, and the lock cannot outlive it
    (a session-level lock could be left on a server connection that another client gets next, or be released on
    a different one)."""

    def __init__(self, session_factory: SessionFactory) -> None:
        self.engine = session_factory.kw["bind"]

    def __enter__(self) -> None:
        self.connection = self.engine.connect()
        try:
            self.transaction = self.connection.begin()
            self.connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": FLUSH_LOCK})
        except BaseException:
            self.connection.close()
            raise

    def __exit__(self, *exc: object) -> None:
        try:
            self.transaction.rollback()  # it wrote nothing: ending it releases the lock
        finally:
            self.connection.close()
