"""A circle's rhythm: coordinators set when the agenda and reminders go out; the scheduler follows it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot import scheduler
from store.models import AuditEvent, Circle
from tests.helpers import dump, posts


def rhythm(session_factory) -> tuple:
    with session_factory() as session:
        circle = session.scalars(select(Circle)).one()
        return circle.agenda_lead_days, circle.post_time, circle.nudge_days, circle.stale_after_days


def test_anyone_reads_the_settings_only_coordinators_get_the_form(slack, standin, circle) -> None:
    member = dump(slack.command("/kenniskring", "instellingen", user="U2").json)
    assert "*2* werkdagen" in member and "coördinator kan dit wijzigen" in member
    assert standin.calls_to("views.open") == []

    slack.command("/kenniskring", "instellingen", user="U1")
    [opened] = standin.calls_to("views.open")
    assert opened.body["view"]["callback_id"] == "circle_settings"


def test_one_line_changes_what_it_names(slack, session_factory, circle) -> None:
    answer = slack.command("/kenniskring", "instellingen agenda:3 tijd: 8.30 herinneringen:21, 7,1", user="U1")
    assert "opgeslagen" in answer.text and "agenda vooraf, tijdstip, herinneringen" in answer.text
    assert rhythm(session_factory) == (3, "08:30", "21,7,1", 28)
    with session_factory() as session:
        audit = session.scalars(select(AuditEvent).where(AuditEvent.action == "settings")).one()
        assert audit.actor_id == "U1" and audit.details["post_time"] == "08:30"
    assert "niets veranderd" in slack.command("/kenniskring", "instellingen agenda:3", user="U1").text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("agenda:12", "van 0 tot en met 10"),
        ("agenda:²", "geen heel getal"),
        ("agenda:٣", "geen heel getal"),
        ("tijd:25:00", "bestaat niet als tijdstip"),
        ("tijd:morgen", "geen tijdstip"),
        ("tijd:０９:００", "geen tijdstip"),
        ("herinneringen:veel", "geen hele getallen"),
        ("herinneringen:14,7²", "geen hele getallen"),
        ("herinneringen:١٤", "geen hele getallen"),
        ("herinneringen:1,2,3,4,5,6,7", "hooguit 6"),
        ("stil:-1", "van 0 tot en met 365"),
        ("stil:¹", "geen heel getal"),
        ("kleur:rood", "ken ik hier niet"),
    ],
)
def test_bad_values_are_refused_and_nothing_changes(slack, session_factory, circle, text, expected) -> None:
    answer = slack.command("/kenniskring", f"instellingen {text}", user="U1")
    assert expected in answer.text
    assert rhythm(session_factory) == (2, "09:00", "14,7,1", 28)


def test_members_cannot_change_them(slack, session_factory, circle) -> None:
    assert "alleen een coördinator" in slack.command("/kenniskring", "instellingen agenda:5", user="U2").text
    assert rhythm(session_factory) == (2, "09:00", "14,7,1", 28)


def test_the_form_answers_field_errors_then_saves(slack, standin, session_factory, circle) -> None:
    slack.command("/kenniskring", "instellingen", user="U1")
    view = standin.calls_to("views.open")[0].body["view"]
    values = {"agenda_lead_days": "1", "post_time": "7:45", "nudge_days": "10,3", "stale_after_days": "0"}

    wrong = slack.submit(view, {**values, "post_time": "morgen"}, user="U1")
    assert wrong.json["response_action"] == "errors" and list(wrong.json["errors"]) == ["post_time"]
    assert rhythm(session_factory) == (2, "09:00", "14,7,1", 28)

    assert slack.submit(view, values, user="U1").status == 200
    assert rhythm(session_factory) == (1, "07:45", "10,3", 0)


def test_the_agenda_follows_the_new_rhythm(slack, standin, services, circle) -> None:
    slack.command("/kenniskring", "vergadering 2026-12-08 14:00", user="U1")
    slack.command("/kenniskring", "instellingen agenda:1 tijd:07:30", user="U1")
    standin.clear()

    scheduler.run_due(services, datetime(2026, 12, 4, 8, 0, tzinfo=UTC))  # the default moment: nothing yet
    assert posts(standin) == []
    scheduler.run_due(services, datetime(2026, 12, 7, 6, 30, tzinfo=UTC))  # Monday 07:30 in Amsterdam
    [agenda] = posts(standin)
    assert "8 december 2026" in agenda.body["text"] or "8 december 2026" in str(agenda.body["blocks"])
