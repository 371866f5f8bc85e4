"""Block Kit builders for klaagpaal and help requests: what they show, what they hide, and Slack's limits."""

from __future__ import annotations

from datetime import date

from slack_sdk.models.views import View

from bot.blocks import hulpvraag, klaagpaal
from bot.blocks.common import sections, state_values
from store.models import HelpOffer, HelpRequest, HerkenbaarMark, KlaagpaalItem
from tests.helpers import dump


def item(**fields) -> KlaagpaalItem:
    defaults = {"id": 7, "circle_id": 1, "number": 3, "text": "Regels <b> & zo", "author_id": "U2", "status": "open"}
    made = KlaagpaalItem(**{**defaults, **fields})
    made.marks = []
    return made


def test_post_escapes_user_text_and_names_the_author() -> None:
    post = klaagpaal.post(item(), "nl")
    shown = dump(post["blocks"])
    assert "Regels &lt;b&gt; &amp; zo" in shown and "<b>" not in shown
    assert "<@U2>" in shown and post["text"].startswith("K-3: ")


def test_anonymous_post_names_nobody() -> None:
    post = klaagpaal.post(item(author_id=None), "nl")
    shown = dump(post)
    assert "Anoniem ingebracht" in shown and "<@" not in shown


def test_marks_and_closing_show_in_the_post() -> None:
    closed = item(status="opgelost", outcome="Opgepakt", closed_by="U1")
    closed.marks = [HerkenbaarMark(user_id="U3"), HerkenbaarMark(user_id="U4")]
    shown = dump(klaagpaal.post(closed, "nl")["blocks"])
    assert "2× herkenbaar" in shown and "Afgesloten door <@U1>: Opgepakt" in shown
    assert '"actions"' not in shown


def test_help_request_post_in_english() -> None:
    request = HelpRequest(
        id=2,
        number=5,
        text="Need a planner",
        requester_id="U2",
        status="open",
        wanted_by=date(2026, 12, 10),
        expertise="planning",
    )
    request.offers = [HelpOffer(user_id="U3")]
    shown = dump(hulpvraag.post(request, "en")["blocks"])
    assert "Help request H-5" in shown and "Thursday 10 December 2026" in shown and "Helping: <@U3>" in shown


def test_long_listings_stay_within_slacks_limits() -> None:
    lines = [f"*K-{n}* " + "woord " * 40 for n in range(1000)]
    message = sections("*Titel*", lines)
    assert len(message["blocks"]) == 50
    assert all(len(block["text"]["text"]) <= 3000 for block in message["blocks"] if block["type"] == "section")
    shown = sum(block["text"]["text"].count("*K-") for block in message["blocks"] if block["type"] == "section")
    assert f"en nog {1000 - shown} meer" in message["blocks"][-1]["elements"][0]["text"]


def test_modals_validate_and_read_back() -> None:
    view = klaagpaal.file_modal("nl", {"team_id": "T", "channel_id": "C1"})
    View(**view).validate_json()
    state = {
        "values": {
            "text": {"value": {"type": "plain_text_input", "value": "x"}},
            "anonymous": {"value": {"type": "checkboxes", "selected_options": [{"value": "anoniem"}]}},
            "category": {"value": {"type": "static_select", "selected_option": None}},
        }
    }
    assert state_values({"state": state}) == {"text": "x", "anonymous": ["anoniem"], "category": None}
