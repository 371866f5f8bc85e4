"""The rules of the execution agenda in the store: numbering, who may change what, the lifecycle, locking, history."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select, text

from store import activities, circles, progress, versions
from store.activity_edits import edit
from store.errors import Conflict, Forbidden, NotFound, UserError
from store.models import Activity, AuditEvent, HelpRequest, Member
from tests.helpers import NOW, counting, new_activity, start_circle

LATER = NOW + timedelta(minutes=1)


@pytest.fixture
def kring(session_factory):
    return start_circle(session_factory)


def circle_of(session, circle_id):
    return session.get(activities.Circle, circle_id)


def test_numbers_count_up_and_everyone_named_joins_the_circle(session_factory, kring) -> None:
    with session_factory.begin() as session:
        first = new_activity(session, kring, team=["U3", "U2", "U3"], budget="48000", deadline=date(2027, 3, 1))
        second = new_activity(session, kring, initiator_id="U4", theme="leren")
        numbers = (first.number, second.number)
        team = activities.team_ids(first)
    assert numbers == (1, 2)
    assert team == ["U3"]  # the initiator is not repeated in the team, nobody twice
    with session_factory() as session:
        members = set(session.scalars(select(Member.user_id)))
        stored = session.scalars(select(Activity).order_by(Activity.number)).first()
        assert members == {"U1", "U2", "U3", "U4"}
        assert (stored.budget, stored.status, stored.version) == (Decimal("48000.00"), "idee", 1)


def test_the_version_changes_once_per_adoption_not_with_every_change(session_factory, kring) -> None:
    """The version used to count audit events: a progress report that moved the status raised it by two."""
    with session_factory.begin() as session:
        circle = circle_of(session, kring)
        assert versions.state(session, circle=circle) == versions.VersionState(0, False)
        activity = new_activity(session, kring)
        circles.add_coordinator(session, circle=circle, actor_id="U1", user_id="U2")
        adopted, _ = versions.adopt(session, circle=circle, user_id="U2", now=datetime(2026, 12, 1, tzinfo=UTC))
        assert adopted.number == 1 and versions.state(session, circle=circle) == versions.VersionState(1, False)
        activities.record_progress(session, circle=circle, activity=activity, user_id="U2", percent=40)
        assert activity.status == "lopend"  # the automatic status change
        assert versions.state(session, circle=circle) == versions.VersionState(1, True)
        activities.move_deadline(session, circle=circle, activity=activity, user_id="U2", deadline=date(2027, 1, 5))
        second, found = versions.adopt(session, circle=circle, user_id="U2", now=datetime(2026, 12, 2, tzinfo=UTC))
        assert second.number == 2
        assert [change.kind for change in found] == ["status", "deadline"]


@pytest.mark.parametrize(
    ("fields", "key"),
    [
        ({"theme": "sport"}, "agenda.theme_unknown"),
        ({"budget": "-5"}, "agenda.amount_negative"),
        ({"budget": Decimal("1e12")}, "agenda.amount_too_large"),
        ({"budget": "veel"}, "agenda.amount_format"),
        ({"title": "   "}, "agenda.title_missing"),
        ({"status": "afgerond"}, "agenda.status_at_start"),
    ],
)
def test_create_refuses_what_does_not_fit(session_factory, kring, fields, key) -> None:
    with pytest.raises(UserError) as caught, session_factory.begin() as session:
        new_activity(session, kring, **fields)
    assert caught.value.key == key
    with session_factory() as session:
        assert session.scalars(select(Activity)).all() == []


def test_a_long_text_from_any_caller_becomes_a_title_with_the_full_text_kept(session_factory, kring) -> None:
    text = "Aanbestedingen vragen vijf referenties " * 20
    with session_factory.begin() as session:
        activity = new_activity(session, kring, title=text)
        assert len(activity.title) == 200 and activity.title.endswith("…")
        assert activity.description == text


def test_only_initiator_team_and_coordinators_may_change(session_factory, kring) -> None:
    with session_factory.begin() as session:
        circle = circle_of(session, kring)
        activity = new_activity(session, kring, team=["U3"])
        allowed = {
            user: activities.can_change(session, circle=circle, activity=activity, user_id=user)
            for user in ["U1", "U2", "U3", "U9"]
        }
        assert allowed == {"U1": True, "U2": True, "U3": True, "U9": False}
        with pytest.raises(Forbidden) as caught:
            activities.set_status(session, circle=circle, activity=activity, user_id="U9", status="gepland")
        assert caught.value.key == "agenda.change_forbidden"
        with pytest.raises(Forbidden):
            activities.record_progress(session, circle=circle, activity=activity, user_id="U9", happened="x")


def test_the_lifecycle(session_factory, kring) -> None:
    with session_factory.begin() as session:
        circle = circle_of(session, kring)
        activity = new_activity(session, kring)
        for status in ("gepland", "lopend", "geblokkeerd", "lopend", "geblokkeerd", "afgerond"):
            activities.set_status(session, circle=circle, activity=activity, user_id="U2", status=status, now=NOW)
        assert (activity.status, activity.percent, activity.completed_at) == ("afgerond", 100, NOW)
        with pytest.raises(Conflict) as again:
            activities.set_status(session, circle=circle, activity=activity, user_id="U2", status="afgerond")
        assert again.value.key == "agenda.status_same"
        with pytest.raises(Conflict) as after:
            activities.set_status(session, circle=circle, activity=activity, user_id="U2", status="lopend")
        assert after.value.key == "agenda.finished"
        steps = [e.details["to"] for e in activities.history(session, activity=activity) if e.action == "status"]
        assert steps == ["gepland", "lopend", "geblokkeerd", "lopend", "geblokkeerd", "afgerond"]


def test_an_idea_cannot_be_completed_and_stopping_needs_a_reason(session_factory, kring) -> None:
    with session_factory.begin() as session:
        circle = circle_of(session, kring)
        activity = new_activity(session, kring)
        with pytest.raises(Conflict) as skipped:
            activities.set_status(session, circle=circle, activity=activity, user_id="U2", status="afgerond")
        assert skipped.value.key == "agenda.status_not_allowed" and skipped.value.field == "status"
        with pytest.raises(UserError) as reasonless:
            activities.set_status(session, circle=circle, activity=activity, user_id="U2", status="gestopt", reason=" ")
        assert reasonless.value.field == "reason"
        activities.set_status(
            session, circle=circle, activity=activity, user_id="U1", status="gestopt", reason="Geen budget"
        )
        assert (activity.status, activity.stop_reason) == ("gestopt", "Geen budget")


def test_a_stale_version_is_refused_and_nothing_changes(session_factory, kring) -> None:
    with session_factory.begin() as session:
        activity = new_activity(session, kring)
        seen = activity.version
        activities.set_status(
            session, circle=circle_of(session, kring), activity=activity, user_id="U2", status="gepland"
        )
        activity_id = activity.id
    with pytest.raises(activities.Stale) as caught, session_factory.begin() as session:
        activity = activities.by_id(session, activity_id=activity_id)
        circle = circle_of(session, kring)
        activities.move_deadline(
            session, circle=circle, activity=activity, user_id="U1", deadline=date(2027, 2, 1), expected_version=seen
        )
    assert isinstance(caught.value, Conflict) and caught.value.key == "agenda.changed_meanwhile"
    with session_factory() as session:
        assert session.get(Activity, activity_id).deadline is None


def test_two_writers_at_the_same_moment_one_wins_the_other_hears_it(session_factory, kring, database_url) -> None:
    """Both read version 1 and write; the version column makes the second UPDATE miss (PostgreSQL runs them truly
    at once; SQLite queues writers at BEGIN, so there the second one sees the new version and is refused by it)."""
    with session_factory.begin() as session:
        activity_id = new_activity(session, kring).id
    if database_url.startswith("sqlite"):
        pytest.skip("SQLite serialises writers at BEGIN; the expected_version path is tested above")
    first, second = session_factory(), session_factory()
    try:
        one = first.get(Activity, activity_id)
        two = second.get(Activity, activity_id)
        assert one.version == two.version == 1
        one.title = "Eerste"
        activities.save(first, one, NOW)
        done = threading.Event()

        def commit_first() -> None:
            first.commit()
            done.set()

        two.title = "Tweede"
        thread = threading.Thread(target=commit_first)
        thread.start()
        with pytest.raises(activities.Stale):
            activities.save(second, two, NOW)  # waits for the first to commit, then finds version 1 gone
        thread.join(timeout=10)
        assert done.is_set()
    finally:
        second.rollback()
        first.close()
        second.close()
    with session_factory() as session:
        stored = session.get(Activity, activity_id)
        assert (stored.title, stored.version) == ("Eerste", 2)


def test_moving_the_deadline_is_recorded_with_both_dates(session_factory, kring) -> None:
    with session_factory.begin() as session:
        circle = circle_of(session, kring)
        activity = new_activity(session, kring, deadline=date(2027, 3, 1))
        activities.move_deadline(session, circle=circle, activity=activity, user_id="U2", deadline=date(2027, 4, 1))
        [moved] = [e for e in activities.history(session, activity=activity) if e.action == "deadline"]
        assert moved.details == {"from": "2027-03-01", "to": "2027-04-01"} and moved.actor_id == "U2"


def test_progress_starts_a_planned_activity_and_keeps_every_update(session_factory, kring) -> None:
    with session_factory.begin() as session:
        circle = circle_of(session, kring)
        activity = new_activity(session, kring, status="gepland")
        activities.record_progress(
            session, circle=circle, activity=activity, user_id="U2", percent=40, happened="Proefvak"
        )
        update = activities.record_progress(
            session,
            circle=circle,
            activity=activity,
            user_id="U2",
            learned="Vroeg de beheerder vragen",
            blockers="Vergunning",
        )
        assert (activity.status, activity.percent) == ("lopend", 40)
        assert [u.happened for u in activity.updates] == ["Proefvak", None]
        assert activities.latest_update(activity) is update


@pytest.mark.parametrize(
    ("fields", "key"),
    [
        ({}, "voortgang.empty"),
        ({"happened": "  "}, "voortgang.empty"),
        ({"percent": 140}, "voortgang.percent_range"),
        ({"percent": -1}, "voortgang.percent_range"),
        ({"status": "gestopt"}, "agenda.stop_reason_missing"),
        ({"status": "afgerond"}, "agenda.status_not_allowed"),
    ],
)
def test_progress_refuses_what_does_not_fit(session_factory, kring, fields, key) -> None:
    with session_factory.begin() as session:
        activity_id = new_activity(session, kring).id
    with pytest.raises(UserError) as caught, session_factory.begin() as session:
        activity = activities.by_id(session, activity_id=activity_id)
        activities.record_progress(session, circle=circle_of(session, kring), activity=activity, user_id="U2", **fields)
    assert caught.value.key == key
    with session_factory() as session:
        assert session.get(Activity, activity_id).updates == []


def test_late_active_and_filtered_listings(session_factory, kring) -> None:
    today = date(2026, 12, 1)
    with session_factory.begin() as session:
        circle = circle_of(session, kring)
        late = new_activity(session, kring, deadline=today - timedelta(days=1), status="lopend")
        due = new_activity(session, kring, deadline=today, theme="leren", initiator_id="U3", team=["U2"])
        done = new_activity(session, kring, status="lopend", initiator_id="U4")
        activities.set_status(session, circle=circle, activity=done, user_id="U4", status="afgerond")
        assert (activities.is_late(late, today), activities.is_late(due, today), activities.is_late(done, today)) == (
            True,
            False,
            False,
        )
        assert [a.number for a in activities.active(session, circle=circle)] == [1, 2]
        assert [a.number for a in activities.listing(session, circle=circle, user_id="U2")] == [1, 2]
        assert [a.number for a in activities.listing(session, circle=circle, theme="leren")] == [2]
        assert [a.number for a in activities.listing(session, circle=circle, status="afgerond")] == [3]
        assert [a.number for a in activities.listing(session, circle=circle, status="actief")] == [1, 2]
        with pytest.raises(NotFound):
            activities.get(session, circle=circle, number=9)


def test_edit_writes_only_what_changed(session_factory, kring) -> None:
    with session_factory.begin() as session:
        circle = circle_of(session, kring)
        activity = new_activity(session, kring, team=["U3", "U4"], budget=Decimal("1000"))
        unchanged = edit(
            session, circle=circle, activity=activity, user_id="U2", title="Pilot circulair asfalt", budget="1000"
        )
        changed = edit(
            session,
            circle=circle,
            activity=activity,
            user_id="U2",
            initiator_id="U3",
            team=["U3", "U4", "U5"],
            budget="2500",
        )
        assert unchanged == [] and activity.version == 2
        assert sorted(changed) == ["budget", "initiator_id", "team"]
        assert (activity.initiator_id, activities.team_ids(activity)) == ("U3", ["U4", "U5"])
        [edited] = [e for e in activities.history(session, activity=activity) if e.action == "edited"]
        assert sorted(edited.details["fields"]) == ["budget", "initiator_id", "team"]


def test_a_blocker_becomes_one_help_request(session_factory, kring) -> None:
    with session_factory.begin() as session:
        circle = circle_of(session, kring)
        activity = new_activity(session, kring)
        update = activities.record_progress(
            session, circle=circle, activity=activity, user_id="U2", blockers="Geen vergunning"
        )
        update_id = update.id
    for expected in (True, False):
        with session_factory.begin() as session:
            update = progress.locked(session, update_id=update_id)
            request, made = progress.ask_help(
                session,
                circle=circle_of(session, kring),
                activity=update.activity,
                update=update,
                user_id="U2",
                text="Hulp",
            )
            assert (made, request.number, request.activity_id) == (expected, 1, update.activity_id)
    with session_factory() as session:
        assert len(session.scalars(select(HelpRequest)).all()) == 1
        assert session.scalars(select(AuditEvent.subject).where(AuditEvent.action == "filed")).all() == ["H-1"]


def test_work_without_a_version_is_done_again_on_the_new_state() -> None:
    calls: list[int] = []

    def work() -> str:
        calls.append(1)
        if len(calls) == 1:
            raise activities.Stale(1, 1)
        return "klaar"

    assert activities.again_if_stale(work) == "klaar" and len(calls) == 2


def test_two_progress_reports_at_the_same_moment_both_count(session_factory, kring, database_url) -> None:
    if database_url.startswith("sqlite"):
        pytest.skip("SQLite queues writers at BEGIN: they never overlap")
    with session_factory.begin() as session:
        activity_id = new_activity(session, kring, status="lopend").id
    first = session_factory()
    activity = first.get(Activity, activity_id)
    activities.record_progress(
        first, circle=circle_of(first, kring), activity=activity, user_id="U2", percent=30, now=NOW
    )  # flushed: the row is locked until `first` commits

    attempts: list[int] = []

    def second() -> None:
        attempts.append(1)
        with session_factory.begin() as session:
            again = activities.by_id(session, activity_id=activity_id)
            activities.record_progress(
                session, circle=circle_of(session, kring), activity=again, user_id="U2", happened="Ook dit", now=LATER
            )

    thread = threading.Thread(target=lambda: activities.again_if_stale(second))
    thread.start()
    try:
        waiting_on_the_row_lock(first)
        first.commit()
    finally:
        first.close()  # on any failure this releases the lock, so nothing is left waiting
    thread.join(timeout=10)
    assert not thread.is_alive() and len(attempts) == 2  # the first attempt missed the version, the second counted
    with session_factory() as session:
        stored = session.get(Activity, activity_id)
        assert [(u.percent, u.happened) for u in stored.updates] == [(30, None), (None, "Ook dit")]
        assert stored.percent == 30


def waiting_on_the_row_lock(session) -> None:
    """Until another connection waits for a lock in this database (the concurrent writer reached its UPDATE)."""
    probe = session.get_bind().engine.connect()
    try:
        for _ in range(500):
            waiting = probe.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                    "AND datname = current_database()"
                )
            ).scalar()
            probe.rollback()
            if waiting:
                return
            threading.Event().wait(0.01)
        raise AssertionError("the second writer never reached the row lock")
    finally:
        probe.close()


@pytest.mark.parametrize(
    ("change", "changed"),
    [
        ({"title": "Pilot asfalt"}, True),
        ({"theme": "leren"}, True),
        ({"team": ["U3", "U5"]}, True),  # as many in the team, another one
        ({"budget": "1000.50"}, True),
        ({"deadline": date(2027, 2, 1)}, True),
        ({"description": "Meer uitleg"}, False),  # not what a version compares
        ({"needs": "Een machinist"}, False),
        ({"team": ["U4", "U3"]}, False),  # the same team
    ],
)
def test_the_agenda_knows_it_changed_since_its_version_as_adopting_would(session_factory, kring, change, changed):
    with session_factory.begin() as session:
        circle = circle_of(session, kring)
        circles.add_coordinator(session, circle=circle, actor_id="U1", user_id="U2")
        activity = new_activity(session, kring, team=["U3", "U4"], budget=Decimal("1000"))
        new_activity(session, kring, title="Stageplekken")
        versions.adopt(session, circle=circle, user_id="U2", now=NOW)
        edit(session, circle=circle, activity=activity, user_id="U2", **change)

        assert versions.state(session, circle=circle) == versions.VersionState(1, changed)
        if changed:
            assert versions.adopt(session, circle=circle, user_id="U2", now=LATER)[0].number == 2
        else:
            with pytest.raises(Conflict):
                versions.adopt(session, circle=circle, user_id="U2", now=LATER)


def test_whether_the_agenda_changed_is_read_in_as_many_statements_for_many_activities(session_factory, engine, kring):
    def statements() -> int:
        with session_factory() as session:
            circle = circle_of(session, kring)
            with counting(engine) as found:
                versions.state(session, circle=circle)
        return len(found)

    with session_factory.begin() as session:
        circles.add_coordinator(session, circle=circle_of(session, kring), actor_id="U1", user_id="U2")
        new_activity(session, kring, team=["U3"])
        versions.adopt(session, circle=circle_of(session, kring), user_id="U2", now=NOW)
    few = statements()
    with session_factory.begin() as session:
        for number in range(600):
            new_activity(session, kring, team=["U3", f"U{number + 10}"])
    assert statements() == few
