"""The circle's own themes and goals in the learning cycle: an adopted version, its canvas and its export show an
activity under a theme the circle added, with the goals it serves; the lessons filter knows the circle's themes."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from sqlalchemy import select

from store.models import Activity, ProgressUpdate
from tests.helpers import dump


def _own_theme_and_goal(slack) -> None:
    assert "Water en riolering" in slack.command("/kenniskring", "thema Water en riolering", user="U1").text
    slack.command("/kenniskring", "doel Minder wateroverlast", user="U1")
    answer = slack.command("/agenda", "nieuw Gescheiden riool thema:water doel:minder <@U2|bram>", user="U1")
    assert "A-1" in answer.text, answer.body


def test_an_adopted_version_shows_the_circles_own_theme_and_goals(slack, standin, circle) -> None:
    _own_theme_and_goal(slack)
    slack.command("/agenda", "vaststellen", user="U1")

    version = dump(slack.command("/agenda", "versie 1").json)
    canvas = next(iter(standin.workspace.canvases.values()))["content"]["markdown"]
    slack.command("/agenda", "export versie:1", user="U1")
    book = load_workbook(io.BytesIO(next(iter(standin.uploads.values()))))
    [row] = list(book["Uitvoeringsagenda"].iter_rows(min_row=2, values_only=True))
    header = [cell.value for cell in book["Uitvoeringsagenda"][1]]

    assert "*Water en riolering*" in version and "*A-1* Gescheiden riool" in version
    assert "## Water en riolering" in canvas and "| A-1 | Gescheiden riool |" in canvas
    assert row[header.index("Thema")] == "Water en riolering"
    assert row[header.index("Gemeenschappelijke doelen")] == "Minder wateroverlast"
    assert "Thema's" not in book.sheetnames  # the circle's lists as they are now are no part of an adopted version


def test_a_goal_served_or_no_longer_served_is_a_change_of_the_adopted_agenda(slack, circle) -> None:
    def header() -> str:
        return slack.command("/agenda", "").json["blocks"][0]["text"]["text"]

    _own_theme_and_goal(slack)
    slack.command("/agenda", "vaststellen", user="U1")
    assert header() == "Uitvoeringsagenda — versie 1"

    slack.command("/kenniskring", "doel Minder wateroverlast A-1:0", user="U1")

    assert header() == "Uitvoeringsagenda — versie 1 + wijzigingen"


def test_lessons_filter_by_a_theme_of_the_circles_own(slack, session_factory, circle) -> None:
    _own_theme_and_goal(slack)
    slack.command("/agenda", "nieuw Stageplekken thema:arbeidsmarkt", user="U3")
    with session_factory.begin() as session:
        first, second = session.scalars(select(Activity).order_by(Activity.number)).all()
        session.add(ProgressUpdate(activity_id=first.id, author_id="U2", learned="Bewoners vroeg betrekken"))
        session.add(ProgressUpdate(activity_id=second.id, author_id="U3", learned="Scholen willen een vast gezicht"))

    water = dump(slack.command("/agenda", "lessen water").json)

    assert "Bewoners vroeg betrekken" in water and "Scholen" not in water and "thema Water en riolering" in water
    assert "Thema `beton` ken ik niet" in slack.command("/agenda", "lessen beton").text
