"""`/voortgang` driven through signed requests: typed updates, the modal, and a blocker turned into a help request."""

from __future__ import annotations

import json

from sqlalchemy import select

from store.models import Activity, HelpRequest, ProgressUpdate
from tests.helpers import dump, opened, posts


def agenda(slack, *lines: str) -> None:
    for line in lines:
        answer = slack.command("/agenda", f"nieuw {line}", user="U2")
        assert "staat op de uitvoeringsagenda" in answer.text, answer.text


def test_typed_update_is_recorded_and_confirmed(slack, standin, session_factory, circle) -> None:
    agenda(slack, "Pilot asfalt thema:klimaat")

    answer = slack.command("/voortgang", "A-1 40% Eerste proefvak gelegd; beheerder enthousiast", user="U2")

    assert answer.status == 200
    assert "A-1" in dump(answer.json) and "40%" in dump(answer.json)
    with session_factory() as session:
        activity = session.scalars(select(Activity)).one()
        [update] = activity.updates
        assert (activity.percent, activity.status) == (40, "lopend")
        assert (update.percent, update.author_id, update.happened) == (
            40,
            "U2",
            "Eerste proefvak gelegd; beheerder enthousiast",
        )


def test_refusals_are_clear_and_store_nothing(slack, session_factory, circle) -> None:
    agenda(slack, "Pilot asfalt thema:klimaat")
    cases = {
        ("A-1 140% klaar", "U2"): "tussen 0 en 100",
        ("A-1 -5% terug", "U2"): "tussen 0 en 100",
        ("A-1 veel% klaar", "U2"): "geen percentage",
        ("A-7 40% iets", "U2"): "A-7 bestaat niet",
        ("K-1 40%", "U2"): "geen nummer",
        ("A-1 40% ik help even", "U9"): "Alleen de initiatiefnemer",
        ("A-1 status:geblokkeerd tekst", "U2"): "kan niet van gepland naar geblokkeerd",
    }
    for (text, user), expected in cases.items():
        answer = slack.command("/voortgang", text, user=user)
        assert answer.status == 200 and expected in answer.text, (text, answer.text)
    with session_factory() as session:
        assert session.scalars(select(ProgressUpdate)).all() == []


def test_stopping_through_progress_needs_a_reason(slack, session_factory, circle) -> None:
    agenda(slack, "Pilot asfalt thema:klimaat")
    assert "waarom A-1 stopt" in slack.command("/voortgang", "A-1 status:gestopt", user="U2").text
    slack.command("/voortgang", "A-1 status:gestopt Geen aanbieders gevonden", user="U2")
    with session_factory() as session:
        activity = session.scalars(select(Activity)).one()
        assert (activity.status, activity.stop_reason) == ("gestopt", "Geen aanbieders gevonden")


def test_bare_command_opens_the_modal_with_own_activities_first(slack, standin, circle) -> None:
    agenda(slack, "Pilot asfalt thema:klimaat", "Leerkring thema:leren <@U1|a>", "Scan thema:arbeidsmarkt <@U3|b>")

    slack.command("/voortgang", "", user="U1")  # U1 is coordinator: own first, then all the others
    view = opened(standin)
    assert view["callback_id"] == "voortgang_submit"
    groups = next(b for b in view["blocks"] if b["block_id"] == "activity")["element"]["option_groups"]
    listed = [[o["text"]["text"] for o in group["options"]] for group in groups]
    assert [g["label"]["text"] for g in groups] == ["Mijn activiteiten", "Andere activiteiten"]
    assert listed == [["A-2 Leerkring"], ["A-1 Pilot asfalt", "A-3 Scan"]]

    slack.command("/voortgang", "", user="U3")
    element = next(b for b in opened(standin)["blocks"] if b["block_id"] == "activity")
    assert [o["text"]["text"] for o in element["element"]["options"]] == ["A-3 Scan"]  # only what U3 may report on

    assert "nog geen initiatiefnemer" in slack.command("/voortgang", "", user="U9").text
    assert "Alleen de initiatiefnemer" in slack.command("/voortgang", "A-1", user="U9").text


