"""The HTTP face: Slack's signature checked on every request, health checks, nothing but Slack's path served."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest
from sqlalchemy import select

from store.models import Circle


@pytest.mark.parametrize(
    ("signing", "status"),
    [
        ({}, 200),
        ({"signed": False}, 401),
        ({"signature": "v0=" + "0" * 64}, 401),
        ({"age": 6 * 60}, 401),
    ],
    ids=["correct", "missing", "wrong", "six-minutes-old"],
)
def test_signatures(slack, session_factory, signing, status) -> None:
    answer = slack.command("/kenniskring", "start Kring Noord", **signing)

    assert answer.status == status
    with session_factory() as session:
        circles = session.scalars(select(Circle.name)).all()
    assert circles == (["Kring Noord"] if status == 200 else [])


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as reply:
            return reply.status, reply.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_healthz_answers_when_the_database_does(server_url) -> None:
    assert get(server_url + "/healthz") == (200, "ok\n")


def test_healthz_fails_when_the_database_does_not(app, tmp_path) -> None:
    from bot.web import wsgi_app
    from store.db import make_engine

    broken = make_engine(f"sqlite:///{tmp_path}/missing/dir/k.db")
    responses = []
    body = wsgi_app(app, broken)({"PATH_INFO": "/healthz", "REQUEST_METHOD": "GET"}, lambda s, h: responses.append(s))
    assert responses == ["503 Service Unavailable"] and b"unreachable" in b"".join(body)


def test_other_paths_are_not_found(server_url) -> None:
    assert get(server_url + "/admin")[0] == 404


def test_a_command_without_a_circle_names_kenniskring_start(slack) -> None:
    for command in ("/klaagpaal", "/hulpvraag"):
        answer = slack.command(command, "iets", channel="C77")
        assert answer.status == 200
        assert "/kenniskring start" in answer.text


def test_unexpected_failures_answer_politely_without_a_trace(slack, circle, monkeypatch) -> None:
    import store.klaagpaal

    def explode(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(store.klaagpaal, "file", explode)
    answer = slack.command("/klaagpaal", "iets")

    assert answer.status == 200
    assert "Er ging iets mis" in answer.text
    assert "disk on fire" not in answer.body and "Traceback" not in answer.body


def test_healthz_fails_when_the_sqlite_file_is_gone_or_read_only(app, tmp_path) -> None:
    from bot.web import wsgi_app
    from store.db import make_engine, migrate

    path = tmp_path / "k.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)

    def health() -> str:
        responses: list[str] = []
        wsgi_app(app, engine)({"PATH_INFO": "/healthz", "REQUEST_METHOD": "GET"}, lambda s, h: responses.append(s))
        return responses[0]

    assert health() == "200 OK"
    read_only = make_engine(f"sqlite:///file:{path}?mode=ro&uri=true")  # read-only even for root, unlike chmod
    try:
        responses: list[str] = []
        wsgi_app(app, read_only)({"PATH_INFO": "/healthz", "REQUEST_METHOD": "GET"}, lambda s, h: responses.append(s))
        assert responses == ["503 Service Unavailable"]
    finally:
        read_only.dispose()
    path.unlink()
    assert health() == "503 Service Unavailable"
    engine.dispose()


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("payload=%7Bnot-json", "application/x-www-form-urlencoded"),
        ("payload=%5B%5D", "application/x-www-form-urlencoded"),
        ("{not json", "application/json"),
    ],
    ids=["broken-payload", "payload-not-an-object", "broken-json"],
)
def test_a_signed_but_malformed_request_gets_a_clear_400(slack, body: str, content_type: str) -> None:
    answer = slack.send(body, content_type)
    assert (answer.status, answer.body) == (400, "malformed request\n")
