"""A circle's revision goes up with every change to what it shows, in the same transaction, and only then."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select, update

from store import activities, circles, klaagpaal, nudges, people, revisions
from store.models import Activity, Base, Circle, Outbox, TeamMember

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


@pytest.fixture
def two(session_factory) -> tuple[int, int]:
    """Two circles, each with activity A-1 led by U2 (U3 on its team)."""
    ids = []
    for channel in ("C1", "C2"):
        with session_factory.begin() as session:
            circle = circles.start(
                session, team_id="T1", channel_id=channel, name=f"Kring {channel}", user_id="U1", locale="nl",
                timezone="Europe/Amsterdam",
            )  # fmt: skip
            session.flush()
            activities.create(
                session, circle=circle, user_id="U2", title="Pilot asfalt", theme="klimaat", initiator_id="U2",
                team=["U3"], deadline=date(2026, 12, 20), now=NOW,
            )  # fmt: skip
            ids.append(circle.id)
    return ids[0], ids[1]


def numbers(session_factory) -> dict[int, int]:
    with session_factory() as session:
        return dict(session.execute(select(Circle.id, Circle.revision)).all())


def message(key: str, circle_id: int) -> Outbox:
    return Outbox(circle_id=circle_id, team_id="T1", channel="C1", key=key, method="chat.postMessage", payload={})


def activity(session, circle_id: int) -> Activity:
    return session.scalars(select(Activity).where(Activity.circle_id == circle_id)).one()


def test_every_model_is_placed_in_a_circle_or_said_to_be_elsewhere() -> None:
    unplaced = {mapper.class_ for mapper in Base.registry.mappers} - revisions._placed()
    assert unplaced == set(), "say in store.revisions where rows of these models belong"


def test_a_change_raises_its_own_circle_once_per_transaction(session_factory, two) -> None:
    first, second = two
    before = numbers(session_factory)
    with session_factory.begin() as session:
        found = activity(session, first)
        found.title = "Pilot asfalt, fase 2"
        session.flush()
        found.percent = 40
    after = numbers(session_factory)
    assert after[first] == before[first] + 1
    assert after[second] == before[second]


def test_rows_hanging_off_a_circle_raise_it_new_changed_and_dropped(session_factory, two) -> None:
    first, second = two
    steps = [
        lambda session: activities.record_progress(
            session,
            circle=session.get(Circle, first),
            activity=activity(session, first),
            user_id="U2",
            percent=30,
            happened="Proefvak gelegd",
            now=NOW,
        ),  # fmt: skip
        lambda session: _team(activity(session, first)).append(TeamMember(user_id="U4")),
        lambda session: _team(activity(session, first)).pop(0),  # dropped by the flush itself (delete-orphan)
        lambda session: klaagpaal.file(
            session, circle=session.get(Circle, first), text="Te veel formulieren", author_id="U2", anonymous=False
        ),
    ]
    for step in steps:
        before = numbers(session_factory)
        with session_factory.begin() as session:
            step(session)
        after = numbers(session_factory)
        assert after[first] == before[first] + 1, step
        assert after[second] == before[second], step


_held: list[Activity] = []


def _team(found: Activity) -> list[TeamMember]:
    _held[:] = [found]  # the session holds changed rows weakly: keep this one until the transaction ends
    return found.team


def test_what_the_bot_keeps_for_itself_raises_nothing(session_factory, two) -> None:
    first, _ = two
    before = numbers(session_factory)
    with session_factory.begin() as session:
        circle = session.get(Circle, first)
        nudges.plan(session, circle=circle, activity_ids=[activity(session, first).id], now=NOW)
        nudges.wait_for_next_day(session, circle=circle, activity_ids=[activity(session, first).id], now=NOW)
        session.add(message("k1", first))
        circle.canvas_version = 3
    with session_factory.begin() as session:
        planned = activity(session, first).next_nudge_at
    assert planned is not None
    assert numbers(session_factory) == before


def test_a_rolled_back_change_raises_nothing(session_factory, two) -> None:
    first, _ = two
    before = numbers(session_factory)
    with pytest.raises(RuntimeError), session_factory.begin() as session:
        activity(session, first).title = "Nooit"
        session.flush()
        raise RuntimeError
    with session_factory.begin() as session:
        session.add(message("k2", first))
    assert numbers(session_factory) == before


def test_a_person_gone_and_a_bulk_change_raise_every_circle(session_factory, two) -> None:
    first, second = two
    before = numbers(session_factory)
    with session_factory.begin() as session:
        people.mark_gone(session, user_id="U2", reason="deleted")
    middle = numbers(session_factory)
    assert middle == {first: before[first] + 1, second: before[second] + 1}
    with session_factory.begin() as session:
        session.execute(update(Activity).where(Activity.circle_id == first).values(title="Overal"))
    assert numbers(session_factory) == {first: middle[first] + 1, second: middle[second] + 1}


def test_a_savepoint_leaves_the_circle_unlocked_until_the_whole_transaction_commits(session_factory, two) -> None:
    """Locking the circle's row at a savepoint would hold it while the transaction goes on to lock others (a
    number's counter): two filings at once would wait on each other."""
    first, _ = two
    before = numbers(session_factory)
    with session_factory.begin() as session:
        with session.begin_nested():
            activity(session, first).title = "In een savepoint"
        if session.bind.dialect.name == "postgresql":  # SQLite has one lock for the whole file
            with session_factory() as other:
                locked = select(Circle.revision).where(Circle.id == first).with_for_update(nowait=True)
                assert other.scalar(locked) == before[first]  # not held by the transaction above, not raised yet
                other.rollback()
    assert numbers(session_factory)[first] == before[first] + 1
