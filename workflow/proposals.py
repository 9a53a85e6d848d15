"""Introductions by mass organisations: an introducer proposes an outstanding member to the party
cell their organisation is attached to; the cell's secretary accepts (which opens the case with
``identify``) or declines with a reason. Plain rules and use cases; storage is behind a port.

A proposal is ``proposed`` until decided, then ``accepted`` (it keeps the id of the case it
opened) or ``declined`` (it keeps the reason). Every step is a history event without a case, whose
organisation is the mass organisation (``propose_candidate``, ``decline_proposal``,
``accept_proposal``); an acceptance also writes the new case's ``identify`` event, in the same
unit of work.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any, Protocol

from workflow import services
from workflow.definition import PERSON, FieldSpec
from workflow.errors import (
    Conflict,
    Failure,
    InvalidInput,
    InvalidTransition,
    NotAllowed,
    NotFound,
    RuleViolation,
)
from workflow.facts import Actor
from workflow.fields import parse_fields
from workflow.ports import CaseRecord, NewEvent, UnitOfWork
from workflow.services import Clock
from workflow.settings import DEFAULT_SETTINGS, RuleSettings
from workflow.states import Role, Source


class ProposalStatus(StrEnum):
    """Where a proposal stands."""

    proposed = "proposed"
    accepted = "accepted"
    declined = "declined"


STATUS_LABELS: dict[ProposalStatus, tuple[str, str]] = {
    ProposalStatus.proposed: ("Chờ chi bộ xem xét", "Awaiting the cell"),
    ProposalStatus.accepted: ("Chi bộ đã tiếp nhận", "Accepted by the cell"),
    ProposalStatus.declined: ("Chi bộ không tiếp nhận", "Declined by the cell"),
}


class ProposalAction(StrEnum):
    """The history actions of proposals (events without a case)."""

    propose_candidate = "propose_candidate"
    accept_proposal = "accept_proposal"
    decline_proposal = "decline_proposal"


#: How the history names each action, in Vietnamese and English.
ACTION_LABELS: dict[str, tuple[str, str]] = {
    ProposalAction.propose_candidate: ("Đoàn thể giới thiệu quần chúng", "Propose a candidate"),
    ProposalAction.accept_proposal: ("Tiếp nhận giới thiệu", "Accept a proposal"),
    ProposalAction.decline_proposal: ("Không tiếp nhận giới thiệu", "Decline a proposal"),
}

#: What the introducer writes: the person (as ``identify`` asks for them), then why.
DETAILS: tuple[FieldSpec, ...] = (
    FieldSpec("reasons", "text", "Lý do giới thiệu", "Reasons for the proposal"),
    FieldSpec("achievements", "text", "Thành tích", "Achievements"),
    FieldSpec(
        "movement", "str", "Phong trào, câu lạc bộ phát hiện", "Movement or club that noticed them"
    ),
)
FIELDS: tuple[FieldSpec, ...] = (*PERSON, *DETAILS)
PERSON_NAMES: tuple[str, ...] = tuple(spec.name for spec in PERSON)
DECLINE_FIELDS: tuple[FieldSpec, ...] = (FieldSpec("reason", "text", "Lý do", "Reason"),)
#: The longest text each short field may hold (the columns' sizes).
LIMITS = {
    "full_name": 200,
    "birth_place": 200,
    "hometown": 200,
    "ethnicity": 50,
    "religion": 50,
    "education": 100,
    "residence": 300,
    "occupation": 200,
    "id_number": 20,
    "movement": 300,
}


# --- what the use cases see -----------------------------------------------------------------


@dataclass(frozen=True)
class MassOrganisation:
    """A mass organisation and the party cell it is attached to (``None``: not to a cell)."""

    id: int
    name: str
    cell_id: int | None
    cell_name: str | None
    cell_path: str | None


@dataclass(frozen=True)
class ProposalFacts:
    """A stored proposal as the rules, the policy and the pages see it."""

    id: int
    status: ProposalStatus
    version: int
    organisation_id: int
    organisation_name: str
    cell_id: int
    cell_name: str
    cell_path: str
    introducer_id: int
    introducer_name: str
    proposed_on: date
    person: dict[str, Any] = field(default_factory=dict)
    reasons: str | None = None
    achievements: str | None = None
    movement: str | None = None
    decided_on: date | None = None
    decided_by_name: str | None = None
    decline_reason: str | None = None
    case_id: int | None = None

    @property
    def full_name(self) -> str:
        return self.person.get("full_name") or ""


class ProposalRepository(Protocol):
    """Where proposals are kept (``db.proposals.SqlProposals``; a fake in the tests)."""

    def mass_organisation(self, organisation_id: int) -> MassOrganisation | None: ...

    def get(self, proposal_id: int, *, for_update: bool = False) -> ProposalFacts | None: ...

    def pending_same_person(self, cell_id: int, person: dict[str, Any]) -> int | None:
        """A pending proposal of the same person to the same cell, if any."""
        ...

    def add(
        self, org: MassOrganisation, values: dict[str, Any], actor: Actor, today: date
    ) -> ProposalFacts: ...

    def decide(
        self,
        proposal: ProposalFacts,
        status: ProposalStatus,
        actor: Actor,
        today: date,
        *,
        case_id: int | None = None,
        reason: str | None = None,
    ) -> ProposalFacts: ...


class ProposalUnitOfWork(UnitOfWork, Protocol):
    """A unit of work that also holds the proposals."""

    proposals: ProposalRepository


# --- who may do what --------------------------------------------------------------------------


def introducer_organisations(actor: Actor) -> list[int]:
    """The mass organisations in which the actor proposes (their introducer grants)."""
    return sorted({g.organisation_id for g in actor.grants_for(Role.introducer)})


def may_propose(actor: Actor, organisation_id: int) -> bool:
    """An introducer proposes in the name of the organisation their grant is held in."""
    return organisation_id in introducer_organisations(actor)


def can_decide(actor: Actor, proposal: ProposalFacts) -> bool:
    """The secretary of the cell the proposal goes to (a grant covering the cell)."""
    return any(
        proposal.cell_path.startswith(g.scope_path) for g in actor.grants_for(Role.secretary)
    )


def is_own(actor: Actor, proposal: ProposalFacts) -> bool:
    """The actor made the proposal, as an introducer."""
    return bool(actor.grants_for(Role.introducer)) and proposal.introducer_id == actor.user_id


def can_see(actor: Actor, proposal: ProposalFacts) -> bool:
    """Whether the proposal exists for this actor (else: 404): their own, or their cell's."""
    return is_own(actor, proposal) or can_decide(actor, proposal)


