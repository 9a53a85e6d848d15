"""Every case row compared with the replay of its events (``hoso audit verify``, /audit/verify).

Both sides are streamed in case order, straight from the DBAPI cursors (as the chain's walk):
the events by (case, id) on their index, the rows by id; one case's events are in memory at a
time.

The cases are grouped in buckets of ``BUCKET`` ids. A replay keeps, per bucket, a digest of its
rows as stored (the sum of each row's hash: the first 64 bits of the MD5 of its replayed columns
as one line of text), how many rows and differences it had, and its first differences
(``Bucket``). ``replay_changed`` then replays only
the buckets whose rows' digest moved or whose cases have events after a given one: one query
that digests every bucket in the database (no row and no event read into Python) plus the
replay of what changed. A row changed in SQL without an event changes its bucket's digest, so it
is replayed and named all the same.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import groupby
from operator import itemgetter

from sqlalchemy import Engine, text

from workflow.replay import REPLAYED_COLUMNS, CaseEvent, Difference, differences, replay_case

#: At most this many differences are kept to be named (in all, and per bucket); all are counted.
KEEP = 200
#: Cases per bucket (by id): a case changed costs the replay of this many (about ten times as
#: many events); 100,000 cases are about 1,600 buckets in the stored check.
BUCKET = 64
#: The differences of each bucket kept with the stored check (its count is kept whole): the
#: stored check stays small when every row differs.
STORED_PER_BUCKET = 20
_EVENT_COLUMNS = "case_id, id, at, user_id, action, to_state, data"
_EVENTS = f"SELECT {_EVENT_COLUMNS} FROM events WHERE case_id IS NOT NULL ORDER BY case_id, id"
#: A row's replayed columns as one line of text, the same on SQLite and PostgreSQL (dates are ISO
#: text on both; "~" for NULL), hashed (``_line_hash``) and summed per bucket.
_ROW_TEXT = " || '|' || ".join(
    f"COALESCE(CAST({column} AS TEXT), '~')" for column in ("id", *REPLAYED_COLUMNS)
)
_COLUMNS = f"id, {', '.join(REPLAYED_COLUMNS)}, {_ROW_TEXT}"
_CASES = f"SELECT {_COLUMNS} FROM cases ORDER BY id"
#: Every bucket's count and digest, computed by the database where it can hash (PostgreSQL: the
#: sum of the rows' hashes; a sum needs no order); SQLite hands each bucket's lines over, joined
#: by a separator: a line holding it only makes the digest differ, and the bucket be replayed.
_SEPARATOR = "\x1e"


def _digests_sql(dialect: str) -> str:
    lines = f"(SELECT id, {_ROW_TEXT} AS line FROM cases) AS lines"
    if dialect == "postgresql":
        hashed = "sum(('x' || substr(md5(line), 1, 16))::bit(64)::bigint)"
    else:
        hashed = "group_concat(line, char(30))"
    return f"SELECT id / {BUCKET}, count(*), {hashed} FROM {lines} GROUP BY id / {BUCKET}"


@dataclass
class Bucket:
    """One bucket's rows as last replayed: their digest, how many, their differences."""

    digest: str
    cases: int = 0
    count: int = 0
    differences: list[Difference] = field(default_factory=list)

    def as_json(self) -> list:
        kept = [
            [d.case_id, d.column, d.stored, d.replayed]
            for d in self.differences[:STORED_PER_BUCKET]
        ]
        return [self.digest, self.cases, self.count, kept]

    @classmethod
    def from_json(cls, value: list) -> Bucket:
        digest, cases, count, kept = value
        return cls(digest, cases, count, [Difference(*d) for d in kept])


