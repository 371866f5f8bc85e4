"""Alembic environment: runs migrations on the engine the program already has."""

from alembic import context
from sqlalchemy import create_engine, text

from store.models import Base

# Several web processes may start at once against one PostgreSQL database: one migrates, the others wait.
MIGRATION_LOCK = 7_301_944

config = context.config
engine = config.attributes.get("engine") or create_engine(config.get_main_option("sqlalchemy.url"))

# The lock is transaction-level, taken inside the one transaction that runs the migrations and released when it
# ends: it holds behind PgBouncer in transaction mode too (no session-level lock left on a pooled connection).
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        context.run_migrations()