def may_decide_now(actor: Actor, proposal: ProposalFacts) -> bool:
    """Whether the actor may decide the proposal now: pending, and going to their cell."""
    return proposal.status == ProposalStatus.proposed and can_decide(actor, proposal)


def reads_proposals(actor: Actor) -> bool:
    """Whether the actor has a list of proposals at all (introducers and secretaries)."""
    return bool(actor.grants_for(Role.introducer) or actor.grants_for(Role.secretary))


# --- the rules of a proposal ------------------------------------------------------------------


def check_proposal(values: dict[str, Any], today: date) -> list[Failure]:
    """What a proposal must hold: the person's name and a plausible birth date, and reasons.

    A text longer than its column is bad input (raised at once), not a broken rule."""
    for name, limit in LIMITS.items():
        if len(values.get(name) or "") > limit:
            raise InvalidInput(name, f"at most {limit} characters")
    failures = []
    if not (values.get("full_name") or "").strip():
        failures.append(Failure("person_valid", "Chưa ghi họ và tên.", "The full name is missing."))
    born = values.get("birth_date")
    if born is None:
        failures.append(
            Failure("person_valid", "Chưa ghi ngày sinh.", "The date of birth is missing.")
        )
    elif born >= today or born.year < 1900:
        shown = born.strftime("%d/%m/%Y")
        failures.append(
            Failure(
                "person_valid",
                f"Ngày sinh {shown} không hợp lệ.",
                f"The date of birth {shown} is not plausible.",
            )
        )
    if not (values.get("reasons") or "").strip():
        failures.append(
            Failure(
                "reasons_given",
                "Chưa ghi lý do giới thiệu (phẩm chất, thành tích của quần chúng).",
                "The reasons for the proposal are missing (the person's qualities, achievements).",
            )
        )
    return failures


def source_detail(proposal: ProposalFacts) -> str:
    """The case's recorded source: the organisation first (the targets report matches on it)."""
    return (
        f"{proposal.organisation_name} (đề xuất số {proposal.id}, {proposal.proposed_on:%d/%m/%Y})"
    )


def identify_fields(proposal: ProposalFacts) -> dict[str, Any]:
    """What ``identify`` is given on acceptance: the person as proposed, the cell, the source."""
    raw = {name: proposal.person.get(name) for name in PERSON_NAMES}
    raw["is_doan_member"] = bool(raw.get("is_doan_member"))
    raw.update(
        cell=proposal.cell_id,
        source=Source.mass_organisation.value,
        source_detail=source_detail(proposal),
    )
    return raw


# --- the use cases ----------------------------------------------------------------------------


