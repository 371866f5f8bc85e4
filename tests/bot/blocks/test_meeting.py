"""The meeting and nudge builders on their own: Slack's limits, escaping, and what each state shows."""

from __future__ import annotations

from datetime import date

from bot.blocks import meeting_forms as forms
from bot.blocks.meeting import agenda_post, listing, topic_question
from bot.blocks.nudge import nudge_dm
from store.meeting_agenda import ActivityLine, Agenda, Settled
from store.models import (
    Activity,
    Circle,
    CircleTheme,
    HelpOffer,
    HelpRequest,
    KlaagpaalItem,
    Meeting,
    MeetingTopic,
)
from store.nudges import Nudge
from store.versions import VersionState
from tests.helpers import dump


def a_meeting(**values) -> Meeting:
    values = {"id": 7, "local_start": "2026-12-08T14:00", "timezone": "Europe/Amsterdam", "status": "gepland", **values}
    return Meeting(**values)


def an_agenda(meeting: Meeting | None = None, **parts) -> Agenda:
    return Agenda(circle=Circle(name="Kring West"), meeting=meeting or a_meeting(location="Gemeentehuis"), **parts)


def topic(topic_id: int, text: str, point: int = 1, **values) -> MeetingTopic:
    return MeetingTopic(id=topic_id, point=point, text=text, author_id="U2", **{"status": "open", **values})


def test_the_header_and_the_five_points_in_order() -> None:
    post = agenda_post(an_agenda(version=VersionState(12)), "nl")

    text = dump(post["blocks"])
    assert post["text"] == "Agenda Kring West: dinsdag 8 december 2026, 14:00"
    assert "*dinsdag 8 december 2026, 14:00*" in text and ":round_pushpin: Gemeentehuis" in text
    points = ["1 · Arbeidsmarkt", "2 · Transitievraagstukken", "3 · Voortgang uitvoeringsagenda", "4 · Klaagpaal"]
    positions = [text.index(point) for point in [*points, "5 · Hulpvraag"]]
    assert positions == sorted(positions)
    assert "versie 12" in text
    assert "Nog geen onderwerpen" in text and "Geen open hulpvragen" in text
    assert [block["type"] for block in post["blocks"]].count("actions") == 0  # nothing to settle yet


def test_user_text_can_never_ping_anyone() -> None:
    agenda = an_agenda(
        a_meeting(location="<!here> zaal"),
        topics={1: [topic(1, "Iedereen <!channel> & <@U9>")]},
        klaagpaal=[KlaagpaalItem(id=3, number=1, text="<!everyone> let op", status="open")],
    )

    post = agenda_post(agenda, "nl")

    mrkdwn = dump([block for block in post["blocks"] if block["type"] in ("section", "context")])
    assert "<!" not in mrkdwn and "<@U9>" not in mrkdwn and "<!" not in post["text"]
    assert "&lt;!channel&gt; &amp; &lt;@U9&gt;" in mrkdwn  # menu labels are plain text, which Slack never parses


def test_each_point_with_items_gets_a_menu_of_what_can_still_be_settled() -> None:
    request = HelpRequest(id=5, number=1, text="Asfaltcentrale gezocht", requester_id="U5", status="open")
    request.offers.append(HelpOffer(user_id="U6"))
    agenda = an_agenda(
        topics={1: [topic(1, "Machinisten"), topic(2, "Al besproken", status="besproken", outcome="Werkgroep")]},
        klaagpaal=[KlaagpaalItem(id=3, number=1, text="Referenties", status="besproken")],
        requests=[request],
    )

    blocks = agenda_post(agenda, "nl")["blocks"]

    menus = {block["block_id"]: block["elements"][0] for block in blocks if block["type"] == "actions"}
    assert sorted(menus) == ["meeting_7_1", "meeting_7_4", "meeting_7_5"]
    assert [o["value"] for o in menus["meeting_7_1"]["options"]] == ["7:topic:1"]
    assert menus["meeting_7_4"]["action_id"] == "meeting_item"
    assert [o["value"] for o in menus["meeting_7_5"]["options"]] == ["7:hulpvraag:5"]
    text = dump(blocks)
    assert "Al besproken — <@U2> — :white_check_mark: besproken: Werkgroep" in text
    assert "K-1* Referenties — 0× herkenbaar — :white_check_mark: besproken" in text
    assert "helpt: <@U6>" in text


