"""What every handler needs, built once from the settings and passed down: database, delivery, clock, languages."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime

from slack_sdk import WebClient
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot.answers import Answers
from bot.background import Background
from bot.config import Settings
from bot.delivery import Delivery
from bot.installations import SealedInstallationStore, Workspaces
from bot.languages import Languages
from store import circles, keys, meetings
from store.db import SessionFactory, reading
from store.models import Circle

log = logging.getLogger(__name__)


@dataclass
class Services:
    settings: Settings
    session_factory: SessionFactory
    client: WebClient
    delivery: Delivery
    clock: Callable[[], datetime]
    languages: Languages
    background: Background = field(default_factory=Background)
    answers: Answers = field(default_factory=Answers)  # pages made once, given again while still true
    # With OAuth installs: the sealed installation store, and each workspace's client (bot.installations).
    installations: SealedInstallationStore | None = None
    workspaces: Workspaces | None = None

    @property
    def locale(self) -> str:
        """The deployment's language: a new circle's, and the last resort for anyone else."""
        return self.settings.locale

    def locale_for(
        self, user_id: str | None, team_id: str | None = None, channel_id: str | None = None, *, ask: bool = True
    ) -> str:
        """The language to answer one person in: their Slack's; else that of the circle in the channel they acted
        in; else the deployment's. What goes to the circle's channel is in the circle's language (`circle.locale`).

        `ask=False` when asking Slack about the person now would tie them to what they do: filing anonymously."""
        language = self.languages.of(team_id, user_id, ask=ask) if user_id else None
        return language or self._circle_locale(team_id, channel_id) or self.locale

    def _circle_locale(self, team_id: str | None, channel_id: str | None) -> str | None:
        if not (team_id and channel_id):
            return None
        try:
            with self.transaction() as session:
                circle = circles.find(session, team_id=team_id, channel_id=channel_id)
                return circle.locale if circle is not None else None
        except SQLAlchemyError:  # telling someone the database failed must not fail on the database as well
            log.warning("Could not read the language of the circle in %s", channel_id)
            return None

    def filer_key(self, session: Session) -> tuple[bytes, ...]:
        """The secrets for keyed hashes of anonymous filers: KENNISKRING_SECRET_KEY (new items are tagged with it),
        then the earlier ones of KENNISKRING_SECRET_KEY_OLD, so a filer still finds what they filed before a
        rotation; without a configured key, the database's own."""
        return filer_keys(self.settings, session)

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


def filer_keys(settings: Settings, session: Session) -> tuple[bytes, ...]:
    """See Services.filer_key; also what the operator's command line uses."""
    configured = tuple(key.encode() for key in settings.secret_keys)
    return configured or (keys.instance_secret(session),)
