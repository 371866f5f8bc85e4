"""What tests on every floor share: what the stand-in recorded, records made straight in the database, scheduled
work run at a chosen moment, and small Block Kit pieces. Fixtures stay in conftest.py."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import event, select, update

from bot import scheduler
from store import activities, circles
from store.models import Activity, Circle

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)  # where the clock fixture starts


def dump(value) -> str:
    """Blocks, a view or any payload as one string to search in, Dutch letters as typed."""
    return json.dumps(value, ensure_ascii=False)


def plain(text: str) -> dict:
    return {"type": "plain_text", "text": text}


def mrkdwn(text: str) -> dict:
    return {"type": "mrkdwn", "text": text}


# What the bot did, as the stand-in recorded it.


def posts(standin, channel="C1"):
    """The messages the bot posted in `channel` (a DM is `D` + the user's id), oldest first."""
    return [call for call in standin.calls_to("chat.postMessage") if call.body["channel"] == channel]


def english(standin, *users: str) -> None:
    """These people's Slack is set to English, so the bot answers them in English."""
    for user in users:
        standin.user(user, name=user.lower(), locale="en-GB")


def opened(standin) -> dict:
    """The modal the bot opened last."""
    return standin.calls_to("views.open")[-1].body["view"]


def agenda_time(standin) -> list[str]:
    """When each posted agenda's meeting takes place, as its header says."""
    return [call.body["text"].split(": ", 1)[1] for call in posts(standin) if call.body["text"].startswith("Agenda ")]


# Through Slack, and at a chosen moment.


def plan_series(slack, text: str = "2026-12-08 14:00 elke 6 weken Gemeentehuis, zaal 2"):
    answer = slack.command("/kenniskring", f"vergadering {text}", user="U1")
    assert answer.status == 200, answer.body
    return answer


def tick(services, when: datetime) -> None:
    services.clock.now = when
    scheduler.run_due(services, when)


# Records made in the store, without Slack.


def start_circle(session_factory) -> int:
    """A circle on channel C1 started in the store by U1, its first coordinator; its id."""
    with session_factory.begin() as session:
        circle = circles.start(
            session,
            team_id="T1",
            channel_id="C1",
            name="Kring West",
            user_id="U1",
            locale="nl",
            timezone="Europe/Amsterdam",
        )
        return circle.id


def new_activity(session, circle_id, **fields) -> Activity:
    """An activity filed through the store's rules at NOW, by and for U2 unless `fields` say otherwise."""
    circle = session.get(Circle, circle_id)
    values = {"user_id": "U2", "title": "Pilot circulair asfalt", "theme": "klimaat", "initiator_id": "U2", **fields}
    return activities.create(session, circle=circle, now=NOW, **values)


def circle_row(session) -> Circle:
    return session.scalars(select(Circle).where(Circle.channel_id == "C1")).one()


def configure(session_factory, **values) -> None:
    """Set columns of C1's circle directly, as if its coordinators had changed them."""
    with session_factory.begin() as session:
        session.execute(update(Circle).where(Circle.channel_id == "C1").values(**values))


def make_activity(session_factory, number: int, title: str, initiator: str, **values) -> int:
    """An activity on C1's execution agenda, created well before the test's moments unless `created_at` says; its
    initiator is a member of the circle, as the store's rules make them."""
    with session_factory.begin() as session:
        circle = circle_row(session)
        circles.ensure_member(session, circle=circle, user_id=initiator)
        values.setdefault("created_at", datetime(2026, 9, 1, 8, 0, tzinfo=UTC))
        values.setdefault("status", "lopend")
        assert circles.next_number(session, circle_id=circle.id, kind="A") == number
        activity = Activity(
            circle_id=circle.id, number=number, title=title, theme="klimaat", initiator_id=initiator, **values
        )
        session.add(activity)
        session.flush()
        return activity.id


def nudges_to(standin, user: str) -> list[str]:
    """The text of every nudge DM `user` received, oldest first."""
    return [dump(call.body["blocks"]) for call in posts(standin, f"D{user}")]


@contextmanager
def counting(engine) -> Iterator[list[str]]:
    """The SQL statements the app sends while the block runs."""
    statements: list[str] = []

    def count(_connection, _cursor, statement, *_: object) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)
