"""The agenda post before every meeting: due at the right moment, once, complete, and settled afterwards."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from store.models import Activity, AuditEvent, HelpRequest, KlaagpaalItem, Meeting, MeetingTopic, Outbox, ProgressUpdate
from tests.helpers import dump, make_activity, opened, plan_series, posts, tick

DUE = datetime(2026, 12, 4, 8, 0, tzinfo=UTC)  # Friday 4 December, 09:00 in Amsterdam


def agenda_posts(standin):
    return [call for call in posts(standin) if call.body["text"].startswith("Agenda ")]


def told(standin, user: str):
    """Direct messages to `user` about agenda items (their deadline nudges left out)."""
    return [call for call in posts(standin, f"D{user}") if not call.body["text"].startswith("Herinnering")]


def fill_agenda(slack, session_factory) -> None:
    slack.command("/kenniskring", "punt arbeidsmarkt: Tekort aan machinisten", user="U2")
    slack.command("/kenniskring", "punt transitie: Emissieloos bouwen <!channel>", user="U3")
    slack.command("/klaagpaal", "Aanbestedingen vragen vijf referenties", user="U4")
    slack.command("/klaagpaal", "anoniem Grondverzetregels schuren", user="U7")
    slack.command("/hulpvraag", "Wie kent een goede asfaltcentrale?", user="U5")
    late = make_activity(session_factory, 1, "Circulair asfalt", "U2", deadline=date(2026, 11, 20), percent=60)
    make_activity(session_factory, 2, "Stageplekken", "U3", deadline=date(2027, 3, 1), percent=10)
    make_activity(session_factory, 3, "Oud en af", "U3", status="afgerond", percent=100)
    with session_factory.begin() as session:
        session.add(ProgressUpdate(activity_id=late, author_id="U2", percent=60, happened="Proefvak gelegd in Noord"))


def test_the_agenda_is_posted_once_at_its_moment(slack, standin, services, session_factory, circle) -> None:
    plan_series(slack)
    standin.clear()

    tick(services, datetime(2026, 12, 4, 7, 59, tzinfo=UTC))
    assert agenda_posts(standin) == []
    tick(services, DUE)
    tick(services, DUE)
    tick(services, datetime(2026, 12, 7, 10, 0, tzinfo=UTC))

    [post] = agenda_posts(standin)
    assert post.body["text"] == "Agenda Kenniskring West: dinsdag 8 december 2026, 14:00"
    with session_factory() as session:
        meeting = session.scalars(select(Meeting).where(Meeting.sequence == 1)).one()
        row = session.scalars(select(Outbox).where(Outbox.key == f"meeting:{meeting.id}:agenda")).one()
        assert (row.status, row.subject) == ("sent", f"meeting:{meeting.id}")
        assert meeting.agenda is not None


def test_the_agenda_holds_the_five_points_filled_live(slack, standin, services, session_factory, circle) -> None:
    plan_series(slack)
    fill_agenda(slack, session_factory)
    item = posts(standin)[-2].body["blocks"][-1]["elements"][0]["value"]  # the first klaagpaal post's button
    slack.press("klaagpaal_herkenbaar", item, user="U6")
    request = posts(standin)[-1].body["blocks"][-1]["elements"][0]["value"]
    slack.press("hulpvraag_help", request, user="U6")
    standin.clear()

    tick(services, DUE)

    [post] = agenda_posts(standin)
    text = dump(post.body["blocks"])
    order = ["Gemeentehuis, zaal 2", "1 · Arbeidsmarkt", "Tekort aan machinisten", "2 · Transitie", "Emissieloos"]
    order += ["3 · Voortgang", "A-1", "Proefvak gelegd in Noord", "A-2", "4 · Klaagpaal", "K-1", "K-2"]
    order += ["5 · Hulpvraag", "H-1", "asfaltcentrale", "helpt: <@U6>"]
    positions = [text.index(word) for word in order]
    assert positions == sorted(positions)
    assert ":warning: *A-1* Circulair asfalt — 60%" in text and "verstreken" in text  # late ones first
    assert "Oud en af" not in text
    assert "1× herkenbaar" in text
    assert "Emissieloos bouwen @channel" in text and "<!channel>" not in dump(post.body)
    assert "U7" not in dump(post.body)  # the anonymous filer appears nowhere


def test_the_preview_is_exactly_what_is_posted(slack, standin, services, session_factory, circle) -> None:
    plan_series(slack)
    fill_agenda(slack, session_factory)
    services.clock.now = DUE
    preview = slack.command("/kenniskring", "vergadering", user="U2").json
    standin.clear()

    tick(services, DUE)

    [post] = agenda_posts(standin)
    assert preview["blocks"][1:] == post.body["blocks"]
    assert preview["text"] == post.body["text"]


def test_after_downtime_the_agenda_still_goes_out_before_the_meeting(slack, standin, services, circle) -> None:
    plan_series(slack)
    standin.clear()

    tick(services, datetime(2026, 12, 8, 12, 30, tzinfo=UTC))  # 13:30 on the day itself, half an hour before

    assert len(agenda_posts(standin)) == 1


def test_a_meeting_that_has_started_gets_no_late_agenda(slack, standin, services, session_factory, circle) -> None:
    plan_series(slack)
    standin.clear()

    tick(services, datetime(2026, 12, 8, 13, 5, tzinfo=UTC))  # 14:05: the meeting is under way

    assert agenda_posts(standin) == []
    tick(services, datetime(2027, 1, 15, 8, 0, tzinfo=UTC))  # the next agenda comes at its own moment
    [post] = agenda_posts(standin)
    assert "dinsdag 19 januari 2027" in post.body["text"]


def test_a_cancelled_meeting_gets_no_agenda_and_its_items_carry_forward(slack, standin, services, circle) -> None:
    plan_series(slack)
    slack.command("/kenniskring", "punt arbeidsmarkt: Vakmensen vasthouden", user="U2")
    slack.command("/kenniskring", "vergadering annuleer 8-12-2026", user="U1")
    standin.clear()

    tick(services, DUE)
    assert agenda_posts(standin) == []
    tick(services, datetime(2027, 1, 15, 8, 0, tzinfo=UTC))

    [post] = agenda_posts(standin)
    assert "dinsdag 19 januari 2027" in post.body["text"]
    assert "Vakmensen vasthouden" in dump(post.body["blocks"])


def settle(slack, standin, ref_prefix: str, values: dict, *, user="U1"):
    """Choose an item from the agenda post's menu and submit the modal that opens."""
    post = agenda_posts(standin)[0]
    options = [
        option
        for block in post.body["blocks"]
        if block["type"] == "actions"
        for option in block["elements"][0]["options"]
    ]
    option = next(o for o in options if o["value"].split(":", 1)[1].startswith(ref_prefix))  # the first of its kind
    before = len(standin.calls_to("views.open"))
    slack.press("meeting_item", option["value"], user=user, message_ts=standin.workspace.messages["C1"][-1]["ts"])
    opened = standin.calls_to("views.open")
    if len(opened) == before:
        return None
    return slack.submit(opened[-1].body["view"], values, user=user)


