"""The rows the demo writes directly, all in this one place: the district's organisations,
members and users (before any step), then targets, enterprises and the paper register of
proposals. None of them leaves a history event, so that two loads stay identical; they will go
through the admin use cases once those exist.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from db.demo.story import Story
from db.models import Case, Enterprise, Member, Organisation, Person, RoleGrant, Target, User
from db.models.proposals import Proposal
from db.repositories.organisations import add_organisation
from db.text import fold
from workflow.proposals import PERSON_NAMES, ProposalStatus
from workflow.targets import ALL_UNITS, METRIC_KIND


@dataclass(frozen=True)
class Org:
    """An organisation the rows created (plain values, usable after its session closed)."""

    id: int
    name: str
    path: str
    parent_id: int | None
    decides_admissions: bool
    committee_size: int


@dataclass
class Ids:
    """What the rows and the steps created, by the story's keys."""

    orgs: dict[str, Org] = field(default_factory=dict)
    members: dict[str, int] = field(default_factory=dict)
    users: dict[str, int] = field(default_factory=dict)
    cases: dict[str, int] = field(default_factory=dict)
    #: The member each admitted case's candidate became, by the case's label.
    case_members: dict[str, int] = field(default_factory=dict)
    proposals: dict[str, int] = field(default_factory=dict)
    classes: dict[str, int] = field(default_factory=dict)


def write_district(session: Session, story: Story) -> tuple[Ids, list[tuple[str, str, str]]]:
    """Organisations, members and users; returns the ids and the demo accounts
    ``(username, role, scope name)``. The caller commits."""
    ids = Ids()
    made: dict[str, Organisation] = {}
    for spec in story.organisations:
        parent = made[spec.parent] if spec.parent else None
        org = add_organisation(session, spec.name, spec.type, parent, **spec.values)
        made[spec.key] = org
        ids.orgs[spec.key] = Org(
            org.id, org.name, org.path, org.parent_id, org.decides_admissions, org.committee_size
        )
    for seed in story.members:
        person = Person(search_name=fold(seed.person["full_name"]), **seed.person)
        session.add(person)
        session.flush()
        member = Member(
            person_id=person.id,
            cell_id=ids.orgs[seed.cell].id,
            status=seed.status,
            admitted_on=seed.admitted_on,
            official_since=seed.official_since,
            excused=seed.excused,
        )
        session.add(member)
        session.flush()
        ids.members[seed.key] = member.id
    return ids, _users(session, story, ids)


def _users(session: Session, story: Story, ids: Ids) -> list[tuple[str, str, str]]:
    accounts: list[tuple[str, str, str]] = []
    password = generate_password_hash(story.frame.password)
    for spec in story.users:
        member_id = ids.members[spec.member] if spec.member else None
        full_name = spec.full_name
        if member_id is not None:
            full_name = session.get(Member, member_id).person.full_name
        scope = ids.orgs[spec.scope]
        user = User(
            username=spec.username,
            full_name=full_name,
            # Only the demo accounts log in; the others are names in the history.
            password_hash=password if spec.active else "",
            member_id=member_id,
            active=spec.active,
        )
        user.grants.append(RoleGrant(role=spec.role, organisation_id=scope.id))
        session.add(user)
        session.flush()
        ids.users[spec.username] = user.id
        if spec.active:
            accounts.append((spec.username, spec.role, scope.name))
    return accounts


def write_targets(session: Session, story: Story, ids: Ids) -> int:
    """The yearly targets, year by year down the tree; returns how many."""
    rows = sorted(story.targets, key=lambda t: (t.year, ids.orgs[t.organisation].path))
    session.add_all(
        Target(
            organisation_id=ids.orgs[t.organisation].id,
            year=t.year,
            metric=t.metric,
            kind=METRIC_KIND[t.metric],
            value=t.value,
            unit_kind=ALL_UNITS,
            note=t.note,
        )
        for t in rows
    )
    return len(rows)


def write_enterprises(session: Session, story: Story, ids: Ids) -> int:
    """The district's enterprises, with or without a party cell; returns how many."""
    for values in story.enterprises:
        values = dict(values)
        cell, committee = values.pop("cell"), values.pop("committee")
        session.add(
            Enterprise(
                **values,
                cell_id=ids.orgs[cell].id if cell else None,
                committee_id=ids.orgs[committee].id,
            )
        )
    return len(story.enterprises)


def write_paper_register(session: Session, story: Story, ids: Ids) -> int:
    """An accepted proposal for every case opened from a mass organisation's introduction,
    written as the cell decided it on the day the case was opened; returns how many."""
    for paper in story.papers:
        case = session.get(Case, ids.cases[paper.case])
        org = ids.orgs[paper.organisation]
        session.add(
            Proposal(
                organisation_id=org.id,
                cell_id=org.parent_id,
                introducer_id=ids.users[paper.introducer],
                status=ProposalStatus.accepted.value,
                proposed_on=paper.proposed_on,
                **{name: getattr(case.person, name) for name in PERSON_NAMES},
                **paper.texts,
                decided_on=case.opened_on,
                decided_by_id=ids.users[paper.decided_by],
                case_id=case.id,
            )
        )
    return len(story.papers)
