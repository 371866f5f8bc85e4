"""Secrets never leave the process: not in logs (at DEBUG), not on stdout or stderr, not in anything sent to Slack."""

from __future__ import annotations

import json
import logging

import pytest
from sqlalchemy.engine import make_url

from bot import runtime
from bot.app import make_client
from bot.cli import main
from bot.config import ConfigError, load_settings
from bot.pacing import Pacer
from bot.standin import ListenerPool, SlackSimulator

TOKEN = "xoxb-1234567890123-1234567890123-" + "Zq8vWk3Lm9Pt" * 2
SIGNING_SECRET = "8f14e45fceea167a5a36dedd4bea2543"
SECRET_KEY = "Kx7" * 14
PASSWORD = "Pw-s3cr3t-9876xyz"
SECRETS = (TOKEN, SIGNING_SECRET, SECRET_KEY, PASSWORD, TOKEN.split("-", 1)[1])


def with_password(url: str) -> str:
    """The test database's URL with a password in it (PostgreSQL trusts loopback, so any password works)."""
    parsed = make_url(url)
    return url if parsed.get_backend_name() == "sqlite" else parsed.set(password=PASSWORD).render_as_string(False)


def leaks(text: str) -> list[str]:
    return [secret for secret in SECRETS if secret in text]


@pytest.fixture
def pool():
    running = ListenerPool()
    yield running
    running.shutdown(wait=True)


def test_no_secret_in_logs_output_or_anything_sent(standin, database_url, session_factory, pool, caplog, capsys):
    caplog.set_level(logging.DEBUG)
    settings = load_settings(
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=standin.url,
        DATABASE_URL=with_password(database_url),
        KENNISKRING_SECRET_KEY=SECRET_KEY,
    )
    client = make_client(settings, sleep=lambda seconds: None, pacer=Pacer(speed=1000))
    built = runtime.build(settings, listener_executor=pool, client=client, background=pool)
    slack = SlackSimulator(signing_secret=SIGNING_SECRET, app=built.app, response_url=standin.response_url(), pool=pool)
    answers = [
        slack.command("/kenniskring", "start Kring West", user="U1"),
        slack.command("/klaagpaal", "anoniem Te veel papier", user="U2"),
        slack.command("/kenniskring", "iets-onbekends <!channel>", user="U2"),
        slack.command("/kenniskring", "mijn-gegevens", user="U2"),
        slack.command("/agenda", "nieuw Pilot deadline:zomaar", user="U2"),
        slack.command("/kenniskring", "start", user="U1", channel="C1", signature="v0=forged"),
    ]
    standin.fail_next("chat.postMessage", 500, times=20)
    standin.fail_next("chat.postEphemeral", 401, times=5)
    answers.append(slack.command("/hulpvraag", "Wie helpt met asfalt?", user="U2"))
    built.services.delivery.flush()
    for bad in ({"SLACK_BOT_TOKEN": "xoxp-" + TOKEN[5:]}, {"KENNISKRING_SECRET_KEY": SECRET_KEY[:10]}):
        with pytest.raises(ConfigError) as refused:
            load_settings(**bad)
        print(refused.value)
    print(repr(settings), settings)

    logged = "\n".join(f"{record.getMessage()} {record.exc_text or ''} {record.args!r}" for record in caplog.records)
    captured = capsys.readouterr()
    sent = json.dumps([call.body for call in standin.calls], default=str)
    said = json.dumps([(answer.status, answer.body) for answer in answers])
    assert caplog.records and standin.calls
    assert leaks(logged) == [] and leaks(captured.out + captured.err) == []
    assert leaks(sent) == [] and leaks(said) == []


def test_an_unreachable_database_with_a_password_is_named_without_it(tmp_path, monkeypatch, capsys, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("SLACK_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("DATABASE_URL", f"postgresql://kring:{PASSWORD}@127.0.0.1:1/kenniskring")
    assert main(["tick", "--now", "2026-12-01T09:00"]) == 2
    captured = capsys.readouterr()
    assert "DATABASE_URL" in captured.err
    assert leaks(captured.out + captured.err + caplog.text) == []