def test_settling_a_klaagpaal_item_updates_the_posts_and_tells_its_filer(
    slack, standin, services, session_factory, circle
) -> None:
    plan_series(slack)
    fill_agenda(slack, session_factory)
    tick(services, DUE)

    assert settle(slack, standin, "klaagpaal", {"decision": "opgelost", "outcome": "x"}, user="U4") is None
    answer = settle(slack, standin, "klaagpaal", {"decision": "opgelost", "outcome": "Inkoop vraagt er nu twee"})

    assert answer.status == 200 and answer.body == ""
    with session_factory() as session:
        item = session.scalars(select(KlaagpaalItem).where(KlaagpaalItem.number == 1)).one()
        assert (item.status, item.outcome, item.closed_by) == ("opgelost", "Inkoop vraagt er nu twee", "U1")
    updates = [dump(call.body["blocks"]) for call in standin.calls_to("chat.update")]
    assert any("K-1" in u and "opgelost: Inkoop vraagt er nu twee" in u for u in updates)  # the agenda post
    assert any("Afgesloten door <@U1>" in u for u in updates)  # the klaagpaal item's own post
    [dm] = told(standin, "U4")
    assert "K-1" in dm.body["text"] and "Inkoop vraagt er nu twee" in dm.body["text"]


def test_an_anonymous_item_tells_nobody(slack, standin, services, session_factory, circle) -> None:
    plan_series(slack)
    fill_agenda(slack, session_factory)
    tick(services, DUE)
    with session_factory() as session:
        meeting_id = session.scalars(select(Meeting.id).where(Meeting.agenda.is_not(None))).one()
        anonymous = session.scalars(select(KlaagpaalItem.id).where(KlaagpaalItem.number == 2)).one()
    standin.clear()

    slack.press("meeting_item", f"{meeting_id}:klaagpaal:{anonymous}", user="U1")
    view = opened(standin)
    answer = slack.submit(view, {"decision": "besproken", "outcome": "We nemen het mee naar de provincie"}, user="U1")

    assert answer.status == 200
    assert [c for c in standin.calls_to("chat.postMessage") if c.body["channel"].startswith("D")] == []
    assert "U7" not in dump([call.body for call in standin.calls])
    assert "K-2" in dump(standin.calls_to("chat.update")[0].body["blocks"])
    with session_factory() as session:
        assert session.get(KlaagpaalItem, anonymous).status == "besproken"


