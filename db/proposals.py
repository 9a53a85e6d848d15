"""Storing proposals of mass organisations, listing them for their readers, and counting the
accepted ones for the yearly quotas (``workflow.proposals`` holds the rules and use cases)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, extract, false, func, or_, select
from sqlalchemy.orm import Session, aliased, sessionmaker

from db.models import Organisation, User
from db.models.proposals import Proposal
from db.text import fold
from db.uow import SqlUnitOfWork
from workflow.facts import Actor
from workflow.proposals import (
    PERSON_NAMES,
    MassOrganisation,
    ProposalFacts,
    ProposalStatus,
)
from workflow.settings import DEFAULT_SETTINGS, RuleSettings
from workflow.states import OrgType, Role

_Mass = aliased(Organisation, name="mass")
_Cell = aliased(Organisation, name="cell")
_Introducer = aliased(User, name="introducer")
_Decider = aliased(User, name="decider")


def _query() -> Select:
    """A proposal with the names its pages show."""
    return (
        select(Proposal, _Mass.name, _Cell.name, _Cell.path, _Introducer.full_name, _Decider)
        .join(_Mass, _Mass.id == Proposal.organisation_id)
        .join(_Cell, _Cell.id == Proposal.cell_id)
        .join(_Introducer, _Introducer.id == Proposal.introducer_id)
        .outerjoin(_Decider, _Decider.id == Proposal.decided_by_id)
    )


def _facts(row: Any) -> ProposalFacts:
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
    """The ``workflow.proposals.ProposalRepository`` port on a unit of work's session."""

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
        query = _query().where(Proposal.id == proposal_id)
        if for_update:
            query = query.with_for_update(of=Proposal)
        row = self.session.execute(query).one_or_none()
        return _facts(row) if row is not None else None

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


class ProposalUnitOfWork(SqlUnitOfWork):
    """A unit of work that also holds the proposals (``workflow.proposals`` use cases)."""

    def __enter__(self) -> ProposalUnitOfWork:
        super().__enter__()
        self.proposals = SqlProposals(self.session)
        return self


def proposals_uow(
    sessions: sessionmaker[Session], settings: RuleSettings = DEFAULT_SETTINGS, write: bool = True
) -> ProposalUnitOfWork:
    """A new unit of work for a proposal's use case (a write one unless told)."""
    return ProposalUnitOfWork(sessions, settings, write=write)


# --- reading -----------------------------------------------------------------------------------


def _readable(actor: Actor) -> ColumnElement[bool]:
    """The introducer's own proposals and those going to the secretary's cells."""
    conditions: list[ColumnElement[bool]] = []
    if actor.grants_for(Role.introducer):
        conditions.append(Proposal.introducer_id == actor.user_id)
    paths = sorted({g.scope_path for g in actor.grants_for(Role.secretary)})
    conditions.extend(_Cell.path.startswith(path) for path in paths)
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
        _query()
        .where(scope, Proposal.status == ProposalStatus.proposed)
        .order_by(Proposal.proposed_on, Proposal.id)
    ).all()
    decided = session.execute(
        _query()
        .where(scope, Proposal.status != ProposalStatus.proposed)
        .order_by(Proposal.decided_on.desc(), Proposal.id.desc())
        .limit(decided_limit)
    ).all()
    return ProposalLists([_facts(r) for r in pending], [_facts(r) for r in decided])


def pending_count(session: Session, actor: Actor) -> int:
    """How many proposals await a decision the actor may take."""
    paths = sorted({g.scope_path for g in actor.grants_for(Role.secretary)})
    if not paths:
        return 0
    return (
        session.scalar(
            select(func.count())
            .select_from(Proposal)
            .join(_Cell, _Cell.id == Proposal.cell_id)
            .where(
                Proposal.status == ProposalStatus.proposed,
                or_(*(_Cell.path.startswith(p) for p in paths)),
            )
        )
        or 0
    )


def introducer_organisations(session: Session, actor: Actor) -> list[MassOrganisation]:
    """The mass organisations the actor proposes for, with the cell each is attached to."""
    ids = sorted({g.organisation_id for g in actor.grants_for(Role.introducer)})
    repository = SqlProposals(session)
    found = (repository.mass_organisation(i) for i in ids)
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
        select(Proposal.cell_id, _Mass.name, decided, func.count())
        .join(_Mass, _Mass.id == Proposal.organisation_id)
        .join(Organisation, Organisation.id == Proposal.cell_id)
        .where(Proposal.status == ProposalStatus.accepted, cells)
        .group_by(Proposal.cell_id, _Mass.name, decided)
    )
    return [(cell, name, int(year), n) for cell, name, year, n in session.execute(query)]


def proposal_case_ids() -> Select:
    """The ids of the cases that accepted proposals opened (to count them only once)."""
    return select(Proposal.case_id).where(Proposal.case_id.is_not(None))
