"""What the proposal use cases need from storage: the proposals and the mass organisations."""

from __future__ import annotations

from datetime import date
from typing import Any, Protocol

from workflow.facts import Actor
from workflow.proposals import MassOrganisation, ProposalFacts, ProposalStatus


class ProposalRepository(Protocol):
    """Where proposals are kept (``db.repositories.proposals.SqlProposals``; a fake in tests)."""

    def mass_organisation(self, organisation_id: int) -> MassOrganisation | None:
        """The mass organisation and the cell it is attached to; ``None`` if it is none."""
        ...

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
    ) -> ProposalFacts:
        """Record the decision; a proposal changed meanwhile raises (a lost race: Conflict)."""
        ...