def test_discussed_topics_leave_the_agenda_and_undiscussed_ones_carry_forward(
    slack, standin, services, session_factory, circle
) -> None:
    plan_series(slack)
    fill_agenda(slack, session_factory)
    tick(services, DUE)

    answer = settle(slack, standin, "topic", {"decision": "besproken", "outcome": "Werkgroep start in januari"})

    assert answer.status == 200
    [dm] = told(standin, "U2")
    assert "1 Arbeidsmarkt" in dm.body["text"] and "Werkgroep start in januari" in dm.body["text"]
    with session_factory() as session:
        topic = session.scalars(select(MeetingTopic).where(MeetingTopic.point == 1)).one()
        assert (topic.status, topic.outcome) == ("besproken", "Werkgroep start in januari")
    standin.clear()
    tick(services, datetime(2027, 1, 15, 8, 0, tzinfo=UTC))
    [second] = agenda_posts(standin)
    text = dump(second.body["blocks"])
    assert "Tekort aan machinisten" not in text
    assert "Emissieloos bouwen" in text and "K-1" in text and "H-1" in text


def test_resolving_needs_an_outcome_and_help_requests_can_be_settled(
    slack, standin, services, session_factory, circle
) -> None:
    plan_series(slack)
    fill_agenda(slack, session_factory)
    tick(services, DUE)

    missing = settle(slack, standin, "hulpvraag", {"decision": "opgelost"})
    assert missing.json["errors"] == {"outcome": "Schrijf kort de uitkomst op; die krijgt de indiener te lezen."}
    done = settle(slack, standin, "hulpvraag", {"decision": "opgelost", "outcome": "Centrale in Zwolle gevonden"})

    assert done.status == 200
    with session_factory() as session:
        assert session.scalars(select(HelpRequest.status)).one() == "opgelost"
    [dm] = told(standin, "U5")
    assert "H-1" in dm.body["text"] and "Zwolle" in dm.body["text"]


