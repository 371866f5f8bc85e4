"""Builds the Bolt app from the settings: Web API client with retries, the services, and every handler."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import Executor
from datetime import datetime
from functools import partial

from slack_bolt import App, BoltContext
from slack_sdk import WebClient
from sqlalchemy.exc import IntegrityError

from bot.background import Background
from bot.config import Settings
from bot.delivery import Delivery
from bot.errors_handler import register_error_handler
from bot.languages import Languages
from bot.messages.delivery import tell_coordinators
from bot.pacing import PacedClient, Pacer
from bot.retry import Sleep, retry_handlers
from bot.services import Services
from store import people
from store.db import SessionFactory, reading
from store.types import utcnow

log = logging.getLogger(__name__)


def make_client(
    settings: Settings, *, sleep: Sleep = time.sleep, timeout: int = 10, pacer: Pacer | None = None
) -> PacedClient:
    """The Web API client every call goes through: SLACK_API_URL honoured, paced at Slack's rate limits per
    workspace and method (see bot.pacing), failures retried."""
    client = PacedClient(
        token=settings.slack_bot_token, base_url=settings.slack_api_url, timeout=timeout, pacer=pacer or Pacer()
    )
    client.retry_handlers = retry_handlers(sleep, on_limited=client.limited)
    return client


def make_services(
    settings: Settings,
    session_factory: SessionFactory,
    *,
    client: WebClient | None = None,
    clock: Callable[[], datetime] = utcnow,
    background: Executor | None = None,
) -> Services:
    """What every handler needs; `background` runs the work after the acknowledgement (a pool of its own unless
    given: tests and the console give their listener pool, so draining it shows everything a request led to)."""
    client = client or make_client(settings)
    delivery = Delivery(session_factory=session_factory, client=client, clock=clock)
    delivery.on_refused = tell_coordinators
    languages = Languages(client, clock, on_seen=partial(_person_seen, session_factory))
    return Services(
        settings=settings,
        session_factory=session_factory,
        client=client,
        delivery=delivery,
        clock=clock,
        languages=languages,
        background=Background(background),
    )


def _person_seen(session_factory: SessionFactory, user_id: str, deleted: bool) -> None:
    """What Slack says of this person: left (remembered, see store.people), or here (again: forgotten as gone).
    Read first, without the write lock: only a change is written, which is rare."""
    with reading(session_factory) as session:
        if people.is_gone(session, user_id) == deleted:
            return
    try:
        with session_factory.begin() as session:
            if deleted:
                people.mark_gone(session, user_id=user_id, reason="deleted")
            else:
                people.mark_back(session, user_id=user_id)
    except IntegrityError:  # remembered by another process at the same moment
        pass


class _SameToken(logging.Filter):
    """Bolt also reads SLACK_BOT_TOKEN from the environment and warns that the client we built wins; it is the
    same token from the same settings, so the warning says nothing."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


def create_app(services: Services, *, listener_executor: Executor | None = None) -> App:
    """The Bolt app with every handler registered; nothing is built at import time."""
    from handlers import register_all

    settings = services.settings
    bolt_log = logging.getLogger("kenniskring.bolt")
    if not any(isinstance(existing, _SameToken) for existing in bolt_log.filters):
        bolt_log.addFilter(_SameToken())
    app = App(
        client=services.client,
        signing_secret=settings.slack_signing_secret or "",
        request_verification_enabled=settings.slack_signing_secret is not None,
        token_verification_enabled=False,
        ssl_check_enabled=True,
        listener_executor=listener_executor,
        logger=bolt_log,
    )
    register_error_handler(app, services)

    @app.middleware
    def with_services(context: BoltContext, next_: Callable[[], None]) -> None:
        context["services"] = services  # Bolt injects context keys by name: a listener asks for `services`
        next_()

    register_all(app)
    return app


def slash_commands() -> list[str]:
    """The slash commands the app answers, as the handlers declare them."""
    from handlers import slash_commands as declared

    return declared()
