"""The history repository: the only code that appends to the hash chain or moves its head.

Also walks the chain for ``hoso audit verify`` and reads a case's events back.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from db.models import ChainHead, Event
from workflow.history import (
    CANONICAL_COLUMNS,
    canonical_data,
    chain_digest,
    utc_stamp,
)
from workflow.ports.history import Appended, NewEvent

_EVENTS = Event.__table__
_HEAD = ChainHead.__table__
_LOCK_HEAD = select(_HEAD.c.last_id, _HEAD.c.digest).where(_HEAD.c.id == 1).with_for_update()
_INSERT_EVENT = insert(_EVENTS)
_MOVE_HEAD = (
    update(_HEAD)
    .where(_HEAD.c.id == 1)
    .values(
        last_id=bindparam("new_id"),
        digest=bindparam("new_digest"),
        count=_HEAD.c.count + bindparam("added"),
    )
)


class SqlHistory:
    """The history of one unit of work: appends under the chain head's row lock.

    Plain Core statements on the session's connection (no ORM objects): appending is on the path
    of every use case, and it is only three statements.
    """

    def __init__(self, session: Session):
        self.session = session

    def append(self, new: NewEvent) -> Appended:
        """Append `new` after the current head; the head row's lock serialises writers."""
        return self.append_many((new,))[0]

    def append_many(self, events: Sequence[NewEvent]) -> list[Appended]:
        """Append `events` in order after the current head, in one INSERT and one head move
        (imports and certificate batches append hundreds at once)."""
        if not events:
            return []
        connection = self.session.connection()
        head = connection.execute(_LOCK_HEAD).one()
        last_id, digest = head.last_id, head.digest
        rows, appended = [], []
        for new in events:
            last_id += 1
            row = _row(last_id, new)
            prev, digest = digest, chain_digest(digest, [row[c] for c in CANONICAL_COLUMNS])
            rows.append({**row, "prev_digest": prev, "digest": digest})
            appended.append(Appended(last_id, digest))
        connection.execute(_INSERT_EVENT, rows)
        connection.execute(
            _MOVE_HEAD, {"new_id": last_id, "new_digest": digest, "added": len(rows)}
        )
        return appended


def _row(event_id: int, new: NewEvent) -> dict:
    """The stored columns of `new` as the chain hashes them."""
    return {
        "id": event_id,
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
