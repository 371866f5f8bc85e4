"""The learning cycle in English: versions, actions, point 3, settling, the record and lessons."""

from __future__ import annotations

import pytest

from bot.config import load_settings
from tests.conftest import SIGNING_SECRET
from tests.handlers.test_meeting_progress import settle_activity
from tests.handlers.test_meeting_record import END
from tests.helpers import dump, english, plan_series, posts, tick
from tests.scenarios.test_meetings_agenda import DUE


@pytest.fixture
def settings(standin, database_url):
    english(standin, "U1", "U2", "U3")  # an English circle's people, their Slack set to English too
    return load_settings(
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=standin.url,
        DATABASE_URL=database_url,
        KENNISKRING_LOCALE="en",
    )


def test_the_cycle_speaks_english(slack, standin, services, circle) -> None:
    plan_series(slack)
    slack.command("/agenda", "nieuw Circular asphalt thema:klimaat deadline:1-3-2027 <@U2|bram>")
    assert slack.command("/agenda", "vaststellen").text.startswith("Version 1 of the execution agenda is adopted")
    slack.command("/voortgang", "A-1 40% Test section laid", user="U2")
    assert slack.command("/agenda", "").json["blocks"][0]["text"]["text"] == "Execution agenda — version 1 + changes"
    filed = slack.command("/actie", "Share the checklist <@U3|c> deadline:1-2-2027")
    assert filed.text.startswith("Noted: action *P-1* for <@U3>")

    tick(services, DUE)
    agenda = [c for c in posts(standin) if c.body["text"].startswith("Agenda ")][-1]
    text = dump(agenda.body["blocks"])
    assert "Progress of the execution agenda* (developing and learning) — version 1 + changes" in text
    assert "Happened:_ Test section laid" in text and "Improvement actions (open until done)" in text
    assert "Present?" in text
    settle_activity(slack, standin, 1, {"decision": "besluit", "outcome": "Scale up to two more streets"})
    tick(services, END)

    record = [c for c in posts(standin) if c.body["text"].startswith("Record ")][-1]
    shown = dump(record.body["blocks"])
    assert "*Decisions*" in shown and "A-1 Circular asphalt — *decision*: Scale up" in shown
    assert "Moves to the next meeting" in shown and "*P-1* Share the checklist" in shown
    assert "No lessons recorded yet" in slack.command("/agenda", "lessen").text
    assert "Improvement actions" in slack.command("/actie", "help").text
