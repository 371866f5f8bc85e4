"""Upgrading a database of the previous release: the schema moves to head and every row it held survives, on
SQLite and PostgreSQL; several processes starting at once on one PostgreSQL database migrate it once."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from alembic import command
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import JSON, Boolean, Date, DateTime, Integer, MetaData, Numeric, create_engine, select, text
from sqlalchemy.engine import make_url

from store.db import alembic_config, make_engine, make_session_factory, migrate
from store.models import Circle, Meeting, MeetingSeries, Outbox
from tests.conftest import POSTGRES_ADMIN_URL

ROOT = Path(__file__).resolve().parents[2]
PREVIOUS = "0007_dm_channels"  # an earlier release: every migration since runs on its rows
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
ROWS = {  # table → the rows of the previous release, by column; other required columns get a plain value
    "circles": [{"id": 1, "team_id": "T1", "channel_id": "C1", "name": "Kring West", "timezone": "Europe/Amsterdam"}],
    "members": [{"id": 1, "circle_id": 1, "user_id": "U1", "is_coordinator": True}, {"id": 2, "circle_id": 1}],
    "activities": [{"id": 1, "circle_id": 1, "number": 1, "title": "Circulair asfalt", "initiator_id": "U1"}],
    "klaagpaal_items": [{"id": 1, "circle_id": 1, "number": 1, "text": "Te veel formulieren"}],
    "meeting_series": [{"id": 1, "circle_id": 1, "first_start": NOW, "interval_weeks": 6, "active": True}],
    "meetings": [{"id": 1, "circle_id": 1, "series_id": 1, "sequence": 1, "local_start": "2026-12-08T14:00"}],
    "outbox": [{"id": 1, "key": "klaagpaal:1:post", "channel": "C1", "status": "sent", "payload": {"text": "K-1"}}],
    "dm_channels": [{"user_id": "U1", "channel_id": "D1"}],
}


def plain_value(column) -> object:
    kind = column.type
    if isinstance(kind, Boolean):
        return False
    if isinstance(kind, Integer):
        return 1 if column.foreign_keys else 0
    if isinstance(kind, Numeric):
        return Decimal(2)
    if isinstance(kind, DateTime):
        return NOW
    if isinstance(kind, Date):
        return date(2026, 12, 1)
    if isinstance(kind, JSON):
        return {}
    return "x"


def fill(engine) -> None:
    """The previous release's rows, written with that release's schema (read from the database, not the models)."""
    tables = MetaData()
    tables.reflect(engine)
    with engine.begin() as connection:
        for name, rows in ROWS.items():
            table = tables.tables[name]
            for given in rows:
                row = dict(given)
                for column in table.columns:
                    required = not column.nullable and column.server_default is None and not column.primary_key
                    if required and column.name not in row:
                        row[column.name] = plain_value(column)
                connection.execute(table.insert().values(**row))
        if engine.dialect.name == "postgresql":  # ids given by hand: the sequences go on after them
            for name in ROWS:
                if "id" in tables.tables[name].columns:
                    connection.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), 100)"))


def head() -> str:
    return ScriptDirectory.from_config(alembic_config(make_engine("sqlite://"))).get_current_head()


def revision(engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def fresh_url(request, tmp_path) -> Iterator[str]:
    """An empty database of this test's own."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'previous.db'}"
        return
    request.getfixturevalue("postgres_url")  # skips when PostgreSQL is not reachable
    name = f"kenniskring_upgrade_{abs(hash(request.node.name)) % 10**8}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_a_database_of_the_previous_release_upgrades_with_its_rows(fresh_url) -> None:
    engine = make_engine(fresh_url)
    command.upgrade(alembic_config(engine), PREVIOUS)
    fill(engine)
    assert revision(engine) == PREVIOUS

    migrate(engine)  # what every start does

    assert revision(engine) == head() != PREVIOUS
    with engine.connect() as connection:
        counts = {name: connection.execute(text(f"SELECT count(*) FROM {name}")).scalar() for name in ROWS}
    assert counts == {name: len(rows) for name, rows in ROWS.items()}
    with make_session_factory(engine)() as session:  # the rows read through today's models
        assert session.get(Circle, 1).name == "Kring West"
        series = session.get(MeetingSeries, 1)
        assert (series.rule, series.interval_weeks) == ("FREQ=WEEKLY;INTERVAL=6", 6)
        assert session.get(Meeting, 1).series_id == 1
        assert session.scalars(select(Outbox.payload)).one() == {"text": "K-1"}
    migrate(engine)  # and once more, as the next start: nothing changes
    assert revision(engine) == head()
    engine.dispose()


@pytest.mark.postgres
def test_processes_starting_at_once_migrate_once(fresh_url) -> None:
    if not fresh_url.startswith("postgresql"):
        pytest.skip("one process at a time opens a SQLite file for migrations")
    engine = make_engine(fresh_url)
    command.upgrade(alembic_config(engine), PREVIOUS)
    fill(engine)
    starting = "import sys; from store.db import make_engine, migrate; migrate(make_engine(sys.argv[1]))"
    processes = [
        subprocess.Popen([sys.executable, "-c", starting, fresh_url], cwd=ROOT, stderr=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    for process in processes:
        _, errors = process.communicate(timeout=120)
        assert process.returncode == 0, errors
    assert revision(engine) == head()
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1
        assert connection.execute(text("SELECT rule FROM meeting_series")).scalar() == "FREQ=WEEKLY;INTERVAL=6"
    engine.dispose()
