"""Builds the Bolt app from the settings: Web API client with retries, the services, and every handler."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import Executor
from datetime import datetime
from functools import partial

from slack_bolt import App, BoltContext, BoltRequest
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from sqlalchemy.exc import IntegrityError

from bot import observe
from bot.background import Background
from bot.config import ConfigError, Settings
from bot.delivery import Delivery
from bot.errors_handler import register_error_handler
from bot.installations import (
    SealedInstallationStore,
    SharedChannelAuthorize,
    Workspaces,
    make_state_store,
    make_store,
)
from bot.languages import Languages
from bot.manifest import bot_scopes
from bot.messages.delivery import tell_coordinators
from bot.pacing import PacedClient, Pacer
from bot.retry import Sleep, retry_handlers
from bot.services import Services
from bot.shared_channels import SharedChannels
from store import circles, people, workspaces
from store.db import SessionFactory, reading
from store.errors import UserError
from store.types import utcnow

log = logging.getLogger(__name__)


def make_client(
    settings: Settings,
    *,
    sleep: Sleep = time.sleep,
    timeout: int = 10,
    pacer: Pacer | None = None,
    token: str | None = None,
) -> PacedClient:
    """The Web API client every call goes through: SLACK_API_URL honoured, paced at Slack's rate limits per
    workspace and method (see bot.pacing), failures retried. `token`: a workspace's own (OAuth installs)."""
    client = PacedClient(
        token=token or settings.slack_bot_token,
        base_url=settings.slack_api_url,
        timeout=timeout,
        pacer=pacer or Pacer(),
    )
    client.retry_handlers = retry_handlers(sleep, on_limited=client.limited)
    client.sleep = sleep  # each workspace's client (make_workspaces) retries on the same clock
    return client


def make_workspaces(
    settings: Settings, session_factory: SessionFactory, client: PacedClient, clock: Callable[[], datetime]
) -> tuple[SealedInstallationStore | None, Workspaces]:
    """With SLACK_CLIENT_ID: the sealed installation store and a client per installed workspace, every one of them
    sharing the pacer of `client` (limits are per token). Without: the one client for every workspace."""
    if not settings.oauth:
        return None, Workspaces(client)

    def resume(team_id: str) -> None:
        with session_factory.begin() as session:
            resumed = workspaces.resume(session, team_id=team_id, now=clock())
        teams.forget(team_id)
        if resumed:
            log.info("Workspace %s installed the bot again: circles %s go on", team_id, resumed)

    store = make_store(settings, session_factory.kw["bind"], on_installed=resume)
    sleep = getattr(client, "sleep", time.sleep)
    pacer = getattr(client, "pacer", None)
    teams = Workspaces(
        client, store, make_client=lambda token: make_client(settings, sleep=sleep, pacer=pacer, token=token)
    )
    return store, teams


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
    installations, teams = make_workspaces(settings, session_factory, client, clock)
    clients = teams.client if installations is not None else None  # one token: the delivery's own client
    delivery = Delivery(session_factory=session_factory, client=client, clock=clock, clients=clients)
    delivery.on_refused = tell_coordinators
    languages = Languages(
        client,
        clock,
        tokens=lambda team_id: getattr(teams.client(team_id), "token", None),
        on_seen=partial(_person_seen, session_factory),
    )
    return Services(
        installations=installations,
        workspaces=teams,
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
        before_authorize=SharedChannels(services).middleware,
        **_installing(services, bolt_log),
    )
    register_error_handler(app, services)

    @app.middleware
    def with_services(context: BoltContext, next_: Callable[[], None]) -> None:
        context["services"] = services  # Bolt injects context keys by name: a listener asks for `services`
        next_()

    @app.middleware
    def no_nul_characters(body: dict, request: BoltRequest, next_: Callable[[], None]) -> None:
        """Slack never sends a NUL character, and PostgreSQL refuses one in text: a request that carries one (pasted
        into a command, a forged button value, a form's metadata) is refused here, before anything reads it."""
        raw = request.raw_body
        if ("%00" in raw or "\x00" in raw or "u0000" in raw) and _holds_nul(body):
            raise UserError("text.control_characters" if body.get("command") else "common.unexpected")
        next_()

    register_all(app)
    observe.observed_dispatch(app)
    return app


def _installing(services: Services, bolt_log: logging.Logger) -> dict:
    """With SLACK_CLIENT_ID: Slack's OAuth flow (GET /slack/install, /slack/oauth_redirect), each request answered
    with the token of its workspace from the installation store. Without: the one SLACK_BOT_TOKEN."""
    settings = services.settings
    if services.installations is None:
        return {}
    if settings.slack_client_secret is None:
        raise ConfigError("SLACK_CLIENT_SECRET is not set; it is needed with SLACK_CLIENT_ID to install the bot.")
    engine = services.session_factory.kw["bind"]

    def home_team(channel_id: str) -> str | None:
        with services.reading() as session:
            return circles.shared_home(session, channel_id=channel_id)

    return {
        "installation_store": services.installations,
        "installation_store_bot_only": True,
        "authorize": SharedChannelAuthorize(
            logger=bolt_log, installation_store=services.installations, bot_only=True, home_team=home_team
        ),
        "oauth_settings": OAuthSettings(
            client_id=settings.slack_client_id,
            client_secret=settings.slack_client_secret.get_secret_value(),
            scopes=bot_scopes(),
            installation_store=services.installations,
            installation_store_bot_only=True,
            state_store=make_state_store(engine),
            authorization_url=settings.slack_authorize_url,
        ),
    }


def slash_commands() -> list[str]:
    """The slash commands the app answers, as the handlers declare them."""
    from handlers import slash_commands as declared

    return declared()


def _holds_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(key) or _holds_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    return False
