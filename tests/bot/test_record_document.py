"""The record as a Word document, built from records without a database."""

from __future__ import annotations

import io

from docx import Document

from bot import record_document
from store.meeting_record import Record
from store.models import Circle, Meeting, MeetingDecision


def test_text_xml_cannot_hold_is_left_out_and_empty_parts_say_so() -> None:
    meeting = Meeting(local_start="2026-12-08T14:00", timezone="Europe/Amsterdam", location=None)
    decision = MeetingDecision(point=1, label="Tekort\x07 aan machinisten", decision="besluit", text="Ja\x00 <b>&</b>")
    record = Record(meeting, present=[], decisions=[decision], new_actions=[], carried=[], open_actions=[])

    content = record_document.docx(Circle(name="Kring"), record, "nl")

    text = [paragraph.text for paragraph in Document(io.BytesIO(content)).paragraphs]
    assert text[:2] == ["Verslag Kring — dinsdag 8 december 2026, 14:00", "Aanwezig: niemand gemeld"]
    assert text.count("Tekort aan machinisten — besluit: Ja <b>&</b>") == 2  # under point 1 and in the besluitenlijst
    assert text[-4:] == ["Nieuwe verbeteracties", "geen", "Schuift door naar de volgende bijeenkomst", "geen"]
    assert not any(line.startswith("Plaats") for line in text)
