"""Reading the history back: a case's events, and walking the whole chain to verify it."""

from __future__ import annotations

import json
from collections.abc import Iterator

from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from db.models import Event
from workflow.history import CANONICAL_COLUMNS, ChainProblem, ChainReport, EventView, verify_chain


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


def _raw_rows(engine: Engine, batch: int = 20_000) -> Iterator[tuple]:
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
        cursor.execute(f"SELECT {columns} FROM events ORDER BY id")
        while chunk := cursor.fetchmany(batch):
            yield from chunk
        cursor.close()
    finally:
        raw.close()


def verify(engine: Engine) -> ChainReport:
    """Walk the whole chain and compare its end with the recorded head."""
    with engine.connect() as connection:
        head = connection.execute(
            text("SELECT digest, count FROM chain_head WHERE id = 1")
        ).one_or_none()
    if head is None:  # deleted: the events can still be walked, but not their end
        report = verify_chain(_raw_rows(engine))
        if not report.intact:
            return report
        return ChainReport(
            report.checked, report.head, ChainProblem(None, "the chain head record is missing")
        )
    return verify_chain(_raw_rows(engine), expected_head=head.digest, expected_count=head.count)
