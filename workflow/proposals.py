"""Introductions by mass organisations, the domain's side: an introducer proposes an outstanding
member to the party cell their organisation is attached to; the cell's secretary accepts (which
opens the case with ``identify``) or declines with a reason.

A proposal is ``proposed`` until decided, then ``accepted`` (it keeps the id of the case it
opened) or ``declined`` (it keeps the reason). Here: the statuses and actions with their labels,
the fields, who may propose, see and decide, and the rules of a proposal. The use cases are in
``workflow.services.proposals``; storage is behind ``workflow.ports.proposals``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from workflow import policy
from workflow.definition import PERSON, FieldSpec
from workflow.errors import Failure, InvalidInput
from workflow.facts import Actor
from workflow.policy import Purpose
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


# --- who may do what --------------------------------------------------------------------------


def introducer_organisations(actor: Actor) -> list[int]:
    """The mass organisations in which the actor proposes (their introducer grants)."""
    return sorted({g.organisation_id for g in actor.grants_for(Role.introducer)})


def may_propose(actor: Actor, organisation_id: int) -> bool:
    """An introducer proposes in the name of the organisation their grant is held in."""
    return organisation_id in introducer_organisations(actor)


def can_decide(actor: Actor, proposal: ProposalFacts) -> bool:
    """The secretary of the cell the proposal goes to (a grant covering the cell)."""
    return policy.scope(actor, Purpose.identify).covers(proposal.cell_path)


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
    check_lengths(values)
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


def check_lengths(values: dict[str, Any]) -> None:
    """Refuse a text longer than its column (InvalidInput naming the field)."""
    for name, limit in LIMITS.items():
        if len(values.get(name) or "") > limit:
            raise InvalidInput(name, f"at most {limit} characters")


def check_decline(values: dict[str, Any]) -> str:
    """The reason a declined proposal gives (the introducer reads it): required."""
    reason = values.get("reason")
    if not reason:
        raise InvalidInput("reason", "is required")
    return reason


def event_data(proposal: ProposalFacts, **extra: Any) -> dict[str, Any]:
    """What every proposal event records: the proposal, the organisation, the cell, the person."""
    return {
        "proposal_id": proposal.id,
        "organisation_name": proposal.organisation_name,
        "cell_id": proposal.cell_id,
        "cell_name": proposal.cell_name,
        "full_name": proposal.full_name,
        **extra,
    }


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
