"""Errors reach the user as answers: before the acknowledgement in it, after it in a separate message."""

from __future__ import annotations

import pytest

from bot.app import create_app
from bot.errors_handler import guarded
from bot.i18n import t
from bot.standin import SlackSimulator
from store.errors import UserError
from tests.conftest import SIGNING_SECRET


@pytest.fixture
def boom_app(services, listener_pool, monkeypatch):
    import handlers

    register_all = handlers.register_all

    def with_boom(app) -> None:
        register_all(app)
        app.action("boom")(guarded(boom))
        app.action("boom_before")(guarded(boom_before))

    monkeypatch.setattr(handlers, "register_all", with_boom)
    return create_app(services, listener_executor=listener_pool)


def boom(ack) -> None:
    ack()
    raise UserError("klaagpaal.gone")


def boom_before(ack) -> None:
    raise UserError("klaagpaal.gone")


def test_an_error_right_after_ack_is_still_acknowledged_and_told(boom_app, listener_pool, standin) -> None:
    slack = SlackSimulator(
        signing_secret=SIGNING_SECRET, app=boom_app, pool=listener_pool, response_url=standin.response_url()
    )
    for _ in range(5):
        answer = slack.press("boom", "1")
        assert answer.status == 200
    told = [call.body["text"] for call in standin.calls_to("response_url")]
    assert told == [t("klaagpaal.gone")] * 5


def test_an_error_before_ack_is_told_once(boom_app, listener_pool, standin) -> None:
    slack = SlackSimulator(
        signing_secret=SIGNING_SECRET, app=boom_app, pool=listener_pool, response_url=standin.response_url()
    )
    answer = slack.press("boom_before", "1")
    assert answer.status == 200
    assert [call.body["text"] for call in standin.calls_to("response_url")] == [t("klaagpaal.gone")]
