"""Moves: a candidate's file handed over to another cell, a member's party activity transferred.

Pure: the names, the states that may move, the plain values the storage layer hands back, and
the checks (each refusal names its field). The use cases are ``workflow.services.moves``.

How a real office does it (docs/moves.md): the cell the candidate leaves hands the file over,
naming the receiving cell and a reason; the receiving cell's secretary accepts it and assigns a
mentor of their own cell (or declines, with a reason); the sending secretary may withdraw a
hand-over not yet accepted. A committee whose scope covers both cells may do it in one step.
A member's party activity is transferred by the committee: officially (the member's cell
changes, and a probation case follows them) or temporarily (an attachment to a host cell between
two dates; the member still belongs to, and counts at, the home cell).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from workflow import text as texts
from workflow.errors import InvalidInput
from workflow.facts import MemberFacts
from workflow.states import MemberStatus, State

#: The longest reason a move may give (the column's size).
REASON_LIMIT = 500

#: Only a case still being prepared moves by hand-over: once the dossier is with the deciding
#: body the committee returns it first; after admission the member's activity is transferred.
MOVABLE_STATES = frozenset({State.identified, State.mentored, State.trained, State.returned})
#: States in which a case has a mentor, so the receiving cell must name one.
MENTORED_STATES = frozenset({State.mentored, State.trained, State.returned})


class MoveAction(StrEnum):
    """The history actions of moves (case events, or the member's cell's events)."""

    hand_over_case = "hand_over_case"
    accept_hand_over = "accept_hand_over"
    decline_hand_over = "decline_hand_over"
    cancel_hand_over = "cancel_hand_over"
    transfer_member = "transfer_member"


class HandOverStatus(StrEnum):
    """Where a hand-over stands."""

    pending = "pending"
    accepted = "accepted"
    declined = "declined"
    cancelled = "cancelled"


class TransferKind(StrEnum):
    """How a member's party activity moves."""

    official = "official"  # chuyển sinh hoạt chính thức: the member's cell changes
    temporary = "temporary"  # chuyển sinh hoạt tạm thời: attached to a host cell, counted at home


#: The actions' labels, for the timeline and the audit log.
ACTION_LABELS: dict[str, tuple[str, str]] = {
    MoveAction.hand_over_case: ("Chuyển hồ sơ sang chi bộ khác", "Hand the case over"),
    MoveAction.accept_hand_over: ("Tiếp nhận hồ sơ chuyển đến", "Accept a handed-over case"),
    MoveAction.decline_hand_over: ("Từ chối tiếp nhận hồ sơ", "Decline a handed-over case"),
    MoveAction.cancel_hand_over: ("Rút lại việc chuyển hồ sơ", "Withdraw a hand-over"),
    MoveAction.transfer_member: ("Chuyển sinh hoạt đảng", "Transfer party activity"),
}
HAND_OVER_LABELS: dict[str, tuple[str, str]] = {
    HandOverStatus.pending: ("Chờ chi bộ nhận", "Awaiting the receiving cell"),
    HandOverStatus.accepted: ("Đã tiếp nhận", "Accepted"),
    HandOverStatus.declined: ("Chi bộ nhận từ chối", "Declined by the receiving cell"),
    HandOverStatus.cancelled: ("Đã rút lại", "Withdrawn by the sending cell"),
}
TRANSFER_LABELS: dict[str, tuple[str, str]] = {
    TransferKind.official: ("Chuyển sinh hoạt chính thức", "Official transfer"),
    TransferKind.temporary: ("Chuyển sinh hoạt tạm thời", "Temporary attachment"),
}


@dataclass(frozen=True)
class CellRef:
    """An organisation as a move sees it: whether it is a party cell, and where it sits."""

    id: int
    name: str
    path: str
    is_cell: bool


@dataclass(frozen=True)
class HandOver:
    """A case's file on its way from one cell to another."""

    id: int
    case_id: int
    from_cell_id: int
    to_cell_id: int
    status: HandOverStatus
    reason: str
    requested_on: date
    requested_by: int
    decided_on: date | None = None
    decided_by: int | None = None
    answer: str | None = None


@dataclass(frozen=True)
class Transfer:
    """A member's transfer of party activity."""

    id: int
    member_id: int
    kind: TransferKind
    from_cell_id: int
    to_cell_id: int
    starts_on: date
    ends_on: date | None
    reason: str


def check_reason(value: str | None, field: str = "reason") -> str:
    """A reason is required and fits its column."""
    text = (value or "").strip()
    texts.check_characters(field, text)
    if not text:
        raise InvalidInput(field, "is required")
    if len(text) > REASON_LIMIT:
        raise InvalidInput(field, f"at most {REASON_LIMIT} characters")
    return text


def check_destination(from_cell_id: int, to: CellRef | None) -> CellRef:
    """The receiving organisation must be another party cell."""
    if to is None or not to.is_cell:
        raise InvalidInput("to_cell", "is not a party cell")
    if to.id == from_cell_id:
        raise InvalidInput("to_cell", "is the cell the case or member is already in")
    return to


def check_movable(state: str) -> None:
    """Only an open case before the dossier goes up moves by hand-over."""
    if state not in MOVABLE_STATES:
        raise InvalidInput(
            "case", f"a case in state {state!r} cannot be handed over (only before submission)"
        )


def check_mentor(
    state: str, mentor: MemberFacts | None, cell_id: int, person_id: int | None
) -> MemberFacts | None:
    """The mentor the receiving cell names: an official member of that cell, not the candidate;
    required when the case has a mentor already (mentored, trained, returned)."""
    if mentor is None:
        if state in MENTORED_STATES:
            raise InvalidInput("mentor", "is required: the case has a mentor to replace")
        return None
    if mentor.cell_id != cell_id:
        raise InvalidInput("mentor", "is not a member of the receiving cell")
    if mentor.status != MemberStatus.official:
        raise InvalidInput("mentor", "is not an official member")
    if person_id is not None and mentor.person_id == person_id:
        raise InvalidInput("mentor", "is the candidate")
    return mentor


def check_transfer(
    kind: str, starts_on: date | None, ends_on: date | None, today: date
) -> TransferKind:
    """An official transfer starts on a date; a temporary one also ends on a later date."""
    try:
        kind = TransferKind(kind)
    except ValueError:
        raise InvalidInput("kind", "is neither official nor temporary") from None
    if starts_on is None:
        raise InvalidInput("starts_on", "is required")
    if kind == TransferKind.temporary:
        if ends_on is None:
            raise InvalidInput("ends_on", "is required for a temporary attachment")
        if ends_on <= starts_on:
            raise InvalidInput("ends_on", "must be after the start")
    elif ends_on is not None:
        raise InvalidInput("ends_on", "an official transfer has no end")
    if starts_on.year < 1930 or (starts_on - today).days > 366:
        raise InvalidInput("starts_on", "is not plausible")
    return kind
