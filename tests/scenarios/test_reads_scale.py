"""Reads cost what they show: a circle of three thousand answers with the same SQL statements as a circle of ten,
each list answer is one page within Slack's limits, and a read never waits for a writer."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select, text

from bench import seed
from bot import jobs
from store.models import Outbox
from tests.helpers import counting

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
ASKED = [("/agenda", ""), ("/agenda", "mijn"), ("/agenda", "thema:klimaat status:lopend"), ("/klaagpaal", "lijst")]
ASKED += [("/hulpvraag", "lijst")]


@pytest.fixture
def circles(engine, session_factory) -> dict[int, str]:
    """Circles of 10 and of 3,000 activities (as many klaagpaal items, half as many help requests): size → user."""
    found = {}
    for size in (10, 3000):
        people = seed.big_circle(
            engine, channel=f"C{size}", activities=size, klaagpaal=size, requests=size // 2, now=NOW
        )
        found[size] = people[0]
    return found


def test_every_command_reads_as_much_for_three_thousand_as_for_ten(slack, engine, circles) -> None:
    for command, words in ASKED:
        counts = {}
        for size, user in circles.items():
            with counting(engine) as statements:
                answer = slack.command(command, words, user=user, channel=f"C{size}")
            assert answer.status == 200 and answer.json.get("blocks"), (command, words, answer.body)
            counts[size] = len(statements)
        assert counts[10] == counts[3000], (command, words, counts)


def test_the_agenda_is_one_read_that_finds_its_circle_once(slack, engine, circles) -> None:
    """Every request costs the whole process time under load: the page finds the circle in its own read (no read
    before it), and orders the themes from plain rows, not from the themes with their history."""
    slack.command("/agenda", "", user=circles[10], channel="C10")  # the first time someone acts, Slack is asked
    with counting(engine) as statements:
        answer = slack.command("/agenda", "", user=circles[10], channel="C10")

    assert answer.status == 200 and "Uitvoeringsagenda" in answer.json["blocks"][0]["text"]["text"]
    assert sum(bool(re.search(r"\bFROM circles\b", statement)) for statement in statements) == 1
    assert not [statement for statement in statements if "theme_changes" in statement]
    assert len([statement for statement in statements if statement.startswith("BEGIN")]) <= 1


def test_the_app_home_reads_as_much_for_three_thousand_as_for_ten(slack, standin, engine, circles) -> None:
    counts = {}
    for size, user in circles.items():
        with counting(engine) as statements:
            slack.event({"type": "app_home_opened", "user": user, "channel": "D1", "tab": "home"})
        counts[size] = len(statements)
        assert len(standin.home_views[user]["blocks"]) <= 100
    assert counts[10] == counts[3000]
    assert "En nog" in json.dumps(standin.home_views[circles[3000]], ensure_ascii=False)


@pytest.mark.parametrize(("command", "kind"), [("/klaagpaal", "klaagpaal"), ("/hulpvraag", "hulpvraag")])
def test_a_long_list_answers_one_page_with_buttons_to_the_others(slack, standin, circles, command, kind) -> None:
    answer = slack.command(command, "lijst", user=circles[3000], channel="C3000")

    blocks = answer.json["blocks"]
    assert len(blocks) <= 50 and all(len(b.get("text", {}).get("text", "")) <= 3000 for b in blocks)
    assert len(answer.body) < 16_000
    assert "pagina 1 van" in blocks[0]["text"]["text"]
    [forward] = [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
    assert forward["action_id"] == "list_page"

    slack.press("list_page", forward["value"], user=circles[3000], channel="C3000")
    second = standin.calls_to("response_url")[-1].body
    assert second["replace_original"] is True and "pagina 2 van" in second["blocks"][0]["text"]["text"]
    labels = [e["text"]["text"] for b in second["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert labels == ["◀ Vorige", "Volgende ▶"]
    first_number = {"klaagpaal": "*K-21*", "hulpvraag": "*H-21*"}[kind]
    assert first_number in json.dumps(second["blocks"])


def test_a_read_does_not_wait_for_a_writer(slack, engine, circles) -> None:
    with engine.connect() as writer:
        writer.begin()  # on SQLite this takes the database's write lock until it ends
        writer.execute(text("UPDATE circles SET name = name WHERE channel_id = 'C10'"))
        answer = slack.command("/agenda", "", user=circles[10], channel="C10")
        writer.rollback()
    assert answer.status == 200 and "Uitvoeringsagenda" in answer.json["blocks"][0]["text"]["text"]


def test_the_meeting_agenda_reads_as_much_for_a_thousand_activities_as_for_ten(
    slack, services, engine, session_factory
) -> None:
    meets = {10: "2026-12-15 14:00", 1000: "2026-12-22 14:00"}  # agendas out on Fridays 11 and 18 December, 09:00
    due = {10: datetime(2026, 12, 11, 8, 0, tzinfo=UTC), 1000: datetime(2026, 12, 18, 8, 0, tzinfo=UTC)}
    previews, reads = {}, {}
    for size in (10, 1000):
        [coordinator, *_] = seed.big_circle(
            engine, channel=f"C{size}", activities=size, klaagpaal=size, requests=size // 2, now=NOW
        )
        answer = slack.command("/kenniskring", f"vergadering {meets[size]}", user=coordinator, channel=f"C{size}")
        assert answer.status == 200, answer.body
        with counting(engine) as statements:
            preview = slack.command("/kenniskring", "vergadering", user=coordinator, channel=f"C{size}")
        previews[size] = len(statements)
        with counting(engine) as statements:
            jobs.post_meeting_agendas(services, due[size])
        reads[size] = len([statement for statement in statements if "outbox" not in statement])  # not the messages
        assert "3 · Voortgang" in json.dumps(preview.json, ensure_ascii=False)

    assert previews[10] == previews[1000] and reads[10] == reads[1000]
    with session_factory() as session:
        statement = select(Outbox.payload).where(Outbox.key.like("meeting:%:agenda%")).order_by(Outbox.id)
        [small, large, thread] = [json.dumps(payload, ensure_ascii=False) for payload in session.scalars(statement)]
    assert "lopende activiteit" not in small and "zie *meer* in de draad" in large
    assert "lopende activiteiten (zie `/agenda`)" in large  # point 3: the hundred it lists, and a count
    assert "*K-1*" in large and "en nog 9" in large  # point 4: a thousand open items, the first ones and a count
    assert "Meer bij punt 3" in thread and "en nog" not in thread and len(thread) < 40_000  # the rest of the hundred
