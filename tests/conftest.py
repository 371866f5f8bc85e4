"""Fixtures: settings, a database per backend (SQLite always, PostgreSQL when reachable), the Slack stand-in,
a clock that tests move by hand, and the app served over real HTTP."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.answers import Answers
from bot.app import create_app, make_client, make_services
from bot.config import Settings, load_settings
from bot.pacing import Pacer
from bot.standin import ListenerPool, SlackSimulator, SlackStandIn
from bot.web import ServerThread, make_server, wsgi_app
from store.db import make_engine, make_session_factory, migrate
from store.models import Base

# Every kept answer is made afresh as well and compared: a change that forgot to raise its circle's revision fails
# whichever test reads the page after it.
Answers.checking = True

SIGNING_SECRET = "test-signing-secret"
SLACK_STORE_TABLES = ("slack_bots", "slack_installations", "slack_oauth_states")
POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


class Clock:
    """The time the app sees; tests set and move it instead of waiting."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


class Sleeps(list):
    """Records the waits the retry handlers asked for, without waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def _postgres_available() -> bool:
    try:
        engine = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:
        return False


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A database of this test run's own, so parallel runs never see each other's rows."""
    if not _postgres_available():
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not reachable at " + POSTGRES_ADMIN_URL)
        pytest.skip("PostgreSQL is not reachable")
    name = f"kenniskring_test_{os.getpid()}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'kenniskring.db'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture(scope="session")
def engine(database_url: str):
    engine = make_engine(database_url)
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def session_factory(engine):
    yield make_session_factory(engine)
    with engine.begin() as connection:  # every test starts from empty tables
        if engine.dialect.name == "postgresql":  # a transaction a test left open fails here, clearly, not hangs
            connection.execute(text("SET LOCAL lock_timeout = '20s'"))
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())
        for table in SLACK_STORE_TABLES:  # slack_sdk's installation and OAuth state stores, made by a migration
            connection.execute(text(f"DELETE FROM {table}"))


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn() as server:
        yield server


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 12, 1, 9, 30, tzinfo=UTC))


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def settings(standin: SlackStandIn, database_url: str, request: pytest.FixtureRequest) -> Settings:
    """Dutch; a test speaks English with `@pytest.mark.parametrize("settings", ["en"], indirect=True)`."""
    return load_settings(
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=standin.url,
        DATABASE_URL=database_url,
        KENNISKRING_LOCALE=getattr(request, "param", "nl"),
    )


@pytest.fixture
def services(settings, session_factory, clock, sleeps, listener_pool):
    """The app's services; work after the acknowledgement runs in the listener pool, which `slack` drains. Slack's
    clock runs a thousand times faster for the pacer: its turns and Retry-After holds apply without tests waiting."""
    client = make_client(settings, sleep=sleeps, pacer=Pacer(speed=1000))
    return make_services(settings, session_factory, client=client, clock=clock, background=listener_pool)


@pytest.fixture
def listener_pool() -> Iterator[ListenerPool]:
    pool = ListenerPool()
    yield pool
    pool.shutdown(wait=True)


@pytest.fixture
def app(services, listener_pool):
    return create_app(services, listener_executor=listener_pool)


@pytest.fixture
def server_url(app, engine) -> Iterator[str]:
    """The app behind the production WSGI server on a free loopback port."""
    running = ServerThread(
        make_server(wsgi_app(app, engine), host="127.0.0.1", port=0, threads=4, loop_timeout=0.05)
    ).start()
    yield f"http://127.0.0.1:{running.port}"
    running.stop()


@pytest.fixture
def slack(server_url: str, standin: SlackStandIn, listener_pool: ListenerPool) -> SlackSimulator:
    """Slack itself: signed requests to the running server; each returns once the work it started is done."""
    return SlackSimulator(
        signing_secret=SIGNING_SECRET,
        url=server_url + "/slack/events",
        response_url=standin.response_url(),
        pool=listener_pool,
    )


@pytest.fixture
def circle(slack: SlackSimulator, standin: SlackStandIn) -> str:
    """A circle bound to channel C1, started by U1 (its coordinator); the stand-in's record starts empty."""
    answer = slack.command("/kenniskring", "start Kenniskring West", user="U1", channel="C1")
    assert answer.status == 200, answer.body
    standin.clear()
    return "C1"
