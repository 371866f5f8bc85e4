"""Rows for the benchmarks, written in bulk: one big circle for the commands, a region of circles for the tick.

Everything goes in through SQLAlchemy Core in large batches (the ORM would spend minutes on 100,000 activities);
the rows look like the ones the bot writes itself: numbered per circle, counters set, audit events, progress.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.orm import Session

from store import defaults
from store.models import (
    Activity,
    AuditEvent,
    Circle,
    Counter,
    HelpOffer,
    HelpRequest,
    HerkenbaarMark,
    KlaagpaalItem,
    MeetingSeries,
    Member,
    ProgressUpdate,
    TeamMember,
)
from store.vocabulary import DEFAULT_THEMES as THEMES

TEAM = "T0001"
BATCH = 5_000
STATUSES = ("lopend",) * 6 + ("gepland", "idee", "geblokkeerd", "afgerond")
WORDS = ("asfalt", "circulair", "warmtenet", "stageplek", "aanbesteding", "grondverzet", "vakmensen", "beton")


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize()


def _write(connection, model, rows: list[dict]) -> None:
    for start in range(0, len(rows), BATCH):
        if rows[start : start + BATCH]:
            connection.execute(insert(model), rows[start : start + BATCH])


def _circles(connection, channels: list[str], *, now: datetime, coordinator: str) -> list[int]:
    rows = [
        {"team_id": TEAM, "channel_id": channel, "name": f"Kring {channel}", "created_by": coordinator,
         "locale": "nl", "timezone": "Europe/Amsterdam", "agenda_lead_days": 2, "post_time": "09:00",
         "nudge_days": "14,7,1", "stale_after_days": 28, "created_at": now - timedelta(days=400)}
        for channel in channels
    ]  # fmt: skip
    _write(connection, Circle, rows)
    found = dict(connection.execute(select(Circle.channel_id, Circle.id).where(Circle.channel_id.in_(channels))).all())
    with Session(bind=connection) as session:  # each circle's own lists: themes, roles, indicators
        for circle in session.scalars(select(Circle).where(Circle.id.in_(found.values()))):
            defaults.seed(session, circle=circle)
        session.flush()
    return [found[channel] for channel in channels]


def _activity(circle_id: int, number: int, rng: random.Random, **values) -> dict:
    return {
        "circle_id": circle_id, "number": number, "title": f"{_text(rng, 3)} {number}", "description": _text(rng, 12),
        "theme": THEMES[number % 3], "needs": None, "status": "lopend", "percent": rng.randrange(0, 100),
        "budget": Decimal(rng.randrange(1, 200) * 500), "stop_reason": None, "completed_at": None, "version": 1,
        **values,
    }  # fmt: skip


def big_circle(
    engine: Engine, *, channel: str, activities: int, klaagpaal: int, requests: int, now: datetime, members: int = 200
) -> list[str]:
    """One circle the size of a busy region: its activities with team, progress and history, its open items.

    Its members are named after the channel; the first is its coordinator and initiator of every tenth activity.
    """
    rng = random.Random(activities)
    created = now - timedelta(days=200)
    people = [f"U{channel}x{n}" for n in range(1, members + 1)]
    with engine.begin() as connection:
        [circle_id] = _circles(connection, [channel], now=now, coordinator=people[0])
        _write(connection, Member, [
            {"circle_id": circle_id, "user_id": person, "is_coordinator": person == people[0], "created_at": created}
            for person in people
        ])  # fmt: skip
        rows = []
        for number in range(1, activities + 1):
            initiator = people[0] if number % 10 == 0 else rng.choice(people[1:])
            status = rng.choice(STATUSES)
            rows.append(
                _activity(
                    circle_id, number, rng, initiator_id=initiator, status=status,
                    deadline=now.date() + timedelta(days=rng.randrange(-30, 300)),
                    created_at=created + timedelta(minutes=number), updated_at=created + timedelta(minutes=number),
                )
            )  # fmt: skip
        _write(connection, Activity, rows)
        numbered = select(Activity.number, Activity.id).where(Activity.circle_id == circle_id)
        ids = dict(connection.execute(numbered).all())
        _history(connection, circle_id, ids, rng, created, people)
        _items(connection, circle_id, klaagpaal, requests, rng, created, people)
        _counters(connection, circle_id, activities, klaagpaal, requests)
    return people


def _history(connection, circle_id: int, ids: dict[int, int], rng: random.Random, created, people) -> None:
    team, updates, audit = [], [], []
    for number, activity_id in ids.items():
        audit.append({"circle_id": circle_id, "actor_id": people[0], "subject": f"A-{number}", "action": "created",
                      "details": {}, "created_at": created})  # fmt: skip
        for person in rng.sample(people[1:], rng.randrange(0, 3)):
            team.append({"activity_id": activity_id, "user_id": person})
        for step in range(rng.choice((0, 0, 1, 2, 3))):
            moment = created + timedelta(days=10 * (step + 1), minutes=number)
            updates.append({"activity_id": activity_id, "author_id": people[1], "percent": 20 * (step + 1),
                            "happened": _text(rng, 20), "learned": _text(rng, 8), "created_at": moment})  # fmt: skip
            audit.append({"circle_id": circle_id, "actor_id": people[1], "subject": f"A-{number}", "action": "progress",
                          "details": {"percent": 20 * (step + 1)}, "created_at": moment})  # fmt: skip
    _write(connection, TeamMember, team)
    _write(connection, ProgressUpdate, updates)
    _write(connection, AuditEvent, audit)


def _items(connection, circle_id: int, klaagpaal: int, requests: int, rng: random.Random, created, people) -> None:
    _write(connection, KlaagpaalItem, [
        {"circle_id": circle_id, "number": n, "text": _text(rng, 40), "category": None, "status": "open",
         "author_id": None if n % 4 == 0 else rng.choice(people), "created_at": created}
        for n in range(1, klaagpaal + 1)
    ])  # fmt: skip
    _write(connection, HelpRequest, [
        {"circle_id": circle_id, "number": n, "text": _text(rng, 30), "requester_id": rng.choice(people),
         "status": "open", "created_at": created}
        for n in range(1, requests + 1)
    ])  # fmt: skip
    items = connection.execute(select(KlaagpaalItem.id).where(KlaagpaalItem.circle_id == circle_id)).scalars().all()
    asks = connection.execute(select(HelpRequest.id).where(HelpRequest.circle_id == circle_id)).scalars().all()
    _write(connection, HerkenbaarMark, [
        {"item_id": item, "user_id": person, "created_at": created}
        for item in items for person in rng.sample(people, rng.randrange(0, 6))
    ])  # fmt: skip
    _write(connection, HelpOffer, [
        {"request_id": ask, "user_id": person, "created_at": created}
        for ask in asks for person in rng.sample(people[1:], rng.randrange(0, 3))
    ])  # fmt: skip


def _counters(connection, circle_id: int, activities: int, klaagpaal: int, requests: int) -> None:
    _write(connection, Counter, [
        {"circle_id": circle_id, "kind": kind, "last": last}
        for kind, last in (("A", activities), ("K", klaagpaal), ("H", requests), ("P", 0), ("V", 0))
    ])  # fmt: skip


def region(
    engine: Engine,
    *,
    circles: int,
    activities: int,
    day: date,
    due_share: float = 0.01,
    agendas_due: int = 0,
    prefix: str = "C",
) -> dict[str, int]:
    """`circles` circles of `activities` each, quiet on `day`, except a share whose 7-day nudge falls on `day`
    (each for a person of their own) and `agendas_due` circles whose meeting agenda goes out on `day`.

    Every circle meets every six weeks; the others' next meeting lies three weeks after `day`.
    """
    rng = random.Random(circles * activities)
    noon = datetime(day.year, day.month, day.day, 11, 0, tzinfo=UTC)
    created = noon - timedelta(days=5)  # after the 14-day mark of the ones due: their first nudge is on `day`
    channels = [f"{prefix}{n:05d}" for n in range(circles)]
    due_every = round(1 / due_share) if due_share else 0
    due = 0
    with engine.begin() as connection:
        ids = _circles(connection, channels, now=noon, coordinator="U0")
        _write(connection, Member, [
            {"circle_id": circle_id, "user_id": f"U{index}x{k}", "is_coordinator": k == 0, "created_at": created}
            for index, circle_id in enumerate(ids) for k in range(10)
        ])  # fmt: skip
        rows, serial = [], 0
        for index, circle_id in enumerate(ids):
            for number in range(1, activities + 1):
                serial += 1
                is_due = bool(due_every) and serial % due_every == 0
                due += is_due
                deadline = day + timedelta(days=7 if is_due else 40 + rng.randrange(0, 360))
                initiator = f"UD{prefix}{serial}" if is_due else f"U{index}x{number % 10}"
                rows.append(_activity(circle_id, number, rng, initiator_id=initiator, deadline=deadline,
                                      created_at=created, updated_at=created))  # fmt: skip
            if len(rows) >= 4 * BATCH:
                _write(connection, Activity, rows)
                rows = []
        _write(connection, Activity, rows)
        _write(connection, MeetingSeries, [
            {"circle_id": circle_id, "first_start": _meeting(day, soon=index < agendas_due), "interval_weeks": 6,
             "timezone": "Europe/Amsterdam", "location": "Gemeentehuis", "active": True, "created_at": created}
            for index, circle_id in enumerate(ids)
        ])  # fmt: skip
        for circle_id in ids:
            _counters(connection, circle_id, activities, 0, 0)
        connection.execute(update(Circle).where(Circle.id.in_(ids)).values(created_at=created))
    return {"circles": circles, "activities": circles * activities, "due": due}


def _meeting(day: date, *, soon: bool) -> datetime:
    """14:00 in Amsterdam (13:00 UTC in winter): two working days after `day`, or three weeks on."""
    offset = 2 if soon else 21
    start = day + timedelta(days=offset)
    while start.weekday() >= 5:
        start += timedelta(days=1)
    return datetime(start.year, start.month, start.day, 13, 0, tzinfo=UTC)
