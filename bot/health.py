"""Is this process ready for Slack's requests? The database answers, its schema is the one this code expects,
and the outbox is moving (no message due for longer than STUCK_AFTER)."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from store.db import make_session_factory, ping
from store.operations import outbox_status
from store.types import utcnow

STUCK_AFTER = timedelta(minutes=15)


@cache
def script_head() -> str | None:
    """The newest migration this code ships (read once: it does not change while the process runs)."""
    config = Config()
    config.set_main_option("script_location", "store:migrations")
    return ScriptDirectory.from_config(config).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def not_ready(engine: Engine, *, now: datetime | None = None, stuck_after: timedelta = STUCK_AFTER) -> str | None:
    """Why this process is not ready, in one line; None when it is."""
    if not ping(engine):
        return "database unreachable"
    try:
        current, head = current_revision(engine), script_head()
        if current != head:
            return f"database schema at {current or 'nothing'}, this code expects {head}"
        now = now or utcnow()
        with make_session_factory(engine)() as session:
            status = outbox_status(session, now=now)
    except Exception as error:  # the database answered a ping but not these: not ready, say what
        return f"database error: {type(error).__name__}"
    if status.oldest_due_age is not None and status.oldest_due_age > stuck_after.total_seconds():
        minutes = status.oldest_due_age / 60
        return f"outbox stuck: a message due {minutes:.0f} minutes ago is not sent"
    return None
