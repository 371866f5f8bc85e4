"""What every handler needs, built once from the settings and passed down: database, delivery, clock, locale."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime

from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.config import Settings
from bot.delivery import Delivery
from store import keys, meetings
from store.db import SessionFactory
from store.models import Circle

log = logging.getLogger(__name__)


@dataclass
class Services:
    settings: Settings
    session_factory: SessionFactory
    client: WebClient
    delivery: Delivery
    clock: Callable[[], datetime]

    @property
    def locale(self) -> str:
        return self.settings.locale

    def filer_key(self, session: Session) -> bytes:
        """The secret for keyed hashes of anonymous filers: KENNISKRING_SECRET_KEY, else the database's own."""
        if self.settings.secret_key is not None:
            return self.settings.secret_key.get_secret_value().encode()
        return keys.instance_secret(session)

    def now(self) -> datetime:
        return self.clock()

    def today(self, circle: Circle) -> date:
        """The circle's calendar day now, in the circle's own zone (not the settings': a circle keeps its zone)."""
        return meetings.local_today(circle, self.clock())

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: committed when the block ends, rolled back whole when it raises."""
        with self.session_factory.begin() as session:
            yield session

    def deliver(self) -> None:
        """Send what the last transaction put in the outbox; what cannot go now stays queued for later.

        Never raises: what the user filed is already stored, and the scheduler retries whatever is left.
        """
        try:
            self.delivery.flush()
        except Exception:
            log.exception("Delivery failed; the outbox keeps the messages for the next attempt")
