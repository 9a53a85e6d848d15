"""The queries behind the proposals pages and the yearly quotas: plain values, in scope.

An introducer reads their own proposals; a secretary those going to the cells in their scope
(``policy.scope(actor, Purpose.identify)``, the same rule the use cases decide with).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, extract, false, func, or_, select
from sqlalchemy.orm import Session

from db.models import Organisation
from db.models.proposals import Proposal
from db.read.scope import scope_clause
from db.repositories.proposals import CELL, MASS, SqlProposals, proposal_facts, select_proposals
from db.text import fold
from workflow import policy
from workflow.facts import Actor
from workflow.policy import Purpose
from workflow.proposals import MassOrganisation, ProposalFacts, ProposalStatus
from workflow.proposals import introducer_organisations as held_in
from workflow.states import Role


def _readable(actor: Actor) -> ColumnElement[bool]:
    """The introducer's own proposals and those going to the secretary's cells."""
    conditions: list[ColumnElement[bool]] = []
    if actor.grants_for(Role.introducer):
        conditions.append(Proposal.introducer_id == actor.user_id)
    deciding = policy.scope(actor, Purpose.identify)
    if deciding:
        conditions.append(scope_clause(deciding, CELL.path))
    return or_(*conditions) if conditions else false()


@dataclass(frozen=True)
class ProposalLists:
    """What the proposals page lists: those awaiting a decision, then the decided ones."""

    pending: list[ProposalFacts]
    decided: list[ProposalFacts]


def list_proposals(session: Session, actor: Actor, decided_limit: int = 100) -> ProposalLists:
    """The proposals the actor reads: pending oldest first, decided newest first."""
    scope = _readable(actor)
    pending = session.execute(
        select_proposals()
        .where(scope, Proposal.status == ProposalStatus.proposed)
        .order_by(Proposal.proposed_on, Proposal.id)
    ).all()
    decided = session.execute(
        select_proposals()
        .where(scope, Proposal.status != ProposalStatus.proposed)
        .order_by(Proposal.decided_on.desc(), Proposal.id.desc())
        .limit(decided_limit)
    ).all()
    return ProposalLists([proposal_facts(r) for r in pending], [proposal_facts(r) for r in decided])


def pending_count(session: Session, actor: Actor) -> int:
    """How many proposals await a decision the actor may take."""
    deciding = policy.scope(actor, Purpose.identify)
    if not deciding:
        return 0
    return (
        session.scalar(
            select(func.count())
            .select_from(Proposal)
            .join(CELL, CELL.id == Proposal.cell_id)
            .where(Proposal.status == ProposalStatus.proposed, scope_clause(deciding, CELL.path))
        )
        or 0
    )


def introducer_organisations(session: Session, actor: Actor) -> list[MassOrganisation]:
    """The mass organisations the actor proposes for, with the cell each is attached to."""
    repository = SqlProposals(session)
    found = (repository.mass_organisation(i) for i in held_in(actor))
    return sorted((o for o in found if o is not None), key=lambda o: (fold(o.name), o.id))


# --- the yearly quota ----------------------------------------------------------------------------


def accepted_introductions(session: Session, year: int) -> dict[int, int]:
    """Accepted proposals per mass organisation (id) whose decision falls in `year`."""
    decided = extract("year", Proposal.decided_on)
    rows = session.execute(
        select(Proposal.organisation_id, func.count())
        .where(Proposal.status == ProposalStatus.accepted, decided == year)
        .group_by(Proposal.organisation_id)
    )
    return {org_id: count for org_id, count in rows}


def accepted_by_cell_and_year(
    session: Session, cells: ColumnElement[bool]
) -> list[tuple[int, str, int, int]]:
    """Accepted proposals as ``(cell_id, organisation name, year of the decision, count)``, of
    the cells that `cells` selects (a condition on ``Organisation``, joined as the cell): the
    shape of the targets report's ``IntroducedCount``."""
    decided = extract("year", Proposal.decided_on)
    query = (
        select(Proposal.cell_id, MASS.name, decided, func.count())
        .join(MASS, MASS.id == Proposal.organisation_id)
        .join(Organisation, Organisation.id == Proposal.cell_id)
        .where(Proposal.status == ProposalStatus.accepted, cells)
        .group_by(Proposal.cell_id, MASS.name, decided)
    )
    return [(cell, name, int(year), n) for cell, name, year, n in session.execute(query)]


def proposal_case_ids() -> Select:
    """The ids of the cases that accepted proposals opened (to count them only once)."""
    return select(Proposal.case_id).where(Proposal.case_id.is_not(None))