def test_a_klaagpaal_item_becomes_an_activity(slack, standin, services, session_factory, circle) -> None:
    plan_series(slack)
    fill_agenda(slack, session_factory)
    tick(services, DUE)

    answer = settle(slack, standin, "klaagpaal", {"decision": "activiteit"})
    assert answer.json["response_action"] == "update"
    view = answer.json["view"]
    assert view["callback_id"] == "meeting_activity"
    bad = slack.submit(view, {"title": "Minder referenties", "theme": "klimaat", "deadline": "2026-01-01"}, user="U1")
    assert "initiator" in bad.json["errors"] or "deadline" in bad.json["errors"]
    created = slack.submit(
        view,
        {"title": "Minder referenties vragen", "theme": "klimaat", "initiator": "U4", "deadline": "2027-06-01"},
        user="U1",
    )

    assert created.status == 200 and created.body == ""
    with session_factory() as session:
        activity = session.scalars(select(Activity).where(Activity.title == "Minder referenties vragen")).one()
        assert (activity.initiator_id, activity.deadline, activity.theme) == ("U4", date(2027, 6, 1), "klimaat")
        item = session.scalars(select(KlaagpaalItem).where(KlaagpaalItem.number == 1)).one()
        assert (item.status, item.activity_id) == ("opgelost", activity.id)
        assert session.scalars(select(AuditEvent).where(AuditEvent.subject == f"A-{activity.number}")).all()
    [dm] = told(standin, "U4")
    assert f"A-{activity.number}" in dm.body["text"]


def test_an_item_that_becomes_an_activity_keeps_the_outcome_the_meeting_wrote(
    slack, standin, services, session_factory, circle
) -> None:
    plan_series(slack)
    fill_agenda(slack, session_factory)
    tick(services, DUE)
    outcome = "Gemeenten schrappen de eis van vijf referenties; één volstaat voortaan. " + "é" * 600

    view = settle(slack, standin, "klaagpaal", {"decision": "activiteit", "outcome": outcome}).json["view"]
    slack.submit(view, {"title": "Minder referenties vragen", "theme": "klimaat", "initiator": "U4"}, user="U1")

    with session_factory() as session:
        item = session.scalars(select(KlaagpaalItem).where(KlaagpaalItem.number == 1)).one()
        assert (item.status, item.outcome, item.activity.number) == ("opgelost", outcome, 4)
    updates = [dump(call.body["blocks"]) for call in standin.calls_to("chat.update")]
    [item_post] = [u for u in updates if "Afgesloten door <@U1>" in u]
    assert "nu activiteit *A-4* Minder referenties vragen" in item_post and "één volstaat voortaan" in item_post
    [agenda_post] = [u for u in updates if u.count("Agenda") and "K-1" in u]
    assert "opgelost: Gemeenten schrappen de eis" in agenda_post and "→ activiteit *A-4*" in agenda_post
    [dm] = told(standin, "U4")
    assert "A-4" in dm.body["text"] and "één volstaat voortaan" in dm.body["text"]


def test_a_topic_added_after_posting_joins_the_posted_agenda(slack, standin, services, session_factory, circle) -> None:
    plan_series(slack)
    tick(services, DUE)

    answer = slack.command("/kenniskring", "punt arbeidsmarkt: Nog snel erbij", user="U2")

    assert "dinsdag 8 december 2026" in answer.text
    [update] = standin.calls_to("chat.update")
    assert "Nog snel erbij" in dump(update.body["blocks"])
    preview = slack.command("/kenniskring", "vergadering", user="U2")
    assert "staat al in het kanaal" in preview.body and "Nog snel erbij" in preview.body


def test_cancelling_after_posting_marks_the_post(slack, standin, services, circle) -> None:
    plan_series(slack)
    tick(services, DUE)

    slack.command("/kenniskring", "vergadering annuleer 8-12-2026", user="U1")

    [update] = standin.calls_to("chat.update")
    assert "gaat niet door" in dump(update.body["blocks"])
    assert [block for block in update.body["blocks"] if block["type"] == "actions"] == []
