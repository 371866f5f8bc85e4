"""The adopted agenda kept as the channel's canvas: created at the first adoption, replaced at the next, retried."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from store.models import Circle
from tests.helpers import tick


def test_each_adopted_version_becomes_the_channels_canvas(slack, standin, services, session_factory, circle) -> None:
    slack.command("/agenda", "nieuw Pilot asfalt thema:klimaat deadline:1-3-2027 budget:48000 <@U2|bram>")
    slack.command("/agenda", "vaststellen", user="U1")

    [created] = standin.calls_to("conversations.canvases.create")
    assert created.body["channel_id"] == "C1"
    canvas_id = standin.workspace.channel_canvases["C1"]
    first = standin.workspace.canvases[canvas_id]["content"]["markdown"]
    assert first.startswith("# Uitvoeringsagenda Kenniskring West") and "Versie 1, vastgesteld" in first
    assert "| A-1 | Pilot asfalt | ![](@U2) | 1 mrt 2027 |" in first

    slack.command("/voortgang", "A-1 status:afgerond Klaar", user="U2")
    slack.command("/agenda", "vaststellen", user="U1")
    tick(services, datetime(2026, 12, 2, 9, 0, tzinfo=UTC))

    assert len(standin.calls_to("conversations.canvases.create")) == 1 and len(standin.calls_to("canvases.edit")) == 1
    second = standin.workspace.canvases[canvas_id]["content"]["markdown"]
    assert "Versie 2" in second and "afgerond" in second
    with session_factory() as session:
        stored = session.scalars(select(Circle)).one()
        assert (stored.canvas_id, stored.canvas_version) == (canvas_id, 2)


def test_an_existing_channel_canvas_is_taken_over_and_a_failure_is_retried(slack, standin, services, circle) -> None:
    standin.workspace.channel_canvases["C1"] = "F0CANVAS"
    standin.workspace.canvases["F0CANVAS"] = {"title": "Oud", "content": {}}
    slack.command("/agenda", "nieuw Pilot asfalt thema:klimaat", user="U1")
    standin.fail_next("conversations.canvases.create", 500, times=3)

    slack.command("/agenda", "vaststellen", user="U1")
    assert standin.workspace.canvases["F0CANVAS"]["content"] == {}
    tick(services, datetime(2026, 12, 2, 9, 0, tzinfo=UTC))

    assert "Versie 1" in standin.workspace.canvases["F0CANVAS"]["content"]["markdown"]
