"""The history repository: the only code that appends to the hash chain or moves its head.

Also walks the chain for ``hoso audit verify`` and reads a case's events back.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, Protocol

from sqlalchemy import (
    CTE,
    Connection,
    Integer,
    bindparam,
    case,
    cast,
    delete,
    exists,
    func,
    insert,
    literal_column,
    select,
    update,
)
from sqlalchemy.orm import Session

from db.models import ChainCheck, ChainHead, Event
from db.repositories.prepared import Prepared
from db.repositories.round_trips import Trips
from workflow.errors import Conflict
from workflow.history import (
    CANONICAL_COLUMNS,
    canonical_data,
    chain_digest,
    utc_stamp,
)
from workflow.ports.history import Appended, ChainCheckpoint, NewEvent

_EVENTS = Event.__table__
_HEAD = ChainHead.__table__
_CHECKS = ChainCheck.__table__
_LOCK_HEAD = select(_HEAD.c.last_id, _HEAD.c.digest).where(_HEAD.c.id == 1).with_for_update()
_INSERT_EVENT = insert(_EVENTS)
_INSERT_ONE = Prepared(_INSERT_EVENT)
#: The head moves only from where this unit of work saw it: no row updated means the head was
#: not where the new events were chained onto (a bug, never a race: the head is locked).
_MOVE_HEAD = (
    update(_HEAD)
    .where(_HEAD.c.id == 1, _HEAD.c.last_id == bindparam("old_id"))
    .values(
        last_id=bindparam("new_id"),
        digest=bindparam("new_digest"),
        count=_HEAD.c.count + bindparam("added"),
    )
)
_EVENT_COLUMNS = (*CANONICAL_COLUMNS, "prev_digest", "digest")
#: PostgreSQL: one event and the head's move in one statement (one round trip), the INSERT as a
#: data-modifying CTE. Its rowcount is the UPDATE's.
_APPEND_ONE = Prepared(
    _MOVE_HEAD.add_cte(
        insert(_EVENTS).values({c: bindparam(f"e_{c}") for c in _EVENT_COLUMNS}).cte("appended")
    )
)
_MOVE = Prepared(_MOVE_HEAD)


class CarriedWrite(Protocol):
    """A write of the case repository's that travels in the event's statement (PostgreSQL):
    ``db.repositories.case_writes.CaseWrite``, the case's versioned UPDATE. The history sends it
    and reports how many rows it wrote; what the UPDATE sets and what a miss means stay there."""

    keys: tuple[str, ...]
    params: dict[str, Any]

    def cte(self) -> CTE:
        """The write as a data-modifying CTE returning one row per row written."""

    def run(self, connection: Connection) -> None:
        """Send the write on its own."""

    def done(self, written: int) -> None:
        """The write wrote `written` rows (it raises if that is a refusal)."""


#: PostgreSQL: the case's write, its event and the head's move in one statement, per set of
#: columns the write sets. The event is inserted only from a written case, and the head moves
#: only if the case was written; the statement answers (case rows written, head rows moved).
_CARRYING: dict[tuple[tuple[str, ...], bool], Prepared] = {}
#: What the guard of a held statement says, when it refuses (``_carrying(..., guarded=True)``).
MOVED_ON = "hoso: the case moved on"
HEAD_MOVED = "hoso: the chain head moved"


def _carrying(write: CarriedWrite, guarded: bool = False) -> Prepared:
    """The one statement for `write`, its event and the head's move (built once per columns).

    `guarded`: for a statement sent with COMMIT in one message (``round_trips``), a third column
    fails the statement when the case or the head was not written, so that COMMIT never runs
    after a miss (the server skips the rest of a message after an error)."""
    prepared = _CARRYING.get((write.keys, guarded))
    if prepared is None:
        written = write.cte()
        event = select(*(bindparam(f"e_{c}", type_=_EVENTS.c[c].type) for c in _EVENT_COLUMNS))
        appended = insert(_EVENTS).from_select(_EVENT_COLUMNS, event.select_from(written))
        moved = _MOVE_HEAD.where(exists(select(written.c[0]))).returning(_HEAD.c.id).cte("moved")
        counts = (
            select(func.count()).select_from(written).scalar_subquery(),
            select(func.count()).select_from(moved).scalar_subquery(),
        )
        columns = list(counts)
        if guarded:
            # Not a constant: the server casts it when the statement runs, and only a miss's
            # text fails the cast.
            verdict = case(
                (counts[0] != 1, literal_column(f"'{MOVED_ON}'")),
                (counts[1] != 1, literal_column(f"'{HEAD_MOVED}'")),
                else_=literal_column("'1'"),
            )
            columns.append(cast(verdict, Integer))
        answer = select(*columns).add_cte(appended.cte("appended"))
        prepared = _CARRYING[(write.keys, guarded)] = Prepared(answer)
    return prepared


class HeadSeen:
    """The chain head as this unit of work last saw it while holding its lock: read with the
    case that a write loads (``SqlCases.get(..., for_update=True)``), then kept up to date by
    the appends. The history then need not read it again."""

    __slots__ = ("last_id", "digest")

    def __init__(self) -> None:
        self.last_id: int | None = None
        self.digest: str | None = None

    @property
    def locked(self) -> bool:
        """The head was read under its lock in this transaction (it cannot move meanwhile)."""
        return self.last_id is not None

    def saw(self, last_id: int, digest: str) -> None:
        """The head read, locked, in this transaction."""
        self.last_id, self.digest = last_id, digest

    def forget(self) -> None:
        """The transaction was rolled back: the lock and what was read with it are gone."""
        self.last_id = self.digest = None


class SqlHistory:
    """The history of one unit of work: appends under the chain head's row lock.

    Plain Core statements on the unit of work's connection (no ORM objects): appending is on the
    path of every use case. When the head was read under its lock with the case (`head`), an
    append is one INSERT and one head move, sent as one statement on PostgreSQL; a case write
    handed over with ``carry`` joins that statement (the case, its event, the head: one round
    trip).
    """

    def __init__(self, session: Session, head: HeadSeen | None = None, trips: Trips | None = None):
        self.session = session
        #: PostgreSQL's write transaction: the carried write may wait to travel with COMMIT.
        self._trips = trips
        self.head = head if head is not None else HeadSeen()
        bind = session.bind
        self._connection = bind if isinstance(bind, Connection) else None
        #: A case write waiting for the next event's statement (``carry``).
        self.pending: CarriedWrite | None = None

    def carry(self, write: CarriedWrite) -> None:
        """Send `write` in the next single event's statement (PostgreSQL, the head locked), or on
        its own before anything else is appended; ``settle`` sends it now."""
        self.settle()
        self.pending = write

    def settle(self) -> None:
        """Send a carried write on its own now (something is about to read what it writes)."""
        write, self.pending = self.pending, None
        if write is not None:
            write.run(self._connection or self.session.connection())

    def append(self, new: NewEvent) -> Appended:
        """Append `new` after the current head; the head row's lock serialises writers."""
        return self.append_many((new,))[0]

    def append_many(self, events: Sequence[NewEvent]) -> list[Appended]:
        """Append `events` in order after the current head, in one INSERT and one head move
        (imports and certificate batches append hundreds at once)."""
        if not events:
            self.settle()
            return []
        connection = self._connection or self.session.connection()
        write = self.pending
        postgres = connection.dialect.name == "postgresql"
        if write is not None and (len(events) > 1 or not self.head.locked or not postgres):
            self.settle()
            write = None
        self.pending = None
        if self.head.locked:
            old_id, digest = self.head.last_id, self.head.digest
        else:
            old_id, digest = connection.execute(_LOCK_HEAD).one()
        last_id = old_id
        rows, appended = [], []
        for new in events:
            last_id += 1
            row = _row(last_id, new)
            prev, digest = digest, chain_digest(digest, [row[c] for c in CANONICAL_COLUMNS])
            row["prev_digest"], row["digest"] = prev, digest
            rows.append(row)
            appended.append(Appended(last_id, digest))
        move = {"old_id": old_id, "new_id": last_id, "new_digest": digest, "added": len(rows)}
        if len(rows) > 1:
            connection.execute(_INSERT_EVENT, rows)
            moved = _MOVE.rowcount(connection, move)
        elif write is not None:
            move.update({f"e_{c}": v for c, v in rows[0].items()}, **write.params)
            if self._trips is not None and self._held(write, move, old_id):
                self.head.saw(last_id, digest)
                return appended
            written, moved = _carrying(write).first(connection, move)
            write.done(written)  # no case written: nothing appended, the head did not move
        elif postgres:
            move.update({f"e_{c}": v for c, v in rows[0].items()})
            moved = _APPEND_ONE.rowcount(connection, move)
        else:
            _INSERT_ONE.execute(connection, rows[0], _EVENT_COLUMNS).close()
            moved = _MOVE.rowcount(connection, move)
        if moved != 1:
            raise RuntimeError(f"the chain head is not at event {old_id}: nothing appended")
        self.head.saw(last_id, digest)
        return appended

    def _held(self, write: CarriedWrite, params: dict[str, Any], old_id: int) -> bool:
        """Hand the case's write, its event and the head's move to the transaction, to be sent
        with COMMIT (or before anything else is sent); False if it must be sent now. The case is
        taken as written meanwhile: a miss then fails the whole message (its guard), so nothing
        of this unit of work is committed."""

        def answer(row: list[Any] | None, error: Exception | None) -> None:
            # A miss fails the guarded statement: its text tells which.
            if error is None:
                return
            said = str(getattr(error, "orig", error))  # the server's words, not the SQL's
            if MOVED_ON in said:
                raise Conflict(
                    f"case {params['b_id']} was changed by someone else meanwhile; "
                    "reload and try again"
                ) from error
            if HEAD_MOVED in said:
                raise RuntimeError(
                    f"the chain head is not at event {old_id}: nothing appended"
                ) from error
            raise error

        if not self._trips.hold(_carrying(write, guarded=True), params, answer):
            return False
        write.done(1)
        return True

    def save_check(self, checkpoint: ChainCheckpoint) -> None:
        """Keep `checkpoint` as the one last verification (the row of id 1, replaced)."""
        connection = self._connection or self.session.connection()
        connection.execute(delete(_CHECKS).where(_CHECKS.c.id == 1))
        connection.execute(
            insert(_CHECKS).values(
                id=1,
                last_id=checkpoint.last_id,
                count=checkpoint.count,
                digest=checkpoint.digest,
                checked_at=utc_stamp(checkpoint.at),
                seconds=checkpoint.seconds,
                result=json.dumps(checkpoint.result, ensure_ascii=False, default=str),
            )
        )


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
