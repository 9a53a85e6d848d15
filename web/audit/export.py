"""The CSV export of the filtered events: UTF-8 with a BOM (for Excel), streamed in batches."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from db.read.audit_log import EventFilters, iter_events
from db.runtime import Runtime
from web.i18n import format_moment
from workflow.facts import Actor

#: The header: stable names for scripts (not translated).
COLUMNS = (
    "id",
    "at_utc",
    "local_time",
    "case_id",
    "candidate",
    "cell",
    "user_id",
    "username",
    "user_name",
    "role",
    "action",
    "action_label",
    "from_state",
    "to_state",
    "reason",
    "data",
    "ruleset",
    "prev_digest",
    "digest",
)
#: Free text that a spreadsheet would take for a formula if it began with one of these.
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
_TEXT = {"candidate", "cell", "username", "user_name", "reason", "data", "action_label"}


def _cell(column: str, value: Any) -> Any:
    if value is None:
        return ""
    if column in _TEXT and isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return value


def csv_chunks(
    runtime: Runtime, actor: Actor, filters: EventFilters, label, batch: int = 500
) -> Iterator[str]:
    """The export, a few hundred rows per chunk; its own session, open while it streams."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow(COLUMNS)
    with runtime.sessions() as session:
        for count, row in enumerate(iter_events(session, actor, filters, batch), start=1):
            values = {
                **row,
                "at_utc": row["at"],
                "local_time": format_moment(row["at"]),
                "action_label": label(row["action"]),
            }
            writer.writerow([_cell(c, values.get(c)) for c in COLUMNS])
            if count % batch == 0:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
    yield buffer.getvalue()
