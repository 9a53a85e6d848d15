"""The engine and the session factory; nothing is created at import.

SQLite runs in WAL mode with foreign keys on. Its write transactions begin with
``BEGIN IMMEDIATE`` (the unit of work asks for it), so that two writers queue for the lock instead
of failing half-way with "database is locked" when one tries to upgrade a read lock.
"""

from __future__ import annotations

import os
import select
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, exc, text
from sqlalchemy.orm import Session, sessionmaker

from db.repositories.prepared import Prepared
from db.repositories.round_trips import before_statement

DEFAULT_INSTANCE = "instance"
WRITE = {"hoso_write": True}
#: Seconds after which a pooled PostgreSQL connection is replaced rather than reused (before a
#: server's or a firewall's idle timeout ends it silently).
RECYCLE_SECONDS = 1800
_BEGIN = Prepared(text("BEGIN"))
_BEGIN_IMMEDIATE = Prepared(text("BEGIN IMMEDIATE"))


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
    kwargs.setdefault("pool_recycle", RECYCLE_SECONDS)
    if "options=" not in url:
        # No JIT: it compiled for 0.5-0.7 s on each list query over 100,000 cases (worklist,
        # reports) to save milliseconds; a web app's queries are short (docs/performance.md).
        connect_args = {"options": "-c jit=off", **kwargs.pop("connect_args", {})}
        kwargs["connect_args"] = connect_args
    engine = create_engine(url, **kwargs)
    event.listen(engine, "checkout", _refuse_closed)
    # A write unit of work's BEGIN and held write go before any other statement (round_trips).
    event.listen(engine, "before_cursor_execute", before_statement)
    return engine


def _refuse_closed(dbapi_connection, _record, _proxy) -> None:
    """Hand out no pooled connection that the server has closed (restarted, terminated it).

    Instead of ``pool_pre_ping``'s round trip on every checkout: an idle connection has nothing
    to read unless the server has gone (its last message, or end of file, is waiting). Raising
    ``DisconnectionError`` here makes the pool drop it and connect afresh.
    """
    fileno = getattr(dbapi_connection, "fileno", None)
    if fileno is None:
        return
    try:
        readable, _, _ = select.select([fileno()], [], [], 0)
    except Exception as err:  # a closed connection has no socket (psycopg raises)
        raise exc.DisconnectionError("the connection is closed") from err
    if readable:
        raise exc.DisconnectionError("the server closed the connection")


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
        # Sent as a prepared statement (on the driver's cursor): every unit of work begins here.
        (_BEGIN_IMMEDIATE if write else _BEGIN).execute(connection, {}).close()


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions bound to `engine` that keep loaded values after commit."""
    return sessionmaker(bind=engine, expire_on_commit=False)
