"""The scheduler: the same moment twice, two tickers at once, a crash between sending and recording, the CLI."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from bot import cli, scheduler
from bot.app import make_client, make_services
from bot.delivery import Delivery
from store.db import make_engine, make_session_factory
from store.models import Meeting, NudgeMark, Outbox
from tests.conftest import Clock
from tests.helpers import agenda_time, configure, make_activity, plan_series, posts, tick

DUE = datetime(2026, 12, 4, 8, 0, tzinfo=UTC)  # Friday 4 December, 09:00 in Amsterdam


def sent_rows(session_factory) -> list[tuple[str, str]]:
    with session_factory() as session:
        rows = session.scalars(select(Outbox).where(Outbox.key.like("meeting:%:agenda") | Outbox.key.like("nudge:%")))
        return sorted((row.key, row.status) for row in rows)


def test_the_same_moment_twice_does_the_work_once(slack, standin, services, session_factory, circle) -> None:
    plan_series(slack)
    make_activity(session_factory, 1, "Circulair asfalt", "U2", deadline=date(2026, 12, 18))
    standin.clear()

    for _ in range(3):
        tick(services, DUE)

    assert agenda_time(standin) == ["dinsdag 8 december 2026, 14:00"]
    sent = sorted(call.body["text"].split()[0] for call in posts(standin, "DU2"))
    assert sent == ["Herinnering", "Hoe"]  # the deadline nudge and the question before the meeting, each once


def other_process(settings, database_url: str, now: datetime):
    """A second bot process: its own engine, sessions, Web API client and delivery on the same database."""
    engine = make_engine(database_url)
    return engine, make_services(settings, make_session_factory(engine), client=make_client(settings), clock=Clock(now))


def test_two_tickers_at_once_never_double_a_post(
    slack, standin, settings, database_url, session_factory, circle, caplog
) -> None:
    plan_series(slack, "2026-12-08 14:00 elke week")
    configure(session_factory, stale_after_days=0)
    for number, person in enumerate(("U2", "U3", "U4", "U2"), start=1):
        make_activity(session_factory, number, f"Activiteit {number}", person, deadline=date(2026, 12, 11))
    standin.clear()
    moments = [DUE, DUE + timedelta(minutes=1), datetime(2026, 12, 11, 8, 0, tzinfo=UTC)]
    processes = [other_process(settings, database_url, DUE) for _ in range(2)]
    failures: list[BaseException] = []

    for moment in moments:
        start = threading.Barrier(len(processes))

        def run(services, moment=moment, start=start) -> None:
            try:
                start.wait(timeout=10)
                scheduler.run_due(services, moment)
            except BaseException as error:
                failures.append(error)

        threads = [threading.Thread(target=run, args=(services,)) for _, services in processes]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    for engine, _ in processes:
        engine.dispose()

    assert failures == []
    assert [r.getMessage() for r in caplog.records if r.name == "bot.scheduler"] == []  # no job tripped over another
    assert agenda_time(standin) == ["dinsdag 8 december 2026, 14:00", "dinsdag 15 december 2026, 14:00"]

    def kinds(user: str) -> list[str]:
        return sorted(call.body["text"].split()[0] for call in posts(standin, f"D{user}"))

    # two nudges each, and the question before each of the two weekly meetings: none doubled
    assert [kinds(user) for user in ("U2", "U3", "U4")] == [["Herinnering"] * 2 + ["Hoe"] * 2] * 3
    assert all(status == "sent" for _, status in sent_rows(session_factory))
    with session_factory() as session:
        assert len(session.scalars(select(NudgeMark)).all()) == 12  # four activities: 14 and 7 days, then 1 day
        assert len(session.scalars(select(Meeting)).all()) == len(
            {m.sequence for m in session.scalars(select(Meeting))}
        )


class Crash(Exception):
    """The process dies right after Slack accepted the message, before the outbox row says so."""


def crash_once(monkeypatch) -> None:
    original = Delivery._mark_sent
    crashed: list[int] = []

    def mark_sent(self, row_id, channel, ts, now) -> None:
        if not crashed:
            crashed.append(row_id)
            raise Crash
        original(self, row_id, channel, ts, now)

    monkeypatch.setattr(Delivery, "_mark_sent", mark_sent)


@pytest.mark.parametrize("what", ["agenda", "nudge"])
def test_a_crash_between_sending_and_recording_sends_nothing_twice(
    slack, standin, services, settings, database_url, session_factory, circle, monkeypatch, what
) -> None:
    if what == "agenda":
        plan_series(slack)
    else:
        make_activity(session_factory, 1, "Circulair asfalt", "U2", deadline=date(2026, 12, 18))
    channel = "C1" if what == "agenda" else "DU2"
    standin.clear()
    crash_once(monkeypatch)

    with pytest.raises(Crash):
        scheduler.run_due(services, DUE)
    assert len(posts(standin, channel)) == 1
    engine, restarted = other_process(settings, database_url, DUE)
    try:
        scheduler.run_due(restarted, DUE + timedelta(minutes=1))  # the start settles it: found in the history
        scheduler.run_due(restarted, DUE + timedelta(minutes=6))  # nothing left to send
    finally:
        engine.dispose()

    [post] = posts(standin, channel)
    assert len(standin.calls_to("conversations.history")) == 1
    with session_factory() as session:
        row = session.scalars(select(Outbox).where(Outbox.key.like(f"{'meeting' if what == 'agenda' else 'nudge'}:%")))
        [row] = [r for r in row if r.key.endswith(":agenda") or r.key.startswith("nudge:")]
        assert (row.status, row.sent_ts, row.attempts) == ("sent", standin.workspace.messages[channel][-1]["ts"], 2)
    assert post.body["metadata"]["event_payload"]["key"] == row.key


def test_tick_on_the_command_line_reads_a_naive_moment_in_the_bot_zone(
    slack, standin, database_url, circle, monkeypatch
) -> None:
    plan_series(slack)
    standin.clear()
    for name, value in {
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": "secret",
        "SLACK_API_URL": standin.url,
        "DATABASE_URL": database_url,
        "KENNISKRING_TIMEZONE": "Europe/Amsterdam",
    }.items():
        monkeypatch.setenv(name, value)

    assert cli.main(["tick", "--now", "2026-12-04T08:59"]) == 0
    assert agenda_time(standin) == []
    assert cli.main(["tick", "--now", "2026-12-04T09:00"]) == 0
    assert cli.main(["tick", "--now", "2026-12-04T08:00:00+00:00"]) == 0
    assert agenda_time(standin) == ["dinsdag 8 december 2026, 14:00"]


def test_run_uses_a_minute_clock_in_the_bot_zone(services) -> None:
    clock = scheduler.start(services)
    try:
        job = clock.get_job("due-work")
        assert str(job.trigger.timezone) == "Europe/Amsterdam"
        assert job.max_instances == 1 and job.coalesce is True
    finally:
        clock.shutdown(wait=False)
