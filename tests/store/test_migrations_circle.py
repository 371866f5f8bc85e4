"""Existing circles come through the migration to the circle's own lists whole: nothing they held is lost."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from store.db import alembic_config, make_engine, make_session_factory, migrate
from store.models import (
    Activity,
    Circle,
    CircleTheme,
    Goal,
    GoalLink,
    Indicator,
    Member,
    ProgressUpdate,
    Role,
)
from tests.conftest import BACKENDS, POSTGRES_ADMIN_URL, _postgres_available

BEFORE = "0001"
CREATED = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture(params=BACKENDS)
def old_engine(request: pytest.FixtureRequest, tmp_path) -> Iterator:
    """A database at the schema before this revision, of its own."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
        yield engine
        engine.dispose()
        return
    if not _postgres_available():
        pytest.skip("PostgreSQL is not reachable")
    name = f"kenniskring_migration_{os.getpid()}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False))
    yield engine
    engine.dispose()
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _old_circle(connection, circle_id: int, channel: str) -> None:
    connection.execute(
        text(
            "INSERT INTO circles (id, team_id, channel_id, name, created_by, locale, timezone, agenda_lead_days,"
            " post_time, nudge_days, stale_after_days, created_at)"
            " VALUES (:id, 'T1', :channel, :name, 'U1', 'nl', 'Europe/Amsterdam', 2, '09:00', '14,7,1', 28, :at)"
        ),
        {"id": circle_id, "channel": channel, "name": f"Kring {circle_id}", "at": CREATED},
    )
    connection.execute(
        text(
            "INSERT INTO members (circle_id, user_id, side, organisation, role, is_coordinator, created_at)"
            " VALUES (:circle, 'U1', 'OG', 'Gemeente Tiel', 'beheerder', :yes, :at)"
        ),
        {"circle": circle_id, "yes": True, "at": CREATED},
    )


def _old_activity(connection, activity_id: int, circle_id: int, number: int, goal: str | None) -> None:
    connection.execute(
        text(
            "INSERT INTO activities (id, circle_id, number, title, theme, goal, initiator_id, status, percent,"
            " updated_at, version, created_at)"
            " VALUES (:id, :circle, :number, :title, 'klimaat', :goal, 'U2', 'lopend', 40, :at, 1, :at)"
        ),
        {"id": activity_id, "circle": circle_id, "number": number, "title": f"A{number}", "goal": goal, "at": CREATED},
    )
    connection.execute(
        text(
            "INSERT INTO progress_updates (activity_id, author_id, percent, happened, created_at)"
            " VALUES (:id, 'U2', 40, 'Proefvak gelegd', :at)"
        ),
        {"id": activity_id, "at": CREATED},
    )


def test_existing_circles_get_the_default_lists_and_keep_what_they_had(old_engine) -> None:
    command.upgrade(alembic_config(old_engine), BEFORE)
    with old_engine.begin() as connection:
        _old_circle(connection, 1, "C1")
        _old_circle(connection, 2, "C2")
        _old_activity(connection, 1, 1, 1, "CO2 -50%")
        _old_activity(connection, 2, 1, 2, "  CO2   -50% ")  # the same goal, typed loosely
        _old_activity(connection, 3, 1, 3, "Meer stageplekken")
        _old_activity(connection, 4, 1, 4, None)
        _old_activity(connection, 5, 2, 1, "CO2 -50%")  # another circle's goal of the same name is its own
    migrate(old_engine)

    with make_session_factory(old_engine)() as session:
        for circle in session.scalars(select(Circle)):
            assert (circle.balance_ratio, circle.rotation_months) == (2, 48)
            roles = session.scalars(select(Role.name).where(Role.circle_id == circle.id)).all()
            assert "MKB-ondernemer" in roles and "ambtelijk opdrachtgever" in roles
            found = session.scalars(select(CircleTheme).where(CircleTheme.circle_id == circle.id)).all()
            assert [(t.key, t.name, t.level, t.position, t.retired_at) for t in found] == [
                ("arbeidsmarkt", None, 1, 1, None),
                ("klimaat", None, 1, 2, None),
                ("leren", None, 1, 3, None),
            ]
            measures = session.scalars(select(Indicator).where(Indicator.circle_id == circle.id)).all()
            assert [(i.key, i.unit, i.aggregate) for i in measures] == [
                ("co2", "t", "sum"),
                ("circulair", "%", "mean"),
                ("afstand", "", "sum"),
                ("euro", "€", "sum"),
            ]
        member = session.scalars(select(Member).where(Member.circle_id == 1)).one()
        assert (member.side, member.organisation, member.role, member.since) == (
            "OG",
            "Gemeente Tiel",
            "beheerder",
            None,
        )
        member.side = "anders"  # the wider column holds the third side
        session.commit()

        served = session.execute(
            select(Activity.circle_id, Activity.number, Goal.name, Goal.created_by, GoalLink.weight)
            .join(GoalLink.activity)
            .join(GoalLink.goal)
            .order_by(Activity.id)
        ).all()
        assert served == [
            (1, 1, "CO2 -50%", "U2", 1),
            (1, 2, "CO2 -50%", "U2", 1),
            (1, 3, "Meer stageplekken", "U2", 1),
            (2, 1, "CO2 -50%", "U2", 1),
        ]
        assert session.scalar(select(func.count()).select_from(Goal)) == 3
        # Nothing hanging off the activities was lost on the way (SQLite must not rebuild their table).
        assert session.scalar(select(func.count()).select_from(ProgressUpdate)) == 5
