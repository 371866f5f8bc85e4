"""Installations in several workspaces: each workspace's bot token kept sealed in the database, and a client per team.

slack_sdk's SQLAlchemy installation store keeps what Slack's OAuth flow returns; `SealedInstallationStore` seals the
tokens (Fernet, keyed by KENNISKRING_SECRET_KEY) before they are written and opens them when they are read, so a copy
of the database holds no usable token. Keys named in KENNISKRING_SECRET_KEY_OLD still open what they sealed;
`reseal` (`kenniskring rotate-key`) seals every stored token again under the current key.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import logging
import threading
import time
from collections.abc import Callable

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from slack_bolt import BoltContext
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.authorize import InstallationStoreAuthorize
from slack_sdk import WebClient
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Engine, select, update

from bot.config import ConfigError, Settings

log = logging.getLogger(__name__)

TOKENS = ("bot_token", "bot_refresh_token", "user_token", "user_refresh_token")
BOT_TOKENS = ("bot_token", "bot_refresh_token")
STATE_SECONDS = 600  # an install link is good for ten minutes
KEEP_CLIENT = 300.0  # seconds a workspace's client is kept before the store is asked again (another process may
# have seen the workspace uninstall or install again)
Installed = Callable[[str], None]


def cipher(settings: Settings) -> MultiFernet:
    """Seals with KENNISKRING_SECRET_KEY; opens with it or any old key. OAuth mode refuses to run without it."""
    if settings.secret_key is None:
        raise ConfigError(
            "KENNISKRING_SECRET_KEY is not set; installing in several workspaces needs it to keep their tokens sealed."
        )
    return MultiFernet([Fernet(_fernet_key(secret)) for secret in settings.secret_keys])


def _fernet_key(secret: str) -> bytes:
    # A key of its own for tokens, so this key and the keyed hashes of anonymous filers never coincide.
    return base64.urlsafe_b64encode(hashlib.sha256(b"kenniskring installation tokens\0" + secret.encode()).digest())


def _bare(value: str) -> bool:
    """A Slack token as Slack issued it (xoxb-, xoxp-, xoxe-…): not sealed yet."""
    return value.startswith("xox")


class SealedInstallationStore(SQLAlchemyInstallationStore):
    """The installation store with every token sealed at rest; `on_installed(team_id)` runs after each install."""

    def __init__(self, *, client_id: str, engine: Engine, cipher: MultiFernet, on_installed: Installed | None = None):
        super().__init__(client_id=client_id, engine=engine, logger=log)
        self.cipher = cipher
        self.on_installed = on_installed

    def seal(self, value: str | None) -> str | None:
        return self.cipher.encrypt(value.encode()).decode() if value and _bare(value) else value

    def open(self, value: str | None) -> str | None:
        if not value or _bare(value):  # stored before tokens were sealed: `reseal` seals it
            return value
        return self.cipher.decrypt(value.encode()).decode()

    def save(self, installation: Installation) -> None:
        sealed = copy.copy(installation)  # the flow goes on with the installation it handed over: leave it bare
        for name in TOKENS:
            setattr(sealed, name, self.seal(getattr(installation, name)))
        super().save(sealed)  # saves the bot too, through save_bot
        if self.on_installed is not None and installation.team_id:
            self.on_installed(installation.team_id)

    def save_bot(self, bot: Bot) -> None:
        sealed = copy.copy(bot)
        for name in BOT_TOKENS:
            setattr(sealed, name, self.seal(getattr(bot, name)))
        super().save_bot(sealed)

    def find_bot(self, **kwargs) -> Bot | None:
        bot = super().find_bot(**kwargs)
        if bot is not None:
            for name in BOT_TOKENS:
                setattr(bot, name, self.open(getattr(bot, name)))
        return bot

    def find_installation(self, **kwargs) -> Installation | None:
        installation = super().find_installation(**kwargs)
        if installation is not None:
            for name in TOKENS:
                setattr(installation, name, self.open(getattr(installation, name)))
        return installation

    def reseal(self) -> int:
        """Seal every stored token again under the current key (and bare ones for the first time): how many."""
        count = 0
        with self.engine.begin() as connection:
            for table, names in ((self.installations, TOKENS), (self.bots, BOT_TOKENS)):
                columns = [table.c[name] for name in names]
                for row in connection.execute(select(table.c.id, *columns)).mappings():
                    values = {name: self._resealed(row[name]) for name in names if row[name]}
                    if values:
                        connection.execute(update(table).where(table.c.id == row["id"]).values(**values))
                        count += len(values)
        return count

    def _resealed(self, value: str) -> str:
        return self.seal(value) if _bare(value) else self.cipher.rotate(value.encode()).decode()


def make_store(settings: Settings, engine: Engine, *, on_installed: Installed | None = None) -> SealedInstallationStore:
    if settings.slack_client_id is None:
        raise ConfigError("SLACK_CLIENT_ID is not set; it is needed to install in several workspaces.")
    return SealedInstallationStore(
        client_id=settings.slack_client_id, engine=engine, cipher=cipher(settings), on_installed=on_installed
    )


def make_state_store(engine: Engine) -> SQLAlchemyOAuthStateStore:
    return SQLAlchemyOAuthStateStore(expiration_seconds=STATE_SECONDS, engine=engine, logger=log)


class SharedChannelAuthorize(InstallationStoreAuthorize):
    """Each request answered with the token of its workspace; a request from a workspace without the bot, made in a
    channel it shares with a workspace that has it (Slack Connect), with the token of the circle's workspace."""

    def __init__(self, *, home_team: Callable[[str], str | None], **kwargs) -> None:
        super().__init__(**kwargs)
        self.home_team = home_team

    def __call__(
        self, *, context: BoltContext, enterprise_id: str | None, team_id: str | None, user_id: str | None, **more
    ) -> AuthorizeResult | None:
        found = super().__call__(context=context, enterprise_id=enterprise_id, team_id=team_id, user_id=user_id, **more)
        if found is not None or not context.channel_id:
            return found
        home = self.home_team(context.channel_id)
        if home is None or home == team_id:
            return None
        return super().__call__(context=context, enterprise_id=None, team_id=home, user_id=user_id, **more)