@dataclass
class ReplayReport:
    """What comparing every case row with its events found (and, per bucket, how it stood)."""

    cases: int = 0
    count: int = 0
    differences: list[Difference] = field(default_factory=list)
    buckets: dict[int, Bucket] = field(default_factory=dict)
    #: How many cases were replayed to make this report (all of them, or the changed buckets').
    replayed: int = 0

    @property
    def consistent(self) -> bool:
        return self.count == 0

    def buckets_json(self) -> dict[str, list]:
        """The buckets as plain JSON (kept with the stored check)."""
        return {str(b): bucket.as_json() for b, bucket in sorted(self.buckets.items())}


def buckets_from_json(value: Mapping[str, list] | None) -> dict[int, Bucket]:
    """The buckets a stored check kept (none: an older check, replayed in full next time)."""
    return {int(b): Bucket.from_json(v) for b, v in (value or {}).items()}


def _stream(engine: Engine, sql: str, name: str, batch: int = 5_000) -> Iterator[tuple]:
    """The rows of `sql`, through a server-side cursor on PostgreSQL."""
    raw = engine.raw_connection()
    try:
        if engine.dialect.name == "postgresql":
            cursor = raw.cursor(name=name)
            cursor.itersize = batch
        else:
            cursor = raw.cursor()
        cursor.execute(sql)
        while chunk := cursor.fetchmany(batch):
            yield from chunk
        cursor.close()
    finally:
        raw.close()


def _grouped(rows: Iterable[tuple]) -> Iterator[tuple[int, list[CaseEvent]]]:
    for case_id, group in groupby(rows, key=itemgetter(0)):
        yield (
            case_id,
            [CaseEvent(r[1], r[2], r[3], r[4], r[5], json.loads(r[6])) for r in group],
        )


class _Bucketing:
    """Rows fed in id order, cut into buckets: each bucket's digest and rows at its end."""

    def __init__(self) -> None:
        self.number: int | None = None
        self.rows: list[tuple] = []
        self.lines: list[str] = []

    def feed(self, row: tuple) -> tuple[int, str, list[tuple]] | None:
        """Add a row; the bucket just closed (number, digest, rows), if this row opened another."""
        number = row[0] // BUCKET
        closed = self.close() if self.number is not None and number != self.number else None
        if self.number is None or closed is not None:
            self.number, self.rows, self.lines = number, [], []
        self.rows.append(row[:-1])
        self.lines.append(row[-1])
        return closed

    def close(self) -> tuple[int, str, list[tuple]] | None:
        if self.number is None:
            return None
        return self.number, digest_of(self.lines), self.rows


def _line_hash(line: str) -> int:
    """A row's hash: the first 64 bits of its line's MD5, signed (as PostgreSQL's bigint)."""
    # A change detector, not a defence against a forger (who could as well edit the events).
    value = int(hashlib.md5(line.encode(), usedforsecurity=False).hexdigest()[:16], 16)
    return value - (1 << 64) if value >= 1 << 63 else value


def digest_of(lines: Iterable[str]) -> str:
    """A bucket's digest: the sum of its rows' hashes, as text."""
    return str(sum(_line_hash(line) for line in lines))


def bucket_digests(engine: Engine) -> dict[int, tuple[int, str]]:
    """Every bucket's (number of rows, digest), in one query."""
    with engine.connect() as connection:
        rows = connection.execute(text(_digests_sql(engine.dialect.name))).all()
    if engine.dialect.name == "postgresql":
        return {number: (count, str(int(total))) for number, count, total in rows}
    return {number: (count, digest_of(joined.split(_SEPARATOR))) for number, count, joined in rows}


class _Ahead:
    """The events of each case in case order, one case looked ahead (kept across buckets)."""

    def __init__(self, cases: Iterator[tuple[int, list[CaseEvent]]]) -> None:
        self.cases = cases
        self.pending = next(cases, None)

    def of(self, case_id: int) -> list[CaseEvent]:
        """The events of `case_id` (cases are asked for in increasing order)."""
        while self.pending is not None and self.pending[0] < case_id:  # events of no row
            self.pending = next(self.cases, None)
        if self.pending is not None and self.pending[0] == case_id:
            return self.pending[1]
        return []