class _Enclosed:
    """The open unit of work lent to a nested use case: its ``with`` and its ``commit`` are the
    enclosing use case's, so that both commit together or not at all."""

    def __init__(self, outer: ProposalUnitOfWork):
        self.cases = outer.cases
        self.history = outer.history
        self.settings = getattr(outer, "settings", DEFAULT_SETTINGS)

    def __enter__(self) -> _Enclosed:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def commit(self) -> None:
        return None

    def rollback(self) -> None:
        return None


def _event(
    actor: Actor,
    role: str,
    action: ProposalAction,
    proposal: ProposalFacts,
    clock: Clock,
    settings: RuleSettings,
    data: dict[str, Any],
    reason: str | None = None,
) -> NewEvent:
    return NewEvent(
        case_id=None,
        organisation_id=proposal.organisation_id,
        at=clock.now,
        user_id=actor.user_id,
        username=actor.username,
        role=str(role),
        action=action.value,
        from_state=None,
        to_state=None,
        reason=reason,
        data={
            "proposal_id": proposal.id,
            "organisation_name": proposal.organisation_name,
            "cell_id": proposal.cell_id,
            "cell_name": proposal.cell_name,
            "full_name": proposal.full_name,
            **data,
        },
        ruleset=settings.version,
    )


def _visible(uow: ProposalUnitOfWork, actor: Actor, proposal_id: int, lock: bool = False):
    proposal = uow.proposals.get(proposal_id, for_update=lock)
    if proposal is None or not can_see(actor, proposal):
        raise NotFound(f"no proposal {proposal_id}")
    return proposal


def _decidable(
    uow: ProposalUnitOfWork, actor: Actor, proposal_id: int, expected_version: int | None
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


def view_proposal(uow: ProposalUnitOfWork, actor: Actor, proposal_id: int) -> ProposalFacts:
    """The proposal, if the actor may see it (their own, or their cell's)."""
    with uow:
        return _visible(uow, actor, proposal_id)


def propose_candidate(
    uow: ProposalUnitOfWork,
    actor: Actor,
    organisation_id: int,
    raw: dict[str, Any],
    *,
    clock: Clock | None = None,
    settings: RuleSettings | None = None,
) -> ProposalFacts:
    """An introducer proposes a person to the cell their mass organisation is attached to."""
    clock = clock or Clock.system()
    settings = settings or getattr(uow, "settings", DEFAULT_SETTINGS)
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
        uow.history.append(
            _event(
                actor,
                Role.introducer,
                ProposalAction.propose_candidate,
                proposal,
                clock,
                settings,
                details,
            )
        )
        uow.commit()
        return proposal


def accept_proposal(
    uow: ProposalUnitOfWork,
    actor: Actor,
    proposal_id: int,
    *,
    expected_version: int | None = None,
    clock: Clock | None = None,
    settings: RuleSettings | None = None,
) -> tuple[ProposalFacts, CaseRecord]:
    """The cell's secretary accepts: the case opens (``identify``, source: the proposal) and the
    proposal keeps its id; both events commit together or neither does."""
    clock = clock or Clock.system()
    settings = settings or getattr(uow, "settings", DEFAULT_SETTINGS)
    with uow:
        proposal = _decidable(uow, actor, proposal_id, expected_version)
        # The identify rules judge the person (an open case elsewhere refuses it, RuleViolation).
        case = services.identify_candidate(
            _Enclosed(uow), actor, identify_fields(proposal), clock=clock, settings=settings
        )
        decided = uow.proposals.decide(
            proposal, ProposalStatus.accepted, actor, clock.today, case_id=case.id
        )
        uow.history.append(
            _event(
                actor,
                Role.secretary,
                ProposalAction.accept_proposal,
                decided,
                clock,
                settings,
                {"case_id": case.id},
            )
        )
        uow.commit()
        return decided, case


def decline_proposal(
    uow: ProposalUnitOfWork,
    actor: Actor,
    proposal_id: int,
    raw: dict[str, Any],
    *,
    expected_version: int | None = None,
    clock: Clock | None = None,
    settings: RuleSettings | None = None,
) -> ProposalFacts:
    """The cell's secretary declines, with a reason the introducer will read; no case opens."""
    clock = clock or Clock.system()
    settings = settings or getattr(uow, "settings", DEFAULT_SETTINGS)
    with uow:
        proposal = _decidable(uow, actor, proposal_id, expected_version)
        reason = parse_fields(DECLINE_FIELDS, raw).get("reason")
        if not reason:
            raise InvalidInput("reason", "is required")
        decided = uow.proposals.decide(
            proposal, ProposalStatus.declined, actor, clock.today, reason=reason
        )
        uow.history.append(
            _event(
                actor,
                Role.secretary,
                ProposalAction.decline_proposal,
                decided,
                clock,
                settings,
                {},
                reason=reason,
            )
        )
        uow.commit()
        return decided
