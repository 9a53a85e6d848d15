"""The proposal repository: stores proposals of mass organisations and their decisions.

``select_proposals`` and ``proposal_facts`` (a proposal with the names its pages show) are shared
with the read side (``db.read.proposals``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Row, Select, and_, select
from sqlalchemy.orm import Session, aliased

from db.models import Organisation, User
from db.models.proposals import Proposal
from workflow.facts import Actor
from workflow.proposals import PERSON_NAMES, MassOrganisation, ProposalFacts, ProposalStatus
from workflow.states import OrgType

MASS = aliased(Organisation, name="mass")
CELL = aliased(Organisation, name="cell")
_Introducer = aliased(User, name="introducer")
_Decider = aliased(User, name="decider")


def select_proposals() -> Select:
    """A proposal with the names its pages show (the cell joined as ``CELL``)."""
    return (
        select(Proposal, MASS.name, CELL.name, CELL.path, _Introducer.full_name, _Decider)
        .join(MASS, MASS.id == Proposal.organisation_id)
        .join(CELL, CELL.id == Proposal.cell_id)
        .join(_Introducer, _Introducer.id == Proposal.introducer_id)
        .outerjoin(_Decider, _Decider.id == Proposal.decided_by_id)
    )


def proposal_facts(row: Row[Any]) -> ProposalFacts:
    """A row of ``select_proposals`` as the domain's plain value."""
    proposal, mass_name, cell_name, cell_path, introducer_name, decider = row
    return ProposalFacts(
        id=proposal.id,
        status=ProposalStatus(proposal.status),
        version=proposal.version,
        organisation_id=proposal.organisation_id,
        organisation_name=mass_name,
        cell_id=proposal.cell_id,
        cell_name=cell_name,
        cell_path=cell_path,
        introducer_id=proposal.introducer_id,
        introducer_name=introducer_name or "",
        proposed_on=proposal.proposed_on,
        person={name: getattr(proposal, name) for name in PERSON_NAMES},
        reasons=proposal.reasons,
        achievements=proposal.achievements,
        movement=proposal.movement,
        decided_on=proposal.decided_on,
        decided_by_name=(decider.full_name or decider.username) if decider else None,
        decline_reason=proposal.decline_reason,
        case_id=proposal.case_id,
    )


class SqlProposals:
    """The ``workflow.ports.proposals.ProposalRepository`` port on a unit of work's session."""

    def __init__(self, session: Session):
        self.session = session

    def mass_organisation(self, organisation_id: int) -> MassOrganisation | None:
        org = self.session.get(Organisation, organisation_id)
        if org is None or org.type != OrgType.mass:
            return None
        parent = self.session.get(Organisation, org.parent_id) if org.parent_id else None
        if parent is None or parent.type != OrgType.cell:
            return MassOrganisation(org.id, org.name, None, None, None)
        return MassOrganisation(org.id, org.name, parent.id, parent.name, parent.path)

    def get(self, proposal_id: int, *, for_update: bool = False) -> ProposalFacts | None:
        query = select_proposals().where(Proposal.id == proposal_id)
        if for_update:
            query = query.with_for_update(of=Proposal)
        row = self.session.execute(query).one_or_none()
        return proposal_facts(row) if row is not None else None

    def pending_same_person(self, cell_id: int, person: dict[str, Any]) -> int | None:
        if person.get("id_number"):
            same = Proposal.id_number == person["id_number"]
        else:
            same = and_(
                Proposal.full_name == person.get("full_name"),
                Proposal.birth_date == person.get("birth_date"),
            )
        return self.session.scalar(
            select(Proposal.id)
            .where(Proposal.cell_id == cell_id, Proposal.status == ProposalStatus.proposed, same)
            .limit(1)
        )

    def add(
        self, org: MassOrganisation, values: dict[str, Any], actor: Actor, today: date
    ) -> ProposalFacts:
        proposal = Proposal(
            organisation_id=org.id,
            cell_id=org.cell_id,
            introducer_id=actor.user_id,
            status=ProposalStatus.proposed.value,
            proposed_on=today,
            **{name: values.get(name) for name in PERSON_NAMES if name != "is_doan_member"},
            is_doan_member=bool(values.get("is_doan_member")),
            reasons=values.get("reasons"),
            achievements=values.get("achievements"),
            movement=values.get("movement"),
        )
        self.session.add(proposal)
        self.session.flush()
        return self.get(proposal.id)

    def decide(
        self,
        proposal: ProposalFacts,
        status: ProposalStatus,
        actor: Actor,
        today: date,
        *,
        case_id: int | None = None,
        reason: str | None = None,
    ) -> ProposalFacts:
        row = self.session.get(Proposal, proposal.id)
        row.status = status.value
        row.decided_on = today
        row.decided_by_id = actor.user_id
        row.case_id = case_id
        row.decline_reason = reason
        self.session.flush()  # the version check: a lost race raises StaleDataError (409)
        return self.get(proposal.id)
