"""Planning meetings, moving and cancelling one, previewing the agenda and adding topics, through signed requests."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from store.models import Meeting, MeetingSeries, MeetingTopic
from tests.helpers import dump, plan_series, posts


def test_planning_a_series_stores_wall_clock_and_announces_it(slack, standin, session_factory, circle) -> None:
    answer = plan_series(slack)

    assert "Gepland (elke 6 weken): *dinsdag 8 december 2026, 14:00* · Gemeentehuis, zaal 2" in answer.text
    assert "vrijdag 4 december 2026 om 09:00" in answer.text
    [post] = posts(standin)
    assert "dinsdag 8 december 2026, 14:00" in post.body["text"] and "<@U1>" in post.body["text"]
    with session_factory() as session:
        series = session.scalars(select(MeetingSeries)).one()
        assert (series.interval_weeks, series.timezone, series.location) == (
            6,
            "Europe/Amsterdam",
            "Gemeentehuis, zaal 2",
        )
        first = session.scalars(select(Meeting).order_by(Meeting.starts_at)).first()
        assert (first.local_start, first.timezone, first.sequence) == ("2026-12-08T14:00", "Europe/Amsterdam", 1)
        assert first.starts_at == datetime(2026, 12, 8, 13, 0, tzinfo=UTC)


def test_dutch_dates_single_meetings_and_video_links(slack, standin, session_factory, circle) -> None:
    answer = slack.command("/kenniskring", "vergadering 15-12-2026 10.30 <https://meet.example/kring>", user="U1")

    assert "Gepland (eenmalig): *dinsdag 15 december 2026, 10:30* · https://meet.example/kring" in answer.text
    with session_factory() as session:
        meeting = session.scalars(select(Meeting)).one()
        assert (meeting.series_id, meeting.local_start, meeting.location) == (
            None,
            "2026-12-15T10:30",
            "https://meet.example/kring",
        )


def test_bad_input_answers_in_dutch_and_stores_nothing(slack, standin, session_factory, circle) -> None:
    cases = {
        "vergadering 31-2-2027 14:00 elke 6 weken": "`31-2-2027` bestaat niet",
        "vergadering ٨-١٢-٢٠٢٦ 14:00": "`٨-١٢-٢٠٢٦` is geen datum die ik kan lezen",
        "vergadering 8-12-2026 ١٤:٠٠": "`١٤:٠٠` is geen tijdstip dat ik kan lezen",
        "vergadering 8-12-2026 14:00 elke ٦ weken": "`٦` is geen heel getal",
        "vergadering 8-12-2026 14:00 elke ² weken": "Hoe vaak?",
        "vergadering 2026-11-30 14:00 elke 6 weken": "al voorbij",
        "vergadering 8-12-2026 14:00 elke 0 weken": "van 1 tot 52 weken",
        "vergadering 8-12-2026 14:00 elke 60 weken": "van 1 tot 52 weken",
        "vergadering 8-12-2026 14:00 elke jaar": "Hoe vaak?",
        "vergadering 8-12-2026 elke 6 weken": "Hoe laat?",
        "vergadering 8-12-2026 25:00": "bestaat niet als tijd",
        "vergadering morgen om twee": "Schrijf de eerste datum",
        "vergadering 28-3-2027 02:30": "zomertijd",
    }
    for text, expected in cases.items():
        answer = slack.command("/kenniskring", text, user="U1")
        assert answer.status == 200
        assert expected in answer.text, (text, answer.text)
    with session_factory() as session:
        assert session.scalars(select(Meeting)).all() == []
        assert session.scalars(select(MeetingSeries)).all() == []
    assert posts(standin) == []


def test_a_wrong_date_is_quoted_back_escaped_once(slack, circle) -> None:
    answer = slack.command("/kenniskring", "vergadering annuleer <b>&", user="U1")
    assert "`&lt;b&gt;&amp;` is geen datum" in answer.text, answer.text


def test_only_coordinators_plan_move_or_cancel(slack, standin, session_factory, circle) -> None:
    answer = slack.command("/kenniskring", "vergadering 8-12-2026 14:00 elke 6 weken", user="U2")
    assert "alleen een coördinator" in answer.text
    plan_series(slack)
    assert "alleen een coördinator" in slack.command("/kenniskring", "vergadering annuleer 8-12-2026", user="U2").text
    with session_factory() as session:
        assert session.scalars(select(Meeting.status)).all() == ["gepland"] * len(
            session.scalars(select(Meeting)).all()
        )


def test_a_channel_without_a_circle_hears_how_to_start_one(slack, standin) -> None:
    for text in ("vergadering", "vergadering 8-12-2026 14:00", "punt arbeidsmarkt: iets"):
        answer = slack.command("/kenniskring", text, channel="C9")
        assert "/kenniskring start" in answer.text


def test_moving_and_cancelling_single_meetings(slack, standin, session_factory, circle) -> None:
    plan_series(slack)

    moved = slack.command("/kenniskring", "vergadering verzet 8-12-2026 naar 10-12-2026 15:00", user="U1")
    assert "donderdag 10 december 2026, 15:00" in moved.text
    listing = slack.command("/kenniskring", "vergadering lijst", user="U3")
    assert "donderdag 10 december 2026, 15:00" in listing.body
    assert "dinsdag 19 januari 2027, 14:00" in listing.body  # the series itself stays

    cancelled = slack.command("/kenniskring", "vergadering annuleer 19-1-2027", user="U1")
    assert "gaat niet door" in cancelled.text
    again = slack.command("/kenniskring", "vergadering annuleer 19-1-2027", user="U1")
    assert "Op 19-1-2027 staat geen komende bijeenkomst" in again.text
    assert "Welke bijeenkomst" in slack.command("/kenniskring", "vergadering verzet 10-12-2026", user="U1").text
    with session_factory() as session:
        by_sequence = {m.sequence: m for m in session.scalars(select(Meeting))}
        assert (by_sequence[1].local_start, by_sequence[1].starts_at) == (
            "2026-12-10T15:00",
            datetime(2026, 12, 10, 14, 0, tzinfo=UTC),
        )
        assert by_sequence[2].status == "geannuleerd"
    texts = [call.body["text"] for call in posts(standin)]
    assert any("verzet naar *donderdag 10 december 2026, 15:00*" in text for text in texts)
    assert any("gaat niet door" in text for text in texts)


def test_a_new_series_replaces_the_old_one(slack, standin, session_factory, circle) -> None:
    plan_series(slack)
    plan_series(slack, "12-1-2027 09:30 elke 4 weken")
    stopped = slack.command("/kenniskring", "vergadering stop", user="U1")
    assert "beëindigd" in stopped.text
    assert "geen reeks" in slack.command("/kenniskring", "vergadering stop", user="U1").text
    with session_factory() as session:
        assert session.scalars(select(MeetingSeries.active).order_by(MeetingSeries.id)).all() == [False, False]
        assert session.scalars(select(Meeting)).all() == []


def test_bare_vergadering_previews_the_agenda_without_a_meeting_offers_planning(slack, standin, circle) -> None:
    answer = slack.command("/kenniskring", "vergadering", user="U1")
    assert "nog geen bijeenkomst gepland" in answer.body
    [block] = [b for b in answer.json["blocks"] if b["type"] == "actions"]
    slack.press(block["elements"][0]["action_id"], block["elements"][0]["value"], user="U1")
    [opened] = standin.calls_to("views.open")
    view = opened.body["view"]
    assert view["callback_id"] == "meeting_plan"

    submitted = slack.submit(
        view, {"date": "2026-12-08", "time": "14:00", "interval": "6", "location": "Provinciehuis"}, user="U1"
    )

    assert submitted.status == 200 and submitted.body == ""
    [confirmation] = standin.calls_to("chat.postEphemeral")
    assert "dinsdag 8 december 2026, 14:00" in confirmation.body["text"]


def test_the_plan_modal_names_the_wrong_field(slack, standin, session_factory, circle) -> None:
    slack.command("/kenniskring", "vergadering instellen", user="U1")
    view = standin.calls_to("views.open")[0].body["view"]

    answer = slack.submit(view, {"date": "2026-11-02", "time": "14:00", "interval": "6"}, user="U1")

    assert answer.json["response_action"] == "errors"
    assert "al voorbij" in answer.json["errors"]["date"]
    with session_factory() as session:
        assert session.scalars(select(Meeting)).all() == []


def test_preview_shows_the_five_points_in_order(slack, standin, circle) -> None:
    plan_series(slack)
    answer = slack.command("/kenniskring", "vergadering", user="U3")

    text = dump(answer.json["blocks"])
    assert "Voorbeeld" in text and "vrijdag 4 december 2026 om 09:00" in text
    positions = [text.index(point) for point in ("1 · Arbeidsmarkt", "2 · Transitie", "3 · Voortgang", "4 · Klaagpaal")]
    assert positions == sorted(positions) and text.index("5 · Hulpvraag") > positions[-1]
    assert "dinsdag 8 december 2026, 14:00" in text and "Gemeentehuis, zaal 2" in text


def test_punt_with_a_point_word_goes_straight_on_the_agenda(slack, standin, session_factory, circle) -> None:
    plan_series(slack)
    first = slack.command("/kenniskring", "punt arbeidsmarkt: Tekort aan machinisten", user="U2")
    second = slack.command("/kenniskring", "punt transitie Emissieloos bouwen vanaf 2028", user="U3")

    assert "*1 Arbeidsmarkt*" in first.text and "dinsdag 8 december 2026, 14:00" in first.text
    assert "*2 Transitievraagstukken*" in second.text
    with session_factory() as session:
        topics = session.scalars(select(MeetingTopic).order_by(MeetingTopic.id)).all()
        assert [(t.point, t.text, t.author_id) for t in topics] == [
            (1, "Tekort aan machinisten", "U2"),
            (2, "Emissieloos bouwen vanaf 2028", "U3"),
        ]
    preview = dump(slack.command("/kenniskring", "vergadering").json["blocks"])
    assert preview.index("Tekort aan machinisten") < preview.index("2 · Transitie") < preview.index("Emissieloos")


def test_punt_without_a_point_asks_with_buttons(slack, standin, session_factory, circle) -> None:
    answer = slack.command("/kenniskring", "punt 1 op de 3 bedrijven vindt geen stagiairs", user="U2")
    buttons = [b for b in answer.json["blocks"] if b["type"] == "actions"][0]["elements"]
    assert [b["action_id"] for b in buttons] == ["meeting_topic_1", "meeting_topic_2"]

    slack.press("meeting_topic_1", buttons[0]["value"], user="U2")

    with session_factory() as session:
        topic = session.scalars(select(MeetingTopic)).one()
        assert (topic.point, topic.text) == (1, "1 op de 3 bedrijven vindt geen stagiairs")
    [reply] = standin.calls_to("response_url")
    assert reply.body["replace_original"] is True and "nog niet gepland" in reply.body["text"]


def test_punt_errors_and_modal(slack, standin, session_factory, circle) -> None:
    assert "Schrijf ook het onderwerp" in slack.command("/kenniskring", "punt arbeidsmarkt:", user="U2").text
    assert "te lang" in slack.command("/kenniskring", "punt arbeidsmarkt: " + "x" * 1001, user="U2").text
    slack.command("/kenniskring", "punt", user="U2")
    view = standin.calls_to("views.open")[0].body["view"]
    assert view["callback_id"] == "meeting_topic"
    assert slack.submit(view, {"point": "2", "text": "  "}, user="U2").json["response_action"] == "errors"
    assert slack.submit(view, {"point": "2", "text": "Warmtenetten"}, user="U2").status == 200
    with session_factory() as session:
        assert session.scalars(select(MeetingTopic.text)).all() == ["Warmtenetten"]


def test_help_texts(slack, circle) -> None:
    assert "verzet" in slack.command("/kenniskring", "vergadering help").text
    assert "transitie" in slack.command("/kenniskring", "punt help").text
    overview = slack.command("/kenniskring", "help").text
    assert "vergadering" in overview and "punt" in overview


def test_dates_are_not_confused_with_today(slack, session_factory, circle) -> None:
    slack.command("/kenniskring", "vergadering 1-12-2026 11:00", user="U1")  # later today (clock: 10:30 local)
    with session_factory() as session:
        assert session.scalars(select(Meeting.local_start)).all() == ["2026-12-01T11:00"]
    assert date(2026, 12, 1).weekday() == 1
