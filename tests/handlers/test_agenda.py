"""`/agenda` driven through signed requests: new activities typed and in the form, the listing, one activity."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from store.models import Activity, AuditEvent, Member
from tests.helpers import dump, posts


def new(slack, text: str, user: str = "U2"):
    return slack.command("/agenda", f"nieuw {text}", user=user)


def test_new_activity_from_text(slack, standin, session_factory, circle) -> None:
    answer = new(slack, "Pilot circulair asfalt deadline:1-3-2027 budget:€ 48.000 thema:klimaat <@U7|piet> <@U8|an>")

    assert answer.status == 200
    assert "A-1" in answer.text and "Pilot circulair asfalt" in answer.text
    [post] = posts(standin)
    assert "A-1 Pilot circulair asfalt" in dump(post.body["blocks"]) and "€\u00a048.000,00" in dump(post.body["blocks"])
    with session_factory() as session:
        activity = session.scalars(select(Activity)).one()
        assert (activity.number, activity.theme, activity.status) == (1, "klimaat", "gepland")
        assert (activity.deadline, activity.budget) == (date(2027, 3, 1), Decimal("48000.00"))
        assert (activity.initiator_id, [m.user_id for m in activity.team]) == ("U7", ["U8"])
        assert {"U2", "U7", "U8"} <= set(session.scalars(select(Member.user_id)))


def test_a_deadline_in_words_is_read_whole_and_relative_to_the_circles_today(slack, session_factory, circle) -> None:
    first = new(slack, "Asfalt deadline:1 maart 2027 thema:klimaat")
    second = new(slack, "Bestek deadline:morgen thema:klimaat")  # the clock says Tuesday 1 December 2026

    assert "A-1" in first.text and "A-2" in second.text
    with session_factory() as session:
        rows = session.execute(select(Activity.title, Activity.deadline).order_by(Activity.number)).all()
        assert [tuple(row) for row in rows] == [("Asfalt", date(2027, 3, 1)), ("Bestek", date(2026, 12, 2))]


def test_the_one_typing_is_the_default_initiator(slack, session_factory, circle) -> None:
    new(slack, "Leerkring aanbesteden thema:leren", user="U5")
    with session_factory() as session:
        assert session.scalars(select(Activity.initiator_id)).one() == "U5"


def test_mistakes_get_a_clear_answer_and_nothing_is_stored(slack, standin, session_factory, circle) -> None:
    cases = {
        "Pilot thema:klimaat deadline:31-02-2027": "`31-02-2027` bestaat niet",
        "Pilot thema:klimaat budget:-500": "niet negatief",
        "Pilot thema:klimaat budget:1.000.000.000": "onwaarschijnlijk groot",
        "Pilot thema:sport": "Thema `sport` ken ik niet",
        "Pilot deadline:1-3-2027": "Bij welk thema",
        "Pilot thema:klimaat deadline:1-3-2020": "in het verleden",
    }
    for text, expected in cases.items():
        answer = new(slack, text)
        assert answer.status == 200 and expected in answer.text, (text, answer.text)
    assert posts(standin) == []
    with session_factory() as session:
        assert session.scalars(select(Activity)).all() == []


def test_new_activity_in_the_form(slack, standin, session_factory, circle) -> None:
    slack.command("/agenda", "nieuw", user="U2")
    [opened] = standin.calls_to("views.open")
    view = opened.body["view"]
    assert view["callback_id"] == "agenda_new"
    initiator = next(b for b in view["blocks"] if b["block_id"] == "initiator")
    assert initiator["element"]["initial_user"] == "U2"

    answer = slack.submit(
        view,
        {
            "title": "Arbeidsmarktscan regio West",
            "theme": "arbeidsmarkt",
            "initiator": "U2",
            "team": ["U3", "U4"],
            "deadline": "2027-06-30",
            "budget": "€ 12.500,50",
            "status": "lopend",
            "needs": "Een arbeidsmarktadviseur, twee dagen per maand",
        },
        user="U2",
    )

    assert answer.status == 200 and answer.body == ""
    with session_factory() as session:
        activity = session.scalars(select(Activity)).one()
        assert (activity.title, activity.status, activity.budget) == (
            "Arbeidsmarktscan regio West",
            "lopend",
            Decimal("12500.50"),
        )
        assert activity.needs.startswith("Een arbeidsmarktadviseur")
    [confirmation] = standin.calls_to("chat.postEphemeral")
    assert confirmation.body["user"] == "U2" and "A-1" in confirmation.body["text"]


def test_form_errors_name_their_field(slack, standin, session_factory, circle) -> None:
    slack.command("/agenda", "nieuw", user="U2")
    view = standin.calls_to("views.open")[0].body["view"]
    base = {"title": "Pilot", "theme": "klimaat", "initiator": "U2"}
    cases = {
        "budget": ({"budget": "veel geld"}, "geen bedrag"),
        "deadline": ({"deadline": "2020-01-01"}, "verleden"),
        "title": ({"title": "  "}, "titel"),
        "theme": ({"theme": None}, "thema"),
    }
    for field, (values, expected) in cases.items():
        answer = slack.submit(view, {**base, **values}, user="U2")
        assert answer.json["response_action"] == "errors", answer.body
        assert list(answer.json["errors"]) == [field] and expected in answer.json["errors"][field]
    with session_factory() as session:
        assert session.scalars(select(Activity)).all() == []


def test_listing_grouped_by_theme_with_version_late_marks_and_latest_progress(slack, clock, circle) -> None:
    new(slack, "Pilot asfalt thema:klimaat deadline:15-12-2026 budget:48k")
    new(slack, "Scan arbeidsmarkt thema:arbeidsmarkt")
    new(slack, "Leerkring thema:leren status:idee")
    slack.command("/voortgang", "A-1 40% Proefvak gelegd bij de rotonde", user="U2")
    clock.advance(days=20)  # 21 December: A-1 is late

    answer = slack.command("/agenda", "")

    blocks = answer.json["blocks"]
    assert blocks[0]["text"]["text"] == "Uitvoeringsagenda — versie 0 (nog niet vastgesteld)"
    texts = [block.get("text", {}).get("text", "") for block in blocks]
    order = [
        next(i for i, text in enumerate(texts) if label in text) for label in ("Arbeidsmarkt", "Klimaat", "Ontwikkelen")
    ]
    assert order == sorted(order)
    [late] = [text for text in texts if "A-1" in text]
    assert "te laat" in late and "€\u00a048.000,00" in late and "40%" in late and "Proefvak gelegd" in late
    assert "te laat" not in next(text for text in texts if "A-2" in text)


def test_filters(slack, circle) -> None:
    new(slack, "Pilot asfalt thema:klimaat", user="U2")
    new(slack, "Scan arbeidsmarkt thema:arbeidsmarkt <@U3|b> <@U2|a>", user="U3")
    new(slack, "Leerkring thema:leren <@U4|c>", user="U4")

    def numbers(text: str, user: str = "U2") -> list[str]:
        body = dump(slack.command("/agenda", text, user=user).json["blocks"])
        return [f"A-{n}" for n in (1, 2, 3) if f"*A-{n}*" in body]

    assert numbers("mijn") == ["A-1", "A-2"]
    assert numbers("thema:leren") == ["A-3"]
    assert numbers("status:idee") == []
    assert numbers("mijn thema:klimaat") == ["A-1"]
    assert "begrijp ik niet als filter" in slack.command("/agenda", "alles").text


def test_long_agenda_pages_within_the_message_limit(slack, standin, session_factory, circle) -> None:
    from store import activities, circles

    with session_factory.begin() as session:
        kring = circles.get(session, team_id="T0001", channel_id="C1")
        for n in range(120):
            theme = ("arbeidsmarkt", "klimaat", "leren")[n % 3]
            activities.create(
                session, circle=kring, user_id="U2", title=f"Activiteit {n + 1}", theme=theme, initiator_id="U2"
            )

    first = slack.command("/agenda", "")
    blocks = first.json["blocks"]
    assert len(blocks) <= 50
    [navigation] = [b for b in blocks if b["type"] == "actions"]
    [forward] = navigation["elements"]
    assert forward["action_id"] == "agenda_page"

    seen = {int(t.split("*A-")[1].split("*")[0]) for t in _texts(blocks) if "*A-" in t}
    value, pages = forward["value"], 1
    while value:
        slack.press("agenda_page", value, user="U2")
        page = standin.calls_to("response_url")[-1].body
        assert page["replace_original"] is True and len(page["blocks"]) <= 50
        seen |= {int(t.split("*A-")[1].split("*")[0]) for t in _texts(page["blocks"]) if "*A-" in t}
        buttons = [e for b in page["blocks"] if b["type"] == "actions" for e in b["elements"]]
        value = next((e["value"] for e in buttons if "Volgende" in e["text"]["text"]), None)
        pages += 1
    assert seen == set(range(1, 121)) and pages == 3

    circle_id = forward["value"].split("|")[0]
    slack.press("agenda_page", f"{circle_id}|99|", user="U2")  # a page that is no longer there: the nearest one
    assert "pagina 3 van 3" in dump(standin.calls_to("response_url")[-1].body["blocks"])


def _texts(blocks: list[dict]) -> list[str]:
    return [block.get("text", {}).get("text", "") for block in blocks]


def test_one_activity_with_fields_team_history_and_buttons(slack, clock, circle) -> None:
    new(slack, "Pilot asfalt thema:klimaat deadline:1-3-2027 budget:48k <@U2|a> <@U3|b>")
    slack.command("/voortgang", "A-1 40% Proefvak gelegd", user="U3")
    clock.advance(days=2)
    slack.command("/voortgang", "A-1 status:geblokkeerd Wachten op de vergunning", user="U2")

    answer = slack.command("/agenda", "A-1", user="U9")

    body = dump(answer.json["blocks"])
    for expected in (
        "Pilot asfalt",
        "Klimaat, circulariteit en duurzaamheid",
        "<@U3>",
        "€\u00a048.000,00",
        "1 mrt 2027",
    ):
        assert expected in body, expected
    assert body.index("Proefvak gelegd") < body.index("Wachten op de vergunning")
    actions = [e["action_id"] for b in answer.json["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert actions == ["activity_progress", "activity_status", "activity_deadline", "activity_edit"]
    assert "bestaat niet" in slack.command("/agenda", "A-9").text


def test_the_announcement_button_shows_the_activity(slack, standin, circle) -> None:
    new(slack, "Pilot asfalt thema:klimaat")
    value = posts(standin)[0].body["blocks"][-1]["elements"][0]["value"]
    slack.press("activity_view", value, user="U9")
    shown = standin.calls_to("response_url")[-1].body
    assert shown["response_type"] == "ephemeral" and "Pilot asfalt" in dump(shown["blocks"])


def test_help_and_a_channel_without_circle(slack, circle) -> None:
    assert "uitvoeringsagenda" in slack.command("/agenda", "help").text
    assert "/kenniskring start" in slack.command("/agenda", "", channel="C9").text
    assert "/kenniskring start" in slack.command("/voortgang", "A-1 40%", channel="C9").text


def test_creation_is_in_the_audit_trail(slack, session_factory, circle) -> None:
    new(slack, "Pilot thema:klimaat", user="U2")
    with session_factory() as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.subject == "A-1")).one()
        assert (event.action, event.actor_id) == ("created", "U2")


def test_a_page_button_with_other_digits_is_refused_without_a_failure(slack, circle, caplog) -> None:
    slack.press("agenda_page", "1|²|", user="U2")  # "²".isdigit() is true, int("²") is not
    assert [r.getMessage() for r in caplog.records if r.name == "bot.errors_handler"] == []
