"""The bot's settings: read once from the environment (and `.env`), validated, then passed down."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

SLACK_API_URL = "https://slack.com/api/"
MIN_SECRET_KEY = 32


class ConfigError(Exception):
    """A setting is missing or wrong; the message is one sentence naming the variable."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore", frozen=True)

    # Tokens, the signing secret and a database URL (which may hold a password) stay out of repr(), so settings
    # printed or logged while debugging show no secret.
    slack_bot_token: str | None = Field(default=None, validation_alias="SLACK_BOT_TOKEN", repr=False)
    slack_signing_secret: str | None = Field(default=None, validation_alias="SLACK_SIGNING_SECRET", repr=False)
    slack_app_token: str | None = Field(default=None, validation_alias="SLACK_APP_TOKEN", repr=False)
    slack_api_url: str = Field(default=SLACK_API_URL, validation_alias="SLACK_API_URL")
    database_url: str = Field(default="sqlite:///kenniskring.db", validation_alias="DATABASE_URL", repr=False)
    timezone: str = Field(default="Europe/Amsterdam", validation_alias="KENNISKRING_TIMEZONE")
    locale: str = Field(default="nl", validation_alias="KENNISKRING_LOCALE")
    secret_key: SecretStr | None = Field(default=None, validation_alias="KENNISKRING_SECRET_KEY")
    # Keys used before the current one, comma-separated: tokens stored under them still open (and are re-sealed).
    secret_key_old: SecretStr | None = Field(default=None, validation_alias="KENNISKRING_SECRET_KEY_OLD")
    # With both set, the bot installs in any number of workspaces (OAuth) instead of using one SLACK_BOT_TOKEN.
    slack_client_id: str | None = Field(default=None, validation_alias="SLACK_CLIENT_ID")
    slack_client_secret: SecretStr | None = Field(default=None, validation_alias="SLACK_CLIENT_SECRET")
    log_format: str = Field(default="text", validation_alias="KENNISKRING_LOG_FORMAT")
    log_level: str = Field(default="INFO", validation_alias="KENNISKRING_LOG_LEVEL")
    # Days a sent message is kept in the outbox; 0 keeps them all.
    outbox_retention_days: int = Field(default=30, ge=0, validation_alias="KENNISKRING_OUTBOX_RETENTION_DAYS")

    @field_validator(
        "slack_bot_token",
        "slack_signing_secret",
        "slack_app_token",
        "slack_client_id",
        "slack_client_secret",
        "secret_key_old",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("slack_bot_token")
    @classmethod
    def _bot_token(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("xoxb-"):
            raise ValueError("must be a bot token starting with xoxb-")
        return value

    @field_validator("slack_app_token")
    @classmethod
    def _app_token(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("xapp-"):
            raise ValueError("must be an app-level token starting with xapp-")
        return value

    @field_validator("secret_key", mode="before")
    @classmethod
    def _secret_key(cls, value: object) -> object:
        if isinstance(value, SecretStr):
            value = value.get_secret_value()
        if isinstance(value, str) and not value.strip():
            return None
        if isinstance(value, str) and len(value.strip()) < MIN_SECRET_KEY:
            raise ValueError(f"must be at least {MIN_SECRET_KEY} characters, e.g. from `openssl rand -hex 32`")
        return value

    @field_validator("slack_api_url")
    @classmethod
    def _api_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL such as https://slack.com/api/")
        return value if value.endswith("/") else value + "/"

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        for prefix in ("postgres://", "postgresql://"):
            if value.startswith(prefix):
                return "postgresql+psycopg://" + value[len(prefix) :]
        if not value.startswith(("sqlite", "postgresql+")):
            raise ValueError("must be a sqlite:/// or postgresql:// URL")
        return value

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("must be an IANA time zone such as Europe/Amsterdam") from None
        return value

    @field_validator("locale")
    @classmethod
    def _locale(cls, value: str) -> str:
        if value not in ("nl", "en"):
            raise ValueError("must be nl or en")
        return value

    @field_validator("log_format")
    @classmethod
    def _log_format(cls, value: str) -> str:
        if value.lower() not in ("text", "json"):
            raise ValueError("must be text or json")
        return value.lower()

    @field_validator("log_level")
    @classmethod
    def _log_level(cls, value: str) -> str:
        if value.upper() not in ("DEBUG", "INFO", "WARNING", "ERROR"):
            raise ValueError("must be DEBUG, INFO, WARNING or ERROR")
        return value.upper()

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def has_slack(self) -> bool:
        return self.slack_bot_token is not None or self.oauth

    @property
    def oauth(self) -> bool:
        """Installed per workspace through Slack's OAuth flow, each workspace's token kept in the database."""
        return self.slack_client_id is not None

    @property
    def slack_authorize_url(self) -> str:
        """Where Slack's OAuth flow sends someone installing the bot: next to the Web API (GovSlack: its own)."""
        return self.slack_api_url.removesuffix("/").removesuffix("/api") + "/oauth/v2/authorize"

    @property
    def secret_keys(self) -> list[str]:
        """KENNISKRING_SECRET_KEY first (it seals), then the old ones (they only open)."""
        keys = [self.secret_key.get_secret_value()] if self.secret_key is not None else []
        if self.secret_key_old is not None:
            keys += [key.strip() for key in self.secret_key_old.get_secret_value().split(",") if key.strip()]
        return keys

    def require(self, *names: str) -> None:
        """Stop with one sentence when a setting a mode needs is missing."""
        for name in names:
            if getattr(self, _FIELDS.get(name, name.lower())) is None:
                raise ConfigError(f"{name} is not set; it is needed for this mode (see README, Configuration).")


_ALIASES = {name: field.validation_alias for name, field in Settings.model_fields.items()}
_FIELDS = {str(alias): name for name, alias in _ALIASES.items()}


def load_settings(**overrides: object) -> Settings:
    """Read the settings, turning a validation failure into one sentence naming the variable."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        error = exc.errors()[0]
        field = str(error["loc"][0]) if error["loc"] else "?"
        variable = _ALIASES.get(field, field)
        reason = str(error["msg"]).removeprefix("Value error, ")
        raise ConfigError(f"{variable} is wrong: {reason}.") from None
