"""`/kenniskring mijn-gegevens`: a person gets everything the bot keeps about them, and has it removed on request."""

from __future__ import annotations

import json

from sqlalchemy import select

from store import personal_data
from store.models import Activity, Base, Circle, HelpRequest, KlaagpaalItem
from store.personal_data import uncovered
from tests.helpers import dump


def test_every_column_that_holds_a_person_is_covered() -> None:
    assert uncovered() == set()


def test_a_new_column_that_holds_a_person_fails_the_cover(monkeypatch) -> None:
    from sqlalchemy import Column

    from store.models import USER_ID, Goal

    column = Column("reviewer_id", USER_ID)
    monkeypatch.setattr(Goal.__table__, "columns", [*Goal.__table__.columns, column], raising=False)
    assert ("goals", "reviewer_id") in uncovered()


def everything_of_u2(slack, session_factory) -> None:
    """U2 joins, starts an activity, reports progress, files named and anonymous items, asks for help, marks
    herkenbaar, owns an action, offers help; U3 offers help on U2's request."""
    for text in ("ik OG gemeente Tiel rol:beheerder",):
        assert slack.command("/kenniskring", text, user="U2").status == 200
    slack.command("/agenda", "nieuw Pilot circulair asfalt deadline:1-3-2027 thema:klimaat", user="U2")
    slack.command("/voortgang", "A-1 40% eerste vak gelegd", user="U2")
    slack.command("/klaagpaal", "Aanbestedingen vragen te veel papier", user="U2")
    slack.command("/klaagpaal", "anoniem Niemand durft het te zeggen", user="U2")
    slack.command("/klaagpaal", "Wat U1 zelf vindt", user="U1")
    slack.command("/hulpvraag", "Wie kent een goede asfaltcentrale?", user="U2")
    slack.command("/actie", "Checklist maken <@U2> deadline:15-1-2027", user="U1")
    with session_factory() as session:
        u1_item = session.scalars(select(KlaagpaalItem).where(KlaagpaalItem.author_id == "U1")).one()
        request = session.scalars(select(HelpRequest)).one()
    slack.press("klaagpaal_herkenbaar", str(u1_item.id), user="U2")
    slack.press("hulpvraag_help", str(request.id), user="U3")


def rows_naming(session_factory, user_id: str) -> dict[str, list]:
    found = {}
    with session_factory() as session:
        for table in Base.metadata.sorted_tables:
            hits = [row for row in session.execute(select(table)) if user_id in json.dumps(list(row), default=str)]
            if hits:
                found[table.name] = hits
    return found


def test_my_data_sends_everything_kept_about_me_but_no_anonymous_item(slack, standin, circle, session_factory):
    everything_of_u2(slack, session_factory)
    standin.clear()

    answer = slack.command("/kenniskring", "mijn-gegevens", user="U2")

    assert answer.status == 200 and "privébericht" in answer.text
    [upload] = standin.calls_to("files.completeUploadExternal")
    assert upload.body["channel_id"] == "DU2"
    document = json.loads(next(iter(standin.uploads.values())))
    tables = {section["table"]: section["rows"] for section in document["sections"]}
    assert {"members", "activities", "progress_updates", "klaagpaal_items", "herkenbaar_marks", "help_requests"} <= set(
        tables
    )
    assert {"improvement_actions", "audit_events", "outbox"} <= set(tables)
    assert tables["members"][0]["organisation"] == "gemeente Tiel"
    assert [item["text"] for item in tables["klaagpaal_items"]] == ["Aanbestedingen vragen te veel papier"]
    assert "Niemand durft" not in dump(document)
    assert "Wat U1 zelf vindt" not in dump(tables)  # U1's item: only U2's mark on it is U2's
    assert "Anonieme klaagpaalmeldingen" in document["note"]


def test_my_data_in_english(slack, standin, circle, session_factory):
    standin.user("U2", name="u2", locale="en-GB")
    slack.command("/kenniskring", "ik ON Bouwbedrijf De Vries", user="U2")
    standin.clear()

    answer = slack.command("/kenniskring", "my-data", user="U2")

    assert "direct message" in answer.text
    document = json.loads(next(iter(standin.uploads.values())))
    assert document["title"].startswith("What the kenniskring bot")
    titles = {section["table"]: section["title"] for section in document["sections"]}
    assert titles["members"].startswith("Memberships")


