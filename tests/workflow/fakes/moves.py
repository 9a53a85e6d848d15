"""The MoveRepository port in memory: hand-overs and transfers over the fake district's cases."""

from __future__ import annotations

import copy
from dataclasses import replace
from datetime import date
from typing import Any

from tests.workflow.fakes.cases import DISTRICT, GRASSROOTS, FakeCases
from workflow.errors import Conflict
from workflow.facts import Actor, MemberFacts
from workflow.moves import CellRef, HandOver, HandOverStatus, Transfer, TransferKind

#: The committees of the fake district: organisations that are not party cells.
COMMITTEES = {1: DISTRICT, 2: GRASSROOTS}


class FakeMoves:
    """Hand-overs and transfers; cases and members are the fake case repository's."""

    def __init__(self, cases: FakeCases) -> None:
        self.cases = cases
        cases.moves = self  # the cell's vote roll follows the transfers (``FakeCases.cell_roll``)
        self.hand_overs: dict[int, HandOver] = {}
        self.transfers: list[Transfer] = []
        #: Member id → the case whose probation they serve (tests set it).
        self.probation: dict[int, int] = {}
        #: Members who left the party: member id → the day they left.
        self.left: dict[int, date] = {}

    def snapshot(self) -> Any:
        return copy.deepcopy((self.hand_overs, self.transfers, self.cases.members))

    def restore(self, saved: Any) -> None:
        self.hand_overs, self.transfers, members = saved
        self.cases.members.clear()
        self.cases.members.update(members)

    def cell(self, organisation_id: int) -> CellRef | None:
        if organisation_id in COMMITTEES:
            return CellRef(organisation_id, "Đảng ủy", COMMITTEES[organisation_id], False)
        cell = self.cases.cells.get(organisation_id)
        return CellRef(cell.id, f"Chi bộ {cell.id}", cell.path, True) if cell else None

    def member(self, member_id: int) -> MemberFacts | None:
        return None if member_id in self.left else self.cases.members.get(member_id)

    def pending_hand_over(self, case_id: int) -> HandOver | None:
        return next(
            (
                h
                for h in self.hand_overs.values()
                if h.case_id == case_id and h.status == HandOverStatus.pending
            ),
            None,
        )

    def hand_over(self, hand_over_id: int, *, for_update: bool = False) -> HandOver | None:
        return self.hand_overs.get(hand_over_id)

    def add_hand_over(
        self, case_id: int, from_cell_id: int, to_cell_id: int, reason: str, actor: Actor, on: date
    ) -> HandOver:
        h = HandOver(
            len(self.hand_overs) + 1,
            case_id,
            from_cell_id,
            to_cell_id,
            HandOverStatus.pending,
            reason,
            on,
            actor.user_id,
        )
        self.hand_overs[h.id] = h
        return h

    def close_hand_over(
        self,
        hand_over: HandOver,
        status: HandOverStatus,
        actor: Actor,
        on: date,
        answer: str | None = None,
    ) -> HandOver:
        if self.hand_overs[hand_over.id].status != HandOverStatus.pending:
            raise Conflict("decided meanwhile")
        closed = replace(
            hand_over, status=status, decided_on=on, decided_by=actor.user_id, answer=answer
        )
        self.hand_overs[hand_over.id] = closed
        return closed

    def move_case(self, case_id: int, to_cell_id: int, mentor_id: int | None, on: date) -> None:
        case = self.cases.items[case_id]
        case.cell_id = to_cell_id
        case.mentor = self.cases.members[mentor_id] if mentor_id is not None else None
        case.version += 1

    def probation_case(self, member_id: int) -> int | None:
        return self.probation.get(member_id)

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
        t = Transfer(
            len(self.transfers) + 1,
            member.id,
            kind,
            member.cell_id,
            to_cell_id,
            starts_on,
            ends_on,
            reason,
        )
        self.transfers.append(t)
        if kind == TransferKind.official:
            self.cases.members[member.id] = replace(member, cell_id=to_cell_id)
        return t
