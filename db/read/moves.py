"""The queries behind the moves pages: hand-overs both cells' secretaries see, members' transfers,
and the members a receiving cell may name as mentor. Filtered by the one scope rule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, aliased

from db.models import Case, CaseHandOver, Member, MemberTransfer, Organisation, Person
from db.read.scope import scope_clause
from workflow import policy
from workflow.facts import Actor
from workflow.moves import HandOverStatus, TransferKind
from workflow.policy import Purpose

_FROM, _TO = aliased(Organisation), aliased(Organisation)


@dataclass(frozen=True)
class HandOverRow:
    """A hand-over as the list shows it; `direction` is the reader's side of it."""

    id: int
    case_id: int
    name: str
    state: str
    from_cell: str
    to_cell: str
    to_cell_id: int
    status: HandOverStatus
    reason: str
    requested_on: date
    decided_on: date | None
    answer: str | None
    direction: str  # incoming, outgoing, within
    #: The reader may accept or decline it (the receiving cell's secretary, while pending).
    may_accept: bool
    #: The reader may withdraw it (the sending cell's secretary, while pending).
    may_cancel: bool


def hand_overs(session: Session, actor: Actor, *, pending_only: bool = False) -> list[HandOverRow]:
    """The hand-overs from or to a cell the actor reads, newest first."""
    scope = policy.scope(actor, Purpose.cases)
    secretary = policy.scope(actor, Purpose.identify)
    query = (
        select(
            CaseHandOver,
            Person.full_name,
            Case.state,
            _FROM.name,
            _FROM.path,
            _TO.name,
            _TO.path,
        )
        .join(Case, Case.id == CaseHandOver.case_id)
        .join(Person, Person.id == Case.person_id)
        .join(_FROM, _FROM.id == CaseHandOver.from_cell_id)
        .join(_TO, _TO.id == CaseHandOver.to_cell_id)
        .where(
            or_(
                scope_clause(scope, _FROM.path),
                scope_clause(scope, _TO.path),
            )
        )
        .order_by(CaseHandOver.id.desc())
    )
    if pending_only:
        query = query.where(CaseHandOver.status == HandOverStatus.pending.value)
    rows = []
    for h, name, state, from_name, from_path, to_name, to_path in session.execute(query):
        sees_from, sees_to = scope.covers(from_path), scope.covers(to_path)
        direction = "within" if sees_from and sees_to else "incoming" if sees_to else "outgoing"
        pending = h.status == HandOverStatus.pending.value
        rows.append(
            HandOverRow(
                id=h.id,
                case_id=h.case_id,
                name=name,
                state=state,
                from_cell=from_name,
                to_cell=to_name,
                to_cell_id=h.to_cell_id,
                status=HandOverStatus(h.status),
                reason=h.reason,
                requested_on=h.requested_on,
                decided_on=h.decided_on,
                answer=h.answer,
                direction=direction,
                may_accept=pending and secretary.covers(to_path),
                may_cancel=pending and secretary.covers(from_path),
            )
        )
    return rows


def pending_for_case(session: Session, case_id: int) -> HandOverRow | None:
    """The case's pending hand-over, for its page (the case page checked the scope)."""
    row = session.execute(
        select(CaseHandOver, _TO.name, _FROM.name)
        .join(_TO, _TO.id == CaseHandOver.to_cell_id)
        .join(_FROM, _FROM.id == CaseHandOver.from_cell_id)
        .where(
            CaseHandOver.case_id == case_id,
            CaseHandOver.status == HandOverStatus.pending.value,
        )
    ).first()
    if row is None:
        return None
    h, to_name, from_name = row
    return HandOverRow(
        h.id,
        h.case_id,
        "",
        "",
        from_name,
        to_name,
        h.to_cell_id,
        HandOverStatus.pending,
        h.reason,
        h.requested_on,
        None,
        None,
        "outgoing",
        False,
        True,
    )


@dataclass(frozen=True)
class TransferRow:
    """A member's transfer as the list shows it."""

    id: int
    member: str
    kind: TransferKind
    from_cell: str
    to_cell: str
    starts_on: date
    ends_on: date | None
    reason: str


def transfers(session: Session, actor: Actor) -> list[TransferRow]:
    """The transfers from or to a cell the actor reads, newest first."""
    scope = policy.scope(actor, Purpose.cases)
    query = (
        select(MemberTransfer, Person.full_name, _FROM.name, _TO.name)
        .join(Member, Member.id == MemberTransfer.member_id)
        .join(Person, Person.id == Member.person_id)
        .join(_FROM, _FROM.id == MemberTransfer.from_cell_id)
        .join(_TO, _TO.id == MemberTransfer.to_cell_id)
        .where(or_(scope_clause(scope, _FROM.path), scope_clause(scope, _TO.path)))
        .order_by(MemberTransfer.id.desc())
    )
    return [
        TransferRow(t.id, name, TransferKind(t.kind), f, to, t.starts_on, t.ends_on, t.reason)
        for t, name, f, to in session.execute(query)
    ]


def members_in_scope(session: Session, actor: Actor) -> list[tuple[int, str, str]]:
    """The party members of the cells the actor's committee covers: ``(id, name, cell)``."""
    scope = policy.scope(actor, Purpose.decide)
    query = (
        select(Member.id, Person.full_name, Organisation.name)
        .join(Person, Person.id == Member.person_id)
        .join(Organisation, Organisation.id == Member.cell_id)
        .where(Member.left_on.is_(None), scope_clause(scope, Organisation.path))
        .order_by(Organisation.name, Person.full_name, Member.id)
    )
    return [(r[0], r[1], r[2]) for r in session.execute(query)]