def test_late_activities_show_first_with_their_latest_progress() -> None:
    late = Activity(id=1, number=4, title="Asfalt", initiator_id="U2", percent=60, deadline=date(2026, 11, 1))
    fine = Activity(id=2, number=1, title="Stages", initiator_id="U3", percent=10, deadline=None)
    agenda = an_agenda(
        activities=[ActivityLine(late, None, True), ActivityLine(fine, None, False)], version=VersionState(3)
    )

    text = dump(agenda_post(agenda, "nl")["blocks"])

    assert ":warning: *A-4* Asfalt — 60% · deadline 1 nov 2026 *verstreken*" in text
    assert text.index("A-4") < text.index("A-1") and "geen deadline" in text
    assert "Nog geen voortgang gemeld" in text


def test_a_long_agenda_stays_within_slacks_limits() -> None:
    topics = [topic(i, f"Onderwerp {i} " + "lange tekst " * 20) for i in range(1, 151)]
    items = [KlaagpaalItem(id=i, number=i, text="klacht " * 40, status="open") for i in range(1, 151)]
    post = agenda_post(an_agenda(topics={1: topics, 2: topics}, klaagpaal=items), "nl")

    assert len(post["blocks"]) <= 50
    assert all(len(block["text"]["text"]) <= 3000 for block in post["blocks"] if block["type"] == "section")
    menus = [block["elements"][0] for block in post["blocks"] if block["type"] == "actions"]
    assert all(len(menu["options"]) <= 100 for menu in menus)
    assert all(len(option["text"]["text"]) <= 75 for menu in menus for option in menu["options"])
    assert "…en nog" in dump(post["blocks"])


def test_items_beyond_the_ones_the_agenda_read_are_counted() -> None:
    late = Activity(id=1, number=4, title="Asfalt", initiator_id="U2", percent=60, deadline=date(2026, 11, 1))
    agenda = an_agenda(
        activities=[ActivityLine(late, None, True)],
        more_activities=240,
        klaagpaal=[KlaagpaalItem(id=3, number=1, text="Referenties", status="open")],
        more_klaagpaal=5,
        requests=[],
        more_requests=0,
    )

    text = dump(agenda_post(agenda, "nl")["blocks"])

    assert "*A-4* Asfalt" in text and "…en nog 240 lopende activiteiten (zie `/agenda`)" in text
    assert "*K-1* Referenties" in text and "…en nog 5 (zie de lijsten" in text
    assert "Geen open hulpvragen" in text and text.count("…en nog") == 2


def test_a_cancelled_meeting_says_so_and_offers_nothing_to_settle() -> None:
    agenda = an_agenda(a_meeting(status="geannuleerd"), topics={1: [topic(1, "Machinisten")]})

    blocks = agenda_post(agenda, "nl")["blocks"]

    assert "gaat niet door" in dump(blocks)
    assert [block for block in blocks if block["type"] == "actions"] == []


def test_english_agenda() -> None:
    text = dump(agenda_post(an_agenda(), "en"))
    assert "Tuesday 8 December 2026, 14:00" in text and "1 · Labour market" in text


def test_listing_and_the_topic_question() -> None:
    listed = dump(
        listing(
            [a_meeting(agenda={"topics_1": []}), a_meeting(id=8, local_start="2027-01-19T14:00")],
            "FREQ=WEEKLY;INTERVAL=6",
            "nl",
        )
    )
    assert "elke 6 weken" in listed and "_agenda geplaatst_" in listed and "dinsdag 19 januari 2027" in listed
    question = topic_question("Stageplekken", "nl")
    buttons = question["blocks"][1]["elements"]
    assert [(b["action_id"], b["value"]) for b in buttons] == [
        ("meeting_topic_1", "Stageplekken"),
        ("meeting_topic_2", "Stageplekken"),
    ]


