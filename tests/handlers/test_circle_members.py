"""The circle's members: registering by command or form, coordinators registering and removing others, the roster
with its balance, balance and rotation suggestions, and joining or leaving the channel."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from store import members as store
from store.models import AuditEvent, Circle, Member, Role
from tests.helpers import plan_series, posts, tick
from tests.scenarios.test_meetings_agenda import DUE


def rows(session_factory) -> dict[str, tuple]:
    with session_factory() as session:
        found = session.scalars(select(Member)).all()
        return {m.user_id: (m.side, m.organisation, m.role, m.since, m.is_coordinator) for m in found}


def as_text(answer) -> str:
    return json.dumps(answer.json, ensure_ascii=False)


def test_registering_yourself_in_one_line(slack, session_factory, clock, circle) -> None:
    answer = slack.command("/kenniskring", "ik OG gemeente Tiel rol:beheerder", user="U1")
    assert "jij zit aan tafel als OG namens *gemeente Tiel* (beheerder)" in answer.text
    assert rows(session_factory)["U1"][:3] == ("OG", "gemeente Tiel", "beheerder")

    again = slack.command("/kenniskring", "ik ON  Bouwbedrijf De Vries rol: mkb sinds:1-3-2024", user="U2")
    assert "namens *Bouwbedrijf De Vries* (MKB-ondernemer)" in again.text
    assert rows(session_factory)["U2"] == ("ON", "Bouwbedrijf De Vries", "MKB-ondernemer", date(2024, 3, 1), False)
    with session_factory() as session:
        statement = select(AuditEvent).where(AuditEvent.action == "member_registered").order_by(AuditEvent.id)
        audit = session.scalars(statement).all()
        assert [event.details["user"] for event in audit] == ["U1", "U2"]


def test_registering_in_english(slack, session_factory, circle) -> None:
    answer = slack.command("/kenniskring", "me other TU Delft role:specialist", user="U3")
    assert "namens *TU Delft* (specialist)" in answer.text
    assert rows(session_factory)["U3"][:3] == ("anders", "TU Delft", "specialist")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ik XX gemeente Tiel", "is geen kant"),
        ("ik OG", "Namens welke organisatie"),
        ("ik OG gemeente Tiel rol:astronaut", "staat niet in de lijst"),
        ("ik OG gemeente Tiel sinds:1-1-2030", "in de toekomst"),
        ("ik OG gemeente Tiel sinds:gisteren", "geen datum"),
        ("ik OG gemeente Tiel rol:beheerder rol:directie", "twee keer"),
    ],
)
def test_bad_registrations_are_refused_and_nothing_is_stored(slack, session_factory, circle, text, expected) -> None:
    assert expected in slack.command("/kenniskring", text, user="U2").text
    assert "U2" not in rows(session_factory)


def test_bare_ik_opens_the_form_and_the_form_registers(slack, standin, session_factory, circle) -> None:
    slack.command("/kenniskring", "ik", user="U2")
    [opened] = standin.calls_to("views.open")
    view = opened.body["view"]
    assert view["callback_id"] == "member_register"
    roles = [o["value"] for b in view["blocks"] if b["block_id"] == "role" for o in b["element"]["options"]]
    assert "MKB-ondernemer" in roles and "ambtelijk opdrachtgever" in roles

    wrong = slack.submit(view, {"side": "ON", "organisation": "", "role": "inkoper"}, user="U2")
    assert wrong.json["response_action"] == "errors" and list(wrong.json["errors"]) == ["organisation"]

    values = {"side": "ON", "organisation": "Van Dijk Infra", "role": "MKB-ondernemer", "since": "2025-01-15"}
    assert slack.submit(view, values, user="U2").status == 200
    assert rows(session_factory)["U2"][:4] == ("ON", "Van Dijk Infra", "MKB-ondernemer", date(2025, 1, 15))
    [said] = standin.calls_to("chat.postEphemeral")
    assert said.body["user"] == "U2" and "Van Dijk Infra" in said.body["text"]


def test_coordinators_register_and_remove_others(slack, session_factory, circle) -> None:
    answer = slack.command("/kenniskring", "lid <@U5|piet> ON Bouwbedrijf De Vries rol:MKB-ondernemer", user="U1")
    assert "<@U5> zit aan tafel als ON namens *Bouwbedrijf De Vries*" in answer.text
    assert rows(session_factory)["U5"][:3] == ("ON", "Bouwbedrijf De Vries", "MKB-ondernemer")

    assert "alleen een coördinator" in slack.command("/kenniskring", "lid <@U6> OG Gemeente Buren", user="U5").text
    assert "alleen een coördinator" in slack.command("/kenniskring", "lid <@U1> weg", user="U5").text
    assert "U6" not in rows(session_factory)

    assert "geen lid meer" in slack.command("/kenniskring", "lid <@U5> weg", user="U1").text
    assert "U5" not in rows(session_factory)
    assert "geen lid van deze kring" in slack.command("/kenniskring", "member <@U5> remove", user="U1").text
    assert "laatste coördinator" in slack.command("/kenniskring", "lid <@U1> weg", user="U1").text
    assert "Wie?" in slack.command("/kenniskring", "lid ON Bouwbedrijf", user="U1").text


def test_the_roster_groups_by_side_and_organisation_with_the_balance(slack, session_factory, circle) -> None:
    slack.command("/kenniskring", "ik OG Gemeente Tiel rol:beheerder", user="U1")
    slack.command("/kenniskring", "lid <@U2> OG Gemeente Tiel rol:directie", user="U1")
    slack.command("/kenniskring", "lid <@U3> OG Gemeente Buren rol:inkoper", user="U1")
    slack.command("/kenniskring", "lid <@U4> ON Bouwbedrijf De Vries rol:MKB-ondernemer", user="U1")
    slack.command("/klaagpaal", "De aanbesteding is te ingewikkeld", user="U9")  # a member who never registered

    text = as_text(slack.command("/kenniskring", "leden", user="U4"))
    assert "Opdrachtgevers (OG)* — 3, 2 organisaties" in text
    assert "_Gemeente Tiel_: <@U1> (beheerder, coördinator" in text and "<@U2> (directie" in text
    assert "Opdrachtnemers (ON)* — 1, 1 organisatie" in text
    assert "Nog niet ingeschreven:* <@U9>" in text
    assert "*Balans:* OG 3 · ON 1 · anders 0" in text
    assert "OG is meer dan 2× zo groot als ON" in text and "/kenniskring uitnodiging" in text

    english = as_text(slack.command("/kenniskring", "members", user="U4"))
    assert "Leden van Kenniskring West" in english  # the workspace speaks Dutch; the word works all the same


def test_coordinators_set_the_balance_and_rotation_terms(slack, session_factory, circle) -> None:
    assert "alleen een coördinator" in slack.command("/kenniskring", "leden balans:3", user="U2").text
    answer = slack.command("/kenniskring", "leden balans:1,5 rotatie:2,5", user="U1")
    assert "Opgeslagen" in answer.text and "1,5×" in answer.text and "2,5 jaar" in answer.text
    with session_factory() as session:
        circle_row = session.scalars(select(Circle)).one()
        assert (str(circle_row.balance_ratio), circle_row.rotation_months) == ("1.5", 30)
    assert "van 1 tot en met 10" in slack.command("/kenniskring", "leden balans:0", user="U1").text
    assert "0 (nooit) tot en met 20" in slack.command("/kenniskring", "leden rotatie:veel", user="U1").text
    assert "ken ik hier niet" in slack.command("/kenniskring", "leden kleur:rood", user="U1").text
    assert "niets veranderd" in slack.command("/kenniskring", "leden rotatie:2,5", user="U1").text


def test_rotation_is_suggested_after_the_term(slack, circle) -> None:
    slack.command("/kenniskring", "ik OG Gemeente Tiel sinds:1-11-2022", user="U1")
    slack.command("/kenniskring", "lid <@U2> ON De Vries sinds:1-12-2022", user="U1")
    slack.command("/kenniskring", "leden rotatie:4", user="U1")  # U2 sits exactly four years today: not longer
    text = as_text(slack.command("/kenniskring", "leden", user="U1"))
    assert "Langer dan 4 jaar in de kring: <@U1>." in text
    slack.command("/kenniskring", "leden rotatie:3", user="U1")
    text = as_text(slack.command("/kenniskring", "leden", user="U1"))
    assert "Langer dan 3 jaar in de kring: <@U1>, <@U2>." in text
    slack.command("/kenniskring", "leden rotatie:0", user="U1")
    assert "Langer dan" not in as_text(slack.command("/kenniskring", "leden", user="U1"))


def test_roles_can_be_extended_by_coordinators(slack, session_factory, circle) -> None:
    assert "alleen een coördinator" in slack.command("/kenniskring", "rol wethouder", user="U2").text
    assert "staat nu in de lijst" in slack.command("/kenniskring", "rol wethouder", user="U1").text
    assert "stond al" in slack.command("/kenniskring", "rol Wethouder", user="U1").text
    assert "wethouder" in slack.command("/kenniskring", "rollen", user="U2").text
    assert "namens *Gemeente Tiel* (wethouder)" in slack.command("/kenniskring", "ik OG Gemeente Tiel rol:weth").text
    with session_factory() as session:
        assert session.scalars(select(Role.name).where(Role.name == "wethouder")).all() == ["wethouder"]


def test_the_invitation_is_a_text_to_forward(slack, circle) -> None:
    text = as_text(slack.command("/kenniskring", "uitnodiging", user="U1"))
    assert "Kenniskring West" in text and "/kenniskring ik ON" in text


def test_joining_the_channel_welcomes_with_one_button_and_leaving_ends_membership(
    slack, standin, session_factory, circle
) -> None:
    event = {"type": "member_joined_channel", "user": "U7", "channel": "C1", "team": "T0001", "event_ts": "1.1"}
    slack.event(event)
    slack.event(event)  # Slack's retry of the same event welcomes once
    [welcome] = standin.calls_to("chat.postEphemeral")
    assert welcome.body["user"] == "U7" and welcome.body["channel"] == "C1"
    [button] = welcome.body["blocks"][1]["elements"]
    assert button["action_id"] == "member_register_open"
    assert "U7" in rows(session_factory)

    slack.press("member_register_open", button["value"], user="U7")
    [opened] = standin.calls_to("views.open")
    values = {"side": "ON", "organisation": "Grondwerk Oost", "role": "MKB-ondernemer"}
    slack.submit(opened.body["view"], values, user="U7")
    assert rows(session_factory)["U7"][:2] == ("ON", "Grondwerk Oost")

    slack.event({"type": "member_left_channel", "user": "U7", "channel": "C1", "team": "T0001"})
    assert "U7" not in rows(session_factory)


def test_joining_a_channel_without_a_circle_or_the_bot_itself_does_nothing(slack, standin, session_factory, circle):
    slack.event({"type": "member_joined_channel", "user": "U7", "channel": "C9", "team": "T0001", "event_ts": "1"})
    slack.event({"type": "member_joined_channel", "user": "UBOT", "channel": "C1", "team": "T0001", "event_ts": "2"})
    assert standin.calls_to("chat.postEphemeral") == []
    assert set(rows(session_factory)) == {"U1"}


def test_balance_counts_only_og_and_on() -> None:
    people = [Member(side="OG", organisation="A"), Member(side="anders", organisation="B")]
    found = store.balance(people, ratio=2)
    assert (found.heavy, found.light, found.counts["anders"]) == ("OG", "ON", 1)
    balanced = store.balance([Member(side="OG"), Member(side="OG"), Member(side="ON")], ratio=2)
    assert balanced.heavy is None


def test_coordinators_see_the_suggestions_in_the_app_home(slack, standin, circle) -> None:
    slack.command("/kenniskring", "ik OG Gemeente Tiel sinds:1-1-2020", user="U1")
    slack.command("/kenniskring", "lid <@U2> OG Gemeente Buren", user="U1")
    slack.command("/kenniskring", "lid <@U3> OG Gemeente Buren", user="U1")
    for user in ("U1", "U2"):
        slack.event({"type": "app_home_opened", "user": user, "channel": "D1", "tab": "home"})
    coordinator = json.dumps(standin.home_views["U1"], ensure_ascii=False)
    assert "*De kring*" in coordinator and "OG is meer dan 2× zo groot als ON" in coordinator
    assert "Langer dan 4 jaar in de kring: <@U1>" in coordinator
    assert "De kring" not in json.dumps(standin.home_views["U2"], ensure_ascii=False)


def test_the_agenda_mentions_each_suggestion_once_under_de_kring(slack, standin, services, circle) -> None:
    slack.command("/kenniskring", "ik OG Gemeente Tiel", user="U1")
    slack.command("/kenniskring", "lid <@U2> OG Gemeente Buren", user="U1")
    slack.command("/kenniskring", "lid <@U3> OG Gemeente Buren", user="U1")
    plan_series(slack, "2026-12-08 14:00 elke 2 weken")
    preview = json.dumps(slack.command("/kenniskring", "vergadering", user="U2").json, ensure_ascii=False)
    assert "*De kring:* :scales: OG is meer dan 2× zo groot als ON" in preview

    tick(services, DUE)
    [first] = [call for call in posts(standin) if call.body["text"].startswith("Agenda ")]
    assert "*De kring:*" in json.dumps(first.body["blocks"], ensure_ascii=False)
    slack.command("/kenniskring", "lid <@U4> ON De Vries sinds:1-1-2020", user="U1")  # rotation is news, balance not
    standin.clear()
    tick(services, datetime(2026, 12, 18, 8, 0, tzinfo=UTC))
    [second] = [call for call in posts(standin) if call.body["text"].startswith("Agenda ")]
    text = json.dumps(second.body["blocks"], ensure_ascii=False)
    assert "*De kring:* :arrows_counterclockwise: Langer dan 4 jaar in de kring: <@U4>" in text
    assert "2× zo groot" not in text


@pytest.mark.parametrize("settings", ["en"], indirect=True)
def test_the_circle_in_english(slack, standin, session_factory, circle) -> None:
    answer = slack.command("/kenniskring", "me OG Gemeente Tiel role:beheerder", user="U1")
    assert answer.text == "Noted: you sit at the table as OG for *Gemeente Tiel* (beheerder)."
    slack.command("/kenniskring", "member <@U2> OG Gemeente Buren", user="U1")
    slack.command("/kenniskring", "member <@U3> OG Gemeente Buren", user="U1")
    text = as_text(slack.command("/kenniskring", "members", user="U2"))
    assert "Clients (OG)* — 3, 2 organisations" in text
    assert "OG is more than 2× the size of ON. Invite SME contractors (ON)" in text
    assert "Dear entrepreneur" in as_text(slack.command("/kenniskring", "invite", user="U1"))
    slack.event({"type": "member_joined_channel", "user": "U7", "channel": "C1", "team": "T0001", "event_ts": "3"})
    [welcome] = standin.calls_to("chat.postEphemeral")
    assert welcome.body["text"].startswith(":wave: Welcome to *Kenniskring West*, <@U7>!")
    assert "no longer a member" in slack.command("/kenniskring", "member <@U3> remove", user="U1").text


def test_the_app_homes_invitation_button_sends_the_text_by_direct_message(slack, standin, circle) -> None:
    slack.command("/kenniskring", "ik OG Gemeente Tiel", user="U1")
    slack.command("/kenniskring", "lid <@U2> OG Gemeente Buren", user="U1")
    slack.command("/kenniskring", "lid <@U3> OG Gemeente Buren", user="U1")
    slack.event({"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home"})
    buttons = [
        element
        for block in standin.home_views["U1"]["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
        if element["action_id"] == "member_invitation"
    ]
    [invite] = buttons
    slack.press("member_invitation", invite["value"], user="U1", channel=None)
    [sent] = [call for call in standin.calls_to("chat.postMessage") if call.body["channel"] in ("U1", "DU1")]
    assert "Beste ondernemer" in json.dumps(sent.body["blocks"], ensure_ascii=False)
