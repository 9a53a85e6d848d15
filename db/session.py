"""The engine and the session factory; nothing is created at import.

SQLite runs in WAL mode with foreign keys on. Its write transactions begin with
``BEGIN IMMEDIATE`` (the unit of work asks for it), so that two writers queue for the lock instead
of failing half-way with "database is locked" when one tries to upgrade a read lock.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

DEFAULT_INSTANCE = "instance"
WRITE = {"hoso_write": True}


def instance_path() -> Path:
    """Where the SQLite database, uploads and settings live (``HOSO_INSTANCE`` or ./instance)."""
    return Path(os.environ.get("HOSO_INSTANCE", DEFAULT_INSTANCE)).resolve()


def database_url() -> str:
    """``HOSO_DATABASE_URL``, else SQLite in the instance folder."""
    url = os.environ.get("HOSO_DATABASE_URL")
    if url:
        return url
    folder = instance_path()
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'hoso.sqlite3'}"


def make_engine(url: str | None = None, **kwargs) -> Engine:
    """An engine for `url` with hoso's connection settings."""
    url = url or database_url()
    if url.startswith("sqlite"):
        engine = create_engine(url, **kwargs)
        _configure_sqlite(engine)
        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return create_engine(url, pool_pre_ping=True, **kwargs)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Take transaction control from the driver so that BEGIN is ours to emit.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        write = connection.get_execution_options().get("hoso_write")
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions bound to `engine` that keep loaded values after commit."""
    return sessionmaker(bind=engine, expire_on_commit=False)
