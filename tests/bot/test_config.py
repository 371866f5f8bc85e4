"""Settings: defaults, and one clear sentence naming the variable when something is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.config import ConfigError, Settings, load_settings

ROOT = Path(__file__).resolve().parents[2]


def test_defaults(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("SLACK_BOT_TOKEN", "SLACK_API_URL", "DATABASE_URL", "KENNISKRING_TIMEZONE", "KENNISKRING_LOCALE"):
        monkeypatch.delenv(name, raising=False)
    settings = load_settings()
    assert settings.slack_api_url == "https://slack.com/api/"
    assert settings.database_url == "sqlite:///kenniskring.db"
    assert (settings.timezone, settings.locale, settings.has_slack) == ("Europe/Amsterdam", "nl", False)


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("SLACK_BOT_TOKEN", "xoxp-user-token"),
        ("SLACK_APP_TOKEN", "abc"),
        ("SLACK_API_URL", "slack.example"),
        ("DATABASE_URL", "mysql://db/kk"),
        ("KENNISKRING_TIMEZONE", "Europe/Atlantis"),
        ("KENNISKRING_LOCALE", "de"),
        ("KENNISKRING_SECRET_KEY", "too-short"),
    ],
)
def test_a_wrong_setting_names_its_variable(monkeypatch: pytest.MonkeyPatch, variable: str, value: str) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError) as raised:
        load_settings()
    message = str(raised.value)
    assert message.startswith(variable) and message.count(".") >= 1 and "\n" not in message


def test_postgres_urls_get_the_installed_driver(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://kk@db/kenniskring")
    assert load_settings().database_url == "postgresql+psycopg://kk@db/kenniskring"


def test_the_program_stops_with_one_sentence(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setenv("KENNISKRING_TIMEZONE", "Nergens/Niet")
    assert main(["tick"]) == 2
    assert capsys.readouterr().err.strip().startswith("kenniskring: KENNISKRING_TIMEZONE is wrong")


def test_http_mode_needs_the_signing_secret(monkeypatch: pytest.MonkeyPatch, capsys, tmp_path) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.delenv("SLACK_SIGNING_SECRET", raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/k.db")
    assert main(["run", "--http", "--port", "0"]) == 2
    assert "SLACK_SIGNING_SECRET is not set" in capsys.readouterr().err


def test_the_secret_key_is_read_and_never_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KENNISKRING_SECRET_KEY", "k" * 40)
    settings = load_settings()
    assert settings.secret_key.get_secret_value() == "k" * 40
    assert "k" * 40 not in repr(settings)
    monkeypatch.setenv("KENNISKRING_SECRET_KEY", " ")
    assert load_settings().secret_key is None


def test_every_setting_is_documented_in_the_readme_and_the_example() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    example = (ROOT / ".env.example").read_text("utf-8")
    for field in Settings.model_fields.values():
        assert f"| `{field.validation_alias}` |" in readme
        assert f"{field.validation_alias}=" in example
