"""The history's canonical form, its hash chain, and rebuilding a case from its events.

Each event's digest is SHA-256 over the previous digest and the event's canonical bytes, so that
editing, deleting, inserting or reordering any event breaks the chain from that point on.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from workflow.dates import LOCAL_ZONE
from workflow.errors import InvalidInput

GENESIS = "0" * 64
_SEP = "\x1f"
#: How a NULL column is hashed: unlike "", and unlike any text (see `_escape`).
_NULL = "\x00"
#: Escapes a value's own NUL, separator or escape character, so that no text can pass for a NULL
#: or for a column boundary (on SQLite a text column may hold "\x00"). Inputs refuse control
#: characters, so no value of a chain made before the escape holds one: those chains hash alike.
_ESC = "\x1b"
_ESCAPES = str.maketrans({_ESC: _ESC + _ESC, _NULL: _ESC + "0", _SEP: _ESC + "_"})
#: The control characters no event's text may hold (all of Unicode's Cc but tab and line breaks).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

#: The columns an event is hashed over, in this order.
CANONICAL_COLUMNS = (
    "id",
    "case_id",
    "organisation_id",
    "at",
    "user_id",
    "username",
    "role",
    "action",
    "from_state",
    "to_state",
    "reason",
    "data",
    "ruleset",
)


def utc_stamp(moment: datetime) -> str:
    """The one textual form of an event's time: UTC, microseconds, a ``Z``."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_data(data: dict[str, Any]) -> str:
    """Event data as canonical JSON (sorted keys, no spaces, dates as ISO strings)."""
    return json.dumps(
        data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_json_default
    )


def _json_default(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(f"cannot store {type(value).__name__} in an event")


def _escape(value: str) -> str:
    """`value` with its NUL, separator and escape characters escaped (most values hold none)."""
    return value.translate(_ESCAPES)


def canonical_text(row: Sequence[Any]) -> str:
    """An event's columns joined by the separator: NULL as a lone NUL, text escaped."""
    parts = [_NULL if v is None else str(v) for v in row]
    joined = _SEP.join(parts)
    # Fast path: no value holds a NUL, a separator or an escape (the joined text then has one
    # NUL per NULL and one separator per boundary). Checked with C-speed counts: the walk of
    # the whole chain passes here for every event.
    if (
        _ESC not in joined
        and joined.count(_NULL) == row.count(None)
        and joined.count(_SEP) == len(parts) - 1
    ):
        return joined
    return _SEP.join(_NULL if v is None else _escape(str(v)) for v in row)


def canonical_bytes(row: Sequence[Any]) -> bytes:
    """The bytes an event's digest covers: its columns in CANONICAL_COLUMNS order."""
    return canonical_text(row).encode()


def check_event_text(reason: str | None, data: dict[str, Any]) -> None:
    """Refuse an event whose reason or data holds a control character (tabs and line breaks
    aside), naming the field: the inputs refuse them already, this is the history's own gate."""
    if reason is not None and _CONTROL.search(reason):
        raise InvalidInput("reason", "contains control characters")
    for name, value in data.items():
        if _holds_control(value):
            raise InvalidInput(str(name), "contains control characters")


def _holds_control(value: Any) -> bool:
    if isinstance(value, str):
        return _CONTROL.search(value) is not None
    if isinstance(value, dict):
        return any(_holds_control(k) or _holds_control(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_holds_control(v) for v in value)
    return False


def chain_digest(previous: str, row: Sequence[Any]) -> str:
    """The digest of an event that follows `previous`."""
    return hashlib.sha256(previous.encode() + canonical_bytes(row)).hexdigest()


@dataclass(frozen=True)
class ChainProblem:
    """The first event at which the chain breaks, and how."""

    event_id: int | None
    reason: str


@dataclass(frozen=True)
class ChainReport:
    """What a walk of the chain found."""

    checked: int
    head: str
    problem: ChainProblem | None = None

    @property
    def intact(self) -> bool:
        return self.problem is None


def verify_chain(
    rows: Iterable[Sequence[Any]],
    expected_head: str | None = None,
    expected_count: int | None = None,
    start: tuple[int, str, int] | None = None,
) -> ChainReport:
    """Walk events given as ``(*CANONICAL_COLUMNS, prev_digest, digest)`` in id order.

    `start` (last id, its digest, the count up to it) resumes a walk verified earlier: the rows
    are then the events after that id.
    """
    previous, last_id, checked = GENESIS, 0, 0
    if start is not None:
        last_id, previous, checked = start
    sha256 = hashlib.sha256
    for row in rows:
        event_id, prev, digest = row[0], row[-2], row[-1]
        if event_id <= last_id:
            return ChainReport(checked, previous, ChainProblem(event_id, "out of order"))
        if prev != previous:
            return ChainReport(
                checked,
                previous,
                ChainProblem(
                    event_id, "does not link to the event before it (one was deleted or inserted)"
                ),
            )
        actual = sha256(previous.encode() + canonical_text(row[:-2]).encode()).hexdigest()
        if actual != digest:
            return ChainReport(
                checked,
                previous,
                ChainProblem(event_id, "content does not match its digest (edited)"),
            )
        previous, last_id, checked = digest, event_id, checked + 1
    if expected_count is not None and checked != expected_count:
        return ChainReport(
            checked,
            previous,
            ChainProblem(
                None, f"the chain holds {checked} events but the head records {expected_count}"
            ),
        )
    if expected_head is not None and previous != expected_head:
        return ChainReport(
            checked,
            previous,
            ChainProblem(
                None, "the last event is not the recorded head (events removed from the end)"
            ),
        )
    return ChainReport(checked, previous)


@dataclass(frozen=True)
class EventView:
    """One history event as the domain reads it."""

    id: int
    at: str
    action: str
    from_state: str | None
    to_state: str | None
    username: str
    role: str
    reason: str | None
    data: dict[str, Any]
    ruleset: str


@dataclass
class Snapshot:
    """A case as its events describe it at some moment."""

    state: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    facts: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    events: int = 0
    last_reason: str | None = None


def day_end_stamp(day: date, zone: tzinfo = LOCAL_ZONE) -> str | None:
    """The UTC stamp at which `day` ends in `zone` (``None``: the calendar's last day)."""
    if day >= date.max:
        return None
    end = datetime.combine(day + timedelta(days=1), time(), zone).astimezone(UTC)
    return end.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def replay(
    events: Iterable[EventView], until: date | None = None, zone: tzinfo = LOCAL_ZONE
) -> Snapshot:
    """Fold events (oldest first) into the case's state and data, up to the end of `until`.

    `until` is a day of `zone`'s calendar, the one the rules count in: an event at 20:00 UTC
    belongs to the next local day, as the ``opened_on`` of a case it opened does.
    """
    snapshot = Snapshot()
    bound = day_end_stamp(until, zone) if until is not None else None
    for event in events:
        if bound is not None and event.at >= bound:
            break
        snapshot.events += 1
        if event.to_state is not None:
            snapshot.state = event.to_state
        if event.reason:
            snapshot.last_reason = event.reason
        if event.action.startswith("record_"):
            snapshot.facts.setdefault(event.action.removeprefix("record_"), []).append(event.data)
        else:
            snapshot.data[event.action] = event.data
    return snapshot


def digest_matches(prev_digest: str, values: list, digest: str) -> bool:
    """Whether a stored event's digest is the one its previous digest and columns give."""
    return chain_digest(prev_digest, values) == digest
