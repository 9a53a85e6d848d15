"""Reading the history back: a case's events, and walking the whole chain to verify it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from db.models import Event
from workflow.history import CANONICAL_COLUMNS, ChainProblem, ChainReport, EventView, verify_chain
from workflow.ports.history import ChainCheckpoint


def case_events(session: Session, case_id: int) -> list[EventView]:
    """A case's events, oldest first, as the domain reads them."""
    rows = session.execute(
        select(Event).where(Event.case_id == case_id).order_by(Event.id)
    ).scalars()
    return [to_view(e) for e in rows]


def to_view(event: Event) -> EventView:
    """The plain view of a stored event."""
    return EventView(
        id=event.id,
        at=event.at,
        action=event.action,
        from_state=event.from_state,
        to_state=event.to_state,
        username=event.username,
        role=event.role,
        reason=event.reason,
        data=json.loads(event.data),
        ruleset=event.ruleset,
    )


def _raw_rows(engine: Engine, batch: int = 20_000, after: int = 0) -> Iterator[tuple]:
    """Every event's hashed columns and digests, in id order, straight from the DBAPI cursor.

    The walk covers every event ever written, so it skips SQLAlchemy's result layers; PostgreSQL
    streams through a server-side (named) cursor, SQLite's cursor streams by itself.
    """
    columns = ", ".join((*CANONICAL_COLUMNS, "prev_digest", "digest"))
    raw = engine.raw_connection()
    try:
        if engine.dialect.name == "postgresql":
            cursor = raw.cursor(name="hoso_verify")
            cursor.itersize = batch
        else:
            cursor = raw.cursor()
        # `after` is an int (a verified event's id), never text from outside.
        cursor.execute(f"SELECT {columns} FROM events WHERE id > {int(after)} ORDER BY id")
        while chunk := cursor.fetchmany(batch):
            yield from chunk
        cursor.close()
    finally:
        raw.close()


def verify(engine: Engine, since: ChainCheckpoint | None = None) -> ChainReport:
    """Walk the chain and compare its end with the recorded head.

    With `since` (an earlier verification that found it intact), only the events after its last
    one are walked, once that event is checked to still hold the digest verified then.
    """
    with engine.connect() as connection:
        head = connection.execute(
            text("SELECT digest, count FROM chain_head WHERE id = 1")
        ).one_or_none()
    start = None
    if since is not None and since.last_id > 0:
        if event_digest(engine, since.last_id) != since.digest:
            return ChainReport(
                0,
                since.digest,
                ChainProblem(since.last_id, "content does not match its digest (edited)"),
            )
        start = (since.last_id, since.digest, since.count)
    rows = _raw_rows(engine, after=start[0] if start else 0)
    if head is None:  # deleted: the events can still be walked, but not their end
        report = verify_chain(rows, start=start)
        if not report.intact:
            return report
        return ChainReport(
            report.checked, report.head, ChainProblem(None, "the chain head record is missing")
        )
    return verify_chain(rows, expected_head=head.digest, expected_count=head.count, start=start)


def event_digest(engine: Engine, event_id: int) -> str | None:
    """The stored digest of event `event_id` (``None``: no such event)."""
    with engine.connect() as connection:
        return connection.execute(
            text("SELECT digest FROM events WHERE id = :id"), {"id": event_id}
        ).scalar()


def chain_head(engine: Engine) -> tuple[int, str, int, str | None] | None:
    """The recorded head: last event id, digest, count, and the last event's time (UTC)."""
    with engine.connect() as connection:
        row = connection.execute(
            text(
                "SELECT h.last_id, h.digest, h.count, e.at FROM chain_head h "
                "LEFT JOIN events e ON e.id = h.last_id WHERE h.id = 1"
            )
        ).one_or_none()
    return None if row is None else (row[0], row[1], row[2], row[3])


def last_check(engine: Engine) -> ChainCheckpoint | None:
    """The last verification of the chain any process stored (``None``: never checked)."""
    with engine.connect() as connection:
        row = connection.execute(
            text(
                "SELECT last_id, count, digest, checked_at, seconds, result "
                "FROM chain_checks WHERE id = 1"
            )
        ).one_or_none()
    if row is None:
        return None
    at = datetime.fromisoformat(row.checked_at.replace("Z", "+00:00"))
    return ChainCheckpoint(
        row.last_id, row.count, row.digest, at, row.seconds, json.loads(row.result)
    )
