"""`kenniskring admin person`: an operator exports or removes one person's data from the command line."""

from __future__ import annotations

import json

import pytest

from bot.cli import main
from tests.handlers.test_personal_data import everything_of_u2, rows_naming


@pytest.fixture
def operator(monkeypatch: pytest.MonkeyPatch, database_url: str) -> None:
    """The operator's shell: the same database the bot uses, no Slack."""
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "KENNISKRING_SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", database_url)


def test_admin_person_export_prints_the_document(slack, circle, session_factory, operator, capsys) -> None:
    everything_of_u2(slack, session_factory)

    assert main(["admin", "person", "export", "U2"]) == 0

    document = json.loads(capsys.readouterr().out)
    tables = {section["table"]: section["rows"] for section in document["sections"]}
    assert document["user"] == "U2" and tables["members"][0]["organisation"] == "gemeente Tiel"
    assert "Niemand durft" not in json.dumps(document)
    assert main(["admin", "person", "export", "U2", "--team", "T-other"]) == 0
    elsewhere = {section["table"]: section["rows"] for section in json.loads(capsys.readouterr().out)["sections"]}
    assert set(elsewhere) <= {"dm_channels", "outbox"}  # another workspace: only what belongs to no circle
    assert {row["circle_id"] for row in elsewhere.get("outbox", [])} <= {None}


def test_admin_person_remove_needs_yes_and_then_leaves_no_trace(slack, circle, session_factory, operator, capsys):
    everything_of_u2(slack, session_factory)
    before = rows_naming(session_factory, "U2")

    assert main(["admin", "person", "remove", "U2"]) == 2
    assert "--yes" in capsys.readouterr().err and rows_naming(session_factory, "U2") == before

    assert main(["admin", "person", "remove", "U2", "--yes"]) == 0
    assert "Removed U2" in capsys.readouterr().out
    assert rows_naming(session_factory, "U2") == {}
    assert rows_naming(session_factory, "U1")  # only that person
