"""The enterprise registry's reads: the list, one enterprise, the admins' choices, and the
targets report's figure (the enterprises without a party organisation and their workforce).

Each read takes a scope: the registry's (``workflow.services.enterprises.registry_scope``), the
admin's for the form's choices, the report's for the figure; ``None`` reads everything.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from db.models import Enterprise, Organisation
from db.read.scope import scope_clause
from db.text import fold
from workflow.policy import Scope


@dataclass(frozen=True)
class EnterpriseRow:
    id: int
    name: str
    tax_code: str | None
    address: str | None
    workforce: int
    cell_id: int | None
    cell_name: str | None
    has_doan: bool
    has_congdoan: bool
    committee_id: int
    committee_name: str
    survey_status: str
    surveyed_on: date | None
    plan: str | None


def _rows(session: Session, scope: Scope | None, *where: Any) -> list[EnterpriseRow]:
    committee = aliased(Organisation)
    cell = aliased(Organisation)
    query = (
        select(Enterprise, committee.name, cell.name)
        .join(committee, committee.id == Enterprise.committee_id)
        .outerjoin(cell, cell.id == Enterprise.cell_id)
        .where(scope_clause(scope, committee.path), *where)
    )
    rows = [
        EnterpriseRow(
            e.id,
            e.name,
            e.tax_code,
            e.address,
            e.workforce,
            e.cell_id,
            cell_name,
            e.has_doan,
            e.has_congdoan,
            e.committee_id,
            committee_name,
            e.survey_status,
            e.surveyed_on,
            e.plan,
        )
        for e, committee_name, cell_name in session.execute(query)
    ]
    return sorted(rows, key=lambda r: fold(r.name))


def enterprises(
    session: Session, scope: Scope, has_cell: bool | None = None, status: str | None = None
) -> list[EnterpriseRow]:
    """The enterprises kept in scope, by name; filtered on a party cell and the survey."""
    where = []
    if has_cell is not None:
        where.append(Enterprise.cell_id.is_not(None) if has_cell else Enterprise.cell_id.is_(None))
    if status is not None:
        where.append(Enterprise.survey_status == status)
    return _rows(session, scope, *where)


def enterprise(session: Session, scope: Scope, enterprise_id: int) -> EnterpriseRow | None:
    """One enterprise kept in scope (``None`` otherwise)."""
    rows = _rows(session, scope, Enterprise.id == enterprise_id)
    return rows[0] if rows else None


def choices(session: Session, scope: Scope, type: str) -> list[tuple[int, str]]:
    """The committees (``type`` committee) or cells in scope, as (id, name), by name."""
    query = select(Organisation.id, Organisation.name).where(
        Organisation.type == type, scope_clause(scope, Organisation.path)
    )
    return sorted(((i, n) for i, n in session.execute(query)), key=lambda r: fold(r[1]))


@dataclass(frozen=True)
class WithoutParty:
    """The enterprises without a party organisation: where the 2% target can grow."""

    rows: list[EnterpriseRow]

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def workforce(self) -> int:
        return sum(r.workforce for r in self.rows)


def without_party(session: Session, scope: Scope | None) -> WithoutParty:
    """The enterprises with no party cell kept by committees in scope (``None``: all), the
    largest workforce first."""
    rows = _rows(session, scope, Enterprise.cell_id.is_(None))
    return WithoutParty(sorted(rows, key=lambda r: -r.workforce))
