"""The admissions outside hoso as the reports read them: the entries of the committees in scope."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Organisation, OutsideAdmissions
from db.read.scope import scope_clause
from db.repositories.outside import COLUMNS, outside_of
from workflow.policy import Scope
from workflow.targets import OutsideTotal


def outside_totals(
    session: Session, scope: Scope | None, years: tuple[int, int] | None = None
) -> list[OutsideTotal]:
    """The yearly totals entered by the committees in `scope` (everything for ``None``), within
    `years` (first, last) if given, in the tree's order and by year."""
    query = (
        select(*COLUMNS)
        .join(Organisation, Organisation.id == OutsideAdmissions.organisation_id)
        .where(scope_clause(scope, Organisation.path))
        .order_by(Organisation.path, OutsideAdmissions.year)
    )
    if years is not None:
        query = query.where(OutsideAdmissions.year.between(*years))
    return [outside_of(row) for row in session.connection().execute(query)]
