"""Fresh databases for the benchmarks: a SQLite file in a temporary folder, or a PostgreSQL database of our own."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from store.db import make_engine, migrate

POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def postgres_available() -> bool:
    try:
        engine = create_engine(POSTGRES_ADMIN_URL, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:
        return False


@contextmanager
def fresh(backend: str, name: str) -> Iterator[tuple[str, Engine]]:
    """(url, migrated engine) of an empty database, removed afterwards."""
    if backend == "sqlite":
        folder = tempfile.mkdtemp(prefix="kenniskring-bench-")
        url = f"sqlite:///{folder}/{name}.db"
        engine = make_engine(url)
        try:
            migrate(engine)
            yield url, engine
        finally:
            engine.dispose()
            shutil.rmtree(folder, ignore_errors=True)
        return
    database = f"kenniskring_bench_{os.getpid()}_{name}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{database}"'))
        connection.execute(text(f'CREATE DATABASE "{database}"'))
    url = make_url(POSTGRES_ADMIN_URL).set(database=database).render_as_string(hide_password=False)
    engine = make_engine(url)
    try:
        migrate(engine)
        yield url, engine
    finally:
        engine.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()


def analyse(engine: Engine) -> None:
    """Fresh statistics after a bulk load, as autovacuum or a DBA would have them after a day."""
    with engine.begin() as connection:
        connection.execute(text("ANALYZE"))


def server_version(engine: Engine) -> str:
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            return "PostgreSQL " + str(connection.execute(text("SHOW server_version")).scalar())
        return "SQLite " + str(connection.execute(text("select sqlite_version()")).scalar())
