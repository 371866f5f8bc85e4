"""Engine, session factory and schema migrations (Alembic), shared by the app, the CLI and the tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

SessionFactory = sessionmaker[Session]
READS_ONLY = "kenniskring_reads_only"


def make_engine(url: str) -> Engine:
    """An engine for SQLite (embedded default) or PostgreSQL (production)."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # Take transaction control from pysqlite so BEGIN IMMEDIATE below really starts the transaction.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")  # durable across process crashes in WAL mode; far fewer fsyncs
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_begin(connection) -> None:
    # Writers queue up at BEGIN instead of failing at their first write: numbering stays serial. A transaction
    # that only reads begins deferred: in WAL mode it reads a snapshot and neither waits for writers nor makes
    # them (or other readers) wait.
    if connection.get_execution_options().get(READS_ONLY):
        connection.exec_driver_sql("BEGIN")
    else:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_session_factory(engine: Engine) -> SessionFactory:
    """Sessions that keep each circle's revision as they write (store.revisions)."""
    from store import revisions

    factory = sessionmaker(engine, expire_on_commit=False)
    revisions.watch(factory)
    return factory


@lru_cache(maxsize=32)
def _reader(engine: Engine) -> Engine:
    if engine.dialect.name == "postgresql":
        # Under READ COMMITTED every statement reads its own snapshot, in a transaction or not: without one, a read
        # saves the BEGIN and COMMIT round trips (most of a short read's time).
        return engine.execution_options(**{READS_ONLY: True}, isolation_level="AUTOCOMMIT")
    return engine.execution_options(**{READS_ONLY: True})


@contextmanager
def reading(session_factory: SessionFactory) -> Iterator[Session]:
    """A transaction that only reads (a listing, a page, the App Home); writing in it is a mistake.

    On SQLite it begins deferred instead of taking the write lock, so reads no longer queue behind each other and
    behind writers; on PostgreSQL each statement commits by itself, as READ COMMITTED reads it anyway.
    """
    with session_factory(bind=_reader(session_factory.kw["bind"])) as session, session.begin():
        yield session


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", "store:migrations")
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    config.attributes["engine"] = engine
    return config


def migrate(engine: Engine) -> None:
    """Bring the schema up to date; safe to call on every start and from several processes."""
    command.upgrade(alembic_config(engine), "head")


def ping(engine: Engine) -> bool:
    """The database answers and can take what is filed. A SQLite file that was deleted or made read-only still
    answers reads on an open connection, so SQLite is asked for a write, rolled back: it has to be there to take it."""
    database = (engine.url.database or "").removeprefix("file:") if engine.dialect.name == "sqlite" else ""
    if database and database != ":memory:" and not Path(database).is_file():
        return False
    try:
        with engine.connect() as connection:
            if engine.dialect.name == "sqlite":
                connection.execute(text("UPDATE alembic_version SET version_num = version_num"))
            else:
                connection.execute(text("SELECT 1"))
            connection.rollback()
        return True
    except Exception:
        return False
