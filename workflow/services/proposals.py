"""The use cases of proposals: an introducer proposes, the cell's secretary accepts or declines.

Every step is a history event without a case, whose organisation is the mass organisation
(``propose_candidate``, ``accept_proposal``, ``decline_proposal``); an acceptance also opens the
case with ``identify`` (the case use case's own rules, policy and event) in the same unit of work,
so that both commit together or neither does.
"""

from __future__ import annotations

from typing import Any

from workflow.clock import Clock
from workflow.errors import (
    Conflict,
    Failure,
    InvalidInput,
    InvalidTransition,
    NotAllowed,
    NotFound,
    RuleViolation,
)
from workflow.events import new_event
from workflow.facts import Actor
from workflow.fields import parse_fields
from workflow.ports import CaseRecord, UnitOfWork
from workflow.proposals import (
    DECLINE_FIELDS,
    FIELDS,
    ProposalAction,
    ProposalFacts,
    ProposalStatus,
    can_decide,
    can_see,
    check_decline,
    check_proposal,
    event_data,
    identify_fields,
    may_propose,
)
from workflow.services.cases import identify_in
from workflow.states import Role


def _visible(uow: UnitOfWork, actor: Actor, proposal_id: int, lock: bool = False) -> ProposalFacts:
    proposal = uow.proposals.get(proposal_id, for_update=lock)
    if proposal is None or not can_see(actor, proposal):
        raise NotFound(f"no proposal {proposal_id}")
    return proposal


def _decidable(
    uow: UnitOfWork, actor: Actor, proposal_id: int, expected_version: int | None
) -> ProposalFacts:
    """The proposal, locked, if the actor may decide it now."""
    proposal = _visible(uow, actor, proposal_id, lock=True)
    if not can_decide(actor, proposal):
        raise NotAllowed(f"{actor.username} may not decide proposal {proposal_id}")
    if proposal.status != ProposalStatus.proposed:
        raise InvalidTransition(f"proposal {proposal_id} is already {proposal.status}")
    if expected_version is not None and proposal.version != expected_version:
        raise Conflict(f"proposal {proposal_id} changed since it was loaded; reload and try again")
    return proposal


def _append(
    uow: UnitOfWork,
    actor: Actor,
    role: str,
    action: ProposalAction,
    proposal: ProposalFacts,
    clock: Clock,
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
            organisation_id=proposal.organisation_id,
            reason=reason,
            data=event_data(proposal, **data),
        )
    )


def view_proposal(uow: UnitOfWork, actor: Actor, proposal_id: int) -> ProposalFacts:
    """The proposal, if the actor may see it (their own, or their cell's)."""
    with uow:
        return _visible(uow, actor, proposal_id)


def propose_candidate(
    uow: UnitOfWork,
    actor: Actor,
    organisation_id: int,
    raw: dict[str, Any],
    *,
    clock: Clock | None = None,
) -> ProposalFacts:
    """An introducer proposes a person to the cell their mass organisation is attached to."""
    clock = clock or Clock.system()
    if not may_propose(actor, organisation_id):
        raise NotAllowed(f"{actor.username} does not propose for organisation {organisation_id}")
    values = parse_fields(FIELDS, raw)
    values.pop("reason", None)
    with uow:
        org = uow.proposals.mass_organisation(organisation_id)
        if org is None:
            raise NotFound(f"no mass organisation {organisation_id}")
        if org.cell_id is None:
            raise InvalidInput("organisation", "is not attached to a party cell")
        failures = check_proposal(values, clock.today)
        if not failures and uow.proposals.pending_same_person(org.cell_id, values) is not None:
            failures.append(
                Failure(
                    "single_pending_proposal",
                    "Người này đã được giới thiệu và đang chờ chi bộ xem xét.",
                    "This person has already been proposed and awaits the cell.",
                )
            )
        if failures:
            raise RuleViolation(failures)
        proposal = uow.proposals.add(org, values, actor, clock.today)
        details = {k: v for k, v in values.items() if v not in (None, "") and k != "full_name"}
        action = ProposalAction.propose_candidate
        _append(uow, actor, Role.introducer, action, proposal, clock, details)
        uow.commit()
        return proposal


def accept_proposal(
    uow: UnitOfWork,
    actor: Actor,
    proposal_id: int,
    *,
    expected_version: int | None = None,
    clock: Clock | None = None,
) -> tuple[ProposalFacts, CaseRecord]:
    """The cell's secretary accepts: the case opens (``identify``, source: the proposal) and the
    proposal keeps its id; both events commit together or neither does."""
    clock = clock or Clock.system()
    with uow:
        proposal = _decidable(uow, actor, proposal_id, expected_version)
        # The identify use case, without its commit: its rules judge the person (an open case
        # elsewhere refuses it, RuleViolation) and it appends the case's identify event.
        case = identify_in(uow, actor, identify_fields(proposal), clock)
        decided = uow.proposals.decide(
            proposal, ProposalStatus.accepted, actor, clock.today, case_id=case.id
        )
        _append(
            uow,
            actor,
            Role.secretary,
            ProposalAction.accept_proposal,
            decided,
            clock,
            {"case_id": case.id},
        )
        uow.commit()
        return decided, case


def decline_proposal(
    uow: UnitOfWork,
    actor: Actor,
    proposal_id: int,
    raw: dict[str, Any],
    *,
    expected_version: int | None = None,
    clock: Clock | None = None,
) -> ProposalFacts:
    """The cell's secretary declines, with a reason the introducer will read; no case opens."""
    clock = clock or Clock.system()
    with uow:
        proposal = _decidable(uow, actor, proposal_id, expected_version)
        reason = check_decline(parse_fields(DECLINE_FIELDS, raw))
        decided = uow.proposals.decide(
            proposal, ProposalStatus.declined, actor, clock.today, reason=reason
        )
        _append(
            uow,
            actor,
            Role.secretary,
            ProposalAction.decline_proposal,
            decided,
            clock,
            {},
            reason=reason,
        )
        uow.commit()
        return decided
