"""Buttons on an activity pressed in the channel, a DM or the App Home; and two people editing one activity at once."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from sqlalchemy import select

from store.models import Activity, AuditEvent
from tests.helpers import dump, opened, posts


def activity_id(session_factory, number: int = 1) -> str:
    with session_factory() as session:
        return str(session.scalars(select(Activity.id).where(Activity.number == number)).one())


def setup(slack, text: str = "Pilot asfalt thema:klimaat deadline:1-3-2027 status:lopend <@U2|a> <@U3|b>") -> None:
    assert "A-1" in slack.command("/agenda", f"nieuw {text}", user="U2").text


def test_done_from_a_dm_celebrates_once_in_the_circles_channel(slack, standin, session_factory, circle) -> None:
    setup(slack)
    value = activity_id(session_factory)

    slack.press("activity_done", value, user="U2", channel="DU2")
    slack.press("activity_done", value, user="U2", channel="DU2")

    celebrations = [p for p in posts(standin) if "afgerond" in p.body["text"]]
    assert len(celebrations) == 1 and celebrations[0].body["channel"] == "C1"
    with session_factory() as session:
        assert session.scalars(select(Activity.status)).one() == "afgerond"
    assert "A-1 is al afgerond" in dump([c.body for c in standin.calls_to("response_url")])


def test_done_from_the_app_home_refreshes_it(slack, standin, session_factory, circle) -> None:
    setup(slack)
    slack.press("activity_done", activity_id(session_factory), user="U3", channel=None)
    with session_factory() as session:
        assert session.scalars(select(Activity.status)).one() == "afgerond"
    assert "U3" in standin.home_views
    assert len([p for p in posts(standin) if "afgerond" in p.body["text"]]) == 1


def test_strangers_get_a_polite_refusal_everywhere(slack, standin, session_factory, circle) -> None:
    setup(slack)
    value = activity_id(session_factory)
    for action in ("activity_done", "activity_edit", "activity_status", "activity_deadline", "activity_progress"):
        slack.press(action, value, user="U9")
        refusal = standin.calls_to("response_url")[-1].body["text"]
        assert "Alleen de initiatiefnemer (<@U2>)" in refusal, action
    slack.press("activity_done", value, user="U9", channel=None)  # from the App Home: told in a DM, naming no one
    refusal = standin.calls_to("chat.postMessage")[-1].body["text"]
    assert "hoort bij een kenniskring waar je vanaf hier niet bij kunt" in refusal and "U2" not in refusal
    assert standin.calls_to("views.open") == []
    with session_factory() as session:
        assert session.scalars(select(Activity.status)).one() == "lopend"


def test_progress_button_opens_the_modal_on_that_activity(slack, standin, session_factory, circle) -> None:
    setup(slack)
    value = activity_id(session_factory)
    slack.press("activity_progress", value, user="U3", channel="DU3")
    view = opened(standin)
    chosen = next(b for b in view["blocks"] if b["block_id"] == "activity")["element"]["initial_option"]
    assert chosen["value"] == value

    slack.submit(view, {"activity": value, "percent": "70", "happened": "Bijna klaar"}, user="U3")
    with session_factory() as session:
        assert session.scalars(select(Activity.percent)).one() == 70
    confirmation = standin.calls_to("chat.postMessage")[-1].body
    assert confirmation["channel"] == "DU3" and "70%" in confirmation["text"] + dump(confirmation["blocks"])


def test_moving_the_deadline_from_a_dm_is_recorded(slack, standin, session_factory, circle, clock) -> None:
    setup(slack)
    slack.press("activity_deadline", activity_id(session_factory), user="U2", channel="DU2")
    view = opened(standin)
    assert view["callback_id"] == "activity_deadline"

    past = slack.submit(view, {"deadline": "2026-01-01"}, user="U2")
    assert past.json["errors"] == {"deadline": "Die datum ligt in het verleden; kies een dag vanaf vandaag."}
    answer = slack.submit(view, {"deadline": "2027-04-15"}, user="U2")

    assert answer.status == 200 and answer.body == ""
    with session_factory() as session:
        assert session.scalars(select(Activity.deadline)).one() == date(2027, 4, 15)
        moved = session.scalars(select(AuditEvent).where(AuditEvent.action == "deadline")).one()
        assert moved.details == {"from": "2027-03-01", "to": "2027-04-15"} and moved.actor_id == "U2"
    # pressed in a DM: the answer is a message in that DM, not an ephemeral one
    assert "15 april 2027" in standin.calls_to("chat.postMessage")[-1].body["text"]


def test_status_button_offers_only_allowed_steps_and_stopping_needs_a_reason(
    slack, standin, session_factory, circle
) -> None:
    setup(slack)
    slack.press("activity_status", activity_id(session_factory), user="U1")  # U1: coordinator
    view = opened(standin)
    choices = next(b for b in view["blocks"] if b.get("block_id") == "status")["element"]["options"]
    assert [c["value"] for c in choices] == ["geblokkeerd", "afgerond", "gestopt"]

    missing = slack.submit(view, {"status": "gestopt"}, user="U1")
    assert list(missing.json["errors"]) == ["reason"]
    done = slack.submit(view, {"status": "gestopt", "reason": "Subsidie afgewezen"}, user="U1")
    assert done.body == ""
    with session_factory() as session:
        activity = session.scalars(select(Activity)).one()
        assert (activity.status, activity.stop_reason) == ("gestopt", "Subsidie afgewezen")
    slack.press("activity_status", str(activity.id), user="U1")
    assert "daar verandert niets meer aan" in standin.calls_to("response_url")[-1].body["text"]


def test_editing_changes_only_what_changed(slack, standin, session_factory, circle) -> None:
    setup(slack)
    slack.press("activity_edit", activity_id(session_factory), user="U2")
    view = opened(standin)
    values = {b["block_id"]: _initial(b) for b in view["blocks"] if b["type"] == "input"}
    assert values["title"] == "Pilot asfalt" and values["team"] == ["U3"] and values["deadline"] == "2027-03-01"

    answer = slack.submit(view, {**values, "budget": "48k", "team": ["U3", "U4"]}, user="U2")

    assert answer.body == ""
    with session_factory() as session:
        activity = session.scalars(select(Activity)).one()
        assert (str(activity.budget), sorted(m.user_id for m in activity.team)) == ("48000.00", ["U3", "U4"])
        [edited] = session.scalars(select(AuditEvent).where(AuditEvent.action == "edited")).all()
        assert sorted(edited.details["fields"]) == ["budget", "team"]


def _initial(block: dict) -> object:
    element = block["element"]
    return (
        element.get("initial_value")
        or element.get("initial_date")
        or element.get("initial_user")
        or element.get("initial_users")
        or (element.get("initial_option") or {}).get("value")
    )


def test_two_people_editing_at_once_the_second_sees_the_new_state(slack, standin, session_factory, circle) -> None:
    setup(slack)
    value = activity_id(session_factory)
    slack.press("activity_edit", value, user="U2")
    first = opened(standin)
    slack.press("activity_edit", value, user="U3")
    second = opened(standin)
    base = {b["block_id"]: _initial(b) for b in first["blocks"] if b["type"] == "input"}

    assert slack.submit(first, {**base, "title": "Pilot circulair asfalt Noord"}, user="U2").body == ""
    answer = slack.submit(second, {**base, "title": "Pilot asfalt Zuid", "budget": "10k"}, user="U3")

    assert answer.json["response_action"] == "update"
    fresh = answer.json["view"]
    assert "intussen door iemand anders gewijzigd" in fresh["blocks"][0]["text"]["text"]
    title = next(b for b in fresh["blocks"] if b.get("block_id") == "title")
    assert title["element"]["initial_value"] == "Pilot circulair asfalt Noord"
    assert json.loads(fresh["private_metadata"])["version"] == 2
    with session_factory() as session:
        activity = session.scalars(select(Activity)).one()
        assert (activity.title, activity.budget, activity.version) == ("Pilot circulair asfalt Noord", None, 2)

    again = slack.submit(fresh, {**base, "title": "Pilot asfalt Zuid"}, user="U3")  # saving again now works
    assert again.body == ""
    with session_factory() as session:
        assert session.scalars(select(Activity.title)).one() == "Pilot asfalt Zuid"


def test_status_change_meanwhile_is_shown_not_overwritten(slack, standin, session_factory, circle) -> None:
    setup(slack)
    value = activity_id(session_factory)
    slack.press("activity_status", value, user="U3")
    view = opened(standin)
    slack.command("/voortgang", "A-1 status:geblokkeerd Wachten op vergunning", user="U2")

    answer = slack.submit(view, {"status": "afgerond"}, user="U3")

    assert answer.json["response_action"] == "update"
    assert "is nu *geblokkeerd*" in dump(answer.json["view"]["blocks"])
    with session_factory() as session:
        assert session.scalars(select(Activity.status)).one() == "geblokkeerd"


def test_the_deadline_reminders_buttons_work_from_the_dm(
    slack, standin, services, session_factory, clock, circle
) -> None:
    from bot import scheduler

    setup(slack, "Pilot asfalt thema:klimaat status:lopend deadline:20-12-2026")
    standin.clear()
    clock.now = datetime(2026, 12, 7, 9, 5, tzinfo=UTC)  # 13 days before the deadline, a Monday
    scheduler.run_due(services, clock.now)
    [reminder] = standin.calls_to("chat.postMessage")
    buttons = {
        e["action_id"]: e["value"] for b in reminder.body["blocks"] if b["type"] == "actions" for e in b["elements"]
    }
    assert set(buttons) == {"activity_progress", "activity_deadline", "activity_done"}

    slack.press("activity_progress", buttons["activity_progress"], user="U2", channel=reminder.body["channel"])
    assert opened(standin)["callback_id"] == "voortgang_submit"
    slack.press("activity_deadline", buttons["activity_deadline"], user="U2", channel=reminder.body["channel"])
    assert slack.submit(opened(standin), {"deadline": "2027-01-15"}, user="U2").body == ""
    slack.press("activity_done", buttons["activity_done"], user="U2", channel=reminder.body["channel"])

    with session_factory() as session:
        activity = session.scalars(select(Activity)).one()
        assert (activity.status, activity.deadline) == ("afgerond", date(2027, 1, 15))
    assert [p.body["channel"] for p in posts(standin) if "afgerond" in p.body["text"]] == ["C1"]


def test_whoever_put_an_activity_on_the_agenda_for_someone_else_may_change_it(
    slack, standin, session_factory, circle
) -> None:
    assert "A-1" in slack.command("/agenda", "nieuw Leerkring thema:leren status:lopend <@U2|a>", user="U4").text
    value = activity_id(session_factory)

    slack.press("activity_edit", value, user="U4")
    view = opened(standin)
    answer = slack.submit(view, {"title": "Leerkring beheerders"}, user="U4")
    progress = slack.command("/voortgang", "A-1 20% Eerste sessie gehouden", user="U4")
    slack.press("activity_edit", value, user="U9")

    assert answer.body == "" and "20%" in dump(progress.json)
    assert "Alleen de initiatiefnemer (<@U2>)" in standin.calls_to("response_url")[-1].body["text"]
    with session_factory() as session:
        activity = session.scalars(select(Activity)).one()
        assert (activity.title, activity.initiator_id, activity.percent) == ("Leerkring beheerders", "U2", 20)


def test_a_form_without_its_version_is_shown_again_never_applied_blind(slack, standin, session_factory, circle) -> None:
    setup(slack)
    value = activity_id(session_factory)
    for action, change in (
        ("activity_edit", {"title": "Pilot asfalt Zuid"}),
        ("activity_status", {"status": "gestopt", "reason": "Geen budget"}),
        ("activity_deadline", {"deadline": "2027-06-01"}),
    ):
        slack.press(action, value, user="U2")
        view = opened(standin)
        metadata = json.loads(view["private_metadata"])
        base = {b["block_id"]: _initial(b) for b in view["blocks"] if b["type"] == "input"}
        for forged in ({k: v for k, v in metadata.items() if k != "version"}, {**metadata, "version": None}):
            answer = slack.submit({**view, "private_metadata": json.dumps(forged)}, {**base, **change}, user="U2")

            assert answer.json["response_action"] == "update", action
            assert "intussen door iemand anders gewijzigd" in dump(answer.json["view"]["blocks"][0])
            assert json.loads(answer.json["view"]["private_metadata"])["version"] == 1
    with session_factory() as session:
        activity = session.scalars(select(Activity)).one()
        assert (activity.title, activity.status, activity.deadline, activity.version) == (
            "Pilot asfalt",
            "lopend",
            date(2027, 3, 1),
            1,
        )
