"""The circle's own themes: the method's three to start with, ambitions and levels kept with date and who, added,
renamed, retired and restored by coordinators; activities keep their theme through all of it."""

from __future__ import annotations

import io
import json

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from store import themes
from store.models import Activity, Circle, CircleTheme, MeetingTopic, ThemeChange


def dump(answer) -> str:
    return json.dumps(answer.json, ensure_ascii=False)


def theme_rows(session_factory) -> dict[str, tuple]:
    with session_factory() as session:
        found = session.scalars(select(CircleTheme).order_by(CircleTheme.position)).all()
        return {theme.key: (theme.name, theme.ambition, theme.level, theme.retired_at is not None) for theme in found}


def test_a_new_circle_has_the_methods_three_themes(slack, session_factory, circle) -> None:
    assert theme_rows(session_factory) == {
        "arbeidsmarkt": (None, None, 1, False),
        "klimaat": (None, None, 1, False),
        "leren": (None, None, 1, False),
    }
    text = dump(slack.command("/kenniskring", "themas", user="U2"))
    assert "*1. Arbeidsmarkt* (`arbeidsmarkt`) · niveau 1 · 0 activiteiten" in text
    assert "*2. Klimaat, circulariteit en duurzaamheid*" in text and "Nog geen ambitie" in text


@pytest.mark.parametrize("settings", ["en"], indirect=True)
def test_themes_in_english(slack, circle) -> None:
    slack.command("/kenniskring", "theme klimaat ambition:Half the CO2 by 2030 level:2", user="U1")
    text = dump(slack.command("/kenniskring", "themes", user="U2"))
    assert "*2. Climate, circularity and sustainability* (`klimaat`) · level 2" in text
    assert "_Ambition:_ Half the CO2 by 2030" in text


def test_coordinators_set_ambition_and_level_and_each_change_is_kept(slack, session_factory, clock, circle) -> None:
    answer = slack.command("/kenniskring", "thema klimaat ambitie: Halvering CO2-uitstoot in 2030 niveau:1", user="U1")
    assert "bijgewerkt: ambitie" in answer.text
    clock.advance(days=90)
    assert "bijgewerkt: niveau" in slack.command("/kenniskring", "thema Klimaat niveau:2", user="U1").text
    assert "niets veranderd" in slack.command("/kenniskring", "thema klimaat niveau:2", user="U1").text
    assert theme_rows(session_factory)["klimaat"] == (None, "Halvering CO2-uitstoot in 2030", 2, False)

    detail = dump(slack.command("/kenniskring", "thema klimaat", user="U2"))
    assert "_1 dec 2026_ <@U1> ambitie: Halvering CO2-uitstoot in 2030" in detail
    assert "_1 mrt 2027_ <@U1> niveau 2" in detail
    with session_factory() as session:
        changes = session.scalars(select(ThemeChange).order_by(ThemeChange.id)).all()
        assert [(c.what, c.value, c.actor_id) for c in changes] == [
            ("ambition", "Halvering CO2-uitstoot in 2030", "U1"),
            ("level", "2", "U1"),
        ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("thema klimaat niveau:11", "van 1 (de basisambitie) tot en met 10"),
        ("thema klimaat niveau:hoog", "van 1 (de basisambitie)"),
        ("thema", "Welk thema?"),
        ("thema sport intrekken", "staat niet op de lijst"),
        ("thema klimaat naam:Arbeidsmarkt", "Er is al een thema"),
    ],
)
def test_bad_theme_changes_are_refused(slack, session_factory, circle, text, expected) -> None:
    assert expected in slack.command("/kenniskring", text, user="U1").text
    assert theme_rows(session_factory)["klimaat"] == (None, None, 1, False)


def test_members_may_read_but_not_change_themes(slack, session_factory, circle) -> None:
    assert "alleen een coördinator" in slack.command("/kenniskring", "thema klimaat niveau:3", user="U2").text
    assert "alleen een coördinator" in slack.command("/kenniskring", "thema Water ambitie:Droge voeten", user="U2").text
    assert set(theme_rows(session_factory)) == {"arbeidsmarkt", "klimaat", "leren"}


def test_a_theme_of_the_circles_own_takes_activities(slack, session_factory, circle) -> None:
    answer = slack.command("/kenniskring", "thema Water & Riolering ambitie:Droge voeten in 2035", user="U1")
    assert "*Water &amp; Riolering* staat nu op de lijst van de kring (`water-riolering`)" in answer.text
    assert "A-1" in slack.command("/agenda", "nieuw Regenwater afkoppelen thema:water", user="U2").text
    listing = dump(slack.command("/agenda", "", user="U2"))
    assert "*Water &amp; Riolering*" in listing
    assert "A-1" in dump(slack.command("/agenda", "thema:4", user="U2"))


