"""What every handler needs, built once from the settings and passed down: database, delivery, clock, locale."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.background import Background
from bot.config import Settings
from bot.delivery import Delivery
from store.db import SessionFactory, reading

log = logging.getLogger(__name__)


@dataclass
class Services:
    settings: Settings
    session_factory: SessionFactory
    client: WebClient
    delivery: Delivery
    clock: Callable[[], datetime]
    background: Background = field(default_factory=Background)

    @property
    def locale(self) -> str:
        return self.settings.locale

    @property
    def zone(self) -> ZoneInfo:
        return self.settings.zone

    def now(self) -> datetime:
        return self.clock()

    def today(self) -> date:
        return self.clock().astimezone(self.zone).date()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: committed when the block ends, rolled back whole when it raises."""
        with self.session_factory.begin() as session:
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A unit of work that only reads: it never waits for the write lock (see store.db.reading)."""
        with reading(self.session_factory) as session:
            yield session

    def after_ack(
        self, work: Callable[[], object], *, key: str | None = None, on_error: Callable[[Exception], None] | None = None
    ) -> None:
        """Do slow work after the acknowledgement, off the threads that answer Slack (see bot.background)."""
        self.background.submit(work, key=key, on_error=on_error)

    def deliver(self) -> None:
        """Send what the last transaction put in the outbox, after the acknowledgement; what cannot go now stays
        queued for later. One flush waiting to start serves every request for one.

        Never raises: what the user filed is already stored, and the scheduler retries whatever is left.
        """
        self.after_ack(self._send_outbox, key="outbox", on_error=_delivery_failed)

    def _send_outbox(self) -> None:
        report = self.delivery.flush()
        if report.again is not None:  # messages left for their turn under Slack's limits: flush again by then
            timer = threading.Timer(min(report.again, 60.0), self._deliver_later)
            timer.daemon = True
            timer.start()

    def _deliver_later(self) -> None:
        try:
            self.deliver()
        except RuntimeError:  # the process is stopping: the scheduler's next start sends what is left
            log.info("Not sending the outbox now: stopping")


def _delivery_failed(error: Exception) -> None:
    log.error("Delivery failed; the outbox keeps the messages for the next attempt", exc_info=error)
