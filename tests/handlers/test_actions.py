"""Improvement actions P-n through `/actie`, their nudges and the App Home, as Slack drives the bot."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from store.models import ImprovementAction, Outbox
from tests.helpers import dump, make_activity, posts, tick


def test_an_actions_deadline_may_be_a_day_named_in_words(slack, session_factory, circle) -> None:
    answer = slack.command("/actie", "Bestek aanpassen deadline:volgende week vrijdag", user="U1")

    assert "P-1" in answer.text
    with session_factory() as session:
        assert session.scalars(select(ImprovementAction.deadline)).one() == date(2026, 12, 11)


def test_an_action_in_one_line_is_numbered_linked_and_its_owner_hears_it(
    slack, standin, session_factory, circle
) -> None:
    make_activity(session_factory, 1, "Circulair asfalt", "U2")

    answer = slack.command("/actie", "Bestek aanpassen op hergebruik <@U2|bram> deadline:15-1-2027 A-1", user="U1")
    second = slack.command("/actie", "Evaluatie plannen K-2", user="U3")

    assert answer.text == "Genoteerd: actie *P-1* voor <@U2> · uiterlijk 15 jan 2027."
    assert "*P-2*" in second.text and "<@U3>" in second.text
    with session_factory() as session:
        first, other = session.scalars(select(ImprovementAction).order_by(ImprovementAction.number)).all()
        assert (first.text, first.owner_id, first.deadline, first.status) == (
            "Bestek aanpassen op hergebruik A-1", "U2", date(2027, 1, 15), "open",
        )  # fmt: skip
        assert first.activity_id is not None and other.item == "K-2" and other.owner_id == "U3"
    [dm] = posts(standin, "DU2")
    assert "P-1" in dm.body["text"] and "action_done" in dump(dm.body["blocks"])
    assert posts(standin, "DU3") == []  # whoever files for themselves is not told
    listing = dump(slack.command("/actie", "lijst", user="U4").json)
    assert "*P-1* Bestek aanpassen op hergebruik A-1 — <@U2> · uiterlijk 15 jan 2027 · bij A-1" in listing
    assert "bij K-2" in listing


def test_marking_done_is_for_the_owner_the_filer_or_a_coordinator(slack, session_factory, circle) -> None:
    slack.command("/actie", "Bestek aanpassen <@U2|bram>", user="U3")

    refused = slack.command("/actie", "P-1 klaar", user="U4")
    done = slack.command("/actie", "klaar P-1", user="U2")
    again = slack.command("/actie", "P-1 klaar", user="U1")

    assert "Alleen <@U2>" in refused.text
    assert done.text == "Actie *P-1* staat op klaar. Dank je!"
    assert "stond al op klaar" in again.text
    assert "P-9 bestaat niet" in slack.command("/actie", "P-9 klaar", user="U1").text
    assert "geen open verbeteracties" in slack.command("/actie", "lijst").text
    with session_factory() as session:
        action = session.scalars(select(ImprovementAction)).one()
        assert (action.status, action.done_by) == ("klaar", "U2")


def test_the_form_files_an_action_and_bad_input_is_named(slack, standin, session_factory, circle) -> None:
    answer = slack.command("/actie", "", user="U1")
    assert answer.status == 200
    view = standin.calls_to("views.open")[-1].body["view"]
    assert view["callback_id"] == "actie_new"

    past = slack.submit(view, {"text": "Iets", "owner": "U2", "deadline": "2020-01-01"}, user="U1")
    done = slack.submit(view, {"text": "Checklist delen", "owner": "U2", "deadline": "2027-02-01"}, user="U1")

    assert "deadline" in past.json["errors"]
    assert done.status == 200 and done.body == ""
    assert "verleden" in slack.command("/actie", "Iets deadline:1-1-2020").text
    assert "P-x" not in slack.command("/actie", "help").text and "/actie lijst" in slack.command("/actie", "help").text
    with session_factory() as session:
        assert session.scalars(select(ImprovementAction.text)).all() == ["Checklist delen"]


def test_actions_are_nudged_like_deadlines_once_and_done_from_the_dm(
    slack, standin, services, session_factory, circle
) -> None:
    slack.command("/actie", "Bestek aanpassen <@U2|bram> deadline:15-12-2026", user="U1")
    standin.clear()

    tick(services, datetime(2026, 12, 8, 8, 30, tzinfo=UTC))  # 7 days before, 09:30 local
    tick(services, datetime(2026, 12, 8, 9, 30, tzinfo=UTC))

    [nudge] = posts(standin, "DU2")
    assert "P-1" in nudge.body["text"] and "over *7 dagen*" in dump(nudge.body["blocks"])
    value = next(
        element["value"]
        for block in nudge.body["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
        if element["action_id"] == "action_done"
    )
    slack.press("action_done", value, user="U2", channel="DU2")
    with session_factory() as session:
        assert session.scalars(select(ImprovementAction.status)).one() == "klaar"
        assert session.scalars(select(Outbox).where(Outbox.key.like("nudge:%"))).all()
    standin.clear()
    tick(services, datetime(2026, 12, 14, 8, 30, tzinfo=UTC))  # 1 day before, but done
    assert posts(standin, "DU2") == []


def test_my_open_actions_show_in_the_app_home(slack, standin, circle) -> None:
    slack.command("/actie", "Bestek aanpassen <@U2|bram> deadline:15-1-2027", user="U1")

    slack.event({"type": "app_home_opened", "user": "U2", "tab": "home"})

    text = dump(standin.home_views["U2"])
    assert "Mijn verbeteracties" in text and "P-1" in text and "action_done" in text
    [value] = [
        block["accessory"]["value"]
        for block in standin.home_views["U2"]["blocks"]
        if block.get("accessory", {}).get("action_id") == "action_done"
    ]
    slack.press("action_done", value, user="U2", channel=None)
    assert "P-1" not in dump(standin.home_views["U2"])
