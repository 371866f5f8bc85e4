"""The JSON Slack receives for the agenda, one activity and the views sharing their builders, pinned byte for byte:
how the builders make it may change, what they make may not."""

from __future__ import annotations

import json
import os
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from slack_sdk.errors import SlackObjectFormationError

from bot.blocks.activity_forms import activity_modal
from bot.blocks.common import Paging, button, paged
from bot.blocks.execution_agenda import announcement, detail
from bot.blocks.home import home_view
from store.home import CircleOverview
from store.models import AuditEvent, Circle, CircleTheme, Goal, GoalLink
from store.vocabulary import DEFAULT_THEMES
from tests.bot.blocks.test_execution_agenda import MOMENT, TODAY, ZONE, activity, agenda, update

PINNED = Path(__file__).parent / "pinned"


def pinned(name: str, payload: dict) -> None:
    """`payload` as JSON equals the pinned file; PIN_BLOCKS=1 writes the file instead (only for a deliberate change)."""
    text = json.dumps(payload, ensure_ascii=False, indent=1) + "\n"
    path = PINNED / f"{name}.json"
    if os.environ.get("PIN_BLOCKS"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def mixed() -> list:
    """Activities across themes: late ones, done ones, budgets, progress, a gone initiator, user text to escape."""
    found = []
    for number in range(1, 61):
        fields: dict = {"percent": number % 101}
        if number % 4 == 0:
            fields["deadline"] = TODAY - timedelta(days=number % 7)
        if number % 5 == 0:
            fields["status"] = "afgerond"
        if number % 6 == 0:
            fields["budget"] = Decimal(number * 125)
        if number % 7 == 0:
            fields["initiator_id"] = "UGONE"
        if number == 3:
            fields["title"] = "Lees <dit> & <!channel>"
        made = activity(number, **fields)
        if number % 3 == 0:
            made.updates = [update(number, happened=f"Stap {number} gezet " * (number % 11), blockers="Geen tijd")]
        elif number % 8 == 0:
            made.updates = [update(number, blockers="Wacht op <@U9>")]
        found.append(made)
    return found


def page(found: list, number: int, *, filters: str = "", locale: str = "nl") -> dict:
    return agenda(found, page=number, version=3, locale=locale, circle_id=7, filters=filters, gone=frozenset({"UGONE"}))


def test_agenda_pages() -> None:
    found = mixed()
    pinned("agenda_page_1", page(found, 1))
    pinned("agenda_page_2", page(found, 2, filters="status:lopend <x>", locale="en"))
    pinned("agenda_empty", page([], 1, filters="thema:zorg"))


def test_one_activity() -> None:
    one = activity(
        12,
        budget=Decimal("48000"),
        needs="Een adviseur",
        description="Uitleg *vet*",
        team=["U3", "U4"],
        deadline=TODAY - timedelta(days=2),
        stop_reason=None,
    )
    one.goal_links = [GoalLink(goal=Goal(id=1, name="CO2 -50% & meer"))]
    one.updates = [update(n, percent=n * 10, happened="Gebeurd", learned="Geleerd", status="lopend") for n in (1, 2)]
    events = [
        AuditEvent(action="created", actor_id="U2", details={}, created_at=MOMENT),
        AuditEvent(
            action="status",
            actor_id="U2",
            details={"to": "geblokkeerd", "reason": "Geen <tijd>"},
            created_at=MOMENT + timedelta(hours=30),
        ),
        AuditEvent(
            action="deadline", actor_id=None, details={"to": "2027-01-05"}, created_at=MOMENT + timedelta(days=3)
        ),
        AuditEvent(
            action="edited",
            actor_id="U3",
            details={"fields": ["title", "budget"]},
            created_at=MOMENT + timedelta(days=4),
        ),
    ]
    pinned("activity_detail", detail(one, events, today=TODAY, locale="nl", zone=ZONE))
    pinned("activity_detail_done", detail(activity(13, status="afgerond"), [], today=TODAY, locale="en", zone=ZONE))
    pinned("activity_announcement", announcement(one, TODAY, "nl"))


def test_views_sharing_the_builders() -> None:
    circle = Circle(id=1, name="Kring & Co <West>", channel_id="C1", team_id="T1")
    overview = CircleOverview(
        circle=circle, today=TODAY, mine=[activity(n) for n in range(1, 4)], waiting=[activity(1)]
    )
    pinned("home_view", home_view([overview], "nl"))
    lines = [f"• regel {n} " + "x" * (n % 50) for n in range(1, 90)]
    pinned("paged_list", paged("Lijst", lines, Paging.of("klaagpaal", 7, total=90, wanted=2), "nl"))
    themes = [CircleTheme(key=key, position=n) for n, key in enumerate(DEFAULT_THEMES)]
    goal = Goal(id=3, name="CO2 -50%")
    existing = activity(5, budget=Decimal("12.5"), team=["U3"])
    pinned(
        "activity_modal",
        activity_modal("nl", {"circle_id": 1}, activity=existing, notice="Let op", themes=themes, goals=[goal]),
    )


def test_a_button_beyond_slacks_limits_is_refused_as_slack_sdk_refused_it() -> None:
    assert button("Volgende", "agenda_page", "1|2|" + "x" * 1996)["value"].endswith("x")
    for label, value in (("x" * 76, "1"), ("Volgende", "1|2|" + "x" * 1997)):
        with pytest.raises(SlackObjectFormationError):
            button(label, "agenda_page", value)
