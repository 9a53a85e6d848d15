"""The proposal repository in memory, with the mass organisations of the fake district."""

from __future__ import annotations

import copy
from dataclasses import replace
from datetime import date
from typing import Any

from tests.workflow.fakes.cases import CELL, CELL_ID, OTHER_CELL, OTHER_CELL_ID
from workflow.facts import Actor
from workflow.proposals import PERSON_NAMES, MassOrganisation, ProposalFacts, ProposalStatus

#: The mass organisations: one attached to our cell, one to the other cell, one to no cell.
DOAN, CONGDOAN_OTHER, DISTRICT_DOAN = 30, 40, 50
MASS_ORGANISATIONS = {
    DOAN: MassOrganisation(DOAN, "Đoàn trường THPT Thử", CELL_ID, "Chi bộ Thử", CELL),
    CONGDOAN_OTHER: MassOrganisation(
        CONGDOAN_OTHER, "Công đoàn Khác", OTHER_CELL_ID, "Chi bộ Khác", OTHER_CELL
    ),
    DISTRICT_DOAN: MassOrganisation(DISTRICT_DOAN, "Huyện đoàn", None, None, None),
}


class FakeProposals:
    """The ProposalRepository port in memory; ``snapshot``/``restore`` serve the rollback."""

    def __init__(self, organisations: dict[int, MassOrganisation] | None = None) -> None:
        self.items: dict[int, ProposalFacts] = {}
        self.organisations = dict(MASS_ORGANISATIONS if organisations is None else organisations)

    def snapshot(self) -> Any:
        return copy.deepcopy(self.items)

    def restore(self, saved: Any) -> None:
        self.items = saved

    def mass_organisation(self, organisation_id: int) -> MassOrganisation | None:
        return self.organisations.get(organisation_id)

    def get(self, proposal_id: int, *, for_update: bool = False) -> ProposalFacts | None:
        return self.items.get(proposal_id)

    def pending_same_person(self, cell_id: int, person: dict[str, Any]) -> int | None:
        pending = (i for i in self.items.values() if i.status == ProposalStatus.proposed)
        same = (i for i in pending if i.person.get("id_number") == person.get("id_number"))
        return next((i.id for i in same if i.cell_id == cell_id), None)

    def add(
        self, org: MassOrganisation, values: dict[str, Any], actor: Actor, today: date
    ) -> ProposalFacts:
        proposal = ProposalFacts(
            id=max(self.items, default=0) + 1,
            status=ProposalStatus.proposed,
            version=1,
            organisation_id=org.id,
            organisation_name=org.name,
            cell_id=org.cell_id,
            cell_name=org.cell_name,
            cell_path=org.cell_path,
            introducer_id=actor.user_id,
            introducer_name=actor.username,
            proposed_on=today,
            person={name: values.get(name) for name in PERSON_NAMES},
            reasons=values.get("reasons"),
            achievements=values.get("achievements"),
            movement=values.get("movement"),
        )
        self.items[proposal.id] = proposal
        return proposal

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
        decided = replace(
            proposal,
            status=status,
            version=proposal.version + 1,
            decided_on=today,
            decided_by_name=actor.username,
            case_id=case_id,
            decline_reason=reason,
        )
        self.items[proposal.id] = decided
        return decided
