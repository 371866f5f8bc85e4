"""Each person is answered in the language their Slack is set to; the circle's channel hears the circle's language.
Slack is asked once a day per person, and never holds up an answer."""

from __future__ import annotations

import socket

from slack_sdk import WebClient
from sqlalchemy import select, update

from bot.i18n import t
from bot.languages import Languages
from store.db import make_engine, make_session_factory
from store.models import Circle, HerkenbaarMark, KlaagpaalItem
from tests.helpers import dump, english, posts


def asked(standin, user: str) -> list:
    return [call for call in standin.calls_to("users.info") if call.body["user"] == user]


def test_an_english_member_of_a_dutch_circle_is_answered_in_english(slack, standin, session_factory, circle) -> None:
    english(standin, "U2")

    filed = slack.command("/klaagpaal", "Too many forms for one permit", user="U2")
    dutch = slack.command("/klaagpaal", "Te veel formulieren", user="U3")

    assert filed.text.startswith("Thank you. Your item is on the klaagpaal as *K-1*")
    assert dutch.text.startswith("Dank je. Je punt staat op de klaagpaal als *K-2*")
    english_post, dutch_post = posts(standin)
    assert "Ingebracht door <@U2>" in dump(english_post.body["blocks"])  # the channel hears the circle's language
    assert "Ingebracht door <@U3>" in dump(dutch_post.body["blocks"])
    assert asked(standin, "U2")[0].body["include_locale"] in ("1", "true", "True")

    with session_factory() as session:
        item_id = session.scalars(select(KlaagpaalItem.id).where(KlaagpaalItem.number == 2)).one()
    slack.press("klaagpaal_herkenbaar", str(item_id), user="U2")
    assert standin.calls_to("chat.postEphemeral")[-1].body["text"] == "You marked K-2 as recognisable."
    assert "1× herkenbaar" in dump(standin.calls_to("chat.update")[-1].body["blocks"])


def test_forms_and_refusals_speak_the_persons_language(slack, standin, circle) -> None:
    english(standin, "U2")
    slack.command("/agenda", "nieuw Pilot asfalt thema:klimaat", user="U2")

    missing = slack.command("/agenda", "A-9", user="U2")
    slack.command("/voortgang", "", user="U2")
    view = standin.calls_to("views.open")[-1].body["view"]
    chosen = view["blocks"][0]["element"]["options"][0]["value"]
    refused = slack.submit(view, {"activity": chosen, "percent": "150"}, user="U2")
    listing = slack.command("/agenda", "", user="U2")

    assert missing.text == "A-9 does not exist in this circle. Type `/agenda` for the whole agenda."
    assert view["title"]["text"] == "Report progress"
    assert refused.json["errors"]["percent"] == "`150` is not possible: a percentage lies between 0 and 100."
    assert "1 activity" in dump(listing.json) and "1 activities" not in dump(listing.json)
    [announcement] = posts(standin)
    assert announcement.body["text"] == "Nieuw op de uitvoeringsagenda: A-1 Pilot asfalt"


def test_in_an_english_circle_a_dutch_member_hears_dutch_and_the_channel_english(
    slack, standin, session_factory, circle
) -> None:
    with session_factory.begin() as session:
        session.execute(update(Circle).values(locale="en"))

    answer = slack.command("/klaagpaal", "Te veel formulieren", user="U3")

    assert answer.text.startswith("Dank je.")
    assert "Raised by <@U3>" in dump(posts(standin)[0].body["blocks"])


def test_a_language_the_bot_does_not_speak_falls_back_to_the_circles(slack, standin, circle) -> None:
    standin.user("U2", name="jonas", locale="de-DE")
    assert slack.command("/klaagpaal", "lijst", user="U2").text.startswith("Er staan geen open punten")


def test_a_persons_language_is_asked_once_a_day(slack, standin, clock, circle) -> None:
    english(standin, "U2")
    for text in ("lijst", "help", "hulp"):
        slack.command("/klaagpaal", text, user="U2")
    assert len(asked(standin, "U2")) == 1

    standin.user("U2", name="u2", locale="nl-NL")
    clock.advance(hours=23)
    assert slack.command("/klaagpaal", "lijst", user="U2").text.startswith("There are no open klaagpaal items")
    clock.advance(hours=2)
    assert slack.command("/klaagpaal", "lijst", user="U2").text.startswith("Er staan geen open punten")
    assert len(asked(standin, "U2")) == 2


