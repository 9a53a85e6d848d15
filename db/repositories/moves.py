"""The moves repository: hand-overs of a case's file and transfers of a member's party activity.
No permission check, no event, no commit: the use cases (``workflow.services.moves``) do those.
Who counts in a cell's votes on a date is ``db.repositories.rule_facts.cell_roll``.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from db.models import (
    Case,
    CaseHandOver,
    Member,
    MemberTransfer,
    MentorAssignment,
    Organisation,
    Person,
)
from workflow.errors import Conflict
from workflow.facts import Actor, MemberFacts
from workflow.moves import CellRef, HandOver, HandOverStatus, Transfer, TransferKind
from workflow.states import MemberStatus, OrgType, State


def _hand_over(row: CaseHandOver) -> HandOver:
    return HandOver(
        id=row.id,
        case_id=row.case_id,
        from_cell_id=row.from_cell_id,
        to_cell_id=row.to_cell_id,
        status=HandOverStatus(row.status),
        reason=row.reason,
        requested_on=row.requested_on,
        requested_by=row.requested_by,
        decided_on=row.decided_on,
        decided_by=row.decided_by,
        answer=row.answer,
    )


class SqlMoves:
    """Hand-overs and transfers in one session."""

    def __init__(self, session: Session):
        self.session = session

    def cell(self, organisation_id: int) -> CellRef | None:
        """The organisation as a move sees it; ``None`` if there is none."""
        org = self.session.get(Organisation, organisation_id)
        if org is None:
            return None
        return CellRef(org.id, org.name, org.path, org.type == OrgType.cell.value)

    def member(self, member_id: int) -> MemberFacts | None:
        """A party member still in the party; ``None`` if unknown or gone."""
        row = self.session.execute(
            select(Member, Person.full_name)
            .join(Person, Person.id == Member.person_id)
            .where(Member.id == member_id, Member.left_on.is_(None))
        ).first()
        if row is None:
            return None
        m, name = row
        return MemberFacts(
            m.id,
            name,
            m.cell_id,
            MemberStatus(m.status),
            m.admitted_on,
            m.person_id,
            m.official_since,
        )

    def pending_hand_over(self, case_id: int) -> HandOver | None:
        """The case's hand-over awaiting the receiving cell, if any."""
        row = self.session.scalar(
            select(CaseHandOver).where(
                CaseHandOver.case_id == case_id,
                CaseHandOver.status == HandOverStatus.pending.value,
            )
        )
        return _hand_over(row) if row is not None else None

    def hand_over(self, hand_over_id: int, *, for_update: bool = False) -> HandOver | None:
        query = select(CaseHandOver).where(CaseHandOver.id == hand_over_id)
        if for_update:
            query = query.with_for_update()
        row = self.session.scalar(query)
        return _hand_over(row) if row is not None else None

    def add_hand_over(
        self, case_id: int, from_cell_id: int, to_cell_id: int, reason: str, actor: Actor, on: date
    ) -> HandOver:
        row = CaseHandOver(
            case_id=case_id,
            from_cell_id=from_cell_id,
            to_cell_id=to_cell_id,
            status=HandOverStatus.pending.value,
            reason=reason,
            requested_on=on,
            requested_by=actor.user_id,
            version=1,
        )
        self.session.add(row)
        self.session.flush()
        return _hand_over(row)

    def close_hand_over(
        self,
        hand_over: HandOver,
        status: HandOverStatus,
        actor: Actor,
        on: date,
        answer: str | None = None,
    ) -> HandOver:
        """Record the outcome; a hand-over closed meanwhile raises Conflict."""
        mentor = self.session.scalar(select(Case.mentor_id).where(Case.id == hand_over.case_id))
        done = self.session.execute(
            update(CaseHandOver)
            .where(
                CaseHandOver.id == hand_over.id,
                CaseHandOver.status == HandOverStatus.pending.value,
            )
            .values(
                status=status.value,
                decided_on=on,
                decided_by=actor.user_id,
                answer=answer,
                mentor_id=mentor if status == HandOverStatus.accepted else None,
                version=CaseHandOver.version + 1,
            )
            .execution_options(synchronize_session=False)
        )
        if done.rowcount != 1:
            raise Conflict(f"hand-over {hand_over.id} was decided meanwhile; reload")
        row = self.session.get(CaseHandOver, hand_over.id, populate_existing=True)
        assert row is not None
        return _hand_over(row)

    def move_case(self, case_id: int, to_cell_id: int, mentor_id: int | None, on: date) -> None:
        """The case now belongs to `to_cell_id`; the mentor changes on `on`; the version steps."""
        self.session.execute(
            update(MentorAssignment)
            .where(MentorAssignment.case_id == case_id, MentorAssignment.until.is_(None))
            .values(until=on)
            .execution_options(synchronize_session=False)
        )
        if mentor_id is not None:
            self.session.add(MentorAssignment(case_id=case_id, member_id=mentor_id, since=on))
        self.session.execute(
            update(Case)
            .where(Case.id == case_id)
            .values(cell_id=to_cell_id, mentor_id=mentor_id, version=Case.version + 1)
            .execution_options(synchronize_session=False)
        )
        self.session.flush()

    def probation_case(self, member_id: int) -> int | None:
        """The open case whose probation the member serves, if any."""
        return self.session.scalar(
            select(Case.id).where(Case.member_id == member_id, Case.state == State.admitted.value)
        )

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
        row = MemberTransfer(
            member_id=member.id,
            kind=kind.value,
            from_cell_id=member.cell_id,
            to_cell_id=to_cell_id,
            starts_on=starts_on,
            ends_on=ends_on,
            reason=reason,
            recorded_on=on,
            recorded_by=actor.user_id,
        )
        self.session.add(row)
        if kind == TransferKind.official:
            self.session.execute(
                update(Member)
                .where(Member.id == member.id)
                .values(cell_id=to_cell_id)
                .execution_options(synchronize_session=False)
            )
        self.session.flush()
        return Transfer(
            row.id,
            row.member_id,
            kind,
            row.from_cell_id,
            row.to_cell_id,
            row.starts_on,
            row.ends_on,
            row.reason,
        )
