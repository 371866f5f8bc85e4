"""The agenda, progress and App Home builders: Slack's limits kept, user text inert, every activity shown once."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from bot.blocks.activity_forms import activity_modal, deadline_modal, dutch_amount, status_modal
from bot.blocks.execution_agenda import AgendaPage, agenda_message, announcement, celebration, detail, page_spans
from bot.blocks.home import home_view
from bot.blocks.voortgang import progress_modal, recorded
from store.home import CircleOverview
from store.models import Activity, AuditEvent, Circle, CircleTheme, Goal, GoalLink, ProgressUpdate, TeamMember
from store.versions import VersionState
from store.vocabulary import DEFAULT_THEMES
from tests.helpers import dump

ZONE = ZoneInfo("Europe/Amsterdam")
TODAY = date(2026, 12, 1)
MOMENT = datetime(2026, 11, 1, 10, 0, tzinfo=UTC)


def activity(number: int, **fields) -> Activity:
    values = {
        "id": number,
        "number": number,
        "title": f"Activiteit {number}",
        "theme": ("arbeidsmarkt", "klimaat", "leren")[number % 3],
        "status": "lopend",
        "percent": 10,
        "initiator_id": "U2",
        "version": 1,
        "created_at": MOMENT,
        **fields,
    }
    team = values.pop("team", [])
    made = Activity(**values)
    made.team = [TeamMember(user_id=user) for user in team]
    return made


def update(n: int, **fields) -> ProgressUpdate:
    return ProgressUpdate(id=n, author_id="U2", created_at=MOMENT + timedelta(days=n), **fields)


def sections_fit(blocks: list[dict]) -> bool:
    return all(len(block.get("text", {}).get("text", "")) <= 3000 for block in blocks)


def agenda(
    found: list[Activity],
    *,
    page: int = 1,
    version: int = 1,
    locale: str = "nl",
    circle_id: int = 1,
    filters: str = "",
    gone: frozenset[str] = frozenset(),
) -> dict:
    """Page `page` of the agenda message, fed as the handler feeds it (spans from counts, then their rows)."""
    by_theme = {
        theme: sorted((a for a in found if a.theme == theme), key=lambda a: a.number) for theme in DEFAULT_THEMES
    }
    pages = page_spans([(theme, len(group)) for theme, group in by_theme.items()])
    spans = pages[page - 1] if pages else []
    rows = [a for span in spans for a in by_theme[span.theme][span.offset : span.offset + span.count]]
    latest = {a.id: a.updates[-1] for a in rows if a.updates}
    shown = AgendaPage(page, len(pages), len(found), spans, rows, latest, gone=set(gone))
    version_state = VersionState(version)
    return agenda_message(
        shown, circle_id=circle_id, version=version_state, today=TODAY, locale=locale, zone=ZONE, filters=filters
    )


def test_pages_hold_every_activity_once_and_fit_a_message() -> None:
    many = [activity(n) for n in range(1, 121)]
    pages = page_spans([(theme, 40) for theme in DEFAULT_THEMES])
    assert len(pages) == 3 and all(sum(1 + span.count for span in page) <= 47 for page in pages)
    shown = []
    for number in range(1, len(pages) + 1):
        message = agenda(many, page=number, version=9)
        assert len(message["blocks"]) <= 50 and sections_fit(message["blocks"])
        texts = [block.get("text", {}).get("text", "") for block in message["blocks"]]
        shown += [text.split("*")[1] for text in texts if text.startswith("*A-")]
        if number == 2:
            assert texts[2].endswith("(vervolg)")  # a theme running on over the page is named again
    assert sorted(shown, key=lambda n: int(n[2:])) == [f"A-{n}" for n in range(1, 121)]


def test_pages_are_laid_out_from_counts_alone() -> None:
    assert page_spans([]) == []
    assert page_spans([("klimaat", 2), ("leren", 1)]) == [[("klimaat", 0, 2), ("leren", 0, 1)]]
    [first, second] = page_spans([("arbeidsmarkt", 45), ("klimaat", 3)])
    assert first == [("arbeidsmarkt", 0, 45)] and second == [("klimaat", 0, 3)]  # no heading alone at a page's end
    [first, second] = page_spans([("arbeidsmarkt", 50)])
    assert first == [("arbeidsmarkt", 0, 46)] and second == [("arbeidsmarkt", 46, 4)]
    assert page_spans([("zorg", 1), ("klimaat", 1)]) == [[("zorg", 0, 1), ("klimaat", 0, 1)]]  # the circle's order


def test_late_marks_and_empty_agenda() -> None:
    late = activity(1, deadline=TODAY - timedelta(days=1))
    done = activity(2, deadline=TODAY - timedelta(days=1), status="afgerond")
    text = dump(agenda([late, done], version=2)["blocks"])
    assert text.count("te laat") == 1
    empty = agenda([], version=0)
    assert "/agenda nieuw" in dump(empty["blocks"])
    english = agenda([late], version=2, locale="en")
    assert "Execution agenda — version 2" in dump(english["blocks"]) and "late" in dump(english["blocks"])


def test_user_text_can_never_ping() -> None:
    loud = activity(1, title="Lees dit <!channel> & <@U1>", description="<!here> kijk", team=["U3"])
    loud.updates = [update(1, happened="<!everyone> klaar", learned="&lt;!channel&gt;")]
    payloads = [
        agenda([loud]),
        detail(loud, [], today=TODAY, locale="nl", zone=ZONE),
        announcement(loud, TODAY, "nl"),
        celebration(loud, loud.updates[0], "nl"),
        recorded(loud, loud.updates[0], "nl"),
    ]
    for payload in payloads:
        everything = payload["text"] + dump(payload["blocks"])
        assert "<!channel>" not in everything and "<!here>" not in everything and "<!everyone>" not in everything
        assert "<@U1>" not in everything


def test_detail_with_a_very_long_history_keeps_the_newest_within_limits() -> None:
    busy = activity(1, budget=Decimal("48000"), needs="Een adviseur", description="Uitleg")
    busy.updates = [
        update(n, percent=n % 100, happened="Gebeurd " * 60, learned="Geleerd " * 40) for n in range(1, 201)
    ]
    events = [AuditEvent(action="status", actor_id="U2", details={"to": "lopend"}, created_at=MOMENT)]
    message = detail(busy, events, today=TODAY, locale="nl", zone=ZONE)
    assert len(message["blocks"]) <= 50 and sections_fit(message["blocks"])
    text = dump(message["blocks"])
    assert "Oudere geschiedenis" in text and "€\u00a048.000,00" in text
    last_day = (MOMENT + timedelta(days=200)).astimezone(ZONE)
    assert f"{last_day.day} " in text.split("Geschiedenis")[-1]


def test_celebration_thanks_initiator_and_team() -> None:
    done = activity(3, status="afgerond", team=["U3", "U4"])
    text = dump(celebration(done, update(1, learned="Samen gaat het sneller"), "nl")["blocks"])
    assert "<@U2>" in text and "<@U3>, <@U4>" in text and "Samen gaat het sneller" in text
    alone = dump(celebration(activity(4, status="afgerond"), None, "nl")["blocks"])
    assert "het team" not in alone


def test_forms_build_within_slacks_rules() -> None:
    goal = Goal(id=3, name="CO2 -50%")
    existing = activity(7, budget=Decimal("12500.5"), deadline=date(2027, 3, 1), team=["U3"])
    existing.goal_links = [GoalLink(goal=goal, weight=1)]
    themes = [CircleTheme(key=key, position=n) for n, key in enumerate(("klimaat", "leren"))]
    lists = {"themes": themes, "goals": [goal]}
    new = activity_modal("nl", {"team_id": "T1", "channel_id": "C1"}, initiator="U2", **lists)
    edit = activity_modal("nl", {"team_id": "T1"}, activity=existing, notice="Let op", **lists)
    chosen = next(b for b in edit["blocks"] if b.get("block_id") == "goals")
    assert [option["value"] for option in chosen["element"]["initial_options"]] == ["3"]
    assert new["callback_id"] == "agenda_new" and edit["callback_id"] == "activity_edit"
    assert json.loads(edit["private_metadata"])["version"] == 1
    assert edit["blocks"][0]["text"]["text"] == "Let op"
    budget = next(b for b in edit["blocks"] if b.get("block_id") == "budget")
    assert budget["element"]["initial_value"] == "12.500,50"
    assert "status" not in [b.get("block_id") for b in edit["blocks"]]
    status = status_modal(existing, ("geblokkeerd", "afgerond", "gestopt"), "nl", {"team_id": "T1"})
    deadline = deadline_modal(existing, "en", {"team_id": "T1"})
    for view in (new, edit, status, deadline):
        assert len(view["title"]["text"]) <= 24 and len(view["blocks"]) <= 100


def test_dutch_amount_in_forms() -> None:
    assert [dutch_amount(Decimal(v)) for v in ("0", "48000", "1234567.8")] == ["0,00", "48.000,00", "1.234.567,80"]
    assert dutch_amount(None) is None


def test_progress_modal_keeps_to_a_hundred_options_own_first() -> None:
    own = [activity(n, title="Een heel lange titel " * 8) for n in range(1, 31)]
    others = [activity(n) for n in range(31, 161)]
    view = progress_modal(own, others, "nl", {"team_id": "T1"}, selected=own[4])
    [groups] = [b["element"]["option_groups"] for b in view["blocks"] if b.get("block_id") == "activity"]
    options = [o for group in groups for o in group["options"]]
    assert len(options) == 100 and options[0]["value"] == "1"
    assert all(len(o["text"]["text"]) <= 75 for o in options)
    percent = next(b for b in view["blocks"] if b.get("block_id") == "percent")
    assert percent["element"]["initial_value"] == "10"


def test_home_view_with_nothing_and_with_everything() -> None:
    empty = home_view([], "nl")
    assert "/kenniskring start" in dump(empty["blocks"])
    circle = Circle(id=1, name="Kring & Co <West>", channel_id="C1", team_id="T1")
    overview = CircleOverview(
        circle=circle, today=TODAY, mine=[activity(n) for n in range(1, 9)], waiting=[activity(1)]
    )
    view = home_view([overview] * 8, "nl")
    assert len(view["blocks"]) <= 100
    assert "Niet alles past" in dump(view["blocks"])
    assert view["blocks"][2]["text"]["text"] == "Kring & Co <West>"  # a header is plain text: shown as typed
