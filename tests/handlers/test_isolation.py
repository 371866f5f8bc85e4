"""Button values and private_metadata are never trusted to say which circle a record belongs to: every action and
form checks that its record belongs to the circle of the conversation (and workspace) it came from."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from store.models import (
    Activity,
    Attendance,
    Circle,
    HelpOffer,
    HelpRequest,
    HerkenbaarMark,
    ImprovementAction,
    KlaagpaalItem,
    Meeting,
    MeetingDecision,
)
from tests.helpers import dump

REFUSAL = "hoort bij een kenniskring waar je vanaf hier niet bij kunt"


@pytest.fixture
def other(slack, standin, session_factory, circle) -> dict[str, str]:
    """A second circle in channel C2 of the same workspace, with one record of each kind, all by U9."""
    slack.command("/kenniskring", "start Kenniskring Oost", user="U9", channel="C2")
    slack.command("/agenda", "nieuw Geheim project thema:klimaat <@U9|v>", user="U9", channel="C2")
    slack.command("/klaagpaal", "Geheime klacht", user="U9", channel="C2")
    slack.command("/hulpvraag", "Geheime hulpvraag", user="U9", channel="C2")
    standin.clear()
    with session_factory() as session:
        return {
            "circle": str(session.scalars(select(Circle.id).where(Circle.channel_id == "C2")).one()),
            "activity": str(session.scalars(select(Activity.id)).one()),
            "klaagpaal": str(session.scalars(select(KlaagpaalItem.id)).one()),
            "hulpvraag": str(session.scalars(select(HelpRequest.id)).one()),
        }


def texts(session_factory) -> list[str]:
    with session_factory() as session:
        return list(session.scalars(select(KlaagpaalItem.text).order_by(KlaagpaalItem.id)))


def told(standin) -> str:
    """Everything the bot said to anyone after the setup."""
    return dump([call.body for call in standin.calls])


def meeting_of(slack, standin, session_factory, user: str, channel: str) -> int:
    """The id of the next meeting of the circle in `channel`, planned there by its coordinator `user`."""
    slack.command("/kenniskring", "vergadering 2026-12-08 14:00 elke 6 weken", user=user, channel=channel)
    standin.clear()
    with session_factory() as session:
        circle = session.scalars(select(Circle.id).where(Circle.channel_id == channel)).one()
        return session.scalars(
            select(Meeting.id).where(Meeting.circle_id == circle).order_by(Meeting.starts_at)
        ).first()


def test_an_activity_of_another_circle_is_not_shown(slack, standin, other) -> None:
    slack.press("activity_view", other["activity"], user="U2", channel="C1")
    assert "Geheim project" not in told(standin) and REFUSAL in told(standin)


def test_an_agenda_page_of_another_circle_is_not_shown(slack, standin, other) -> None:
    slack.press("agenda_page", f"{other['circle']}|1|", user="U2", channel="C1")
    assert "Geheim project" not in told(standin) and REFUSAL in told(standin)


def test_a_kept_page_of_another_circle_is_not_given_either(slack, standin, other) -> None:
    """The page was made and kept for C2's own people; the same button pressed in C1 is still refused."""
    slack.press("agenda_page", f"{other['circle']}|1|", user="U9", channel="C2")
    slack.press("list_page", f"klaagpaal|{other['circle']}|1", user="U9", channel="C2")
    assert "Geheim project" in told(standin) and "Geheime klacht" in told(standin)
    standin.clear()
    slack.press("agenda_page", f"{other['circle']}|1|", user="U2", channel="C1")
    slack.press("list_page", f"klaagpaal|{other['circle']}|1", user="U2", channel="C1")
    assert "Geheim" not in told(standin) and told(standin).count(REFUSAL) == 2


def test_herkenbaar_on_another_circles_item_is_refused(slack, standin, session_factory, other) -> None:
    slack.press("klaagpaal_herkenbaar", other["klaagpaal"], user="U2", channel="C1")
    with session_factory() as session:
        assert session.scalars(select(HerkenbaarMark)).all() == []
    assert standin.calls_to("chat.update") == [] and REFUSAL in told(standin)


