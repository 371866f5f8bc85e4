"""Common goals: a list per circle, activities serving one or more with a weight, progress as the weighted share
of their progress, the agenda filtered by goal, and the goals chosen in the activity form."""

from __future__ import annotations

import io
import json

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from store.models import Activity, Goal, GoalLink


def dump(answer) -> str:
    return json.dumps(answer.json, ensure_ascii=False)


def links(session_factory) -> list[tuple[int, str, int]]:
    with session_factory() as session:
        statement = select(Activity.number, Goal.name, GoalLink.weight).join(GoalLink.activity).join(GoalLink.goal)
        return sorted(session.execute(statement).all())


def test_anyone_sets_a_goal_and_activities_serve_it(slack, session_factory, circle) -> None:
    assert "staat nu op de lijst" in slack.command("/kenniskring", "doel Minder CO2-uitstoot", user="U2").text
    slack.command("/kenniskring", "doel Meer stageplekken", user="U2")
    answer = slack.command(
        "/agenda", 'nieuw Pilot asfalt thema:klimaat doel:minder doel:"Meer stageplekken"', user="U3"
    )
    assert "A-1" in answer.text
    assert links(session_factory) == [(1, "Meer stageplekken", 1), (1, "Minder CO2-uitstoot", 1)]
    assert "staat niet op de lijst" in slack.command("/agenda", "nieuw Iets thema:leren doel:vrede", user="U3").text
    assert "Er is al een doel" not in slack.command("/kenniskring", "doel minder co2-uitstoot", user="U3").text


def test_progress_is_the_weighted_share_of_the_activities_progress(slack, session_factory, circle) -> None:
    slack.command("/kenniskring", "doel Minder CO2", user="U1")
    slack.command("/agenda", "nieuw Pilot asfalt thema:klimaat doel:minder", user="U2")
    slack.command("/agenda", "nieuw Elektrisch materieel thema:klimaat", user="U2")
    slack.command("/agenda", "nieuw Proef gestopt thema:klimaat doel:minder", user="U2")
    slack.command("/voortgang", "A-1 40% proefvak gelegd", user="U2")
    slack.command("/voortgang", "A-2 100% status:afgerond klaar", user="U2")
    slack.command("/voortgang", "A-3 status:gestopt niet haalbaar", user="U2")

    answer = slack.command("/kenniskring", "doel Minder CO2 A-2:3", user="U2")
    assert "A-2 ×3" in answer.text
    assert links(session_factory) == [(1, "Minder CO2", 1), (2, "Minder CO2", 3), (3, "Minder CO2", 1)]
    text = dump(slack.command("/kenniskring", "doel minder co2", user="U4"))
    assert "Voortgang: *85% op weg*" in text  # (1×40 + 3×100) / 4; the stopped A-3 no longer counts
    assert "*A-2* Elektrisch materieel — afgerond, 100% · gewicht 3" in text
    listing = dump(slack.command("/kenniskring", "doelen", user="U4"))
    assert "*Minder CO2* — 85% op weg · 3 activiteiten" in listing

    assert "Alleen de initiatiefnemer" in slack.command("/kenniskring", "doel Minder CO2 A-1:5", user="U9").text
    assert "A-1 ×0" in slack.command("/kenniskring", "doel Minder CO2 A-1:0", user="U2").text
    assert (1, "Minder CO2", 1) not in links(session_factory)
    assert "van 0 (geen koppeling) tot en met 100" in slack.command("/kenniskring", "doel Minder CO2 A-2:101").text
    assert "als `A-3:2`" in slack.command("/kenniskring", "doel Minder CO2 A-2:veel", user="U2").text


def test_the_agenda_filters_by_goal(slack, circle) -> None:
    slack.command("/kenniskring", "doel Minder CO2", user="U1")
    slack.command("/agenda", "nieuw Pilot asfalt thema:klimaat doel:minder", user="U2")
    slack.command("/agenda", "nieuw Stageplekken thema:arbeidsmarkt", user="U2")
    text = dump(slack.command("/agenda", 'doel:"Minder CO2"', user="U2"))
    assert "Pilot asfalt" in text and "Stageplekken" not in text
    assert "staat niet op de lijst" in slack.command("/agenda", "doel:vrede", user="U2").text


