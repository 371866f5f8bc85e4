"""Every entry point Slack can reach, fed generated text and forged values: each gives a clear answer (2xx, no
traceback logged as unexpected), and what an outsider's forged request asks changes no record.

The entry points are what `handlers.register_all` registers, so a command, button or form added later is covered
without touching this file.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from bot import words
from bot.standin import SlackSimulator
from handlers import register_all
from store.models import Base
from tests.conftest import SIGNING_SECRET

settings.register_profile(
    "entry-points",
    max_examples=20,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ENTRY_POINTS = settings.get_profile("entry-points")
# Where the bot keeps what it answered (an answer is no change), and the database's own key, made on first use.
ANSWERS = {"outbox", "dm_channels", "instance_secrets"}


class Registry:
    """Stands in for the Bolt app while the handlers register, and remembers what they listen to."""

    def __init__(self) -> None:
        self.commands: list[str] = []
        self.actions: list[str | re.Pattern] = []
        self.views: list[str] = []

    def _keep(self, into: list, constraint: Any):
        into.append(constraint)
        return lambda listener: listener

    def command(self, constraint, *args, **kwargs):
        return self._keep(self.commands, constraint)

    def action(self, constraint, *args, **kwargs):
        return self._keep(self.actions, constraint)

    def view(self, constraint, *args, **kwargs):
        return self._keep(self.views, constraint)

    def event(self, *args, **kwargs):
        return lambda listener: listener


REGISTRY = Registry()
register_all(REGISTRY)
ACTIONS = sorted({a if isinstance(a, str) else a.pattern for a in REGISTRY.actions})
VIEWS = sorted(set(REGISTRY.views))

odd_text = st.one_of(
    st.text(max_size=200),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=3000, max_size=5000),
    st.sampled_from(
        ["<!channel>", "<!here|here>", "<@U1|iemand> weg", "A-1 40% ✓", "K-999999999999999999", "‮‭ 𝕏 ﷽ \x00",
         "help", "lijst", "nieuw <!everyone> deadline:31-2-2027", "P-1 klaar", "A-0", "anoniem <@U2>"]
    ),
    st.lists(st.sampled_from(["A-1", "@x", "<@U2>", "deadline:1-1-2027", "100%", "€ -5", "thema:", "doel:", "weg"]))
    .map(" ".join),
)  # fmt: skip
forged_value = st.one_of(
    st.text(max_size=100),
    st.integers(min_value=-5, max_value=10**20).map(str),
    st.sampled_from(["1", "1:1", "1:open", "self", "circle:1:U1", "circle:1:U2", "0", "-1", "null", "{}", "1:2:3"]),
    st.sampled_from(
        ["9223372036854775808", "99999999999999999999:1", "1:9223372036854775808", "1:1:99999999999999999999"]
    ),
    st.builds(lambda a, b: f"{a}:{b}", st.integers(0, 5), st.text(max_size=20)),
)
forged_metadata = st.one_of(
    st.text(max_size=60),
    st.fixed_dictionaries(
        {"team_id": st.sampled_from(["T0001", "T0002", ""])},
        optional={
            "channel_id": st.sampled_from([None, "C9", "DU9", "", "C1' OR 1=1"]),
            "item_id": st.one_of(st.none(), st.integers(-1, 10**12), st.just(2**64), st.text(max_size=5)),
            "version": st.one_of(st.none(), st.integers(-1, 5), st.text(max_size=5)),
            "message_ts": st.one_of(st.none(), st.text(max_size=10)),
        },
    ).map(json.dumps),
)
forged_state = st.dictionaries(
    st.sampled_from(["title", "text", "deadline", "status", "percent", "reason", "outcome", "budget", "team", "main"]),
    st.one_of(st.text(max_size=50), st.none()),
    max_size=6,
)


@pytest.fixture
def direct(app, standin, listener_pool) -> SlackSimulator:
    """Slack straight into the app, without the web server: many requests, quickly."""
    return SlackSimulator(
        signing_secret=SIGNING_SECRET, app=app, response_url=standin.response_url(), pool=listener_pool
    )


@pytest.fixture
def records(direct, session_factory):
    """A circle in C1 with one of everything, started by U1 (coordinator) with U2 as member and initiator."""
    for command, text, user in (
        ("/kenniskring", "start Kring West", "U1"),
        ("/kenniskring", "ik OG gemeente Tiel", "U2"),
        ("/agenda", "nieuw Pilot asfalt deadline:1-3-2027 thema:klimaat", "U2"),
        ("/klaagpaal", "Te veel papier", "U2"),
        ("/hulpvraag", "Wie kent een centrale?", "U2"),
        ("/actie", "Checklist <@U2> deadline:15-1-2027", "U1"),
        ("/kenniskring", "vergadering 2026-12-08 14:00 elke 6 weken", "U1"),
    ):
        assert direct.command(command, text, user=user).status == 200
    return session_factory


def snapshot(session_factory) -> dict[str, list]:
    with session_factory() as session:
        return {
            table.name: sorted(json.dumps(list(row), default=str) for row in session.execute(select(table)))
            for table in Base.metadata.sorted_tables
            if table.name not in ANSWERS
        }


def unexpected(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


def answered(answer) -> None:
    assert 200 <= answer.status < 300, answer.body
    assert "Traceback" not in answer.body


@pytest.mark.parametrize("command", REGISTRY.commands)
@ENTRY_POINTS
@given(text=odd_text)
@example(text="\x00").via("Slack never sends NUL, PostgreSQL refuses it in text")
@example(text="lijst thema:\x00").via("a NUL deeper in the text")
def test_every_command_answers_any_text(direct, records, caplog, command: str, text: str) -> None:
    caplog.clear()
    answered(direct.command(command, text, user="U2"))
    assert unexpected(caplog) == []


@pytest.mark.parametrize("command", REGISTRY.commands)
@ENTRY_POINTS
@given(text=odd_text)
def test_an_outsiders_command_in_a_channel_without_a_circle_changes_nothing(
    direct, records, caplog, command: str, text: str
) -> None:
    assume(words.meaning(words.KENNISKRING, (text.split() or [""])[0]) != "start")
    before = snapshot(records)
    caplog.clear()
    answered(direct.command(command, text, user="U9", channel="C9"))
    assert unexpected(caplog) == []
    assert snapshot(records) == before


@pytest.mark.parametrize("action", ACTIONS)
@ENTRY_POINTS
@given(value=forged_value, where=st.sampled_from(["C9", "DU9", None]))
@example(value="\x00", where="C9").via("a NUL, which PostgreSQL refuses in text")
@example(value="1:\x00", where="DU9").via("a NUL after an id")
def test_a_forged_button_from_an_outsider_changes_nothing(direct, records, caplog, action, value, where) -> None:
    action_id = action if action.isidentifier() else re.sub(r"\[12\]|[\^$]", "", action) + "1"
    before = snapshot(records)
    caplog.clear()
    answered(direct.press(action_id, value, user="U9", channel=where))
    assert unexpected(caplog) == []
    assert snapshot(records) == before


@pytest.mark.parametrize("callback", VIEWS)
@ENTRY_POINTS
@given(metadata=forged_metadata, state=forged_state)
@example(metadata=json.dumps({"team_id": "T0001", "channel_id": "C\x00"}), state={"title": "x"}).via("NUL in metadata")
@example(metadata="{}", state={"title": "\x00", "text": "\x00"}).via("NUL in the fields")
def test_a_forged_form_from_an_outsider_changes_nothing(direct, records, caplog, callback, metadata, state) -> None:
    view = {
        "type": "modal",
        "callback_id": callback,
        "private_metadata": metadata,
        "blocks": [{"type": "input", "block_id": key, "element": {"type": "plain_text_input", "action_id": "value"}}
                   for key in state],
    }  # fmt: skip
    before = snapshot(records)
    caplog.clear()
    answered(direct.submit(view, state, user="U9"))
    assert unexpected(caplog) == []
    assert snapshot(records) == before
