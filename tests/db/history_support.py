"""What the history tests share: the events and chain head as stored, a stopped clock, checks.

The history is tested in test_history_append.py (one event per action, append-only),
test_history_tampering.py (tamper-evident) and test_history_replay.py (a case on a past date).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, event, text

from db.models import Case
from db.read.history import verify
from workflow.clock import Clock
from workflow.history import CANONICAL_COLUMNS

ALL_COLUMNS = ("id", *CANONICAL_COLUMNS[1:], "prev_digest", "digest")


def at(moment: str) -> Clock:
    """A clock stopped at `moment` (ISO, UTC)."""
    return Clock(datetime.fromisoformat(moment).replace(tzinfo=UTC))


def events(engine: Engine) -> list[dict[str, Any]]:
    """Every stored event, in order, with every column."""
    with engine.connect() as conn:
        rows = conn.execute(text(f"SELECT {', '.join(ALL_COLUMNS)} FROM events ORDER BY id"))
        return [dict(row._mapping) for row in rows]


def head(engine: Engine) -> tuple[int, str, int]:
    """The chain head: last id, digest, count."""
    with engine.connect() as conn:
        return tuple(conn.execute(text("SELECT last_id, digest, count FROM chain_head")).one())


def case_row(runtime, case_id: int) -> Case:
    """The case as stored now."""
    with runtime.sessions() as session:
        return session.get(Case, case_id)


def assert_intact(engine: Engine, count: int) -> None:
    """The chain verifies, holds `count` events, and its head says so."""
    report = verify(engine)
    assert report.intact, report.problem
    assert report.checked == count
    assert head(engine) == (count, report.head, count)


def statements_of(engine, fn) -> list[str]:
    """The SQL `fn` sends (BEGIN included; COMMIT is not a cursor statement)."""
    seen: list[str] = []

    def _before(conn, cursor, statement, parameters, context, executemany):
        seen.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", _before)
    try:
        fn()
    finally:
        event.remove(engine, "before_cursor_execute", _before)
    return seen
