"""Measuring effects: the circle's indicators, baselines and targets per activity, dated values, and the totals
per goal, per theme and for the circle in the App Home, the agenda's point 3 and the export."""

from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from store.models import Effect, Indicator, Measurement
from tests.helpers import plan_series


def dump(answer) -> str:
    return json.dumps(answer.json, ensure_ascii=False)


def measured(session_factory) -> list[tuple]:
    with session_factory() as session:
        statement = select(Indicator.key, Effect.baseline, Effect.target, Measurement.measured_on, Measurement.value)
        rows = session.execute(statement.join(Effect.indicator).outerjoin(Effect.measurements).order_by(Measurement.id))
        return list(rows)


def two_activities(slack) -> None:
    slack.command("/kenniskring", "doel Minder CO2", user="U1")
    slack.command("/agenda", "nieuw Pilot asfalt thema:klimaat doel:minder", user="U2")
    slack.command("/agenda", "nieuw Elektrische kranen thema:klimaat doel:minder", user="U3")


def test_a_new_circle_has_the_methods_indicators(slack, circle) -> None:
    text = dump(slack.command("/kenniskring", "indicatoren", user="U2"))
    for name in ("CO2 vermeden", "Aandeel circulair materiaal", "Mensen met afstand tot de arbeidsmarkt", "Euro's"):
        assert name in text
    assert "*CO2 vermeden* (`co2`) · in t" in text and "gemiddeld over activiteiten" in text


def test_baseline_target_and_dated_values_per_activity(slack, session_factory, clock, circle) -> None:
    two_activities(slack)
    answer = slack.command("/kenniskring", "effect A-1 co2 basis:0 streef:40", user="U2")
    assert answer.text == "Vastgelegd voor A-1, CO2 vermeden: basis 0 t, streef 40 t."
    assert (
        "Gemeten voor A-1, CO2 vermeden: 12,5 t op 1 dec 2026"
        in slack.command("/kenniskring", "meting A-1 co2 12,5", user="U2").text
    )
    slack.command("/kenniskring", "meting A-1 CO2 vermeden 1.250 datum:15-11-2026", user="U2")
    assert measured(session_factory) == [
        ("co2", Decimal("0.00"), Decimal("40.00"), date(2026, 12, 1), Decimal("12.50")),
        ("co2", Decimal("0.00"), Decimal("40.00"), date(2026, 11, 15), Decimal("1250.00")),
    ]
    text = dump(slack.command("/kenniskring", "effect A-1", user="U4"))
    assert "basis 0 t · streef 40 t · laatst gemeten 12,5 t" in text  # the latest by date, not by entry
    assert "_15 nov 2026_ 1.250 t — <@U2>" in text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("meting A-1 co2 veel", "geen getal"),
        ("meting A-1 co2", "Welke waarde"),
        ("meting A-1 water 3", "ken ik niet in deze kring"),
        ("meting A-1 co2 3 datum:1-1-2027", "in de toekomst"),
        ("effect A-1 co2", "Geef een basis of een streefwaarde"),
        ("effect A-9 co2 streef:3", "A-9"),
        ("effect", "Welke activiteit"),
    ],
)
def test_bad_measurements_are_refused(slack, session_factory, circle, text, expected) -> None:
    two_activities(slack)
    assert expected in slack.command("/kenniskring", text, user="U2").text
    assert measured(session_factory) == []


def test_only_those_who_may_change_the_activity_measure_it(slack, session_factory, circle) -> None:
    two_activities(slack)
    assert "Alleen de initiatiefnemer" in slack.command("/kenniskring", "meting A-1 co2 3", user="U9").text
    assert "Gemeten" in slack.command("/kenniskring", "meting A-1 co2 3", user="U1").text  # a coordinator may


