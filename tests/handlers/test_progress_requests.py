"""Before each meeting initiators without news since the meeting before are asked, once, how it is going."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.handlers.test_meeting_progress import report
from tests.helpers import dump, make_activity, plan_series, posts, tick

ASK = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)  # Tuesday 1 December 09:00: five working days before 8 December


def asked(standin, user: str):
    return [call for call in posts(standin, f"D{user}") if "Hoe staan je activiteiten" in call.body["text"]]


def test_initiators_without_news_get_one_dm_with_the_forms_questions(
    slack, standin, services, session_factory, circle
) -> None:
    plan_series(slack)
    quiet = make_activity(session_factory, 1, "Circulair asfalt", "U2")
    make_activity(session_factory, 2, "Stageplekken", "U2")
    busy = make_activity(session_factory, 3, "Leerkring", "U3")
    make_activity(session_factory, 4, "Afgerond", "U4", status="afgerond")
    report(session_factory, busy)  # news, and no earlier meeting: not asked
    standin.clear()

    tick(services, datetime(2026, 11, 30, 8, 0, tzinfo=UTC))  # six working days before: too early
    assert asked(standin, "U2") == []
    tick(services, ASK)
    tick(services, datetime(2026, 12, 2, 8, 0, tzinfo=UTC))

    [dm] = asked(standin, "U2")
    text = dump(dm.body["blocks"])
    assert "Hoe staat A-1 ervoor?" in text and "Hoe staat A-2 ervoor?" in text
    assert "Wat leerden we?" in text and '"activity_progress"' in text and f'"value": "{quiet}"' in text
    assert asked(standin, "U3") == [] and asked(standin, "U4") == []
    slack.press("activity_progress", str(quiet), user="U2", channel="DU2")
    assert standin.calls_to("views.open")[-1].body["view"]["callback_id"].startswith("voortgang")


def test_the_circle_sets_how_many_working_days_ahead_it_asks(slack, standin, services, session_factory, circle) -> None:
    plan_series(slack)
    make_activity(session_factory, 1, "Circulair asfalt", "U2")
    answer = slack.command("/kenniskring", "instellingen voortgang:2", user="U1")
    assert "voortgang vooraf" in answer.text
    assert "*2* werkdagen voor elke bijeenkomst vraagt" in slack.command("/kenniskring", "instellingen", user="U2").body
    standin.clear()

    tick(services, ASK)
    assert asked(standin, "U2") == []
    tick(services, datetime(2026, 12, 4, 8, 0, tzinfo=UTC))  # Friday: two working days before Tuesday
    assert len(asked(standin, "U2")) == 1
