"""Point 3 in full: news since the last meeting per activity, open actions, the rest in the thread, and each
activity settled from the post (noted, improvement action, decision, escalated)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from store.models import ImprovementAction, MeetingDecision, ProgressUpdate
from tests.helpers import dump, make_activity, plan_series, posts, tick
from tests.scenarios.test_meetings_agenda import DUE, agenda_posts

UPDATE = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


def report(session_factory, activity_id: int, when: datetime = UPDATE, **texts) -> None:
    with session_factory.begin() as session:
        session.add(ProgressUpdate(activity_id=activity_id, author_id="U2", percent=50, created_at=when, **texts))


def options(post) -> list[dict]:
    return [o for b in post.body["blocks"] if b["type"] == "actions" for o in b["elements"][0].get("options", [])]


def settle_activity(slack, standin, number: int, values: dict, *, user: str = "U1"):
    post = agenda_posts(standin)[0]
    [option] = [o for o in options(post) if o["text"]["text"].startswith(f"A-{number} ")]
    slack.press("meeting_item", option["value"], user=user, message_ts=post.body.get("ts"))
    view = standin.calls_to("views.open")[-1].body["view"]
    assert view["callback_id"] == "meeting_activity_item"
    return slack.submit(view, values, user=user)


def test_point_3_shows_what_happened_was_learned_proposed_and_blocked(
    slack, standin, services, session_factory, circle
) -> None:
    plan_series(slack)
    first = make_activity(session_factory, 1, "Circulair asfalt", "U2", deadline=date(2026, 11, 20), percent=60)
    make_activity(session_factory, 2, "Stageplekken", "U3", deadline=date(2027, 3, 1))
    report(session_factory, first, happened="Proefvak gelegd", learned="Vroeg de beheerder erbij halen",
           improvements="Bestek aanpassen", blockers="Vergunning laat op zich wachten")  # fmt: skip
    slack.command("/actie", "Checklist delen <@U3|c> deadline:1-12-2026", user="U1")
    standin.clear()

    tick(services, DUE)

    [post] = agenda_posts(standin)
    text = dump(post.body["blocks"])
    for word in ("Gebeurd:_ Proefvak gelegd", "Geleerd:_ Vroeg de beheerder", "Voorstel verbeteracties:_ Bestek",
                 "Blokkade:_ Vergunning", "*A-2* Stageplekken", "Nog geen voortgang gemeld", "Verbeteracties",
                 "*P-1* Checklist delen"):  # fmt: skip
        assert word in text, word
    assert text.index("*A-1*") < text.index("*A-2*") < text.index("*P-1*")  # late first, actions after
    assert [o["text"]["text"] for o in options(post) if o["value"].split(":")[1] == "activity"] == [
        "A-1 Circulair asfalt", "A-2 Stageplekken",
    ]  # fmt: skip


def test_what_does_not_fit_follows_in_the_thread(slack, standin, services, session_factory, circle) -> None:
    plan_series(slack)
    for number in range(1, 31):
        activity = make_activity(session_factory, number, f"Activiteit nummer {number}", "U2")
        report(session_factory, activity, happened="x" * 200, learned="y" * 200)
    standin.clear()

    tick(services, DUE)

    [post] = agenda_posts(standin)
    assert "zie *meer* in de draad" in dump(post.body["blocks"])
    [more] = [call for call in posts(standin) if call.body.get("thread_ts")]
    [posted] = [m for m in standin.workspace.messages["C1"] if m["text"].startswith("Agenda ")]
    assert more.body["thread_ts"] == posted["ts"]
    assert "Meer bij punt 3" in more.body["text"] and "Activiteit nummer 30" in dump(more.body["blocks"])
    sections = [block for block in post.body["blocks"] if block["type"] == "section"]
    assert "Activiteit nummer 30" not in dump(sections)


def test_a_coordinator_settles_each_activity_from_the_post(slack, standin, services, session_factory, circle) -> None:
    plan_series(slack)
    first = make_activity(session_factory, 1, "Circulair asfalt", "U2", deadline=date(2027, 3, 1))
    make_activity(session_factory, 2, "Stageplekken", "U3", deadline=date(2027, 3, 1))
    report(session_factory, first, happened="Proefvak gelegd")
    tick(services, DUE)

    missing = settle_activity(slack, standin, 1, {"decision": "verbeteractie"})
    agreed = settle_activity(
        slack, standin, 1,
        {"decision": "verbeteractie", "outcome": "Bestek aanpassen op hergebruik", "owner": "U4",
         "deadline": "2027-01-15"},
    )  # fmt: skip
    noted = settle_activity(slack, standin, 2, {"decision": "genoteerd"})

    assert "outcome" in missing.json["errors"]
    assert agreed.status == 200 and noted.status == 200
    with session_factory() as session:
        action = session.scalars(select(ImprovementAction)).one()
        assert (action.number, action.owner_id, action.deadline, action.activity_id) == (
            1, "U4", date(2027, 1, 15), first,
        )  # fmt: skip
        assert action.meeting_id is not None
        decisions = session.scalars(select(MeetingDecision).order_by(MeetingDecision.id)).all()
        assert [(d.point, d.label, d.decision) for d in decisions] == [
            (3, "A-1 Circulair asfalt", "verbeteractie"), (3, "A-2 Stageplekken", "genoteerd"),
        ]  # fmt: skip
    update = dump(standin.calls_to("chat.update")[-1].body["blocks"])
    assert "verbeteractie afgesproken: Bestek aanpassen" in update and "genoteerd" in update
    [dm] = [call for call in posts(standin, "DU2") if "A-1" in call.body["text"]]
    assert "verbeteractie" in dm.body["text"] and "Bestek aanpassen" in dm.body["text"]
    assert posts(standin, "DU4")  # the owner of the new action hears it
    refused = settle_activity(slack, standin, 2, {"decision": "genoteerd"}, user="U3")
    assert refused is None or refused.status == 200
