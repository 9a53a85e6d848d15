"""The admin pages' reads: the organisation tree, who decides for each cell, the users.

Each read takes the admin's scope (``workflow.services.admin.manage_scope``) and shows only what
lies in it; a user is listed when ``workflow.admin.visible`` says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Member, Organisation, Person, User
from db.read.scope import scope_clause
from db.text import fold
from workflow.admin import manageable, visible
from workflow.policy import Scope
from workflow.states import OrgType


@dataclass(frozen=True)
class OrgRow:
    """An organisation as the admin pages show it; ``depth`` is its indentation in the tree."""

    id: int
    parent_id: int | None
    name: str
    type: str
    unit_kind: str
    has_doan: bool
    committee_size: int
    decides_admissions: bool
    mass_kind: str | None
    path: str
    depth: int


_TYPE_ORDER = {OrgType.committee: 0, OrgType.centre: 1, OrgType.cell: 2, OrgType.mass: 3}


def _org_row(org: Organisation, depth: int = 0) -> OrgRow:
    return OrgRow(
        id=org.id,
        parent_id=org.parent_id,
        name=org.name,
        type=org.type,
        unit_kind=org.unit_kind,
        has_doan=org.has_doan,
        committee_size=org.committee_size,
        decides_admissions=org.decides_admissions,
        mass_kind=org.mass_kind,
        path=org.path,
        depth=depth,
    )


def organisation_tree(session: Session, scope: Scope) -> list[OrgRow]:
    """The organisations in scope, parents before children, siblings by kind, then name."""
    orgs = list(
        session.scalars(
            select(Organisation)
            .where(scope_clause(scope, Organisation.path))
            .order_by(Organisation.id)
        )
    )
    ids = {o.id for o in orgs}
    children: dict[int | None, list[Organisation]] = {}
    for org in orgs:
        parent = org.parent_id if org.parent_id in ids else None
        children.setdefault(parent, []).append(org)
    rows: list[OrgRow] = []

    def walk(parent: int | None, depth: int) -> None:
        kids = children.get(parent, [])
        for org in sorted(kids, key=lambda o: (_TYPE_ORDER.get(o.type, 9), fold(o.name))):
            rows.append(_org_row(org, depth))
            walk(org.id, depth + 1)

    walk(None, 0)
    return rows


def organisation(session: Session, scope: Scope, org_id: int) -> OrgRow | None:
    """One organisation in scope (``None`` otherwise)."""
    org = session.get(Organisation, org_id)
    return _org_row(org) if org is not None and scope.covers(org.path) else None


@dataclass(frozen=True)
class DecidingFor:
    """Who decides for a cell: the nearest deciding ancestor, else the root of the tree."""

    cell: OrgRow
    body_id: int
    body_name: str
    by_default: bool  # no ancestor decides: the root of the tree does
    committee_size: int  # of the grassroots committee whose 2/3 vote counts (0: none set)


def deciding_bodies(session: Session, scope: Scope) -> list[DecidingFor]:
    """For each cell in scope, the body that decides its admissions (as the cases find it)."""
    cells = [row for row in organisation_tree(session, scope) if row.type == OrgType.cell]
    ancestor_ids = {int(part) for row in cells for part in row.path.strip("/").split("/")}
    ancestors = {
        o.id: o
        for o in session.scalars(select(Organisation).where(Organisation.id.in_(ancestor_ids)))
    }
    result = []
    for cell in cells:
        chain = [ancestors[int(part)] for part in cell.path.strip("/").split("/")]
        deciding = next((o for o in reversed(chain) if o.decides_admissions), None)
        committee = next(
            (o for o in reversed(chain) if o.type == OrgType.committee and o.committee_size),
            None,
        )
        body = deciding or chain[0]
        result.append(
            DecidingFor(
                cell=cell,
                body_id=body.id,
                body_name=body.name,
                by_default=deciding is None,
                committee_size=committee.committee_size if committee else 0,
            )
        )
    return result


@dataclass(frozen=True)
class GrantRow:
    """A role grant; ``in_scope``: the admin may remove it."""

    id: int
    role: str
    organisation_id: int
    organisation: str
    in_scope: bool


@dataclass(frozen=True)
class UserRow:
    """A user as the admin pages show them."""

    id: int
    username: str
    full_name: str
    email: str | None
    active: bool
    has_password: bool
    member_id: int | None
    member_name: str | None
    manageable: bool
    grants: list[GrantRow] = field(default_factory=list)


def _grant_paths(user: User) -> list[str]:
    return [g.organisation.path for g in user.grants]


def _user_row(session: Session, scope: Scope, user: User) -> UserRow:
    member_name = None
    if user.member_id is not None:
        member_name = session.scalar(
            select(Person.full_name)
            .join(Member, Member.person_id == Person.id)
            .where(Member.id == user.member_id)
        )
    grants = [
        GrantRow(
            id=g.id,
            role=g.role,
            organisation_id=g.organisation_id,
            organisation=g.organisation.name,
            in_scope=scope.covers(g.organisation.path),
        )
        for g in sorted(user.grants, key=lambda g: (g.organisation.path, g.role))
    ]
    return UserRow(
        id=user.id,
        username=user.username,
        full_name=user.full_name,
        email=user.email,
        active=user.active,
        has_password=bool(user.password_hash),
        member_id=user.member_id,
        member_name=member_name,
        manageable=manageable(scope, _grant_paths(user)),
        grants=grants,
    )


def users(session: Session, scope: Scope) -> list[UserRow]:
    """The users the admin sees, by username."""
    return [
        _user_row(session, scope, user)
        for user in session.scalars(select(User).order_by(User.username))
        if visible(scope, _grant_paths(user))
    ]


def user(session: Session, scope: Scope, user_id: int) -> UserRow | None:
    """One user the admin sees (``None`` otherwise)."""
    found = session.get(User, user_id)
    if found is None or not visible(scope, _grant_paths(found)):
        return None
    return _user_row(session, scope, found)


def linkable_members(
    session: Session, scope: Scope, user_id: int | None = None
) -> list[tuple[int, str]]:
    """Party members of cells in scope with no user yet (or linked to `user_id`): (id, label)."""
    taken = select(User.member_id).where(User.member_id.is_not(None))
    if user_id is not None:
        taken = taken.where(User.id != user_id)
    rows = session.execute(
        select(Member.id, Person.full_name, Organisation.name)
        .join(Person, Person.id == Member.person_id)
        .join(Organisation, Organisation.id == Member.cell_id)
        .where(
            scope_clause(scope, Organisation.path),
            Member.left_on.is_(None),
            Member.id.not_in(taken),
        )
        .order_by(Organisation.path, Person.full_name)
    )
    return [(row.id, f"{row.full_name} — {row.name}") for row in rows]
