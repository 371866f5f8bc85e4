"""Adopted versions of the execution agenda, driven as Slack drives the bot: adopt, show, export, header."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from sqlalchemy import select

from store.models import AgendaVersion
from tests.helpers import dump, posts


def new(slack, text: str, user: str = "U1"):
    answer = slack.command("/agenda", f"nieuw {text}", user=user)
    assert answer.status == 200 and "A-" in answer.text, answer.body
    return answer


def test_a_coordinator_adopts_the_agenda_and_the_channel_hears_what_changed(
    slack, standin, session_factory, circle
) -> None:
    new(slack, "Pilot asfalt thema:klimaat deadline:1-3-2027 budget:48000")
    new(slack, "Stageplekken thema:arbeidsmarkt <@U2|bram>")
    assert slack.command("/agenda", "").json["blocks"][0]["text"]["text"].endswith("versie 0 (nog niet vastgesteld)")

    refused = slack.command("/agenda", "vaststellen", user="U2")
    answer = slack.command("/agenda", "vaststellen", user="U1")

    assert "coördinator" in refused.text
    assert answer.text == "Versie 1 van de uitvoeringsagenda is vastgesteld en in het kanaal gemeld."
    post = posts(standin)[-1]
    assert "Uitvoeringsagenda versie 1" in post.body["text"]
    assert "A-1" in dump(post.body["blocks"]) and "nieuw op de agenda" in dump(post.body["blocks"])
    assert slack.command("/agenda", "").json["blocks"][0]["text"]["text"] == "Uitvoeringsagenda — versie 1"
    assert "niets veranderd sinds versie 1" in slack.command("/agenda", "vaststellen", user="U1").text


def test_progress_with_a_status_change_is_no_new_version_but_shows_as_changes(slack, circle) -> None:
    new(slack, "Pilot asfalt thema:klimaat deadline:1-3-2027")
    slack.command("/agenda", "vaststellen", user="U1")

    slack.command("/voortgang", "A-1 40% Proefvak gelegd", user="U1")  # idee → lopend, automatically

    header = slack.command("/agenda", "").json["blocks"][0]["text"]["text"]
    assert header == "Uitvoeringsagenda — versie 1 + wijzigingen"
    assert "Versie 2" in slack.command("/agenda", "vaststellen", user="U1").text


def test_any_version_can_be_shown_with_what_changed_since_the_one_before(slack, session_factory, circle) -> None:
    new(slack, "Pilot asfalt thema:klimaat deadline:1-3-2027 budget:48000")
    new(slack, "Leerkring thema:leren")
    slack.command("/agenda", "vaststellen", user="U1")
    slack.command("/agenda", "nieuw Derde thema:leren", user="U1")
    slack.command("/voortgang", "A-2 status:gestopt Geen trekker gevonden", user="U1")
    slack.command("/voortgang", "A-1 status:afgerond Klaar", user="U1")
    slack.command("/agenda", "vaststellen", user="U1")

    second = dump(slack.command("/agenda", "versie 2").json)
    first = dump(slack.command("/agenda", "versie 1").json)
    latest = dump(slack.command("/agenda", "versie").json)

    assert "Uitvoeringsagenda versie 2" in second and second == latest
    assert "*A-3* Derde — nieuw op de agenda" in second
    assert "*A-1* Pilot asfalt — afgerond" in second and "*A-2* Leerkring — gestopt" in second
    assert "eerste vastgestelde versie" in first and "Derde" not in first
    assert "bestaat niet; de laatst vastgestelde is versie 2" in slack.command("/agenda", "versie 7").text
    assert "Welke versie" in slack.command("/agenda", "versie drie").text
    with session_factory() as session:
        assert [v.number for v in session.scalars(select(AgendaVersion).order_by(AgendaVersion.number))] == [1, 2]


def test_an_adopted_version_is_exported_again_as_it_was(slack, standin, circle) -> None:
    new(slack, "Pilot asfalt thema:klimaat deadline:1-3-2027 budget:48000")
    slack.command("/agenda", "vaststellen", user="U1")
    slack.command("/agenda", "nieuw Later erbij thema:leren", user="U1")

    answer = slack.command("/agenda", "export versie:1", user="U5")

    assert "privébericht" in answer.text
    [complete] = standin.calls_to("files.completeUploadExternal")
    assert "(versie 1)" in complete.body["initial_comment"]
    assert complete.body["files"][0]["title"].startswith("uitvoeringsagenda-kenniskring-west-v1-")
    book = load_workbook(io.BytesIO(next(iter(standin.uploads.values()))))
    titles = [row[1] for row in book["Uitvoeringsagenda"].iter_rows(min_row=2, values_only=True)]
    assert titles == ["Pilot asfalt"]
    about = {row[0]: row[1] for row in book["Over deze export"].iter_rows(values_only=True)}
    assert about["Versie van de uitvoeringsagenda"] == "versie 1"


def test_the_meeting_agenda_names_the_adopted_version(slack, standin, services, circle) -> None:
    from datetime import UTC, datetime

    from tests.helpers import plan_series, tick

    plan_series(slack)
    new(slack, "Pilot asfalt thema:klimaat deadline:1-3-2027")
    slack.command("/agenda", "vaststellen", user="U1")
    standin.clear()

    tick(services, datetime(2026, 12, 4, 8, 0, tzinfo=UTC))

    [post] = [call for call in posts(standin) if call.body["text"].startswith("Agenda ")]
    assert "3 · Voortgang uitvoeringsagenda* (ontwikkelen en leren) — versie 1" in dump(post.body["blocks"])
