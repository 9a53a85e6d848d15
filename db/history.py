"""Appending to the hash chain, walking it, and reading a case's events back."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import Engine, bindparam, insert, select, text, update
from sqlalchemy.orm import Session

from db.models import ChainHead, Event
from workflow.history import (
    CANONICAL_COLUMNS,
    ChainProblem,
    ChainReport,
    EventView,
    canonical_data,
    chain_digest,
    utc_stamp,
    verify_chain,
)
from workflow.ports import NewEvent

_EVENTS = Event.__table__
_HEAD = ChainHead.__table__
_LOCK_HEAD = select(_HEAD.c.last_id, _HEAD.c.digest).where(_HEAD.c.id == 1).with_for_update()
_INSERT_EVENT = insert(_EVENTS)
_MOVE_HEAD = (
    update(_HEAD)
    .where(_HEAD.c.id == 1)
    .values(last_id=bindparam("new_id"), digest=bindparam("new_digest"), count=_HEAD.c.count + 1)
)


@dataclass(frozen=True)
class Appended:
    """Where an appended event landed in the chain."""

    id: int
    digest: str


class SqlHistory:
    """The history of one unit of work: appends under the chain head's row lock.

    Plain Core statements on the session's connection (no ORM objects): appending is on the path
    of every use case, and it is only three statements.
    """

    def __init__(self, session: Session):
        self.session = session

    def append(self, new: NewEvent) -> Appended:
        """Append `new` after the current head; the head row's lock serialises writers."""
        connection = self.session.connection()
        head = connection.execute(_LOCK_HEAD).one()
        row = {
            "id": head.last_id + 1,
            "case_id": new.case_id,
            "organisation_id": new.organisation_id,
            "at": utc_stamp(new.at),
            "user_id": new.user_id,
            "username": new.username,
            "role": new.role,
            "action": new.action,
            "from_state": new.from_state,
            "to_state": new.to_state,
            "reason": new.reason,
            "data": canonical_data(new.data),
            "ruleset": new.ruleset,
        }
        digest = chain_digest(head.digest, [row[c] for c in CANONICAL_COLUMNS])
        connection.execute(_INSERT_EVENT, {**row, "prev_digest": head.digest, "digest": digest})
        connection.execute(_MOVE_HEAD, {"new_id": row["id"], "new_digest": digest})
        return Appended(row["id"], digest)


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
