"""What the move use cases need from storage: cells, members, hand-overs and transfers."""

from __future__ import annotations

from datetime import date
from typing import Protocol

from workflow.facts import Actor, MemberFacts
from workflow.moves import CellRef, HandOver, HandOverStatus, Transfer, TransferKind


class MoveRepository(Protocol):
    """Where moves are kept (``db.repositories.moves.SqlMoves``; a fake in tests)."""

    def cell(self, organisation_id: int) -> CellRef | None:
        """The organisation as a move sees it; ``None`` if there is none."""
        ...

    def member(self, member_id: int) -> MemberFacts | None:
        """A party member still in the party (not left); ``None`` if none."""
        ...

    def pending_hand_over(self, case_id: int) -> HandOver | None:
        """The case's hand-over awaiting the receiving cell, if any."""
        ...

    def hand_over(self, hand_over_id: int, *, for_update: bool = False) -> HandOver | None: ...

    def add_hand_over(
        self, case_id: int, from_cell_id: int, to_cell_id: int, reason: str, actor: Actor, on: date
    ) -> HandOver: ...

    def close_hand_over(
        self,
        hand_over: HandOver,
        status: HandOverStatus,
        actor: Actor,
        on: date,
        answer: str | None = None,
    ) -> HandOver:
        """Record the outcome; a hand-over closed meanwhile raises Conflict."""
        ...

    def move_case(self, case_id: int, to_cell_id: int, mentor_id: int | None, on: date) -> None:
        """The case now belongs to `to_cell_id`; its mentor (if any) ends and `mentor_id` starts
        on `on`; the case's version steps."""
        ...

    def probation_case(self, member_id: int) -> int | None:
        """The open case whose probation the member serves (state ``admitted``), if any."""
        ...

    def add_transfer(
        self,
        member: MemberFacts,
        kind: TransferKind,
        to_cell_id: int,
        starts_on: date,
        ends_on: date | None,
        reason: str,
        actor: Actor,
        on: date,
    ) -> Transfer:
        """Record the transfer; an official one also changes the member's cell."""
        ...
