"""The `kenniskring` command: Socket Mode start-up wiring, and `tick` doing due work once."""

from __future__ import annotations

import logging
import os
import subprocess
import sys

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


def _kenniskring(*arguments: str, cwd, **environment: str) -> subprocess.CompletedProcess[str]:
    """The real program in a process of its own, as an operator runs it."""
    clean = {key: value for key, value in os.environ.items() if not key.startswith(("SLACK_", "KENNISKRING_"))}
    clean.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "bot", *arguments],
        cwd=cwd,
        env={**clean, **environment},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_tick_without_a_token_says_so_in_one_sentence(tmp_path) -> None:
    done = _kenniskring("tick", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "kenniskring: SLACK_BOT_TOKEN is not set; it is needed for this mode (see README, Configuration)."
    ]


@pytest.mark.parametrize("command", [["tick"], ["run", "--http"], ["export", "--channel", "C1"]])
def test_a_database_nobody_answers_is_one_sentence_naming_the_variable(tmp_path, command: list[str]) -> None:
    url = "postgresql://kring:geheim@127.0.0.1:1/kenniskring"  # port 1: nobody listens there
    done = _kenniskring(*command, cwd=tmp_path, DATABASE_URL=url, SLACK_BOT_TOKEN="xoxb-1", SLACK_SIGNING_SECRET="s")
    assert done.returncode == 2
    [line] = done.stderr.strip().splitlines()
    assert line.startswith("kenniskring: DATABASE_URL is wrong or the database is down:")
    assert "geheim" not in line and "Traceback" not in done.stderr


def test_export_for_a_channel_without_a_database_creates_nothing(tmp_path) -> None:
    done = _kenniskring("export", "--channel", "C999", cwd=tmp_path)
    assert done.returncode == 1
    assert "no database at kenniskring.db" in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_tick_prints_no_migration_chatter(tmp_path, standin) -> None:
    done = _kenniskring(
        "tick", "--now", "2026-12-01T03:00", cwd=tmp_path, SLACK_BOT_TOKEN="xoxb-1", SLACK_API_URL=standin.url
    )
    assert done.returncode == 0, done.stderr
    assert "alembic" not in done.stderr and "INFO" not in done.stderr


def test_the_app_does_not_warn_about_the_token_it_was_given(monkeypatch, services, caplog) -> None:
    from bot.app import create_app

    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    with caplog.at_level(logging.WARNING):
        create_app(services)
    assert "will be unused" not in caplog.text


def test_tick_exits_non_zero_when_a_job_failed(monkeypatch, tmp_path, standin, capsys) -> None:
    from bot import scheduler

    def broken(services, now) -> None:
        raise RuntimeError("database hiccup")

    monkeypatch.setattr(scheduler, "JOBS", (broken,))
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.setenv("SLACK_API_URL", standin.url)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/k.db")

    assert main(["tick", "--now", "2026-12-01T09:00"]) == 1
    assert "scheduled work failed (broken)" in capsys.readouterr().err
    monkeypatch.setattr(scheduler, "JOBS", ())
    assert main(["tick", "--now", "2026-12-01T09:00"]) == 0