@pytest.mark.parametrize("settings", ["en"], indirect=True)
def test_goals_in_english(slack, circle) -> None:
    assert "is now on the circle's list" in slack.command("/kenniskring", "goal Less CO2", user="U1").text
    slack.command("/agenda", "new Asphalt pilot theme:climate goal:less", user="U2")
    slack.command("/voortgang", "A-1 50%", user="U2")
    assert "*Less CO2* — 50% of the way · 1 activity" in dump(slack.command("/kenniskring", "goals"))
    assert "Asphalt pilot" in dump(slack.command("/agenda", "goal:less", user="U2"))


def test_the_activity_form_offers_the_circles_goals(slack, standin, session_factory, circle) -> None:
    slack.command("/agenda", "nieuw", user="U2")
    [opened] = standin.calls_to("views.open")
    assert "nog geen gemeenschappelijke doelen" in json.dumps(opened.body["view"], ensure_ascii=False)

    slack.command("/kenniskring", "doel Minder CO2", user="U1")
    slack.command("/kenniskring", "doel Meer stageplekken", user="U1")
    standin.clear()
    slack.command("/agenda", "nieuw", user="U2")
    [opened] = standin.calls_to("views.open")
    view = opened.body["view"]
    [block] = [block for block in view["blocks"] if block.get("block_id") == "goals"]
    ids = {option["text"]["text"]: option["value"] for option in block["element"]["options"]}
    values = {
        "title": "Pilot asfalt",
        "theme": "klimaat",
        "initiator": "U2",
        "status": "gepland",
        "goals": [ids["Minder CO2"], ids["Meer stageplekken"]],
    }
    assert slack.submit(view, values, user="U2").status == 200
    assert [name for _, name, _ in links(session_factory)] == ["Meer stageplekken", "Minder CO2"]

    slack.command("/kenniskring", "doel Minder CO2 A-1:4", user="U2")
    with session_factory() as session:
        activity_id = session.scalars(select(Activity.id)).one()
    standin.clear()
    slack.press("activity_edit", str(activity_id), user="U2")
    [opened] = standin.calls_to("views.open")
    edit = opened.body["view"]
    [block] = [block for block in edit["blocks"] if block.get("block_id") == "goals"]
    assert {option["value"] for option in block["element"]["initial_options"]} == set(ids.values())
    slack.submit(edit, {**values, "goals": [ids["Minder CO2"]]}, user="U2")
    assert links(session_factory) == [(1, "Minder CO2", 4)]  # the goal it keeps keeps its weight


def test_coordinators_rename_and_retire_goals(slack, session_factory, circle) -> None:
    slack.command("/kenniskring", "doel Minder CO2", user="U2")
    slack.command("/agenda", "nieuw Pilot asfalt thema:klimaat doel:minder", user="U2")
    assert "alleen een coördinator" in slack.command("/kenniskring", "doel Minder CO2 intrekken", user="U2").text
    assert "heet nu *CO2 halveren*" in slack.command("/kenniskring", "doel minder co2 naam:CO2 halveren").text
    assert "ingetrokken" in slack.command("/kenniskring", "doel CO2 halveren intrekken", user="U1").text
    assert "staat niet op de lijst" in slack.command("/agenda", "nieuw Nog een thema:klimaat doel:co2").text
    assert links(session_factory) == [(1, "CO2 halveren", 1)]
    assert "_Ingetrokken:_ CO2 halveren" in dump(slack.command("/kenniskring", "doelen", user="U2"))
    assert "Pilot asfalt" in dump(slack.command("/agenda", "doel:co2", user="U2"))
    assert "hersteld" in slack.command("/kenniskring", "doel CO2 halveren herstellen", user="U1").text


def test_the_export_names_the_goals_of_each_activity(slack, standin, circle) -> None:
    slack.command("/kenniskring", "doel Minder CO2", user="U1")
    slack.command("/kenniskring", "doel Meer stageplekken", user="U1")
    slack.command("/agenda", "nieuw Pilot asfalt thema:klimaat doel:minder doel:meer", user="U2")
    slack.command("/agenda", "export", user="U1")
    [content] = standin.uploads.values()
    sheet = load_workbook(io.BytesIO(content))["Uitvoeringsagenda"]
    header = [cell.value for cell in sheet[1]]
    row = [cell.value for cell in sheet[2]]
    assert row[header.index("Gemeenschappelijke doelen")] == "Minder CO2; Meer stageplekken"
