"""The organisation tree's storage: each node's materialised path follows its parent's."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Organisation
from workflow.admin import OrgRecord


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