def test_renaming_and_retiring_keep_the_activities(slack, standin, session_factory, circle) -> None:
    slack.command("/agenda", "nieuw Pilot circulair asfalt thema:klimaat", user="U2")
    slack.command("/kenniskring", "thema klimaat naam:Klimaat en energie", user="U1")
    assert "*Thema:* Klimaat en energie" in dump(slack.command("/agenda", "A-1", user="U2"))
    assert "ingetrokken" in slack.command("/kenniskring", "thema klimaat en energie intrekken", user="U1").text
    with session_factory() as session:
        assert session.scalars(select(Activity.theme)).all() == ["klimaat"]
    refused = slack.command("/agenda", "nieuw Nog een proef thema:klimaat", user="U2").text
    assert "ken ik niet in deze kring" in refused and "`arbeidsmarkt`, `leren`" in refused
    listing = dump(slack.command("/agenda", "", user="U2"))
    assert "*Klimaat en energie*" in listing and "Pilot circulair asfalt" in listing
    themes_text = dump(slack.command("/kenniskring", "themas", user="U2"))
    assert "_Ingetrokken:_ Klimaat en energie (1)" in themes_text

    slack.command("/agenda", "nieuw", user="U2")
    [opened] = standin.calls_to("views.open")
    options = [o["value"] for b in opened.body["view"]["blocks"] if b.get("block_id") == "theme" for o in
               b["element"]["options"]]  # fmt: skip
    assert options == ["arbeidsmarkt", "leren"]

    assert "hersteld" in slack.command("/kenniskring", "thema klimaat herstellen", user="U1").text
    assert "A-2" in slack.command("/agenda", "nieuw Nog een proef thema:klimaat", user="U2").text


def test_the_last_theme_stays(slack, circle) -> None:
    slack.command("/kenniskring", "thema arbeidsmarkt intrekken", user="U1")
    slack.command("/kenniskring", "thema leren intrekken", user="U1")
    assert "laatste thema" in slack.command("/kenniskring", "thema klimaat intrekken", user="U1").text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("klimaat", "klimaat"),
        ("Circulariteit", "klimaat"),
        ('"Klimaat, circulariteit en duurzaamheid"', "klimaat"),
        ("arbeidsmarkt", "arbeidsmarkt"),
        ("Ontwikkelen en leren", "leren"),
        ("Developing and learning", "leren"),
        ("3", "leren"),
        ("arb", "arbeidsmarkt"),
    ],
)
def test_themes_by_word_label_number_or_start(session_factory, circle, text, expected) -> None:
    with session_factory() as session:
        kring = session.scalars(select(Circle)).one()
        assert themes.resolve(session, circle=kring, text=text).key == expected


def test_slugs_are_plain_and_short() -> None:
    assert themes.slug("Wégen & Bruggen: beheer en onderhoud van kunstwerken") == "wegen-bruggen-beheer-en"
    assert themes.slug("???") == "thema"


def test_a_topic_for_point_2_is_filed_under_a_theme(slack, session_factory, circle) -> None:
    slack.command("/kenniskring", "vergadering 2026-12-08 14:00", user="U1")
    slack.command("/kenniskring", "punt transitie: Emissieloos bouwen thema:klimaat", user="U2")
    slack.command("/kenniskring", "punt transitie: Inkoop zonder thema", user="U2")
    with session_factory() as session:
        found = session.scalars(select(MeetingTopic).order_by(MeetingTopic.id)).all()
        assert [(topic.text, topic.theme) for topic in found] == [
            ("Emissieloos bouwen", "klimaat"),
            ("Inkoop zonder thema", None),
        ]
    preview = dump(slack.command("/kenniskring", "vergadering", user="U2"))
    assert "Emissieloos bouwen — <@U2> · _Klimaat, circulariteit en duurzaamheid_" in preview
    assert "ken ik niet" in slack.command("/kenniskring", "punt transitie: Iets thema:sport", user="U2").text


def test_the_export_has_the_themes_and_their_history(slack, standin, circle) -> None:
    slack.command("/kenniskring", "thema klimaat ambitie:Halvering CO2 niveau:2", user="U1")
    slack.command("/agenda", "export", user="U1")
    [content] = standin.uploads.values()
    book = load_workbook(io.BytesIO(content))
    rows = [[cell.value for cell in row] for row in book["Thema's"].iter_rows()]
    assert rows[0] == ["Sleutel", "Thema", "Ambitie", "Niveau", "Ingetrokken op"]
    assert ["klimaat", "Klimaat, circulariteit en duurzaamheid", "Halvering CO2", 2, None] in rows
    changes = [[cell.value for cell in row] for row in book["Thema's — wijzigingen"].iter_rows()][1:]
    # who, by the name Slack knows them by
    assert [row[2:] for row in changes] == [["u1", "ambitie: Halvering CO2"], ["u1", "niveau 2"]]
