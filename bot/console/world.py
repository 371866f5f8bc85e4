"""The console's fixed little world: its people, its clock, its log, and what earlier sessions posted."""

from __future__ import annotations

import logging
import re
from collections import deque
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from sqlalchemy import select

from bot.i18n import t
from bot.standin.server import SlackStandIn
from store.db import SessionFactory
from store.models import Outbox
from store.types import utcnow

PEOPLE = (("U1", "anne"), ("U2", "bram"), ("U3", "chantal"))
MOMENT = re.compile(
    r"^\s*(?:([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})|([0-9]{1,2})-([0-9]{1,2})-([0-9]{4}))"
    r"(?:[ T]+([0-9]{1,2})[:.]([0-9]{2})(?::([0-9]{2}))?)?\s*$"
)
# Timestamps the stand-in hands out start here; a real Slack timestamp in the database is far later.
STANDIN_EPOCH = 1_700_000_000
MAX_SKIP = 1_000_000


@dataclass(frozen=True)
class Person:
    user_id: str
    handle: str  # what `:als` and user fields accept, e.g. "bram"
    full_name: str  # "Bram Jansen (aannemer)"

    @property
    def name(self) -> str:
        """How a mention shows: the name without the organisation in brackets."""
        return self.full_name.split(" (")[0]


def people(locale: str) -> list[Person]:
    return [Person(user_id, handle, t(f"console.person_{user_id}", locale)) for user_id, handle in PEOPLE]


class ConsoleClock:
    """The bot's clock: real time, moved to the moment of the last `:tick` and running on from there."""

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def __call__(self) -> datetime:
        return utcnow() + self.offset

    def move_to(self, moment: datetime) -> None:
        self.offset = moment - utcnow()


class LogRecords(logging.Handler):
    """Keeps the app's warnings and errors for `:log`, and counts errors so a step can say something went wrong."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: deque[logging.LogRecord] = deque(maxlen=30)
        self.errors = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)
        if record.levelno >= logging.ERROR:
            self.errors += 1

    def lines(self) -> list[str]:
        shown = []
        for record in self.records:
            first = record.getMessage().split("\n")[0][:200]
            cause = f" ({record.exc_info[1]!r:.200})" if record.exc_info and record.exc_info[1] else ""
            shown.append(f"{record.levelname} {record.name}: {first}{cause}")
        return shown


def parse_moment(text: str, zone: tzinfo, now: datetime) -> datetime | None:
    """`2026-12-08 09:00`, `2026-12-08T09:00`, `8-12-2026 9:00` or a bare date (09:00) in `zone`, as UTC.

    An empty text is the console's own now; a moment with an offset (`…+01:00`) keeps that offset.
    """
    if not text.strip():
        return now
    try:
        with_offset = datetime.fromisoformat(text.strip())
        if with_offset.tzinfo is not None:
            return with_offset.astimezone(UTC)
    except ValueError:
        pass
    match = MOMENT.match(text)
    if match is None:
        return None
    year, month, day = match.group(1, 2, 3) if match.group(1) else match.group(6, 5, 4)
    hour, minute, second = match.group(7) or "9", match.group(8) or "0", match.group(9) or "0"
    try:
        local = datetime.combine(date(int(year), int(month), int(day)), time(int(hour), int(minute), int(second)))
    except ValueError:
        return None
    return local.replace(tzinfo=zone).astimezone(UTC)


def restore_history(standin: SlackStandIn, session_factory: SessionFactory) -> None:
    """Put what earlier sessions posted back into the stand-in's channels, as last updated.

    Their buttons then work again (`:berichten`), and the stand-in hands out timestamps after theirs, so an
    update of an old post can never land on a new one.
    """
    statement = (
        select(Outbox.method, Outbox.sent_channel, Outbox.sent_ts, Outbox.payload)
        .where(Outbox.status == "sent", Outbox.method.in_(("chat.postMessage", "chat.update")))
        .where(Outbox.sent_ts.is_not(None), Outbox.sent_channel.is_not(None))
        .order_by(Outbox.id)
    )
    with session_factory() as session:
        rows = session.execute(statement).all()
    workspace, newest = standin.workspace, 0
    for method, channel, ts, payload in rows:
        shown = {key: payload[key] for key in ("text", "blocks", "attachments") if key in payload}
        if method == "chat.postMessage" and workspace.find(channel, ts) is None:
            workspace.messages.setdefault(channel, []).append({"type": "message", "ts": ts, "user": "UBOT", **shown})
        elif (message := workspace.find(channel, ts)) is not None:
            message.update(shown)
        newest = max(newest, _micros(ts))
    for _ in range(MAX_SKIP):
        if newest >= (STANDIN_EPOCH + 3600) * 1_000_000 or _micros(workspace.next_ts()) > newest:
            break


def _micros(ts: str) -> int:
    seconds, _, fraction = ts.partition(".")
    try:
        return int(seconds) * 1_000_000 + int((fraction + "000000")[:6])
    except ValueError:
        return 0