def _compare(rows: list[tuple], events: _Ahead, digest: str) -> Bucket:
    """One bucket's rows against the events of their cases (both in case order)."""
    bucket = Bucket(digest, len(rows))
    for row in rows:
        case_id = row[0]
        stored = dict(zip(REPLAYED_COLUMNS, row[1:], strict=True))
        found = differences(case_id, stored, replay_case(events.of(case_id)))
        bucket.count += len(found)
        bucket.differences.extend(found[: max(0, KEEP - len(bucket.differences))])
    return bucket


def _bucket(engine: Engine, number: int) -> tuple[list[tuple], list[str], _Ahead]:
    """One bucket's rows (and their lines) and the events of their cases, by (case, id)."""
    bounds = {"low": number * BUCKET, "high": (number + 1) * BUCKET}
    with engine.connect() as connection:
        rows = connection.execute(
            text(f"SELECT {_COLUMNS} FROM cases WHERE id >= :low AND id < :high ORDER BY id"),
            bounds,
        ).all()
        events = connection.execute(
            text(
                f"SELECT {_EVENT_COLUMNS} FROM events WHERE case_id >= :low AND case_id < :high"
                " ORDER BY case_id, id"
            ),
            bounds,
        ).all()
    return [tuple(r[:-1]) for r in rows], [r[-1] for r in rows], _Ahead(_grouped(events))


def _summed(buckets: dict[int, Bucket], replayed: int, keep: int) -> ReplayReport:
    report = ReplayReport(buckets=buckets, replayed=replayed)
    for _, bucket in sorted(buckets.items()):
        report.cases += bucket.cases
        report.count += bucket.count
        report.differences.extend(bucket.differences[: max(0, keep - len(report.differences))])
    return report


def replay_cases(engine: Engine, keep: int = KEEP) -> ReplayReport:
    """Compare every case row with the replay of its events; name the first `keep` differences."""
    buckets: dict[int, Bucket] = {}
    stream = _grouped(_stream(engine, _EVENTS, "hoso_replay_events"))
    cutter = _Bucketing()
    try:
        events = _Ahead(stream)
        for row in _stream(engine, _CASES, "hoso_replay_cases"):
            if (closed := cutter.feed(row)) is not None:
                buckets[closed[0]] = _compare(closed[2], events, closed[1])
        if (last := cutter.close()) is not None:
            buckets[last[0]] = _compare(last[2], events, last[1])
    finally:
        stream.close()  # its connection back to the pool now, not when collected
    return _summed(buckets, sum(b.cases for b in buckets.values()), keep)


def cases_with_events_after(engine: Engine, event_id: int) -> set[int]:
    """The buckets of the cases that have an event after `event_id` (on the events' key)."""
    with engine.connect() as connection:
        ids = connection.execute(
            text("SELECT DISTINCT case_id FROM events WHERE id > :after AND case_id IS NOT NULL"),
            {"after": event_id},
        ).scalars()
        return {case_id // BUCKET for case_id in ids}


def replay_changed(
    engine: Engine, before: Mapping[int, Bucket], after_event: int, keep: int = KEEP
) -> ReplayReport:
    """As ``replay_cases``, replaying only the buckets that changed since a replay that left
    `before` and saw the events up to `after_event`: those whose rows' digest is not the one kept,
    and those whose cases have later events. The others keep what they had."""
    touched = cases_with_events_after(engine, after_event)
    buckets: dict[int, Bucket] = {}
    replayed = 0
    for number, (count, digest) in sorted(bucket_digests(engine).items()):
        kept = before.get(number)
        unchanged = kept is not None and (kept.cases, kept.digest) == (count, digest)
        if unchanged and number not in touched:
            buckets[number] = kept
            continue
        # Kept with the rows just compared: a row changed since the digests were taken is seen
        # by the next check.
        rows, lines, events = _bucket(engine, number)
        buckets[number] = _compare(rows, events, digest_of(lines))
        replayed += len(rows)
    return _summed(buckets, replayed, keep)
