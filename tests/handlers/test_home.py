"""The App Home tab: per circle, my activities, what waits for my update, help I could give, the next meeting."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from store.models import Circle, Meeting
from tests.helpers import dump, opened


def open_home(slack, standin, user: str) -> dict:
    answer = slack.event({"type": "app_home_opened", "user": user, "channel": "D1", "tab": "home"})
    assert answer.status == 200
    return standin.home_views[user]


def test_home_lists_mine_waiting_help_and_the_next_meeting(slack, standin, session_factory, clock, circle) -> None:
    slack.command("/agenda", "nieuw Pilot asfalt thema:klimaat status:lopend deadline:1-6-2027", user="U2")
    slack.command("/agenda", "nieuw Leerkring thema:leren <@U3|c> <@U2|b>", user="U3")
    slack.command("/agenda", "nieuw Scan thema:arbeidsmarkt <@U4|d>", user="U4")
    slack.command("/hulpvraag", "Wie kent een goede asfaltleverancier?", user="U3")
    slack.command("/hulpvraag", "Mijn eigen vraag", user="U2")
    with session_factory.begin() as session:
        kring = session.query(Circle).one()
        session.add(
            Meeting(
                circle_id=kring.id,
                local_start="2026-12-08T14:00",
                timezone="Europe/Amsterdam",
                starts_at=datetime(2026, 12, 8, 13, 0, tzinfo=UTC),
                location="Gemeentehuis, zaal 2",
            )
        )
    clock.advance(days=30)  # A-1 has had no news for 30 days

    view = open_home(slack, standin, "U2")

    assert view["type"] == "home" and len(view["blocks"]) <= 100
    text = dump(view["blocks"])
    assert "Kenniskring West" in text
    waiting = text.index("Wacht op jouw voortgang")
    mine = text.index("Mijn activiteiten")
    helping = text.index("Hulpvragen waar jij")
    assert "Pilot asfalt" in text[waiting:mine] and "Leerkring" not in text[waiting:mine]  # only as initiator
    assert "Pilot asfalt" in text[mine:helping] and "Leerkring" in text[mine:helping] and "Scan" not in text
    assert "asfaltleverancier" in text[helping:] and "Mijn eigen vraag" not in text
    assert "dinsdag 8 december 2026" not in text  # the meeting lies in the past now (clock moved on)
    buttons = [b["accessory"] for b in view["blocks"] if b.get("accessory")]
    assert {b["action_id"] for b in buttons} == {"activity_progress", "hulpvraag_help"}


def test_next_meeting_is_shown(slack, standin, session_factory, circle) -> None:
    with session_factory.begin() as session:
        kring = session.query(Circle).one()
        session.add(
            Meeting(
                circle_id=kring.id,
                local_start="2026-12-08T14:00",
                timezone="Europe/Amsterdam",
                starts_at=datetime(2026, 12, 8, 13, 0, tzinfo=UTC),
                location="Gemeentehuis, zaal 2",
            )
        )
    text = dump(open_home(slack, standin, "U1")["blocks"])
    assert "dinsdag 8 december 2026" in text and "14:00" in text and "Gemeentehuis, zaal 2" in text


def test_someone_without_a_circle_gets_a_way_in(slack, standin, circle) -> None:
    text = dump(open_home(slack, standin, "U9")["blocks"])
    assert "/kenniskring start" in text


def test_many_circles_and_activities_stay_within_the_view_limit(slack, standin, session_factory) -> None:
    from store import activities, circles

    with session_factory.begin() as session:
        for c in range(8):
            kring = circles.start(
                session,
                team_id="T0001",
                channel_id=f"C{c}",
                name=f"Kring {c}",
                user_id="U2",
                locale="nl",
                timezone="Europe/Amsterdam",
            )
            for n in range(15):
                activities.create(
                    session,
                    circle=kring,
                    user_id="U2",
                    title=f"Activiteit {n}",
                    theme="leren",
                    initiator_id="U2",
                    status="lopend",
                )
    view = open_home(slack, standin, "U2")
    assert len(view["blocks"]) <= 100
    text = dump(view["blocks"])
    assert "En nog 9" in text and "Kring 0" in text and "/agenda mijn" in text


def test_reporting_from_the_home_tab_refreshes_it(slack, standin, session_factory, circle) -> None:
    slack.command("/agenda", "nieuw Pilot asfalt thema:klimaat status:lopend", user="U2")
    home = open_home(slack, standin, "U2")
    value = next(
        b["accessory"]["value"]
        for b in home["blocks"]
        if b.get("accessory", {}).get("action_id") == "activity_progress"
    )

    slack.press("activity_progress", value, user="U2", channel=None)
    view = opened(standin)
    assert json.loads(view["private_metadata"])["channel_id"] is None
    slack.submit(view, {"activity": value, "percent": "55", "happened": "Halverwege"}, user="U2")

    assert "55%" in dump(standin.home_views["U2"]["blocks"])
    assert "55%" in dump(standin.calls_to("chat.postMessage")[-1].body)  # the confirmation came as a DM