def test_totals_per_goal_theme_and_circle(slack, standin, session_factory, services, circle) -> None:
    two_activities(slack)
    slack.command("/kenniskring", "effect A-1 co2 basis:0 streef:40", user="U2")
    slack.command("/kenniskring", "effect A-2 co2 streef:10", user="U3")
    slack.command("/kenniskring", "meting A-1 co2 12,5", user="U2")
    slack.command("/kenniskring", "meting A-2 co2 2,5", user="U3")
    slack.command("/kenniskring", "effect A-1 circulair basis:20 streef:50", user="U2")
    slack.command("/kenniskring", "effect A-2 circulair basis:20 streef:70", user="U3")
    slack.command("/kenniskring", "meting A-1 circulair 40%", user="U2")
    slack.command("/kenniskring", "meting A-2 circulair 30", user="U3")

    text = dump(slack.command("/kenniskring", "indicatoren", user="U4"))
    assert "CO2 vermeden: 15 t van 50 t (30%)" in text
    assert "Aandeel circulair materiaal: 35% van 60% (38%)" in text  # averaged: (35 − 20) / (60 − 20)

    slack.event({"type": "app_home_opened", "user": "U2", "channel": "D1", "tab": "home"})
    home = json.dumps(standin.home_views["U2"], ensure_ascii=False)
    assert ":dart: *Minder CO2* — 0% op weg · CO2 vermeden: 15 t van 50 t (30%)" in home
    assert ":bookmark: *Klimaat, circulariteit en duurzaamheid* — CO2 vermeden: 15 t van 50 t (30%)" in home

    plan_series(slack)
    preview = dump(slack.command("/kenniskring", "vergadering", user="U2"))
    assert "_Effecten:_ CO2 vermeden: 15 t van 50 t (30%) · Aandeel circulair materiaal: 35% van 60% (38%)" in preview


def test_coordinators_add_and_retire_indicators_of_their_own(slack, session_factory, circle) -> None:
    assert "alleen een coördinator" in slack.command("/kenniskring", "indicator Stageplekken", user="U2").text
    answer = slack.command("/kenniskring", "indicator Stageplekken gevuld eenheid:plekken", user="U1")
    assert "(`stageplekken-gevuld`)" in answer.text
    two_activities(slack)
    slack.command("/kenniskring", "meting A-1 stage 4", user="U2")
    assert "Stageplekken gevuld: 4 plekken" in dump(slack.command("/kenniskring", "indicatoren", user="U2"))
    assert "ingetrokken" in slack.command("/kenniskring", "indicator stageplekken gevuld intrekken", user="U1").text
    assert "ken ik niet" in slack.command("/kenniskring", "meting A-1 stage 5", user="U2").text
    assert "Er is al een indicator" in slack.command("/kenniskring", "indicator CO2 vermeden", user="U1").text


@pytest.mark.parametrize("settings", ["en"], indirect=True)
def test_effects_in_english(slack, circle) -> None:
    two_activities(slack)
    slack.command("/kenniskring", "effect A-1 co2 baseline:0 target:40", user="U2")
    answer = slack.command("/kenniskring", "measure A-1 co2 12.5 date:2026-11-30", user="U2")
    assert answer.text == "Measured for A-1, CO2 avoided: 12.5 t on 30 Nov 2026."
    assert "CO2 avoided: 12.5 t of 40 t (31%)" in dump(slack.command("/kenniskring", "indicators", user="U2"))


def test_the_export_has_goals_and_effects(slack, standin, circle) -> None:
    two_activities(slack)
    slack.command("/kenniskring", "effect A-1 co2 basis:0 streef:40", user="U2")
    slack.command("/kenniskring", "meting A-1 co2 12,5", user="U2")
    slack.command("/kenniskring", "effect A-2 euro streef:10.000", user="U3")
    slack.command("/agenda", "export", user="U1")
    [content] = standin.uploads.values()
    book = load_workbook(io.BytesIO(content))
    goals = [[cell.value for cell in row] for row in book["Doelen"].iter_rows()]
    assert goals == [
        ["Gemeenschappelijk doel", "Voortgang (%)", "Activiteiten (× gewicht)", "Ingetrokken op"],
        ["Minder CO2", 0, "A-1 ×1, A-2 ×1", None],
    ]
    effects = [[cell.value for cell in row] for row in book["Effecten"].iter_rows()]
    first = effects[1][:2] + effects[1][4:8] + effects[1][9:]
    assert first == ["A-1", "Pilot asfalt", "CO2 vermeden", "t", 0, 40, 12.5, "u2"]
    assert effects[2][0] == "A-2" and effects[2][7] == 10000 and effects[2][8:] == [None, None, None]
