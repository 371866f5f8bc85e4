"""Every subcommand has its word in Dutch and in English, and amounts are read the way the person writes them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from bot import words
from store.models import Activity, Circle, HelpRequest, KlaagpaalItem, MeetingTopic, Member
from tests.helpers import english, plan_series


@pytest.mark.parametrize("word", ["list", "lijst", "LIST"])
def test_list_lists_and_files_nothing(slack, session_factory, circle, word: str) -> None:
    klaagpaal = slack.command("/klaagpaal", word, user="U2")
    hulpvraag = slack.command("/hulpvraag", word, user="U2")

    assert klaagpaal.text.startswith("Er staan geen open punten op de klaagpaal")
    assert hulpvraag.text.startswith("Er zijn geen open hulpvragen")
    with session_factory() as session:
        assert session.scalars(select(KlaagpaalItem)).all() == []
        assert session.scalars(select(HelpRequest)).all() == []


def test_english_subcommands_do_what_their_dutch_words_do(slack, standin, session_factory, circle) -> None:
    english(standin, "U1")
    pairs = [
        ("/kenniskring", "help", "hulp"),
        ("/kenniskring", "settings", "instellingen"),
        ("/kenniskring", "meeting", "vergadering"),
        ("/kenniskring", "meeting list", "vergadering lijst"),
        ("/kenniskring", "meeting help", "vergadering hulp"),
        ("/kenniskring", "meeting stop", "vergadering stop"),
        ("/kenniskring", "point help", "punt help"),
        ("/agenda", "help", "hulp"),
        ("/agenda", "lessons", "lessen"),
        ("/agenda", "search asphalt", "zoek asphalt"),
        ("/agenda", "version", "versie"),
        ("/voortgang", "help", "hulp"),
        ("/actie", "help", "hulp"),
        ("/actie", "list", "lijst"),
    ]
    for command, word, dutch in pairs:
        assert slack.command(command, word).body == slack.command(command, dutch).body, (command, word)
    mine = slack.command("/agenda", "mine").body
    assert mine == slack.command("/agenda", "mijn").body.replace("filter: mijn", "filter: mine")

    slack.command("/kenniskring", "meeting plan")
    slack.command("/agenda", "new")
    assert [call.body["view"]["callback_id"] for call in standin.calls_to("views.open")] == [
        "circle_settings",
        "circle_settings",
        "meeting_plan",
        "agenda_new",
    ]


def test_english_subcommands_that_store(slack, standin, session_factory, circle) -> None:
    added = slack.command("/kenniskring", "coordinator <@U3|chantal>", user="U1")
    topic = slack.command("/kenniskring", "point labour: Too few machine operators", user="U2")
    filed = slack.command("/klaagpaal", "anonymous Permits take months", user="U7")
    slack.command("/kenniskring", "meeting 8-12-2026 14:00 elke 6 weken", user="U1")
    moved = slack.command("/kenniskring", "meeting move 8-12-2026 to 10-12-2026", user="U1")
    cancelled = slack.command("/kenniskring", "meeting cancel 10-12-2026", user="U1")

    assert "<@U3>" in added.text and "Arbeidsmarkt" in topic.text and "K-1" in filed.text
    assert "10 december 2026" in moved.text and "10 december 2026" in cancelled.text
    with session_factory() as session:
        assert session.scalars(select(Member.is_coordinator).where(Member.user_id == "U3")).one()
        assert session.scalars(select(MeetingTopic.point)).one() == 1
        assert session.scalars(select(KlaagpaalItem.author_id)).one() is None


def test_settings_in_english_words(slack, session_factory, circle) -> None:
    typed = "settings agenda:3 time:08:30 reminders:21,7,1 quiet:14 progress:2"
    answer = slack.command("/kenniskring", typed, user="U1")

    assert answer.status == 200 and "niets veranderd" not in answer.text
    with session_factory() as session:
        circle_row = session.scalars(select(Circle)).one()
        assert (circle_row.agenda_lead_days, circle_row.post_time, circle_row.nudge_days) == (3, "08:30", "21,7,1")
        assert (circle_row.stale_after_days, circle_row.progress_lead_days) == (14, 2)


def test_actions_and_the_calendar_in_english_words(slack, standin, session_factory, circle) -> None:
    english(standin, "U2")
    plan_series(slack)

    filed = slack.command("/actie", "Share the checklist deadline:1-2-2027", user="U2")
    done = slack.command("/actie", "P-1 done", user="U2")
    shared = slack.command("/kenniskring", "calendar channel", user="U2")

    assert filed.text.startswith("Noted: action *P-1* for <@U2>")
    assert done.text == "Action *P-1* is done. Thank you!"
    assert shared.text == "The meetings are in the channel as a calendar file (.ics)."
    [upload] = standin.calls_to("files.completeUploadExternal")
    assert upload.body["channel_id"] == "C1"  # the channel's copy speaks the circle's language
    assert upload.body["initial_comment"].startswith("De bijeenkomsten van *Kenniskring West*")


def test_every_alias_means_something_its_command_does() -> None:
    done = {
        "KENNISKRING": {
            "help",
            "start",
            "coordinator",
            "meeting",
            "settings",
            "point",
            "record",
            "calendar",
            "my_data",
        },
        "PERSONAL_DATA": {"help", "remove"},
        "MEETING": {"help", "plan", "list", "move", "cancel", "stop"},
        "AGENDA": {"help", "new", "export", "adopt", "version", "lessons", "search"},
        "CALENDAR": {"channel"},
        "ACTIE": {"help", "list", "done"},
        "KLAAGPAAL": {"help", "list", "anonymous"},
        "HULPVRAAG": {"help", "list"},
        "VOORTGANG": {"help"},
    }
    for name, meanings in done.items():
        table = getattr(words, name)
        assert set(table.values()) == meanings, name
        assert all(alias == alias.lower() for alias in table), name


def budget_of(session_factory, title: str) -> Decimal | None:
    with session_factory() as session:
        return session.scalars(select(Activity.budget).where(Activity.title == title)).one()


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("€ 20,000", "20000.00"), ("€20,000", "20000.00"), ("20,000.50", "20000.50"), ("48k", "48000.00")],
)
def test_english_amounts_for_someone_who_writes_english(slack, standin, session_factory, circle, typed, expected):
    english(standin, "U2")
    answer = slack.command("/agenda", f"new Pilot theme:climate budget:{typed}", user="U2")
    assert "A-1" in answer.text, answer.text
    assert budget_of(session_factory, "Pilot") == Decimal(expected)


def test_dutch_amounts_stay_as_they_were(slack, session_factory, circle) -> None:
    assert "A-1" in slack.command("/agenda", "nieuw Pilot thema:klimaat budget:€ 20.000", user="U2").text
    refused = slack.command("/agenda", "nieuw Proef thema:klimaat budget:€ 20,000", user="U2")

    assert budget_of(session_factory, "Pilot") == Decimal("20000.00")
    assert "kan ik op twee manieren lezen" in refused.text


def test_the_edit_form_shows_an_amount_the_way_its_reader_writes_it(slack, standin, session_factory, circle) -> None:
    english(standin, "U2")
    slack.command("/agenda", "new Pilot theme:climate budget:€48,000.50 status:running", user="U2")
    with session_factory() as session:
        activity_id = str(session.scalars(select(Activity.id)).one())

    slack.press("activity_edit", activity_id, user="U2")
    view = standin.calls_to("views.open")[-1].body["view"]
    budget = next(b for b in view["blocks"] if b["block_id"] == "budget")["element"]["initial_value"]
    answer = slack.submit(view, {}, user="U2")  # saved untouched, as Slack sends it

    assert budget == "48,000.50"
    assert answer.body == "" and budget_of(session_factory, "Pilot") == Decimal("48000.50")
    assert standin.calls_to("chat.postEphemeral")[-1].body["text"] == "Nothing had changed in A-1."