def test_when_slack_does_not_say_the_circles_language_answers_at_once(slack, standin, clock, sleeps, circle) -> None:
    english(standin, "U2")
    standin.fail_next("users.info", 429, retry_after=30)

    first = slack.command("/klaagpaal", "lijst", user="U2")
    second = slack.command("/klaagpaal", "lijst", user="U2")

    assert first.text.startswith("Er staan geen open punten") and second.text == first.text
    assert sleeps == []  # no waiting on Slack's Retry-After before the acknowledgement
    assert len(standin.failures) == 1 and asked(standin, "U2") == []  # not asked again on every command
    clock.advance(minutes=11)
    assert slack.command("/klaagpaal", "lijst", user="U2").text.startswith("There are no open klaagpaal items")


def test_filing_anonymously_asks_slack_nothing_about_the_filer(slack, standin, session_factory, circle) -> None:
    answer = slack.command("/klaagpaal", "anoniem Grondverzetregels schuren", user="U7")

    assert "K-1" in answer.text and asked(standin, "U7") == []
    with session_factory() as session:
        assert session.scalars(select(KlaagpaalItem.author_id)).one() is None
        assert session.scalars(select(HerkenbaarMark)).all() == []


def test_a_slack_that_does_not_answer_holds_up_nobody_longer_than_the_wait(clock) -> None:
    silent = socket.socket()  # accepts connections and never answers them
    silent.bind(("127.0.0.1", 0))
    silent.listen()
    try:
        client = WebClient(token="xoxb-test", base_url=f"http://127.0.0.1:{silent.getsockname()[1]}/api/")
        languages = Languages(client, clock, wait=0.05)
        assert languages.of("T1", "U2") is None
        assert languages.of("T1", "U2", ask=False) is None
    finally:
        silent.close()


def test_the_people_remembered_are_bounded(standin, clock) -> None:
    english(standin, "U1", "U2", "U3")
    languages = Languages(WebClient(token="xoxb-test", base_url=standin.url), clock, size=2)

    assert [languages.of("T1", user) for user in ("U1", "U2", "U3", "U3", "U1")] == ["en"] * 5
    assert [len(asked(standin, user)) for user in ("U1", "U2", "U3")] == [2, 1, 1]


def test_with_the_database_and_slack_both_failing_the_answer_still_comes(
    slack, standin, services, tmp_path, circle
) -> None:
    services.session_factory = make_session_factory(make_engine(f"sqlite:///{tmp_path}/missing/kenniskring.db"))
    standin.fail_next("users.info", 500)

    answer = slack.command("/klaagpaal", "Te veel formulieren", user="U2")

    assert answer.status == 200 and answer.text == t("common.unexpected", "nl")


def test_a_meeting_planned_in_english_is_announced_in_the_circles_language(slack, standin, circle) -> None:
    english(standin, "U4")
    slack.command("/kenniskring", "coordinator <@U4|emma>", user="U1")

    planned = slack.command("/kenniskring", "meeting 8-12-2026 14:00 elke 6 weken", user="U4")
    moved = slack.command("/kenniskring", "meeting move 8-12-2026 to 10-12-2026", user="U4")
    cancelled = slack.command("/kenniskring", "meeting cancel 10-12-2026", user="U4")

    assert planned.text.startswith("Planned (every 6 weeks)") and "Thursday 10 December 2026" in moved.text
    assert cancelled.text.startswith("The meeting of Thursday 10 December 2026, 14:00 is cancelled")
    announced = [call.body["text"] for call in posts(standin)]
    assert announced[0].startswith(":calendar: <@U4> heeft de bijeenkomsten gepland (elke 6 weken)")
    assert "verzet naar *donderdag 10 december 2026" in announced[1]
    assert announced[2].startswith(":x: De bijeenkomst van *donderdag 10 december 2026")
