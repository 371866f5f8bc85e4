"""The Alembic migrations build exactly the schema the models describe, and running them again changes nothing."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from store.db import migrate
from store.models import Base


def test_migrated_schema_matches_the_models(engine) -> None:
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_migrating_twice_is_harmless(engine) -> None:
    migrate(engine)
    migrate(engine)