def test_removal_asks_first_and_then_leaves_no_trace(slack, standin, circle, session_factory):
    everything_of_u2(slack, session_factory)
    assert rows_naming(session_factory, "U2")
    with session_factory() as session:
        marks_before = {item.number: len(item.marks) for item in session.scalars(select(KlaagpaalItem))}

    question = slack.command("/kenniskring", "mijn-gegevens verwijderen", user="U2")

    [button] = [e for b in question.json["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert button["value"] == "self" and rows_naming(session_factory, "U2")  # nothing removed before the button
    standin.clear()
    slack.press(button["action_id"], button["value"], user="U2")

    assert rows_naming(session_factory, "U2") == {}
    [said] = standin.calls_to("response_url")
    assert "verwijderd" in said.body["text"]
    with session_factory() as session:
        activity = session.scalars(select(Activity)).one()
        assert activity.number == 1 and activity.initiator_id.startswith("verwijderd")
        assert {item.number: len(item.marks) for item in session.scalars(select(KlaagpaalItem))} == marks_before
        anonymous = session.scalars(select(KlaagpaalItem).where(KlaagpaalItem.author_id.is_(None))).one()
        assert anonymous.filer_tag is None  # not even the key ties it to the removed person any more
    agenda = slack.command("/agenda", "", user="U1")
    assert agenda.status == 200 and "Pilot circulair asfalt" in dump(agenda.json)
    standin.clear()
    assert slack.command("/agenda", "export", user="U1").status == 200
    assert standin.uploads and "U2" not in next(iter(standin.uploads.values())).decode("latin-1")


def test_a_coordinator_removes_a_member_of_their_circle_only(slack, standin, circle, session_factory):
    everything_of_u2(slack, session_factory)
    slack.command("/kenniskring", "start Kring Oost", user="U5", channel="C2")
    slack.command("/klaagpaal", "In Oost ook", user="U2", channel="C2")

    refused = slack.command("/kenniskring", "mijn-gegevens verwijderen <@U1>", user="U2")
    assert "coördinator" in refused.text
    question = slack.command("/kenniskring", "mijn-gegevens verwijderen <@U2|u2>", user="U1")
    [button] = [e for b in question.json["blocks"] if b["type"] == "actions" for e in b["elements"]]
    slack.press(button["action_id"], button["value"], user="U1")

    left = rows_naming(session_factory, "U2")
    # What is left is Kring Oost's, and the DM channel, which belongs to no circle.
    assert set(left) == {"members", "klaagpaal_items", "outbox", "audit_events", "dm_channels"}
    with session_factory() as session:
        oost = session.scalars(select(Circle.id).where(Circle.channel_id == "C2")).one()
    assert {row.circle_id for row in left["members"] + left["klaagpaal_items"] + left["audit_events"]} == {oost}
    with session_factory() as session:
        item = session.scalars(select(KlaagpaalItem).where(KlaagpaalItem.author_id == "U2")).one()
        assert item.text == "In Oost ook"


def test_a_forged_removal_button_removes_nothing(slack, standin, circle, session_factory):
    everything_of_u2(slack, session_factory)
    with session_factory() as session:
        circle_id = session.scalars(select(KlaagpaalItem.circle_id)).first()
    before = rows_naming(session_factory, "U2")

    for value in (f"circle:{circle_id}:U2", "circle:999:U2", "circle:x:U2", "self:U1", "everyone"):
        assert slack.press("personal_data_remove", value, user="U2").status == 200  # U2 is no coordinator

    assert rows_naming(session_factory, "U2") == before


def test_a_removed_person_reads_as_removed_not_as_an_id(slack, circle, session_factory) -> None:
    slack.command("/klaagpaal", "Lange wachttijden", user="U2")
    with session_factory.begin() as session:
        personal_data.remove(session, user_id="U2")

    listed = json.dumps(slack.command("/klaagpaal", "lijst", user="U1").json, ensure_ascii=False)

    assert "(verwijderd)" in listed and "verwijderd-" not in listed and "U2" not in listed
