"""The use cases of moves: a case handed over to another cell; a member's activity transferred.

A hand-over is two steps, as a real office runs it (``workflow.moves``): the sending cell's
secretary hands the file over (``hand_over_case``), the receiving cell's secretary accepts it and
names the mentor (``accept_hand_over``) or declines it; the sender may withdraw it meanwhile
(``cancel_hand_over``). A committee covering both cells does it in one step. Each step is an event
of the case; on acceptance the case's cell changes, so the scope follows the case.
"""

from __future__ import annotations

from typing import Any

from workflow import policy
from workflow.clock import Clock
from workflow.errors import InvalidInput, InvalidTransition, NotAllowed, NotFound
from workflow.events import new_event
from workflow.facts import Actor, CaseFacts, MemberFacts
from workflow.fields import parse_date
from workflow.moves import (
    CellRef,
    HandOver,
    HandOverStatus,
    MoveAction,
    Transfer,
    TransferKind,
    check_destination,
    check_mentor,
    check_movable,
    check_reason,
    check_transfer,
)
from workflow.ports import UnitOfWork
from workflow.states import MemberStatus, Role

_P = policy.Purpose


def _secretary_of(actor: Actor, path: str) -> bool:
    return policy.scope(actor, _P.identify).covers(path)


def _committee_of(actor: Actor, *paths: str) -> bool:
    committee = policy.scope(actor, _P.decide)
    return all(committee.covers(p) for p in paths)


def _event(
    uow: UnitOfWork,
    actor: Actor,
    role: str,
    action: MoveAction,
    clock: Clock,
    *,
    case_id: int | None,
    organisation_id: int | None,
    data: dict[str, Any],
    reason: str | None = None,
) -> None:
    uow.history.append(
        new_event(
            actor,
            role,
            action,
            clock,
            uow.settings.rules.version,
            case_id=case_id,
            organisation_id=organisation_id,
            reason=reason,
            data=data,
        )
    )


def _case(uow: UnitOfWork, actor: Actor, case_id: int) -> CaseFacts:
    case = uow.cases.get(case_id, for_update=True)
    facts = uow.cases.facts(case, "move") if case is not None else None
    if facts is None or not policy.can_see(actor, facts):
        raise NotFound(f"no case {case_id}")
    return facts


def _mentor(uow: UnitOfWork, mentor_id: int | None) -> MemberFacts | None:
    if mentor_id is None:
        return None
    mentor = uow.moves.member(mentor_id)
    if mentor is None:
        raise InvalidInput("mentor", f"no party member with id {mentor_id}")
    return mentor


def _cells(uow: UnitOfWork, h: HandOver) -> tuple[CellRef, CellRef]:
    source, dest = uow.moves.cell(h.from_cell_id), uow.moves.cell(h.to_cell_id)
    assert source is not None and dest is not None  # foreign keys
    return source, dest


def _hand_over_data(h: HandOver, source: CellRef, dest: CellRef, **extra: Any) -> dict[str, Any]:
    return {
        "hand_over": h.id,
        "from_cell": source.name,
        "from_cell_id": source.id,
        "to_cell": dest.name,
        "to_cell_id": dest.id,
        **{k: v for k, v in extra.items() if v is not None},
    }


def hand_over_case(
    uow: UnitOfWork,
    actor: Actor,
    case_id: int,
    to_cell_id: int | None,
    reason: str | None,
    *,
    mentor_id: int | None = None,
    clock: Clock | None = None,
) -> HandOver:
    """Hand the case's file over to another cell: pending until that cell accepts, or done at
    once by a committee whose scope covers both cells (then naming the new mentor)."""
    clock = clock or Clock.system()
    reason = check_reason(reason)
    if to_cell_id is None:
        raise InvalidInput("to_cell", "is required")
    with uow:
        facts = _case(uow, actor, case_id)
        source = uow.moves.cell(facts.cell_id)
        assert source is not None
        dest = check_destination(facts.cell_id, uow.moves.cell(to_cell_id))
        one_step = _committee_of(actor, source.path, dest.path)
        if not one_step and not _secretary_of(actor, source.path):
            raise NotAllowed(f"{actor.username} may not hand case {case_id} over")
        check_movable(facts.state)
        if uow.moves.pending_hand_over(case_id) is not None:
            raise InvalidTransition(f"case {case_id} is already being handed over")
        role = Role.committee if one_step else Role.secretary
        mentor = None
        if one_step:
            mentor = check_mentor(facts.state, _mentor(uow, mentor_id), dest.id, facts.person_id)
        elif mentor_id is not None:
            raise InvalidInput("mentor", "is named by the receiving cell when it accepts")
        h = uow.moves.add_hand_over(case_id, source.id, dest.id, reason, actor, clock.today)
        data = _hand_over_data(h, source, dest)
        _event(
            uow,
            actor,
            role,
            MoveAction.hand_over_case,
            clock,
            case_id=case_id,
            organisation_id=source.id,
            data=data,
            reason=reason,
        )
        if one_step:
            h = _accept(uow, actor, role, h, facts, mentor, clock)
        uow.commit()
        return h


