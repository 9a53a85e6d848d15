"""Every case row compared with the replay of its events (``hoso audit verify``, /audit/verify).

Both sides are streamed in case order, straight from the DBAPI cursors (as the chain's walk):
the events by (case, id) on their index, the rows by id; one case's events are in memory at a
time.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import groupby
from operator import itemgetter

from sqlalchemy import Engine

from workflow.replay import REPLAYED_COLUMNS, CaseEvent, Difference, differences, replay_case

#: At most this many differences are kept to be named; all are counted.
KEEP = 200
_EVENTS = (
    "SELECT case_id, id, at, user_id, action, to_state, data FROM events "
    "WHERE case_id IS NOT NULL ORDER BY case_id, id"
)
_CASES = f"SELECT id, {', '.join(REPLAYED_COLUMNS)} FROM cases ORDER BY id"


@dataclass
class ReplayReport:
    """What comparing every case row with its events found."""

    cases: int = 0
    count: int = 0
    differences: list[Difference] = field(default_factory=list)

    @property
    def consistent(self) -> bool:
        return self.count == 0


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


def _case_events(engine: Engine) -> Iterator[tuple[int, list[CaseEvent]]]:
    rows = _stream(engine, _EVENTS, "hoso_replay_events")
    for case_id, group in groupby(rows, key=itemgetter(0)):
        yield (
            case_id,
            [CaseEvent(r[1], r[2], r[3], r[4], r[5], json.loads(r[6])) for r in group],
        )


def replay_cases(engine: Engine, keep: int = KEEP) -> ReplayReport:
    """Compare every case row with the replay of its events; name the first `keep` differences."""
    report = ReplayReport()
    events = _case_events(engine)
    try:
        pending = next(events, None)
        for row in _stream(engine, _CASES, "hoso_replay_cases"):
            case_id = row[0]
            while pending is not None and pending[0] < case_id:  # events of no row (FK: none)
                pending = next(events, None)
            mine = pending[1] if pending is not None and pending[0] == case_id else []
            stored = dict(zip(REPLAYED_COLUMNS, row[1:], strict=True))
            found = differences(case_id, stored, replay_case(mine))
            report.cases += 1
            report.count += len(found)
            report.differences.extend(found[: max(0, keep - len(report.differences))])
    finally:
        events.close()  # its connection back to the pool now, not when collected
    return report