class Workspaces:
    """The Web API client for each workspace: one token each, all paced by the one pacer (limits stay per token).

    Without an installation store (one SLACK_BOT_TOKEN) every team gets the one client. With one, a team that has
    no installation (never installed, or uninstalled) gets None: nothing can be sent there now.
    """

    def __init__(
        self,
        default: WebClient,
        store: SealedInstallationStore | None = None,
        *,
        make_client: Callable[[str], WebClient] | None = None,
    ) -> None:
        self.default, self.store = default, store
        self._make_client = make_client
        self._clients: dict[str, tuple[WebClient, float]] = {}
        self._guard = threading.Lock()
        self.clock = time.monotonic

    def client(self, team_id: str | None) -> WebClient | None:
        if self.store is None:
            return self.default
        if not team_id:
            return None
        with self._guard:
            known = self._clients.get(team_id)
        if known is not None and known[1] > self.clock():
            return known[0]
        try:
            bot = self.store.find_bot(enterprise_id=None, team_id=team_id)
        except InvalidToken:
            log.error("The token of workspace %s does not open with KENNISKRING_SECRET_KEY (or an old key)", team_id)
            return None
        if bot is None or not bot.bot_token:
            self.forget(team_id)
            return None
        if known is not None and known[0].token == bot.bot_token:
            client = known[0]  # the same token: keep its client
        else:
            client = self._make_client(bot.bot_token) if self._make_client else WebClient(token=bot.bot_token)
        with self._guard:
            self._clients[team_id] = (client, self.clock() + KEEP_CLIENT)
        return client

    def forget(self, team_id: str) -> None:
        """The workspace uninstalled or revoked its token: the next use asks the store again."""
        with self._guard:
            self._clients.pop(team_id, None)
