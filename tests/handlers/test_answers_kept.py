"""Pages of the agenda and the lists are made once and given again, but never after what they show has changed:
through the bot, straight in the database (as another process would), by a person leaving, or by the day turning."""

from __future__ import annotations

from sqlalchemy import select

from bot.answers import Answers
from store import people
from store.models import Activity
from tests.helpers import counting, dump, posts


def agenda(slack, user: str = "U2") -> str:
    answer = slack.command("/agenda", "", user=user)
    assert answer.status == 200, answer.body
    return dump(answer.json["blocks"])


def test_a_page_asked_again_is_given_without_reading_it_again(slack, services, engine, circle) -> None:
    slack.command("/agenda", "nieuw Pilot asfalt thema:klimaat", user="U2")
    first = agenda(slack)
    with counting(engine) as checked:
        again = agenda(slack)
    Answers.checking = False  # the suite makes every kept answer afresh as well: not while counting
    try:
        with counting(engine) as kept:
            agenda(slack)
        assert len(kept) < len(checked)
    finally:
        Answers.checking = True
    assert again == first
    assert services.answers.given >= 2


def test_a_change_through_the_bot_shows_at_once(slack, circle) -> None:
    slack.command("/agenda", "nieuw Pilot asfalt thema:klimaat", user="U2")
    assert "40%" not in agenda(slack)
    slack.command("/voortgang", "A-1 40% Proefvak gelegd bij de rotonde", user="U2")
    shown = agenda(slack)
    assert "40%" in shown and "Proefvak gelegd" in shown
    slack.command("/agenda", "nieuw Scan arbeidsmarkt thema:arbeidsmarkt", user="U3")
    assert "Scan arbeidsmarkt" in agenda(slack)


def test_a_change_made_elsewhere_shows_at_once(slack, session_factory, circle) -> None:
    """Another process writes through its own sessions; only the circle's revision in the database tells."""
    slack.command("/agenda", "nieuw Pilot asfalt thema:klimaat", user="U2")
    assert "Pilot asfalt" in agenda(slack)
    with session_factory.begin() as session:
        session.scalars(select(Activity)).one().title = "Pilot stil asfalt"
    assert "Pilot stil asfalt" in agenda(slack)


def test_someone_leaving_shows_on_every_kept_page(slack, session_factory, circle) -> None:
    slack.command("/agenda", "nieuw Pilot asfalt thema:klimaat", user="U2")
    assert "zonder trekker" not in agenda(slack)
    with session_factory.begin() as session:
        people.mark_gone(session, user_id="U2", reason="deleted")
    assert "zonder trekker" in agenda(slack, user="U3")


def test_a_new_day_is_a_new_page(slack, clock, circle) -> None:
    slack.command("/agenda", "nieuw Pilot asfalt thema:klimaat deadline:02-12-2026", user="U2")
    assert "te laat" not in agenda(slack)
    clock.advance(days=2)
    assert "te laat" in agenda(slack)


def test_the_lists_follow_filings_and_marks(slack, standin, circle) -> None:
    slack.command("/klaagpaal", "Te veel formulieren", user="U2")
    listed = slack.command("/klaagpaal", "lijst", user="U3").text
    assert "Te veel formulieren" in dump(slack.command("/klaagpaal", "lijst", user="U3").json)
    assert "herkenbaar" not in listed
    [post] = posts(standin)
    item_id = post.body["blocks"][-1]["elements"][0]["value"]
    slack.press("klaagpaal_herkenbaar", item_id, user="U3", message_ts=standin.workspace.messages["C1"][-1]["ts"])
    assert "1× herkenbaar" in dump(slack.command("/klaagpaal", "lijst", user="U4").json)
    slack.command("/hulpvraag", "Wie kent een goede aannemer voor stil asfalt?", user="U2")
    assert "stil asfalt" in dump(slack.command("/hulpvraag", "lijst", user="U3").json)
    slack.command("/hulpvraag", "Wie heeft ervaring met warmtenetten?", user="U4")
    assert "warmtenetten" in dump(slack.command("/hulpvraag", "lijst", user="U3").json)
