"""The Alembic migrations build exactly the schema the models describe, and running them again changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from store.db import alembic_config, make_engine, migrate
from store.models import Base

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _ours(item, name, kind, reflected, compare_to) -> bool:
    """The slack_* tables are slack_sdk's installation and OAuth state stores' (checked in tests/bot)."""
    table = name if kind == "table" else getattr(getattr(item, "table", None), "name", "")
    return not str(table or "").startswith("slack_")


def test_migrated_schema_matches_the_models(engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_object": _ours})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_migrating_twice_is_harmless(engine) -> None:
    migrate(engine)
    migrate(engine)


def test_downgrading_every_revision_keeps_what_hangs_off_circles_and_meetings(tmp_path) -> None:
    """SQLite with foreign keys on: a table rebuilt in batch mode is dropped, and that cascades into its children."""
    engine = make_engine(f"sqlite:///{tmp_path / 'down.db'}")
    migrate(engine)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO circles (id, team_id, channel_id, name, created_by, locale, timezone, agenda_lead_days,"
                " post_time, nudge_days, stale_after_days, created_at)"
                " VALUES (1, 'T1', 'C1', 'Kring', 'U1', 'nl', 'Europe/Amsterdam', 2, '09:00', '14,7,1', 28, :at)"
            ),
            {"at": NOW},
        )
        connection.execute(
            text("INSERT INTO members (circle_id, user_id, is_coordinator, created_at) VALUES (1, 'U1', 1, :at)"),
            {"at": NOW},
        )
        connection.execute(
            text(
                "INSERT INTO meeting_topics (circle_id, point, text, author_id, status, created_at)"
                " VALUES (1, 1, 'Stageplekken', 'U1', 'open', :at)"
            ),
            {"at": NOW},
        )

    command.downgrade(alembic_config(engine), "0001")

    with engine.connect() as connection:
        counts = [
            connection.execute(text(f"SELECT count(*) FROM {table}")).scalar()
            for table in ("members", "meeting_topics")
        ]
    engine.dispose()
    assert counts == [1, 1]