def _accept(
    uow: UnitOfWork,
    actor: Actor,
    role: str,
    h: HandOver,
    facts: CaseFacts,
    mentor: MemberFacts | None,
    clock: Clock,
) -> HandOver:
    source, dest = _cells(uow, h)
    uow.moves.move_case(h.case_id, dest.id, mentor.id if mentor else None, clock.today)
    h = uow.moves.close_hand_over(h, HandOverStatus.accepted, actor, clock.today)
    previous = facts.mentor.name if facts.mentor else None
    data = _hand_over_data(
        h,
        source,
        dest,
        mentor=mentor.name if mentor else None,
        mentor_id=mentor.id if mentor else None,
        previous_mentor=previous,
    )
    _event(
        uow,
        actor,
        role,
        MoveAction.accept_hand_over,
        clock,
        case_id=h.case_id,
        organisation_id=dest.id,
        data=data,
    )
    return h


def _pending(uow: UnitOfWork, actor: Actor, hand_over_id: int) -> tuple[HandOver, CellRef, CellRef]:
    """The hand-over, locked, if the actor may know of it (else NotFound); pending, else refused."""
    h = uow.moves.hand_over(hand_over_id, for_update=True)
    if h is None:
        raise NotFound(f"no hand-over {hand_over_id}")
    source, dest = _cells(uow, h)
    readers = policy.scope(actor, _P.cases)
    if not (readers.covers(source.path) or readers.covers(dest.path)):
        raise NotFound(f"no hand-over {hand_over_id}")
    if h.status != HandOverStatus.pending:
        raise InvalidTransition(f"hand-over {hand_over_id} is already {h.status}")
    return h, source, dest


def view_hand_over(uow: UnitOfWork, actor: Actor, hand_over_id: int) -> HandOver:
    """The hand-over, if the actor reads either cell."""
    with uow:
        h = uow.moves.hand_over(hand_over_id)
        if h is None:
            raise NotFound(f"no hand-over {hand_over_id}")
        source, dest = _cells(uow, h)
        readers = policy.scope(actor, _P.cases)
        if not (readers.covers(source.path) or readers.covers(dest.path)):
            raise NotFound(f"no hand-over {hand_over_id}")
        return h


def accept_hand_over(
    uow: UnitOfWork,
    actor: Actor,
    hand_over_id: int,
    mentor_id: int | None,
    *,
    clock: Clock | None = None,
) -> HandOver:
    """The receiving cell's secretary takes the case over and names its mentor."""
    clock = clock or Clock.system()
    with uow:
        h, _source, dest = _pending(uow, actor, hand_over_id)
        if not _secretary_of(actor, dest.path):
            raise NotAllowed(f"{actor.username} may not accept hand-over {hand_over_id}")
        case = uow.cases.get(h.case_id, for_update=True)
        assert case is not None
        facts = uow.cases.facts(case, "move")
        # The case moved on meanwhile (submitted, withdrawn): it no longer moves this way.
        check_movable(facts.state)
        mentor = check_mentor(facts.state, _mentor(uow, mentor_id), dest.id, facts.person_id)
        h = _accept(uow, actor, Role.secretary, h, facts, mentor, clock)
        uow.commit()
        return h


def decline_hand_over(
    uow: UnitOfWork,
    actor: Actor,
    hand_over_id: int,
    reason: str | None,
    *,
    clock: Clock | None = None,
) -> HandOver:
    """The receiving cell's secretary declines (with a reason): the case stays where it was."""
    return _close(uow, actor, hand_over_id, reason, HandOverStatus.declined, clock)


