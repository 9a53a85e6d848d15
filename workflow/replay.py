"""A case row rebuilt from its events, and where the stored row differs from it.

The events are the record; the ``cases`` row is a copy kept for speed. ``replay_case`` folds a
case's events (oldest first) into the columns they determine, as the use cases set them:
the state each transition reached, the version every change of the row stepped, the cell and
the mentor, the certificate, the cell's vote, the decisions, the ceremony, the closing day, the
day the case entered its state.
``differences`` names each column whose stored value is not the replayed one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from workflow.dates import LOCAL_ZONE
from workflow.definition import FACTS, SPECS
from workflow.states import CLOSED_STATES, Trigger

#: The columns of a case row that its events determine, in the order differences are named.
REPLAYED_COLUMNS = (
    "state",
    "version",
    "cell_id",
    "mentor_id",
    "opened_on",
    "source",
    "source_detail",
    "certificate_number",
    "certificate_date",
    "submitted_by_user_id",
    "cell_vote_date",
    "decision_number",
    "decision_date",
    "recognized_on",
    "decision_extension_days",
    "ceremony_on",
    "recognition_referred_on",
    "closed_on",
    "state_since",
)

#: The actions whose use case writes the case row through the case repository (``record``):
#: each steps the version and sets or clears the closing day. Identify creates the row at 1.
_RECORDED = frozenset(
    {*(str(t) for t in SPECS if t != Trigger.identify), *(f"record_{k}" for k in FACTS)}
)
_CLOSED = frozenset(str(s) for s in CLOSED_STATES)
#: What a recorded action copies from its data into the row: column ← data key.
_COPIES: dict[str, tuple[tuple[str, str], ...]] = {
    Trigger.assign_mentor: (("mentor_id", "mentor_id"),),
    Trigger.reassign_mentor: (("mentor_id", "mentor_id"),),
    Trigger.complete_training: (
        ("certificate_number", "certificate_number"),
        ("certificate_date", "certificate_date"),
    ),
    Trigger.submit_dossier: (("cell_vote_date", "vote_date"),),
    Trigger.admit: (("decision_number", "decision_number"), ("decision_date", "decision_date")),
    Trigger.recognize: (("decision_number", "decision_number"), ("recognized_on", "decision_date")),
    "record_ceremony": (("ceremony_on", "ceremony_date"),),
    "record_decision_extension": (("decision_extension_days", "days"),),
}


@dataclass(frozen=True)
class CaseEvent:
    """What the replay reads of one event of a case."""

    id: int
    at: str
    user_id: int
    action: str
    to_state: str | None
    data: Mapping[str, Any]


@dataclass(frozen=True)
class Difference:
    """A column of a stored case row that is not what its events give."""

    case_id: int
    column: str
    stored: Any
    replayed: Any

    def __str__(self) -> str:
        return (
            f"case {self.case_id}: {self.column} is {self.stored!r} in the row "
            f"but {self.replayed!r} by its events"
        )


def local_day(stamp: str) -> str:
    """The local calendar day (ISO) of an event's UTC stamp: the ``today`` of its use case."""
    moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    return moment.astimezone(LOCAL_ZONE).date().isoformat()


def replay_case(events: Iterable[CaseEvent]) -> dict[str, Any]:
    """The columns of ``REPLAYED_COLUMNS`` as the case's events (oldest first) set them.

    Dates come out as ISO text (as the events hold them). No events: every column ``None``.
    """
    row: dict[str, Any] = dict.fromkeys(REPLAYED_COLUMNS)
    for event in events:
        action, data = event.action, event.data
        if action == Trigger.identify:
            row.update(
                state=event.to_state,
                state_since=local_day(event.at),
                version=1,
                cell_id=data.get("cell"),
                opened_on=local_day(event.at),
                source=data.get("source"),
                source_detail=data.get("source_detail"),
            )
            continue
        if action in _RECORDED:
            _recorded(row, event)
        elif action == "accept_hand_over" or (
            action == "transfer_member" and data.get("kind") == "official"
        ):
            # ``moves.move_case``: the cell and the mentor (none when not named), a new version.
            row.update(cell_id=data.get("to_cell_id"), mentor_id=data.get("mentor_id"))
            row["version"] = (row["version"] or 0) + 1
    return row


def _recorded(row: dict[str, Any], event: CaseEvent) -> None:
    """A transition or a fact written by the case repository (``SqlCases.record``)."""
    if event.to_state is not None:
        if event.to_state != row["state"]:
            # ``case_writes.entered_state``: a transition that keeps the state keeps the day.
            row["state_since"] = local_day(event.at)
        row["state"] = event.to_state
    for column, key in _COPIES.get(event.action, ()):
        row[column] = event.data.get(key)
    if event.action == Trigger.submit_dossier:
        row["submitted_by_user_id"] = event.user_id
    if event.action == "record_recognition_vote" and event.data.get("referred_to_higher_committee"):
        row["recognition_referred_on"] = event.data.get("vote_date")
    if row["state"] in _CLOSED:
        row["closed_on"] = row["closed_on"] or local_day(event.at)
    else:
        row["closed_on"] = None
    row["version"] = (row["version"] or 0) + 1


def _comparable(value: Any) -> Any:
    """Stored dates compare as the ISO text the events hold."""
    if isinstance(value, date):
        return value.isoformat()
    return value


def differences(case_id: int, stored: Mapping[str, Any], replayed: Mapping[str, Any]) -> list:
    """Each column of ``REPLAYED_COLUMNS`` whose stored value is not the replayed one."""
    found: list[Difference] = []
    for column in REPLAYED_COLUMNS:
        have, want = _comparable(stored.get(column)), _comparable(replayed.get(column))
        if have != want:
            found.append(Difference(case_id, column, have, want))
    return found
