"""Opening a form while Slack rate-limits views.open: no waiting before the acknowledgement (a trigger_id lives three
seconds), and a short, friendly answer instead of a form that would open too late."""

from __future__ import annotations

import pytest

from tests.helpers import english, posts


def test_a_rate_limited_form_before_the_ack_answers_at_once(slack, standin, sleeps, circle) -> None:
    standin.fail_next("views.open", 429, retry_after=5)

    answer = slack.command("/klaagpaal", "")

    assert answer.status == 200
    assert sleeps == []  # nothing slept through before the acknowledgement
    assert "Slack is het even te druk" in answer.text
    assert standin.calls_to("views.open") == []  # no form opened seconds too late

    assert "Slack is het even te druk" not in slack.command("/klaagpaal", "").text  # next time it opens
    assert len(standin.calls_to("views.open")) == 1


def test_a_rate_limited_form_after_the_ack_tells_the_user(slack, standin, sleeps, circle) -> None:
    slack.command("/klaagpaal", "Betalingstermijnen te lang", user="U2")
    item_id = posts(standin)[0].body["blocks"][-1]["elements"][1]["value"]
    standin.fail_next("views.open", 429, retry_after=5)

    pressed = slack.press("klaagpaal_resolve", item_id, user="U1")

    assert pressed.status == 200 and sleeps == []
    assert "Slack is het even te druk" in standin.calls_to("response_url")[-1].body["text"]


@pytest.mark.parametrize("settings", ["en"], indirect=True)
def test_the_busy_answer_in_english(slack, standin, sleeps) -> None:
    english(standin, "U1")
    slack.command("/kenniskring", "start Circle West", user="U1", channel="C1")
    standin.fail_next("views.open", 429, retry_after=5)

    assert "Slack is too busy" in slack.command("/klaagpaal", "").text
