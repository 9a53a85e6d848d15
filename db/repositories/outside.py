"""The admissions outside hoso: one committee's yearly total per row (``OutsideRepository``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import OutsideAdmissions
from workflow.targets import OutsideTotal

COLUMNS = (
    OutsideAdmissions.id,
    OutsideAdmissions.organisation_id,
    OutsideAdmissions.year,
    OutsideAdmissions.total,
    OutsideAdmissions.enterprise_workers,
    OutsideAdmissions.by_category,
    OutsideAdmissions.note,
)


def outside_of(row: Any) -> OutsideTotal:
    """A selected row of ``COLUMNS`` as the domain's OutsideTotal."""
    i, org, year, total, workers, split, note = row
    split = {str(k): int(v) for k, v in split.items()} if split else None
    return OutsideTotal(i, org, year, total, workers, split, note)


class SqlOutside:
    """The OutsideRepository port on a session."""

    def __init__(self, session: Session):
        self.session = session

    def get(self, outside_id: int) -> OutsideTotal | None:
        row = self.session.execute(select(*COLUMNS).where(OutsideAdmissions.id == outside_id))
        found = row.first()
        return outside_of(found) if found is not None else None

    def of(self, organisation_id: int, year: int) -> OutsideTotal | None:
        query = select(*COLUMNS).where(
            OutsideAdmissions.organisation_id == organisation_id, OutsideAdmissions.year == year
        )
        found = self.session.execute(query).first()
        return outside_of(found) if found is not None else None

    def add(self, total: OutsideTotal) -> int:
        row = OutsideAdmissions(
            organisation_id=total.organisation_id,
            year=total.year,
            total=total.total,
            enterprise_workers=total.enterprise_workers,
            by_category=dict(total.by_category) if total.by_category is not None else None,
            note=total.note,
        )
        self.session.add(row)
        self.session.flush()
        return row.id

    def update(self, total: OutsideTotal) -> None:
        row = self.session.get(OutsideAdmissions, total.id)
        row.total, row.enterprise_workers = total.total, total.enterprise_workers
        row.note = total.note
        row.by_category = dict(total.by_category) if total.by_category is not None else None
        self.session.flush()

    def delete(self, outside_id: int) -> None:
        row = self.session.get(OutsideAdmissions, outside_id)
        if row is not None:
            self.session.delete(row)
            self.session.flush()