def test_ik_help_on_another_circles_request_tells_and_names_no_one(slack, standin, session_factory, other) -> None:
    slack.press("hulpvraag_help", other["hulpvraag"], user="U2", channel="C1")
    with session_factory() as session:
        assert session.scalars(select(HelpOffer)).all() == []
    assert standin.calls_to("conversations.open") == []  # no DM to the requester
    assert "U9" not in told(standin) and REFUSAL in told(standin)


def test_an_item_is_closed_only_from_its_own_circles_channel(slack, standin, other) -> None:
    """U9 may close C2's items, but not with a button in C1's channel, where everyone would see the answer."""
    slack.press("klaagpaal_resolve", other["klaagpaal"], user="U9", channel="C1")
    slack.press("hulpvraag_resolve", other["hulpvraag"], user="U9", channel="C1")
    assert standin.calls_to("views.open") == []
    slack.press("klaagpaal_resolve", other["klaagpaal"], user="U9", channel="C2")
    assert len(standin.calls_to("views.open")) == 1


def test_a_form_naming_another_circles_item_is_refused(slack, standin, session_factory, other) -> None:
    """U1 coordinates C1, not C2: a close form carrying C2's item id closes nothing."""
    slack.command("/klaagpaal", "Eigen punt", user="U1", channel="C1")
    with session_factory() as session:
        own = str(session.scalars(select(KlaagpaalItem.id).where(KlaagpaalItem.text == "Eigen punt")).one())
    slack.press("klaagpaal_resolve", own, user="U1", channel="C1")
    view = standin.calls_to("views.open")[-1].body["view"]
    metadata = {**json.loads(view["private_metadata"]), "item_id": int(other["klaagpaal"])}

    answer = slack.submit({**view, "private_metadata": json.dumps(metadata)}, {"outcome": "weg"}, user="U1")

    assert answer.json["response_action"] == "errors" and REFUSAL in dump(answer.json)
    with session_factory() as session:
        assert session.get(KlaagpaalItem, int(other["klaagpaal"])).status == "open"


def test_from_a_dm_or_the_app_home_only_members_of_the_circle_reach_it(slack, standin, other) -> None:
    slack.press("activity_view", other["activity"], user="U9", channel="DU9")
    assert "Geheim project" in told(standin)
    standin.clear()
    slack.press("activity_view", other["activity"], user="U2", channel=None)
    slack.press("activity_view", other["activity"], user="U2", channel="DU2")
    assert "Geheim project" not in told(standin) and REFUSAL in told(standin)


def test_a_button_from_another_workspace_is_refused(slack, standin, session_factory, other) -> None:
    slack.team_id = "T0002"
    slack.press("activity_view", other["activity"], user="U9", channel="C2")
    slack.press("klaagpaal_herkenbaar", other["klaagpaal"], user="U9", channel="C2")
    assert "Geheim project" not in told(standin)
    with session_factory() as session:
        assert session.scalars(select(HerkenbaarMark)).all() == []


@pytest.mark.parametrize(
    ("command", "values", "model"),
    [
        ("/klaagpaal", {"text": "Van elders"}, KlaagpaalItem),
        ("/hulpvraag", {"text": "Van elders"}, HelpRequest),
        ("/actie", {"text": "Van elders"}, ImprovementAction),
    ],
)
def test_a_new_item_form_from_another_workspace_files_nothing(
    slack, standin, session_factory, circle, command, values, model
) -> None:
    slack.command(command, "", user="U2", channel="C1")
    view = standin.calls_to("views.open")[-1].body["view"]
    slack.team_id = "T0002"

    answer = slack.submit(view, values, user="U2")

    assert answer.json["response_action"] == "errors"
    with session_factory() as session:
        assert session.scalars(select(model)).all() == []
    assert standin.calls_to("chat.postMessage") == []