def test_modals_offer_what_fits_each_item() -> None:
    choices = {
        kind: [o["value"] for o in forms.item_modal(kind, "K-1", "tekst", "nl", {})["blocks"][1]["element"]["options"]]
        for kind in ("topic", "klaagpaal", "hulpvraag")
    }
    assert choices == {
        "topic": ["besproken"],
        "klaagpaal": ["besproken", "opgelost", "activiteit"],
        "hulpvraag": ["besproken", "opgelost"],
    }
    plan = forms.plan_modal("nl", {"team_id": "T1"})
    interval = next(b for b in plan["blocks"] if b["block_id"] == "interval")["element"]
    assert interval["initial_option"]["value"] == "6" and plan["callback_id"] == "meeting_plan"
    item = KlaagpaalItem(id=3, number=2, text="Te veel referenties gevraagd", status="open")
    themes = [CircleTheme(key="klimaat", position=1), CircleTheme(key="water", name="Water", position=4)]
    activity = forms.activity_modal(item, "nl", {}, themes=themes)
    assert [b.get("block_id") for b in activity["blocks"][1:]] == ["title", "theme", "initiator", "deadline"]
    options = activity["blocks"][2]["element"]["options"]
    assert [(o["text"]["text"], o["value"]) for o in options] == [
        ("Klimaat, circulariteit en duurzaamheid", "klimaat"),
        ("Water", "water"),
    ]


def test_the_filer_hears_what_became_of_an_item() -> None:
    item = KlaagpaalItem(id=3, number=2, text="Referenties", author_id="U4", status="opgelost")
    resolved = forms.settled_dm(Settled("klaagpaal", item, "opgelost", "Nu twee", "U4"), "nl")
    assert "K-2" in resolved["text"] and "Uitkomst: Nu twee" in resolved["text"]
    new = Activity(number=5, title="Minder referenties", initiator_id="U4")
    became = forms.settled_dm(Settled("klaagpaal", item, "activiteit", "A-5", "U4"), "nl", new)
    assert "*A-5*" in became["text"] and "<@U4>" in became["text"]


def test_the_nudge_dm_names_why_and_carries_the_three_buttons() -> None:
    activity = Activity(id=9, number=3, title="Asfalt", initiator_id="U2", percent=40, status="lopend")
    activity.deadline = date(2027, 1, 21)
    due = [
        Nudge(activity, "overdue", "overdue:x", 1),
        Nudge(activity, "deadline", "d7:x", 7),
        Nudge(activity, "stale", "stale:x", 30),
    ]

    message = nudge_dm(Circle(name="Kring West"), due, "nl", left_over=2)

    text = dump(message["blocks"])
    assert "was gisteren" in text and "over *7 dagen*, op donderdag 21 januari 2027" in text
    # the status reads as everywhere else in the bot ("lopend", not "loopt")
    assert "Al 30 dagen geen voortgang" in text and "Voortgang: 40% · lopend" in text
    assert "nog 2 activiteiten" in text
    actions = [block for block in message["blocks"] if block["type"] == "actions"]
    assert [b["action_id"] for b in actions[0]["elements"]] == [
        "activity_progress",
        "activity_deadline",
        "activity_done",
    ]
    assert {b["value"] for b in actions[0]["elements"]} == {"9"}


def test_the_nudge_dm_counts_in_words_people_say() -> None:
    activity = Activity(id=9, number=3, title="Asfalt", initiator_id="U2", percent=0, status="gepland")
    activity.deadline = date(2027, 1, 21)
    one_left = nudge_dm(Circle(name="Kring West"), [Nudge(activity, "stale", "stale:x", 1)], "nl", left_over=1)
    text = dump(one_left["blocks"])
    assert "Al 1 dag geen voortgang" in text and "nog 1 activiteit; die komt" in text
    english = dump(nudge_dm(Circle(name="West"), [Nudge(activity, "overdue", "overdue:x", 3)], "en")["blocks"])
    assert "passed 3 days ago" in english and "Progress: 0% · planned" in english