def test_modal_records_every_part_and_offers_a_help_request(slack, standin, session_factory, circle) -> None:
    agenda(slack, "Pilot asfalt thema:klimaat status:lopend")
    slack.command("/voortgang", "A-1", user="U2")
    view = opened(standin)
    assert next(b for b in view["blocks"] if b["block_id"] == "activity")["element"]["initial_option"]["value"]

    answer = slack.submit(
        view,
        {
            "activity": json.loads(view["private_metadata"])["item_id"],
            "status": "geblokkeerd",
            "percent": "60",
            "happened": "Twee proefvakken gelegd",
            "learned": "Vroeg met de beheerder praten scheelt weken",
            "improvements": "Beheerder bij de start uitnodigen",
            "blockers": "Geen vergunning voor de derde locatie",
        },
        user="U2",
    )

    assert answer.status == 200 and answer.body == ""
    with session_factory() as session:
        activity = session.scalars(select(Activity)).one()
        [update] = activity.updates
        assert (activity.status, activity.percent) == ("geblokkeerd", 60)
        assert (update.learned, update.improvements) == (
            "Vroeg met de beheerder praten scheelt weken",
            "Beheerder bij de start uitnodigen",
        )
    confirmation = standin.calls_to("chat.postEphemeral")[-1].body
    [help_button] = [e for b in confirmation["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert help_button["action_id"] == "progress_help"

    slack.press("progress_help", help_button["value"], user="U2")
    slack.press("progress_help", help_button["value"], user="U2")

    with session_factory() as session:
        [request] = session.scalars(select(HelpRequest)).all()
        assert request.number == 1 and request.activity_id == activity.id and "derde locatie" in request.text
        assert request.requester_id == "U2"
    [post] = [p for p in posts(standin) if "H-1" in p.body["text"]]
    assert "A-1" in dump(post.body["blocks"])
    answers = [c.body["text"] for c in standin.calls_to("chat.postEphemeral")[-2:]]
    assert "H-1" in answers[0] and "al hulpvraag" in answers[1]


def test_modal_errors_name_their_field(slack, standin, session_factory, circle) -> None:
    agenda(slack, "Pilot asfalt thema:klimaat")
    slack.command("/voortgang", "", user="U2")
    view = opened(standin)
    activity_id = view["blocks"][0]["element"]["options"][0]["value"]
    cases = {
        "percent": ({"percent": "150"}, "tussen 0 en 100"),
        "happened": ({}, "Vul in wat er gebeurde"),
        "status": ({"status": "geblokkeerd", "happened": "vast"}, "kan niet van gepland naar geblokkeerd"),
    }
    for field, (values, expected) in cases.items():
        answer = slack.submit(view, {"activity": activity_id, **values}, user="U2")
        assert answer.json.get("response_action") == "errors", answer.body
        assert list(answer.json["errors"]) == [field] and expected in answer.json["errors"][field]
    answer = slack.submit(view, {"activity": activity_id, "happened": "iets"}, user="U9")  # not a member
    refusal = answer.json["errors"]["activity"]
    assert list(answer.json["errors"]) == ["activity"] and "niet bij kunt" in refusal and "U2" not in refusal
    with session_factory() as session:
        assert session.scalars(select(ProgressUpdate)).all() == []


def test_completing_through_progress_celebrates_once(slack, standin, circle) -> None:
    agenda(slack, "Pilot asfalt thema:klimaat status:lopend <@U2|a> <@U3|b>")
    slack.command("/voortgang", "A-1 status:afgerond Alles opgeleverd", user="U3")
    celebrations = [p for p in posts(standin) if "afgerond" in p.body["text"]]
    assert len(celebrations) == 1
    assert "We vieren met elkaar de successen" in dump(celebrations[0].body["blocks"])
    assert "<@U3>" in dump(celebrations[0].body["blocks"])
    again = slack.command("/voortgang", "A-1 40%", user="U2")
    assert "A-1 is afgerond; daar verandert niets meer aan" in again.text
    slack.command("/voortgang", "A-1 Wat we nog leerden achteraf", user="U2")  # reflecting afterwards is welcome
    assert len([p for p in posts(standin) if "afgerond" in p.body["text"]]) == 1


def test_a_bare_number_after_the_activity_is_the_percentage(slack, session_factory, circle) -> None:
    agenda(slack, "Pilot asfalt thema:klimaat")

    answer = slack.command("/voortgang", "A-1 40", user="U2")
    slack.command("/voortgang", "A-1 55 Tweede proefvak gelegd", user="U2")

    assert "40%" in dump(answer.json)
    with session_factory() as session:
        activity = session.scalars(select(Activity)).one()
        assert [(u.percent, u.happened) for u in activity.updates] == [(40, None), (55, "Tweede proefvak gelegd")]
        assert (activity.percent, activity.status) == (55, "lopend")


def form_for(slack, standin, number: int = 1, user: str = "U2") -> dict:
    slack.command("/voortgang", f"A-{number}", user=user)
    return standin.calls_to("views.open")[-1].body["view"]


def chosen(view: dict) -> str:
    return json.loads(view["private_metadata"])["item_id"]


def test_the_percentage_the_form_showed_is_no_report(slack, standin, session_factory, circle) -> None:
    agenda(slack, "Pilot asfalt thema:klimaat status:lopend")
    slack.command("/voortgang", "A-1 40%", user="U2")
    view = form_for(slack, standin)
    assert next(b for b in view["blocks"] if b["block_id"] == "percent")["element"]["initial_value"] == "40"
    slack.command("/voortgang", "A-1 60% Derde proefvak", user="U2")  # while the form is open

    # Slack submits the untouched field with the 40 it showed: that is no report, and surely no step back.
    answer = slack.submit(view, {"activity": chosen(view), "status": "geblokkeerd", "blockers": "Geen"}, user="U2")

    assert answer.status == 200 and answer.body == ""
    with session_factory() as session:
        activity = session.scalars(select(Activity)).one()
        assert [(u.percent, u.status) for u in activity.updates] == [(40, None), (60, None), (None, "geblokkeerd")]
        assert (activity.percent, activity.status) == (60, "geblokkeerd")


def test_a_changed_percentage_in_the_form_is_reported(slack, standin, session_factory, circle) -> None:
    agenda(slack, "Pilot asfalt thema:klimaat status:lopend")
    view = form_for(slack, standin)

    slack.submit(view, {"activity": chosen(view), "percent": "35"}, user="U2")

    with session_factory() as session:
        activity = session.scalars(select(Activity)).one()
        assert [update.percent for update in activity.updates] == [35] and activity.percent == 35


def test_completing_in_the_form_reports_100_percent_in_history_and_export(
    slack, standin, session_factory, circle
) -> None:
    agenda(slack, "Pilot asfalt thema:klimaat status:lopend")
    view = form_for(slack, standin)  # shows 0%

    slack.submit(view, {"activity": chosen(view), "status": "afgerond"}, user="U2")

    with session_factory() as session:
        activity = session.scalars(select(Activity)).one()
        [update] = activity.updates
        assert (update.percent, update.status, activity.percent) == (100, "afgerond", 100)
    assert "<@U2> · 100% · afgerond" in dump(slack.command("/agenda", "A-1", user="U2").json)


def test_completing_in_the_form_celebrates_with_the_lesson_of_that_update(slack, standin, circle) -> None:
    agenda(slack, "Pilot asfalt thema:klimaat status:lopend <@U2|a> <@U3|b>")
    slack.command("/voortgang", "A-1 80% Bijna klaar", user="U2")
    earlier = form_for(slack, standin)
    slack.submit(earlier, {"activity": chosen(earlier), "learned": "Een eerdere les"}, user="U2")
    view = form_for(slack, standin, user="U3")

    slack.submit(
        view,
        {"activity": chosen(view), "status": "afgerond", "learned": "Vroeg met de beheerder praten scheelt weken"},
        user="U3",
    )

    [celebration] = [p for p in posts(standin) if "afgerond" in p.body["text"]]
    shown = dump(celebration.body["blocks"])
    assert "Vroeg met de beheerder praten scheelt weken" in shown and "Een eerdere les" not in shown
