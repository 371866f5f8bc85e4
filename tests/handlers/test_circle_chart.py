"""`/agenda grafiek`: the goals' progress and the indicators against their targets, drawn and shared in the
channel through Slack's file upload."""

from __future__ import annotations

import pytest

from bot import chart
from tests.helpers import english


def test_the_chart_is_uploaded_to_the_channel(slack, standin, circle) -> None:
    slack.command("/kenniskring", "doel Minder CO2", user="U1")
    slack.command("/agenda", "nieuw Pilot asfalt thema:klimaat doel:minder", user="U2")
    slack.command("/voortgang", "A-1 40% proefvak", user="U2")
    slack.command("/kenniskring", "effect A-1 co2 basis:0 streef:40", user="U2")
    slack.command("/kenniskring", "meting A-1 co2 12,5", user="U2")

    answer = slack.command("/agenda", "grafiek", user="U2")
    assert answer.text == "De grafiek komt zo in het kanaal."
    [asked] = standin.calls_to("files.getUploadURLExternal")
    assert asked.body["filename"] == "kenniskring-grafiek-2026-12-01.png"
    [complete] = standin.calls_to("files.completeUploadExternal")
    assert complete.body["channel_id"] == "C1"
    assert "gedeeld door <@U2>" in complete.body["initial_comment"]
    [image] = standin.uploads.values()
    assert image.startswith(b"\x89PNG\r\n\x1a\n") and len(image) > 5000


def test_nothing_to_draw_is_said_not_uploaded(slack, standin, circle) -> None:
    slack.command("/agenda", "grafiek", user="U2")
    assert standin.calls_to("files.getUploadURLExternal") == []
    [said] = standin.calls_to("response_url")
    assert "nog niets om te tekenen" in said.body["text"]


@pytest.mark.parametrize("settings", ["en"], indirect=True)
def test_the_chart_in_english(slack, standin, circle) -> None:
    english(standin, "U2")
    slack.command("/kenniskring", "goal Less CO2", user="U1")
    assert slack.command("/agenda", "chart", user="U2").text == "The chart will be in the channel shortly."
    [complete] = standin.calls_to("files.completeUploadExternal")
    assert complete.body["files"][0]["title"] == "Kenniskring West: goals and effects"


def test_the_picture_holds_a_panel_per_list_with_bars() -> None:
    goals = chart.Panel("Doelen", [chart.Bar("Minder CO2 " * 10, 45, "45%"), chart.Bar("Meer stage", 130, "130%")])
    empty = chart.Panel("Effecten", [])
    one = chart.png("Kring: doelen", [goals, empty])
    two = chart.png("Kring: doelen", [goals, chart.Panel("Effecten", [chart.Bar("CO2", 31, "12,5 t van 40 t")])])
    assert one.startswith(b"\x89PNG") and two.startswith(b"\x89PNG") and one != two
