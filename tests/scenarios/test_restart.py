"""A restart loses nothing: what was filed is still there, and what Slack never got goes out after the start."""

from __future__ import annotations

from contextlib import contextmanager

from bot import runtime, scheduler
from bot.app import make_client
from bot.standin import ListenerPool, SlackSimulator
from bot.web import ServerThread, make_server, wsgi_app
from tests.conftest import SIGNING_SECRET


@contextmanager
def running(settings, clock, sleeps):
    pool = ListenerPool()
    client = make_client(settings, sleep=sleeps)
    built = runtime.build(settings, listener_executor=pool, background=pool, client=client, clock=clock)
    server = ServerThread(
        make_server(wsgi_app(built.app, built.engine), host="127.0.0.1", port=0, threads=2, loop_timeout=0.05)
    ).start()
    url = f"http://127.0.0.1:{server.port}/slack/events"
    try:
        yield built, SlackSimulator(signing_secret=SIGNING_SECRET, url=url, pool=pool)
    finally:
        server.stop()
        pool.shutdown(wait=True)
        built.engine.dispose()


def test_restart_keeps_the_data_and_delivers_what_was_waiting(
    settings, standin, clock, sleeps, session_factory
) -> None:
    with running(settings, clock, sleeps) as (_, slack):
        slack.command("/kenniskring", "start Kring Zuid")
        standin.fail_next("chat.postMessage", 503, times=3)
        answer = slack.command("/klaagpaal", "Gestuurd tijdens een storing")
        assert "K-1" in answer.text
    assert [m["text"] for m in standin.workspace.messages["C1"]][1:] == []

    clock.advance(minutes=2)
    with running(settings, clock, sleeps) as (built, slack):
        scheduler.run_due(built.services, clock.now)
        assert [m["text"] for m in standin.workspace.messages["C1"]][1:] == ["K-1: Gestuurd tijdens een storing"]
        listing = slack.command("/klaagpaal", "lijst")
        assert "Gestuurd tijdens een storing" in listing.body
        scheduler.run_due(built.services, clock.advance(minutes=1))
    assert len(standin.workspace.messages["C1"]) == 2
