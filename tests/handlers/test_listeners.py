"""Listeners are plain module-level functions: called directly here, with a real database and a stand-in Slack."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from slack_bolt import Ack
from slack_bolt.util.utils import get_arg_names_of_callable
from sqlalchemy import select

from bot.errors_handler import guarded
from bot.i18n import t
from handlers import klaagpaal
from store import circles
from store.errors import UserError
from store.models import HerkenbaarMark, KlaagpaalItem

ROOT = Path(__file__).resolve().parents[2]
TEAM = "T0001"


class Responses(list):
    """A fake `respond`: keeps what the listener said through the response URL."""

    def __call__(self, **message: Any) -> None:
        self.append(message)


@pytest.fixture
def kring(services) -> str:
    with services.transaction() as session:
        circles.start(
            session,
            team_id=TEAM,
            channel_id="C1",
            name="Kring",
            user_id="U1",
            locale=services.locale,
            timezone=services.settings.timezone,
        )
    return "C1"


def slash(text: str, user: str = "U2") -> dict[str, Any]:
    return {"command": "/klaagpaal", "text": text, "team_id": TEAM, "channel_id": "C1", "user_id": user}


def button(value: str, user: str = "U3", **extra: Any) -> dict[str, Any]:
    return {
        "type": "block_actions",
        "team": {"id": TEAM},
        "user": {"id": user, "team_id": TEAM},
        "channel": {"id": "C1"},
        "actions": [{"action_id": "x", "value": value}],
        **extra,
    }


def test_the_klaagpaal_command_files_an_item_and_answers_in_the_ack(
    services, standin, session_factory, kring, listener_pool
) -> None:
    ack = Ack()
    klaagpaal.command(ack=ack, command=slash("De leges zijn te hoog"), client=services.client, services=services)
    listener_pool.drain()  # the post goes out after the acknowledgement

    assert "K-1" in ack.response.body
    with session_factory() as session:
        item = session.scalars(select(KlaagpaalItem)).one()
        assert (item.number, item.author_id, item.text) == (1, "U2", "De leges zijn te hoog")
    [post] = standin.calls_to("chat.postMessage")
    assert post.body["channel"] == "C1"


def test_herkenbaar_marks_once_and_tells_only_the_one_who_pressed(
    services, standin, session_factory, kring, listener_pool
) -> None:
    klaagpaal.command(ack=Ack(), command=slash("Te veel formulieren"), client=services.client, services=services)
    with session_factory() as session:
        item_id = session.scalars(select(KlaagpaalItem.id)).one()

    for _ in range(2):
        klaagpaal.herkenbaar(ack=Ack(), body=button(str(item_id)), services=services)
        listener_pool.drain()

    told = [call.body for call in standin.calls_to("chat.postEphemeral")]
    assert [(body["user"], body["text"]) for body in told] == [
        ("U3", t("klaagpaal.herkenbaar_done", number=1)),
        ("U3", t("klaagpaal.herkenbaar_already", number=1)),
    ]
    with session_factory() as session:
        assert session.scalars(select(HerkenbaarMark.user_id)).all() == ["U3"]


def refuse_after_ack(ack: Ack) -> None:
    ack()
    raise UserError("klaagpaal.gone")


def refuse_before_ack(ack: Ack) -> None:
    raise UserError("klaagpaal.gone")


def test_bolt_injects_what_the_guard_needs_besides_the_listeners_own_arguments() -> None:
    def listener(ack: Ack, command: dict) -> None: ...

    assert get_arg_names_of_callable(guarded(listener)) == ["ack", "command", "body", "respond", "services"]
    assert get_arg_names_of_callable(guarded(klaagpaal.herkenbaar)) == ["ack", "body", "services", "respond"]
    assert guarded(listener).__name__ == "listener"


def test_the_listener_gets_only_the_arguments_it_declares(services) -> None:
    seen: list[dict] = []

    def listener(ack: Ack, command: dict) -> None:
        seen.append(command)
        ack()

    guarded(listener)(ack=Ack(), command={"text": "x"}, body={}, respond=Responses(), services=services)
    assert seen == [{"text": "x"}]


def test_an_error_after_ack_is_told_through_the_response_url(services) -> None:
    responses, ack = Responses(), Ack()
    body = button("1", response_url="https://hooks.example/r1")

    guarded(refuse_after_ack)(ack=ack, body=body, respond=responses, services=services)

    assert ack.response.status == 200
    assert responses == [{"text": t("klaagpaal.gone"), "response_type": "ephemeral", "replace_original": False}]


def test_an_error_after_ack_without_response_url_is_told_through_the_outbox(services, standin, listener_pool) -> None:
    responses = Responses()

    guarded(refuse_after_ack)(ack=Ack(), body=button("1", user="U4"), respond=responses, services=services)
    listener_pool.drain()

    assert responses == []
    [told] = standin.calls_to("chat.postEphemeral")
    assert (told.body["channel"], told.body["user"], told.body["text"]) == ("C1", "U4", t("klaagpaal.gone"))


def test_an_error_before_ack_goes_on_to_the_apps_error_handler(services) -> None:
    responses = Responses()
    with pytest.raises(UserError):
        guarded(refuse_before_ack)(ack=Ack(), body=button("1"), respond=responses, services=services)
    assert responses == []


def test_nothing_reaches_into_bolts_private_listener_list() -> None:
    sources = [path for package in ("bot", "handlers") for path in sorted((ROOT / package).rglob("*.py"))]
    assert ROOT / "bot" / "app.py" in sources  # the search reads the product, not an empty folder
    reaching = [
        str(path.relative_to(ROOT))
        for path in sources
        if re.search(r"\b_listeners\b", path.read_text(encoding="utf-8"))
    ]
    assert reaching == []
