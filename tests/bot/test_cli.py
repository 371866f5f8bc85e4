"""The `kenniskring` command: Socket Mode start-up wiring, and `tick` doing due work once."""

from __future__ import annotations

import pytest

from bot.cli import main


class FakeSocketMode:
    started: list[tuple[object, str]] = []

    def __init__(self, app, app_token: str) -> None:
        self.app, self.app_token = app, app_token

    def start(self) -> None:
        FakeSocketMode.started.append((self.app, self.app_token))


def test_run_with_an_app_token_uses_socket_mode(monkeypatch: pytest.MonkeyPatch, tmp_path, standin) -> None:
    import slack_bolt.adapter.socket_mode as socket_mode

    monkeypatch.setattr(socket_mode, "SocketModeHandler", FakeSocketMode)
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-1")
    monkeypatch.setenv("SLACK_API_URL", standin.url)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/k.db")

    assert main(["run"]) == 0

    [(app, token)] = FakeSocketMode.started
    assert token == "xapp-1" and app.client.base_url == standin.url
    assert (tmp_path / "k.db").exists()


def test_socket_mode_without_app_token_says_so(monkeypatch: pytest.MonkeyPatch, tmp_path, capsys) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.delenv("SLACK_APP_TOKEN", raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/k.db")
    assert main(["run"]) == 2
    assert "SLACK_APP_TOKEN is not set" in capsys.readouterr().err


def test_tick_rejects_a_moment_it_cannot_read(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["tick", "--now", "volgende week"])
    assert "ISO-8601" in capsys.readouterr().err
