"""Slow work after the acknowledgement never takes the threads that answer Slack: with every App Home publish stuck
at Slack, commands are still answered, and opens of one person that wait together are published once."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from bot import runtime
from bot.app import make_client
from bot.standin import SlackSimulator, SlackStandIn
from bot.web import ServerThread, make_server, wsgi_app
from tests.conftest import SIGNING_SECRET


class StuckHomes(SlackStandIn):
    """Slack answering views.publish only once `gate` opens."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = threading.Event()

    def handle(self, path, headers, raw):
        if path.endswith("/views.publish"):
            self.gate.wait(timeout=60)
        return super().handle(path, headers, raw)


@pytest.fixture
def stuck() -> Iterator[StuckHomes]:
    with StuckHomes() as server:
        yield server
        server.gate.set()


def test_a_burst_of_app_home_opens_never_holds_up_commands(settings, stuck, session_factory) -> None:
    settings = settings.model_copy(update={"slack_api_url": stuck.url})
    built = runtime.build(settings, client=make_client(settings))  # the pools `kenniskring run` has
    server = ServerThread(make_server(wsgi_app(built.app, built.engine), host="127.0.0.1", port=0, loop_timeout=0.05))
    slack = SlackSimulator(signing_secret=SIGNING_SECRET, url=f"http://127.0.0.1:{server.start().port}/slack/events")
    try:
        slack.command("/kenniskring", "start Kring Noord", user="U1")
        people = [f"U{n}" for n in range(2, 32)]
        for person in people + people[:5]:  # thirty people, five of them twice
            assert (
                slack.event({"type": "app_home_opened", "user": person, "channel": "D1", "tab": "home"}).status == 200
            )

        answer = slack.command("/agenda", "", user="U1")  # every publish is still waiting for Slack

        assert answer.status == 200 and "Uitvoeringsagenda" in answer.json["blocks"][0]["text"]["text"]
        stuck.gate.set()
        built.services.background.executor.shutdown(wait=True)
        assert set(stuck.home_views) == set(people)
        assert len(stuck.calls_to("views.publish")) < len(people) + 5
    finally:
        stuck.gate.set()
        server.stop()
        built.engine.dispose()
