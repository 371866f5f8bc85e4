"""/kenniskring: starting a circle, help, coordinators."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from store.models import Circle, Member


def test_start_binds_the_channel_and_announces_it(slack, standin, session_factory) -> None:
    answer = slack.command("/kenniskring", "start Kenniskring Duurzame GWW West", user="U1", channel="C5")

    assert "Kenniskring Duurzame GWW West" in answer.text and "coördinator" in answer.text
    [post] = standin.calls_to("chat.postMessage")
    assert post.body["channel"] == "C5"
    with session_factory() as session:
        circle = session.scalars(select(Circle)).one()
        assert (circle.channel_id, circle.created_by) == ("C5", "U1")
        assert session.scalars(select(Member.is_coordinator)).all() == [True]


def test_start_twice_and_without_a_name(slack, session_factory) -> None:
    assert "naam" in slack.command("/kenniskring", "start").text
    slack.command("/kenniskring", "start Kring A")
    assert "al de kenniskring *Kring A*" in slack.command("/kenniskring", "start Kring B").text
    with session_factory() as session:
        assert session.scalars(select(Circle.name)).all() == ["Kring A"]


def test_help_names_every_command(slack) -> None:
    text = slack.command("/kenniskring", "help").text
    for command in ("/kenniskring start", "/klaagpaal", "/hulpvraag", "/agenda", "/voortgang"):
        assert command in text


def test_only_coordinators_add_coordinators(slack, session_factory, circle) -> None:
    refused = slack.command("/kenniskring", "coordinator <@U3|chantal>", user="U2")
    added = slack.command("/kenniskring", "coordinator <@U2|bram>", user="U1")
    again = slack.command("/kenniskring", "coordinator <@U2>", user="U1")
    nobody = slack.command("/kenniskring", "coordinator", user="U1")

    assert "alleen een coördinator" in refused.text
    assert "<@U2> is nu coördinator" in added.text
    assert "al coördinator" in again.text
    assert "Noem iemand" in nobody.text
    with session_factory() as session:
        coordinators = session.scalars(select(Member.user_id).where(Member.is_coordinator.is_(True))).all()
    assert sorted(coordinators) == ["U1", "U2"]


def test_unknown_subcommand_gets_a_hint(slack, circle) -> None:
    assert "/kenniskring help" in slack.command("/kenniskring", "vliegen").text


@pytest.mark.parametrize("typed", ["<!channel> kom allemaal", "<@U1> vliegen", "vliegen <!here> <@U2|bram>"])
def test_an_unknown_subcommand_is_quoted_back_without_pinging_anyone(slack, circle, typed) -> None:
    answer = slack.command("/kenniskring", typed)

    assert "/kenniskring help" in answer.text
    assert "<!" not in answer.text and "<@" not in answer.text
