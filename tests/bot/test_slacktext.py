"""User text: read from Slack, checked, and written back so it can never ping anyone."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.slacktext import clean, escape, from_slack, mentioned_users
from store.errors import UserError

BROADCASTS = ["<!channel>", "<!here>", "<!everyone>", "<!here|here>", "<!subteam^S0123ABC|@inkoop>", "<!group>"]


@pytest.mark.parametrize("token", BROADCASTS)
def test_broadcasts_are_neutralised(token: str) -> None:
    shown = escape(clean(f"Let op {token} dit moet anders"))
    assert "<!" not in shown and "<" not in shown


def test_mentions_in_both_shapes_are_read() -> None:
    assert mentioned_users("voor <@U123|jan> en <@U456> en <@U123>") == ["U123", "U456"]
    assert from_slack("vraag <@U123|jan>") == "vraag @jan"


def test_slack_escapes_are_undone_once_and_redone_on_output() -> None:
    plain = clean("a &lt;b&gt; &amp;lt; c")
    assert plain == "a <b> &lt; c"
    assert escape(plain) == "a &lt;b&gt; &amp;lt; c"


def test_links_keep_their_address() -> None:
    assert from_slack("zie <https://example.nl/x|het rapport>") == "zie het rapport (https://example.nl/x)"


@pytest.mark.parametrize(
    ("text", "key"),
    [("   ", "text.empty"), ("a" * 2001, "text.too_long"), ("bel\x07me", "text.control_characters")],
)
def test_bad_text_is_refused_with_a_reason(text: str, key: str) -> None:
    with pytest.raises(UserError) as raised:
        clean(text)
    assert raised.value.key == key


@given(st.text(max_size=300))
def test_any_text_is_either_clean_or_refused_and_never_pings(text: str) -> None:
    try:
        plain = clean(text)
    except UserError:
        return
    shown = escape(plain)
    assert "<!" not in shown and "<@" not in shown
    assert len(plain) <= 2000


def test_a_broadcast_in_a_klaagpaal_item_reaches_nobody(slack, standin, circle) -> None:
    slack.command("/klaagpaal", "<!channel> <!here> <!everyone> <!subteam^S1|@team> &lt;!channel&gt; kijk hier")
    sent = json.dumps([call.body for call in standin.calls])
    for token in ("<!channel>", "<!here>", "<!everyone>", "<!subteam"):
        assert token not in sent


def test_bad_input_answers_clearly_and_stores_nothing(slack, standin, session_factory, circle) -> None:
    from sqlalchemy import func, select

    from store.models import KlaagpaalItem

    long = slack.command("/klaagpaal", "x" * 2500)
    control = slack.command("/hulpvraag", "help\x00mij")
    assert "te lang" in long.text and "2500" in long.text
    assert "stuurtekens" in control.text
    with session_factory() as session:
        assert session.scalar(select(func.count()).select_from(KlaagpaalItem)) == 0
    assert standin.calls_to("chat.postMessage") == []


def test_delivery_defuses_broadcasts_whatever_a_builder_forgot(services, standin) -> None:
    from bot import delivery

    with services.transaction() as session:
        payload = {
            "text": "hoi <!channel>",
            "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "<!here>"}}],
        }
        delivery.enqueue(session, key="k", channel="C1", payload=payload)
    services.delivery.flush()
    [post] = standin.calls_to("chat.postMessage")
    assert post.body["text"] == "hoi @channel"
    assert post.body["blocks"][0]["text"]["text"] == "@here"
