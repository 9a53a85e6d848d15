"""The organisation tree's storage: each node's materialised path follows its parent's; the
tree over time keeps the values an organisation had before as versions (``SqlTree``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, literal, select, update
from sqlalchemy.orm import Session

from db.models import Case, Member, Organisation, OrganisationVersion, RoleGrant, User
from db.read.scope import under
from db.read.tree import tree_at
from workflow.admin import OrgRecord
from workflow.ports.tree import Contents, GrantPlace
from workflow.states import CLOSED_STATES
from workflow.tree import OrgVersion, Tree


def add_organisation(
    session: Session, name: str, type: str, parent: Organisation | None = None, **values: Any
) -> Organisation:
    """Add an organisation under `parent` and give it its path."""
    org = Organisation(name=name, type=type, parent_id=parent.id if parent else None, **values)
    session.add(org)
    session.flush()
    org.path = f"{parent.path if parent else '/'}{org.id}/"
    session.flush()
    return org


def org_record(org: Organisation) -> OrgRecord:
    """The plain record of a stored organisation."""
    return OrgRecord(
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
    )


class SqlOrganisations:
    """The OrganisationRepository port on a session."""

    def __init__(self, session: Session):
        self.session = session

    def get(self, org_id: int) -> OrgRecord | None:
        org = self.session.get(Organisation, org_id)
        return org_record(org) if org is not None else None

    def sibling_named(self, parent_id: int | None, name: str, but: int | None = None) -> bool:
        query = select(Organisation.id).where(
            Organisation.parent_id == parent_id, func.lower(Organisation.name) == name.lower()
        )
        if but is not None:
            query = query.where(Organisation.id != but)
        return self.session.scalar(query.limit(1)) is not None

    def add(self, parent: OrgRecord, name: str, type: str, **values: Any) -> OrgRecord:
        above = self.session.get(Organisation, parent.id)
        return org_record(add_organisation(self.session, name, type, above, **values))

    def update(self, org_id: int, **values: Any) -> None:
        org = self.session.get(Organisation, org_id)
        for key, value in values.items():
            setattr(org, key, value)
        self.session.flush()


class SqlTree:
    """The TreeRepository port on a session: the current values on the organisation's row, the
    values it had before as ``OrganisationVersion`` rows."""

    def __init__(self, session: Session):
        self.session = session

    def version(self, org_id: int) -> OrgVersion | None:
        org = self.session.get(Organisation, org_id)
        if org is None:
            return None
        return OrgVersion(
            org.id,
            org.valid_from,
            org.dissolved_on,
            org.parent_id,
            org.name,
            org.type,
            org.decides_admissions,
            org.committee_size,
        )

    def tree_on(self, day: date | None) -> Tree:
        return tree_at(self.session, day)

    def contents(self, org_id: int) -> Contents:
        org = self.session.get(Organisation, org_id)
        children = self.session.scalar(
            select(func.count()).where(
                Organisation.parent_id == org_id, Organisation.dissolved_on.is_(None)
            )
        )
        open_cases = self.session.scalar(
            select(func.count())
            .select_from(Case)
            .join(Organisation, Organisation.id == Case.cell_id)
            .where(
                under(Organisation.path, (org.path,)),
                Case.state.not_in([s.value for s in CLOSED_STATES]),
            )
        )
        members = self.session.scalar(
            select(func.count()).where(Member.cell_id == org_id, Member.left_on.is_(None))
        )
        return Contents(children or 0, open_cases or 0, members or 0)

    def change(self, org_id: int, as_of: date, **values: Any) -> None:
        org = self.session.get(Organisation, org_id)
        if as_of > org.valid_from:  # the values held until now become a past version
            self.session.add(
                OrganisationVersion(
                    organisation_id=org.id,
                    valid_from=org.valid_from,
                    valid_until=as_of,
                    parent_id=org.parent_id,
                    name=org.name,
                    type=org.type,
                    decides_admissions=org.decides_admissions,
                    committee_size=org.committee_size,
                )
            )
            org.valid_from = as_of
        moved = "parent_id" in values and values["parent_id"] != org.parent_id
        for key, value in values.items():
            setattr(org, key, value)
        self.session.flush()
        if moved:
            self._move_subtree(org)

    def _move_subtree(self, org: Organisation) -> None:
        """The organisation's path, and every path below it, under its new parent's."""
        parent = self.session.get(Organisation, org.parent_id)
        old, new = org.path, f"{parent.path}{org.id}/"
        self.session.execute(
            update(Organisation)
            .where(under(Organisation.path, (old,)))
            .values(path=literal(new) + func.substr(Organisation.path, len(old) + 1))
            .execution_options(synchronize_session=False)
        )
        self.session.expire_all()

    def found(self, parent_id: int, as_of: date, name: str, type: str, **values: Any) -> int:
        parent = self.session.get(Organisation, parent_id)
        org = add_organisation(self.session, name, type, parent, valid_from=as_of, **values)
        return org.id

    def dissolve(self, org_id: int, as_of: date) -> None:
        org = self.session.get(Organisation, org_id)
        org.dissolved_on = as_of
        self.session.flush()

    def grant(self, grant_id: int) -> GrantPlace | None:
        row = self.session.execute(
            select(
                RoleGrant.id,
                User.id,
                User.username,
                RoleGrant.role,
                Organisation.id,
                Organisation.name,
                Organisation.path,
            )
            .join(User, User.id == RoleGrant.user_id)
            .join(Organisation, Organisation.id == RoleGrant.organisation_id)
            .where(RoleGrant.id == grant_id)
        ).first()
        return GrantPlace(*row) if row is not None else None

    def move_grant(self, grant_id: int, organisation_id: int) -> bool:
        grant = self.session.get(RoleGrant, grant_id)
        held = self.session.scalar(
            select(RoleGrant.id).where(
                RoleGrant.user_id == grant.user_id,
                RoleGrant.role == grant.role,
                RoleGrant.organisation_id == organisation_id,
            )
        )
        if held is not None:
            return False
        grant.organisation_id = organisation_id
        self.session.flush()
        self.session.expire(grant)
        return True
