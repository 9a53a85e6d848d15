"""Appending to the hash chain, walking it, and reading a case's events back."""

from __future__ import annotations

import json
from collections.abc import Iterator

from sqlalchemy import Engine, select, text, update
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


class SqlHistory:
    """The history of one unit of work: appends under the chain head's row lock."""

    def __init__(self, session: Session):
        self.session = session

    def append(self, new: NewEvent) -> Event:
        """Append `new` after the current head; the head row's lock serialises writers."""
        head = self.session.execute(
            select(ChainHead).where(ChainHead.id == 1).with_for_update()
        ).scalar_one()
        event = Event(
            id=head.last_id + 1,
            case_id=new.case_id,
            organisation_id=new.organisation_id,
            at=utc_stamp(new.at),
            user_id=new.user_id,
            username=new.username,
            role=new.role,
            action=new.action,
            from_state=new.from_state,
            to_state=new.to_state,
            reason=new.reason,
            data=canonical_data(new.data),
            ruleset=new.ruleset,
            prev_digest=head.digest,
        )
        event.digest = chain_digest(head.digest, [getattr(event, c) for c in CANONICAL_COLUMNS])
        self.session.add(event)
        self.session.flush()
        self.session.execute(
            update(ChainHead)
            .where(ChainHead.id == 1)
            .values(last_id=event.id, digest=event.digest, count=ChainHead.count + 1)
        )
        return event


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
    """Every event's hashed columns and digests, in id order, straight from the driver."""
    columns = ", ".join((*CANONICAL_COLUMNS, "prev_digest", "digest"))
    with engine.connect() as connection:
        result = connection.execution_options(stream_results=True, yield_per=batch).execute(
            text(f"SELECT {columns} FROM events ORDER BY id")
        )
        for chunk in result.partitions(batch):
            yield from chunk


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