def test_a_new_activity_form_from_another_workspace_files_nothing(slack, standin, session_factory, circle) -> None:
    slack.command("/agenda", "nieuw", user="U2", channel="C1")
    view = standin.calls_to("views.open")[-1].body["view"]
    slack.team_id = "T0002"

    answer = slack.submit(view, {"title": "Van elders", "theme": "klimaat", "initiator": "U2"}, user="U2")

    assert answer.json["response_action"] == "errors"
    with session_factory() as session:
        assert session.scalars(select(Activity)).all() == []


def test_the_anonymity_question_is_answered_only_in_its_own_circle(slack, standin, session_factory, other) -> None:
    asked = slack.command("/klaagpaal", "anonim Een twijfelgeval", user="U2", channel="C1")
    token = asked.json["blocks"][-1]["elements"][0]["value"]

    slack.press("klaagpaal_anonymous", token, user="U9", channel="C2")
    assert texts(session_factory) == ["Geheime klacht"]

    slack.press("klaagpaal_anonymous", token, user="U2", channel="C1")  # the question is still there for its filer
    assert texts(session_factory) == ["Geheime klacht", "Een twijfelgeval"]


def test_members_still_act_from_their_dm(slack, standin, session_factory, other) -> None:
    slack.press("activity_done", other["activity"], user="U9", channel="DU9")
    with session_factory() as session:
        assert session.get(Activity, int(other["activity"])).status == "afgerond"


def test_a_lessons_or_search_page_of_another_circle_is_not_shown(slack, standin, other) -> None:
    slack.press("agenda_cycle_page", f"zoek|{other['circle']}|Geheim|1", user="U2", channel="C1")
    assert "Geheim project" not in told(standin) and REFUSAL in told(standin)


def test_presence_and_closing_reach_no_other_circles_meeting(slack, standin, session_factory, other) -> None:
    """U9 coordinates C2, but closes its meeting only from C2's own post, not with a button in C1's channel."""
    ident = meeting_of(slack, standin, session_factory, "U9", "C2")

    slack.press("meeting_record", f"present:{ident}", user="U2", channel="C1")
    slack.press("meeting_record", f"close:{ident}", user="U9", channel="C1")

    with session_factory() as session:
        assert session.scalars(select(Attendance)).all() == []
        assert session.get(Meeting, ident).closed_at is None
    assert standin.calls_to("chat.postMessage") == [] and REFUSAL in told(standin)


def test_a_point_3_form_naming_another_circles_meeting_is_refused(slack, standin, session_factory, other) -> None:
    """U1 coordinates C1, not C2: a form carrying C2's meeting and activity settles nothing there."""
    slack.command("/agenda", "nieuw Eigen project thema:klimaat", user="U1", channel="C1")
    own = meeting_of(slack, standin, session_factory, "U1", "C1")
    theirs = meeting_of(slack, standin, session_factory, "U9", "C2")
    with session_factory() as session:
        activity = session.scalars(select(Activity.id).where(Activity.title == "Eigen project")).one()
    slack.press("meeting_item", f"{own}:activity:{activity}", user="U1", channel="C1")
    view = standin.calls_to("views.open")[-1].body["view"]
    metadata = {**json.loads(view["private_metadata"]), "meeting_id": theirs, "ref": f"activity:{other['activity']}"}

    answer = slack.submit({**view, "private_metadata": json.dumps(metadata)}, {"decision": "genoteerd"}, user="U1")

    assert answer.json["response_action"] == "errors" and REFUSAL in dump(answer.json)
    with session_factory() as session:
        assert session.scalars(select(MeetingDecision)).all() == []


def test_an_action_of_another_circle_is_done_only_from_its_own_circle(slack, standin, session_factory, other) -> None:
    """Not by a stranger (whose refusal names no owner), nor by its owner with a button in C1's channel."""
    slack.command("/actie", "Geheime actie", user="U9", channel="C2")
    with session_factory() as session:
        action = session.scalars(select(ImprovementAction)).one()
    standin.clear()

    slack.press("action_done", str(action.id), user="U2", channel="C1")
    slack.press("action_done", str(action.id), user="U9", channel="C1")

    with session_factory() as session:
        assert session.get(ImprovementAction, action.id).status == "open"
    assert "U9" not in told(standin) and REFUSAL in told(standin)
