"""The learning cycle over three meetings in a row, on fixed dates: agenda post → settle → record → next agenda,
with an improvement action carried forward until done and two adopted versions of the execution agenda."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.handlers.test_meeting_progress import settle_activity
from tests.helpers import dump, plan_series, posts, tick

AGENDAS = (  # two working days before each meeting, 09:00 in Amsterdam
    datetime(2026, 12, 4, 8, 0, tzinfo=UTC),
    datetime(2027, 1, 15, 8, 0, tzinfo=UTC),
    datetime(2027, 2, 26, 8, 0, tzinfo=UTC),
)
ENDS = (  # 16:00 in Amsterdam: two hours after each 14:00 start
    datetime(2026, 12, 8, 15, 0, tzinfo=UTC),
    datetime(2027, 1, 19, 15, 0, tzinfo=UTC),
    datetime(2027, 3, 2, 15, 0, tzinfo=UTC),
)


def latest(standin, start: str):
    return [call for call in posts(standin) if call.body["text"].startswith(start)][-1]


def point_3(post) -> str:
    text = dump(post.body["blocks"])
    return text[text.index("3 · Voortgang") : text.index("4 · Klaagpaal")]


def carried(record) -> str:
    text = dump(record.body["blocks"])
    return text[text.index("Schuift door") :]


def test_three_meetings_with_a_carried_action_and_two_versions(slack, standin, services, circle) -> None:
    services.clock.now = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    plan_series(slack)
    slack.command("/agenda", "nieuw Circulair asfalt thema:klimaat deadline:1-3-2027 budget:48000 <@U2|bram>")
    slack.command("/agenda", "nieuw Stageplekken thema:arbeidsmarkt deadline:1-6-2027 <@U3|chantal>")
    assert "Versie 1" in slack.command("/agenda", "vaststellen", user="U1").text
    slack.command("/voortgang", "A-1 40% Proefvak gelegd", user="U2")

    # Meeting 1: A-1 has news; the circle agrees improvement action P-1 for it.
    tick(services, AGENDAS[0])
    first = latest(standin, "Agenda ")
    assert "versie 1 + wijzigingen" in point_3(first) and "Proefvak gelegd" in point_3(first)
    settle_activity(slack, standin, 1, {"decision": "verbeteractie", "outcome": "Bestek aanpassen op hergebruik",
                                        "owner": "U2", "deadline": "2027-02-15"})  # fmt: skip
    settle_activity(slack, standin, 2, {"decision": "genoteerd"})
    tick(services, ENDS[0])
    record = latest(standin, "Verslag ")
    assert "dinsdag 8 december 2026" in record.body["text"]
    new = dump(record.body["blocks"])
    assert "A-1 Circulair asfalt — *verbeteractie*: Bestek aanpassen" in new
    assert new.index("Nieuwe verbeteracties") < new.index("*P-1* Bestek aanpassen") < new.index("Schuift door")

    # Meeting 2: no news on A-1 since meeting 1; P-1 is carried forward, not done; a decision on A-2.
    standin.clear()
    tick(services, AGENDAS[1])
    second = latest(standin, "Agenda ")
    assert "dinsdag 19 januari 2027" in second.body["text"]
    assert "Geen nieuws sinds de vorige bijeenkomst" in point_3(second) and "*P-1* Bestek aanpassen" in point_3(second)
    settle_activity(slack, standin, 2, {"decision": "besluit", "outcome": "Twee extra stageplekken bij de gemeente"})
    tick(services, ENDS[1])
    record = latest(standin, "Verslag ")
    assert "Twee extra stageplekken" in dump(record.body["blocks"]) and "*P-1*" in carried(record)
    services.clock.now = ENDS[1]
    slack.command("/voortgang", "A-1 70% Tweede vak gelegd", user="U2")
    assert "Versie 2" in slack.command("/agenda", "vaststellen", user="U1").text
    adopted = dump(latest(standin, "Uitvoeringsagenda versie 2").body["blocks"])
    assert "*A-1* Circulair asfalt — status gepland → lopend" in adopted and "A-2" not in adopted

    # Meeting 3: version 2 on the agenda, P-1 still there until its owner marks it done; then it leaves the record.
    standin.clear()
    tick(services, AGENDAS[2])
    third = latest(standin, "Agenda ")
    assert "versie 2" in point_3(third) and "+ wijzigingen" not in point_3(third)
    assert "*P-1* Bestek aanpassen" in point_3(third) and "Tweede vak gelegd" in point_3(third)
    services.clock.now = datetime(2027, 3, 2, 13, 30, tzinfo=UTC)
    assert "P-1" in slack.command("/actie", "P-1 klaar", user="U2").text
    tick(services, ENDS[2])
    record = latest(standin, "Verslag ")
    assert "dinsdag 2 maart 2027" in record.body["text"] and "P-1" not in carried(record)

    second_version = dump(slack.command("/agenda", "versie 2").json)
    assert "Uitvoeringsagenda versie 2" in second_version and "A-1" in second_version
    history = slack.command("/kenniskring", "verslag 19-1-2027").body
    assert "Twee extra stageplekken" in history
