"""`kenniskring admin`: circles, workspaces and the outbox read and mended from a shell, as text or JSON."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select, text

from bot.cli import main
from store import circles
from store.models import Member, Outbox
from store.types import utcnow
from tests.helpers import make_activity, start_circle


@pytest.fixture
def admin(monkeypatch: pytest.MonkeyPatch, database_url: str, session_factory, capsys):
    monkeypatch.setenv("DATABASE_URL", database_url)

    def run(*arguments: str) -> tuple[int, str, str]:
        code = main(["admin", *arguments])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


def queue(session_factory, key: str, status: str, **values) -> int:
    with session_factory.begin() as session:
        row = Outbox(key=key, method="chat.postMessage", channel="C1", payload={"text": key}, status=status, **values)
        session.add(row)
        session.flush()
        return row.id


def test_circles_lists_each_with_its_counts(admin, session_factory) -> None:
    circle_id = start_circle(session_factory)
    make_activity(session_factory, 1, "Circulair asfalt", "U2")
    make_activity(session_factory, 2, "Stageplekken", "U3")
    with session_factory.begin() as session:
        session.add(Member(circle_id=circle_id, user_id="U9"))
        circles.start(
            session, team_id="T0002", channel_id="C9", name="Kring Zuid", user_id="U5", locale="nl", timezone="UTC"
        )

    code, out, _ = admin("circles")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["id", "team", "channel", "name", "members", "activities"]
    assert lines[1].split() == [str(circle_id), "T1", "C1", "Kring", "West", "4", "2"]
    assert lines[2].split()[1:4] == ["T0002", "C9", "Kring"]

    code, out, _ = admin("circles", "--json")
    first, second = json.loads(out)
    assert first == {
        "id": circle_id,
        "team": "T1",
        "channel": "C1",
        "name": "Kring West",
        "members": 4,
        "activities": 2,
    }
    assert (second["team"], second["members"], second["activities"]) == ("T0002", 1, 0)


def test_workspaces_lists_the_teams_with_circles(admin, session_factory) -> None:
    start_circle(session_factory)
    code, out, _ = admin("workspaces", "--json")
    assert code == 0 and json.loads(out) == [{"team": "T1", "circles": 1, "installation": None}]
    assert admin("workspaces")[1].splitlines()[1].split() == ["T1", "1"]


def test_outbox_status_shows_counts_ages_and_the_failed(admin, session_factory) -> None:
    now = utcnow()
    queue(session_factory, "sent-1", "sent")
    queue(session_factory, "waiting-1", "pending", created_at=now - timedelta(minutes=30))
    failed = queue(session_factory, "failed-1", "failed", last_error="channel_not_found", attempts=1)

    code, out, _ = admin("outbox", "--json")
    status = json.loads(out)
    assert code == 0
    assert status["counts"] == {"sent": 1, "pending": 1, "sending": 0, "held": 0, "failed": 1, "dropped": 0}
    assert 30 * 60 - 5 <= status["oldest_pending_seconds"] <= 30 * 60 + 60
    [row] = status["failed_and_dropped"]
    assert (row["id"], row["key"], row["last_error"]) == (failed, "failed-1", "channel_not_found")

    code, out, _ = admin("outbox")
    assert out.startswith("sent 1  pending 1  sending 0  held 0  failed 1  dropped 0\noldest waiting: 30 min")
    assert "failed-1" in out and "channel_not_found" in out


def test_retry_puts_a_failed_message_back_and_drop_gives_one_up(admin, session_factory) -> None:
    failed = queue(session_factory, "failed-1", "failed", last_error="channel_not_found")
    waiting = queue(session_factory, "waiting-1", "pending")
    sent = queue(session_factory, "sent-1", "sent")

    code, out, _ = admin("retry", str(failed))
    assert code == 0 and out.startswith(f"Message {failed} (failed-1, C1) is pending again")
    code, out, _ = admin("drop", str(waiting), "--json")
    assert code == 0 and json.loads(out)["status"] == "dropped"

    code, _, err = admin("drop", str(sent))
    assert code == 1 and err == f"kenniskring: outbox message {sent} is sent; only failed or pending ones can be.\n"
    code, _, err = admin("retry", "999999")
    assert code == 1 and "there is no outbox message 999999" in err

    with session_factory() as session:
        statuses = dict(session.execute(select(Outbox.key, Outbox.status)).all())
    assert statuses == {"failed-1": "pending", "waiting-1": "dropped", "sent-1": "sent"}
    assert json.loads(admin("outbox", "--json")[1])["counts"]["dropped"] == 1


def test_a_retried_message_is_sent_by_the_next_flush(admin, session_factory, services, standin) -> None:
    failed = queue(session_factory, "failed-1", "failed", last_error="channel_not_found")
    admin("retry", str(failed))
    services.delivery.flush(now=utcnow() + timedelta(seconds=1))
    assert [call.body["text"] for call in standin.calls_to("chat.postMessage")] == ["failed-1"]


def test_workspaces_show_their_installation_where_the_database_keeps_them(admin, session_factory, engine) -> None:
    start_circle(session_factory)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE installations (team_id VARCHAR(32))"))
        connection.execute(text("INSERT INTO installations (team_id) VALUES ('T2')"))
    try:
        code, out, _ = admin("workspaces", "--json")
    finally:
        with engine.begin() as connection:
            connection.execute(text("DROP TABLE installations"))
    assert json.loads(out) == [
        {"team": "T1", "circles": 1, "installation": "not installed"},
        {"team": "T2", "circles": 0, "installation": "installed"},
    ]