def cancel_hand_over(
    uow: UnitOfWork,
    actor: Actor,
    hand_over_id: int,
    reason: str | None,
    *,
    clock: Clock | None = None,
) -> HandOver:
    """The sending cell's secretary withdraws a hand-over not yet accepted (with a reason)."""
    return _close(uow, actor, hand_over_id, reason, HandOverStatus.cancelled, clock)


def _close(
    uow: UnitOfWork,
    actor: Actor,
    hand_over_id: int,
    reason: str | None,
    status: HandOverStatus,
    clock: Clock | None,
) -> HandOver:
    clock = clock or Clock.system()
    reason = check_reason(reason)
    with uow:
        h, source, dest = _pending(uow, actor, hand_over_id)
        side = dest if status == HandOverStatus.declined else source
        if not _secretary_of(actor, side.path):
            raise NotAllowed(f"{actor.username} may not {status} hand-over {hand_over_id}")
        h = uow.moves.close_hand_over(h, status, actor, clock.today, reason)
        action = (
            MoveAction.decline_hand_over
            if status == HandOverStatus.declined
            else MoveAction.cancel_hand_over
        )
        _event(
            uow,
            actor,
            Role.secretary,
            action,
            clock,
            case_id=h.case_id,
            organisation_id=side.id,
            data=_hand_over_data(h, source, dest),
            reason=reason,
        )
        uow.commit()
        return h


def transfer_member(
    uow: UnitOfWork,
    actor: Actor,
    member_id: int,
    kind: str,
    to_cell_id: int | None,
    starts_on: Any,
    ends_on: Any = None,
    reason: str | None = None,
    *,
    mentor_id: int | None = None,
    clock: Clock | None = None,
) -> Transfer:
    """The committee transfers a member's party activity, officially (the member's cell, and a
    probation case with its scope, move to `to_cell_id`) or temporarily (an attachment to a host
    cell between two dates; still counted at home)."""
    clock = clock or Clock.system()
    reason = check_reason(reason)
    starts, ends = parse_date("starts_on", starts_on), parse_date("ends_on", ends_on)
    transfer_kind = check_transfer(kind, starts, ends, clock.today)
    if to_cell_id is None:
        raise InvalidInput("to_cell", "is required")
    assert starts is not None
    with uow:
        member = uow.moves.member(member_id)
        home = uow.moves.cell(member.cell_id) if member is not None else None
        if member is None or home is None or not policy.scope(actor, _P.cases).covers(home.path):
            raise NotFound(f"no party member {member_id}")
        if not _committee_of(actor, home.path):
            raise NotAllowed(f"{actor.username} may not transfer member {member_id}")
        dest = check_destination(member.cell_id, uow.moves.cell(to_cell_id))
        case_id = uow.moves.probation_case(member_id)
        mentor = None
        if transfer_kind == TransferKind.official and case_id is not None:
            mentor = check_mentor("", _mentor(uow, mentor_id), dest.id, member.person_id)
        elif mentor_id is not None:
            raise InvalidInput("mentor", "only an official transfer of a probation names a helper")
        t = uow.moves.add_transfer(
            member, transfer_kind, dest.id, starts, ends, reason, actor, clock.today
        )
        if case_id is not None and transfer_kind == TransferKind.official:
            uow.moves.move_case(case_id, dest.id, mentor.id if mentor else None, clock.today)
        data = {
            "transfer": t.id,
            "kind": str(transfer_kind),
            "member": member.name,
            "member_id": member.id,
            "probationary": member.status == MemberStatus.probationary,
            "from_cell": home.name,
            "from_cell_id": home.id,
            "to_cell": dest.name,
            "to_cell_id": dest.id,
            "starts_on": starts.isoformat(),
            **({"ends_on": ends.isoformat()} if ends else {}),
            **({"mentor": mentor.name, "mentor_id": mentor.id} if mentor else {}),
        }
        _event(
            uow,
            actor,
            Role.committee,
            MoveAction.transfer_member,
            clock,
            case_id=case_id,
            organisation_id=home.id,
            data=data,
            reason=reason,
        )
        uow.commit()
        return t
