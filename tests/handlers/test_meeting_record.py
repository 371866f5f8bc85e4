"""The record after a meeting (present, settled points, decisions, new actions, what moves on), closing from the
post or at the end, `/kenniskring verslag`, the calendar file and the reminder an hour before."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from icalendar import Calendar
from sqlalchemy import select

from store.models import Attendance, Meeting
from tests.helpers import dump, english, plan_series, posts, tick
from tests.scenarios.test_meetings_agenda import DUE, fill_agenda, settle

END = datetime(2026, 12, 8, 15, 0, tzinfo=UTC)  # 16:00 in Amsterdam: two hours after the 14:00 start


def meeting_id(session_factory) -> int:
    with session_factory() as session:
        return session.scalars(select(Meeting.id).where(Meeting.agenda.is_not(None))).one()


def record_posts(standin):
    return [call for call in posts(standin) if call.body["text"].startswith("Verslag ")]


def test_the_record_goes_out_at_the_end_in_the_thread_and_the_channel(
    slack, standin, services, session_factory, circle
) -> None:
    plan_series(slack)
    fill_agenda(slack, session_factory)
    tick(services, DUE)
    agenda_ts = next(m["ts"] for m in standin.workspace.messages["C1"] if m["text"].startswith("Agenda "))
    ident = meeting_id(session_factory)
    slack.press("meeting_record", f"present:{ident}", user="U2")
    slack.event({"type": "reaction_added", "user": "U3", "reaction": "raised_hand",
                 "item": {"type": "message", "channel": "C1", "ts": agenda_ts}})  # fmt: skip
    settle(slack, standin, "klaagpaal", {"decision": "opgelost", "outcome": "Inkoop vraagt er nu twee"})
    settle(slack, standin, "topic", {"decision": "besproken", "outcome": "Werkgroep start"})
    slack.command("/actie", "Referentie-eis schrappen <@U4|d> deadline:1-2-2027", user="U1")  # not during it
    standin.clear()

    tick(services, datetime(2026, 12, 8, 14, 59, tzinfo=UTC))
    assert record_posts(standin) == []
    tick(services, END)
    tick(services, END)

    [in_channel, in_thread] = record_posts(standin)
    assert "thread_ts" not in in_channel.body and in_thread.body["thread_ts"] == agenda_ts
    text = dump(in_channel.body["blocks"])
    assert "Aanwezig:* <@U2>, <@U3>" in text
    assert "K-1 Aanbestedingen vragen vijf referenties — *opgelost*: Inkoop vraagt er nu twee" in text
    assert "Tekort aan machinisten — *besproken*: Werkgroep start" in text
    assert text.index("Besluitenlijst") < text.index("Schuift door")
    carried = text[text.index("Schuift door") :]
    assert "Emissieloos bouwen" in carried and "H-1" in carried and "P-1" in carried
    assert "menu_text" not in text
    [update] = [c for c in standin.calls_to("chat.update") if c.body["ts"] == agenda_ts]
    assert "meeting_record" not in dump(update.body["blocks"])  # the close menu is gone
    with session_factory() as session:
        assert session.scalars(select(Attendance.user_id).order_by(Attendance.id)).all() == ["U2", "U3"]
    shown = slack.command("/kenniskring", "verslag", user="U5")
    assert dump(shown.json["blocks"]) == dump(in_channel.body["blocks"])
    assert "Verslag" in slack.command("/kenniskring", "verslag 8-12-2026").body
    assert "Op 9-12-2026 was geen bijeenkomst" in slack.command("/kenniskring", "verslag 9-12-2026").text


def test_a_coordinator_closes_the_meeting_from_the_post(slack, standin, services, session_factory, circle) -> None:
    plan_series(slack)
    tick(services, DUE)
    ident = meeting_id(session_factory)
    services.clock.now = datetime(2026, 12, 8, 13, 30, tzinfo=UTC)
    slack.command("/actie", "Notulen rondsturen", user="U1")  # during the meeting: it belongs to it

    slack.press("meeting_record", f"close:{ident}", user="U2")  # not a coordinator
    assert record_posts(standin) == []
    slack.press("meeting_record", f"close:{ident}", user="U1")
    tick(services, END)

    [in_channel, _] = record_posts(standin)
    new = dump(in_channel.body["blocks"])
    assert new.index("Nieuwe verbeteracties") < new.index("*P-1* Notulen rondsturen") < new.index("Schuift door")
    assert "niemand gemeld" in new


def test_the_meetings_as_a_calendar_file_and_a_reminder_an_hour_before(
    slack, standin, services, session_factory, circle
) -> None:
    plan_series(slack)
    slack.command("/kenniskring", "vergadering verzet 19-1-2027 naar 21-1-2027 10:00", user="U1")
    slack.command("/kenniskring", "vergadering annuleer 8-12-2026", user="U1")

    answer = slack.command("/kenniskring", "kalender", user="U3")

    assert "privébericht" in answer.text
    [complete] = standin.calls_to("files.completeUploadExternal")
    assert complete.body["channel_id"] == "DU3" and complete.body["files"][0]["title"].endswith(".ics")
    cal = Calendar.from_ical(next(iter(standin.uploads.values())))
    events = [c for c in cal.walk("VEVENT")]
    series = next(e for e in events if "RRULE" in e)
    assert series["RRULE"]["INTERVAL"] == [6] and str(series["LOCATION"]) == "Gemeentehuis, zaal 2"
    assert series["DTSTART"].dt.isoformat() == "2026-12-08T14:00:00+01:00"
    assert [d.dt.date().isoformat() for d in series["EXDATE"].dts] == ["2026-12-08"]
    moved = next(e for e in events if "RECURRENCE-ID" in e)
    assert moved["DTSTART"].dt.isoformat() == "2027-01-21T10:00:00+01:00"
    shared = slack.command("/kenniskring", "kalender kanaal", user="U3")
    assert (
        "in het kanaal" in shared.text
        and standin.calls_to("files.completeUploadExternal")[-1].body["channel_id"] == "C1"
    )
    standin.clear()

    tick(services, datetime(2026, 12, 8, 12, 30, tzinfo=UTC))  # the cancelled one: no reminder
    tick(services, datetime(2027, 1, 21, 8, 59, tzinfo=UTC))
    tick(services, datetime(2027, 1, 21, 9, 0, tzinfo=UTC))
    tick(services, datetime(2027, 1, 21, 9, 30, tzinfo=UTC))

    [reminder] = [c for c in posts(standin) if "Over een uur" in c.body["text"]]
    assert "donderdag 21 januari 2027, 10:00" in reminder.body["text"] and "Gemeentehuis" in reminder.body["text"]


def test_the_export_holds_the_records_as_a_sheet(slack, standin, services, session_factory, circle) -> None:
    import io

    from openpyxl import load_workbook

    plan_series(slack)
    fill_agenda(slack, session_factory)
    tick(services, DUE)
    slack.press("meeting_record", f"present:{meeting_id(session_factory)}", user="U2")
    settle(slack, standin, "klaagpaal", {"decision": "opgelost", "outcome": "Inkoop vraagt er nu twee"})
    tick(services, END)
    standin.clear()

    slack.command("/agenda", "export", user="U5")

    book = load_workbook(io.BytesIO(next(iter(standin.uploads.values()))))
    assert "Verslagen" in book.sheetnames
    rows = [list(row) for row in book["Verslagen"].iter_rows(values_only=True)]
    assert rows[0] == ["Bijeenkomst", "Punt", "Onderwerp", "Uitkomst", "Toelichting"]
    assert rows[1][2:] == ["Aanwezig", None, "u2"]
    assert rows[2][1:] == [4, "K-1 Aanbestedingen vragen vijf referenties", "opgelost", "Inkoop vraagt er nu twee"]


def document_text(standin) -> list[str]:
    import io

    from docx import Document

    [content] = standin.uploads.values()
    return [paragraph.text for paragraph in Document(io.BytesIO(content)).paragraphs]


def meeting_with_a_record(slack, standin, services, session_factory) -> None:
    plan_series(slack)
    fill_agenda(slack, session_factory)
    tick(services, DUE)
    services.clock.now = datetime(2026, 12, 8, 13, 30, tzinfo=UTC)
    slack.command("/actie", "Bestek *aanpassen* {owner} <@U4|d> deadline:15-1-2027", user="U1")  # agreed during it
    slack.press("meeting_record", f"present:{meeting_id(session_factory)}", user="U2")
    settle(slack, standin, "klaagpaal", {"decision": "opgelost", "outcome": "*Inkoop* vraagt er nu twee & {circle}"})
    settle(slack, standin, "topic", {"decision": "besproken", "outcome": "Werkgroep start"})
    tick(services, END)
    standin.clear()


def test_the_record_as_a_word_document_by_direct_message(slack, standin, services, session_factory, circle) -> None:
    meeting_with_a_record(slack, standin, services, session_factory)

    answer = slack.command("/kenniskring", "verslag 8-12-2026 docx", user="U5")

    assert answer.text == "Ik maak het verslag als Word-bestand en stuur het je in een privébericht."
    [complete] = standin.calls_to("files.completeUploadExternal")
    assert complete.body["channel_id"] == "DU5"
    assert complete.body["files"][0]["title"] == "verslag-kenniskring-west-2026-12-08.docx"
    text = document_text(standin)
    assert text[0] == "Verslag Kenniskring West — dinsdag 8 december 2026, 14:00"
    assert "Plaats: Gemeentehuis, zaal 2" in text and "Aanwezig: u2" in text
    settled = "K-1 Aanbestedingen vragen vijf referenties — opgelost: *Inkoop* vraagt er nu twee & {circle}"
    assert text.index("4 Klaagpaal") < text.index(settled)
    assert text.index("1 Arbeidsmarkt") < text.index("Tekort aan machinisten — besproken: Werkgroep start")
    besluiten, new, carried = (
        text.index(h) for h in ("Besluitenlijst", "Nieuwe verbeteracties", "Schuift door naar de volgende bijeenkomst")
    )
    assert besluiten < text.index(settled, besluiten) < new
    assert text[new + 1] == "P-1 Bestek *aanpassen* {owner} — u4 · uiterlijk 15 jan 2027"
    assert "Emissieloos bouwen @channel" in text[carried:] and any(line.startswith("H-1") for line in text[carried:])


def test_the_last_record_as_a_word_document_or_none_yet(slack, standin, services, session_factory, circle) -> None:
    assert "nog geen verslag" in slack.command("/kenniskring", "verslag docx", user="U5").text
    assert standin.uploads == {}
    meeting_with_a_record(slack, standin, services, session_factory)

    slack.command("/kenniskring", "verslag word", user="U5")

    assert document_text(standin)[0].startswith("Verslag Kenniskring West — dinsdag 8 december 2026")


@pytest.mark.parametrize("settings", ["en"], indirect=True)
def test_the_record_as_a_word_document_in_english(slack, standin, services, session_factory, circle) -> None:
    meeting_with_a_record(slack, standin, services, session_factory)
    english(standin, "U5")

    answer = slack.command("/kenniskring", "record 8-12-2026 docx", user="U5")

    assert answer.text == "I am making the record as a Word file and will send it to you in a direct message."
    text = document_text(standin)
    assert text[0] == "Record Kenniskring West — Tuesday 8 December 2026, 14:00"
    assert "Place: Gemeentehuis, zaal 2" in text and "Present: u2" in text
    for heading in ("4 Complaints post", "Decisions", "New improvement actions", "Moves to the next meeting"):
        assert heading in text
    assert any(line.endswith("resolved: *Inkoop* vraagt er nu twee & {circle}") for line in text)
