"""Workspace tokens at rest: sealed with KENNISKRING_SECRET_KEY, opened with it or an old key, sealed anew on rotation;
and the tables the migration makes are the ones slack_sdk's stores read and write."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from slack_sdk import WebClient
from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import MetaData, inspect, text

from bot.cli import main
from bot.config import ConfigError, load_settings
from bot.installations import KEEP_CLIENT, Workspaces, make_state_store, make_store
from tests.helpers import make_activity, start_circle

OLD_KEY = "o" * 40
NEW_KEY = "n" * 40
TOKEN = "xoxb-1111-2222-secretsecretsecret"


def settings(key: str | None = OLD_KEY, old: str | None = None):
    return load_settings(SLACK_CLIENT_ID="111.222", KENNISKRING_SECRET_KEY=key, KENNISKRING_SECRET_KEY_OLD=old)


def installation(team_id: str = "T0002", token: str = TOKEN) -> Installation:
    return Installation(
        app_id="A0001",
        enterprise_id=None,
        team_id=team_id,
        bot_token=token,
        bot_id="B0001",
        bot_user_id="UBOT",
        bot_scopes="chat:write",
        user_id="U1",
        installed_at=datetime(2026, 12, 1, 9, 0, tzinfo=UTC).timestamp(),
    )


def stored_tokens(engine) -> list[str]:
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT bot_token FROM slack_bots UNION ALL SELECT bot_token FROM slack_installations")
        )
        return [row[0] for row in rows]


def test_the_stored_rows_hold_no_token_and_the_store_gives_it_back(engine, session_factory) -> None:
    store = make_store(settings(), engine)
    store.save(installation())

    assert len(stored_tokens(engine)) == 2
    assert all(TOKEN not in value and "xoxb" not in value for value in stored_tokens(engine))
    assert store.find_bot(enterprise_id=None, team_id="T0002").bot_token == TOKEN
    assert store.find_installation(enterprise_id=None, team_id="T0002").bot_token == TOKEN


def test_a_new_key_opens_what_the_old_one_sealed_and_rotation_seals_it_anew(engine, session_factory) -> None:
    make_store(settings(OLD_KEY), engine).save(installation())
    sealed_before = stored_tokens(engine)

    rotating = make_store(settings(NEW_KEY, old=OLD_KEY), engine)
    assert rotating.find_bot(enterprise_id=None, team_id="T0002").bot_token == TOKEN
    assert rotating.reseal() == 2

    assert set(stored_tokens(engine)).isdisjoint(sealed_before)
    only_new = make_store(settings(NEW_KEY), engine)
    assert only_new.find_bot(enterprise_id=None, team_id="T0002").bot_token == TOKEN


def test_tokens_stored_bare_are_sealed_by_rotation(engine, session_factory) -> None:
    SQLAlchemyInstallationStore(client_id="111.222", engine=engine).save(installation())
    assert TOKEN in stored_tokens(engine)

    store = make_store(settings(), engine)
    assert store.find_bot(enterprise_id=None, team_id="T0002").bot_token == TOKEN
    store.reseal()
    assert TOKEN not in stored_tokens(engine)
    assert store.find_bot(enterprise_id=None, team_id="T0002").bot_token == TOKEN


def test_the_rotate_key_command_reseals_under_the_new_key(engine, session_factory, database_url, monkeypatch, capsys):
    make_store(settings(OLD_KEY), engine).save(installation())
    for name, value in {
        "DATABASE_URL": database_url,
        "SLACK_CLIENT_ID": "111.222",
        "KENNISKRING_SECRET_KEY": NEW_KEY,
        "KENNISKRING_SECRET_KEY_OLD": OLD_KEY,
    }.items():
        monkeypatch.setenv(name, value)

    assert main(["rotate-key"]) == 0

    assert "2 tokens" in capsys.readouterr().out
    assert make_store(settings(NEW_KEY), engine).find_bot(enterprise_id=None, team_id="T0002").bot_token == TOKEN


def test_installing_in_several_workspaces_refuses_to_run_without_the_secret_key(monkeypatch, capsys, tmp_path) -> None:
    with pytest.raises(ConfigError, match="KENNISKRING_SECRET_KEY"):
        make_store(settings(key=None), engine=None)
    for name, value in {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'k.db'}",
        "SLACK_CLIENT_ID": "111.222",
        "SLACK_CLIENT_SECRET": "shh",
        "SLACK_SIGNING_SECRET": "signing",
        "KENNISKRING_SECRET_KEY": "",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)

    assert main(["run", "--http", "--port", "0"]) == 2

    error = capsys.readouterr().err.strip()
    assert error.startswith("kenniskring: KENNISKRING_SECRET_KEY is not set") and "\n" not in error


def test_the_migrated_tables_are_those_slack_sdks_stores_use(engine) -> None:
    expected = MetaData()
    SQLAlchemyInstallationStore.build_installations_table(expected, "slack_installations")
    SQLAlchemyInstallationStore.build_bots_table(expected, "slack_bots")
    SQLAlchemyOAuthStateStore.build_oauth_states_table(expected, "slack_oauth_states")
    found = inspect(engine)
    for table in expected.tables.values():
        columns = {column["name"]: column for column in found.get_columns(table.name)}
        assert set(columns) == {column.name for column in table.columns}, table.name
        for column in table.columns:
            assert columns[column.name]["nullable"] == column.nullable, (table.name, column.name)


def test_the_oauth_state_store_works_on_the_migrated_table(engine, session_factory) -> None:
    states = make_state_store(engine)
    state = states.issue()
    assert states.consume(state) is True
    assert states.consume(state) is False


def test_a_workspace_uninstalled_elsewhere_loses_its_client_here_within_minutes(engine, session_factory) -> None:
    store = make_store(settings(), engine)
    store.save(installation())
    teams = Workspaces(WebClient(), store)
    now = [0.0]
    teams.clock = lambda: now[0]

    assert teams.client("T0002").token == TOKEN
    assert teams.client("T0009") is None
    store.delete_bot(enterprise_id=None, team_id="T0002")  # as another process does on app_uninstalled
    assert teams.client("T0002").token == TOKEN
    now[0] += KEEP_CLIENT + 1
    assert teams.client("T0002") is None


def test_with_one_bot_token_every_workspace_has_the_one_client() -> None:
    one = WebClient(token="xoxb-one")
    assert Workspaces(one).client("T0001") is one and Workspaces(one).client(None) is one


def test_installing_in_several_workspaces_runs_over_http_only(monkeypatch, capsys, tmp_path) -> None:
    for name, value in {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'k.db'}",
        "SLACK_CLIENT_ID": "111.222",
        "SLACK_CLIENT_SECRET": "shh",
        "KENNISKRING_SECRET_KEY": NEW_KEY,
    }.items():
        monkeypatch.setenv(name, value)

    assert main(["run"]) == 2

    assert capsys.readouterr().err.startswith("kenniskring: SLACK_CLIENT_ID is set, so run with --http")


def test_the_export_asks_slack_for_names_with_the_token_of_the_circles_workspace(
    engine, session_factory, standin, database_url, monkeypatch, tmp_path
) -> None:
    make_store(settings(), engine).save(installation(team_id="T1"))
    start_circle(session_factory)  # in workspace T1, by U1
    make_activity(session_factory, 1, "Pilot circulair asfalt", "U2")
    for name, value in {
        "DATABASE_URL": database_url,
        "SLACK_API_URL": standin.url,
        "SLACK_CLIENT_ID": "111.222",
        "KENNISKRING_SECRET_KEY": OLD_KEY,
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)

    assert main(["export", "--channel", "C1", "--format", "csv", "--output", str(tmp_path / "a.csv")]) == 0

    assert {call.token for call in standin.calls_to("users.info")} == {TOKEN}
