"""``cases.state_since`` from the events: the day each case entered its current state.

The write path keeps the column (``case_writes.entered_state``; a new case starts on its opening
day). Rows inserted in bulk without it (the benchmarks' data, tests' builders) get it here, from
their events, with the rule migration 0024 backfilled and the targets report used before the
column existed: the local day of the newest event that brought the case into its state from
another one (or opened it), else the opening day. The replay (``workflow.replay``) gives the same
day for a case whose events follow one another (each event's from-state the previous to-state).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, text

from workflow.dates import LOCAL_ZONE

#: The local zone's offset from UTC in minutes (Việt Nam: +7:00 since 1975, no summer time):
#: ``Clock.today`` of a use case is the day its event's stamp shifted by this much falls on.
OFFSET_MINUTES = int(LOCAL_ZONE.utcoffset(datetime(2000, 1, 1)).total_seconds()) // 60

#: An event's stamp (``YYYY-MM-DDTHH:MM:SS.ffffffZ``, UTC, as text) as a local day, per dialect.
LOCAL_DAY = {
    "sqlite": f"date(substr(e.at, 1, 19), '+{OFFSET_MINUTES} minutes')",
    "postgresql": "CAST(CAST(substr(e.at, 1, 19) AS TIMESTAMP) "
    f"+ INTERVAL '{OFFSET_MINUTES} minutes' AS DATE)",
}
_FILL = (
    "UPDATE cases SET state_since = COALESCE(("
    "SELECT {day} FROM events e WHERE e.case_id = cases.id AND e.to_state = cases.state "
    "AND (e.from_state IS NULL OR e.from_state <> e.to_state) ORDER BY e.at DESC LIMIT 1"
    "), opened_on)"
)


def fill_state_since(connection: Connection) -> int:
    """Set every case's ``state_since`` from its events (else its opening day); rows updated."""
    sql = _FILL.format(day=LOCAL_DAY[connection.dialect.name])
    return connection.execute(text(sql)).rowcount
