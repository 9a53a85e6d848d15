"""The yearly targets' storage."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Target as TargetRow
from workflow.targets import Target

COLUMNS = (
    TargetRow.id,
    TargetRow.organisation_id,
    TargetRow.year,
    TargetRow.metric,
    TargetRow.kind,
    TargetRow.value,
    TargetRow.unit_kind,
    TargetRow.note,
    TargetRow.category,
)


def target_of(row) -> Target:
    """A selected row of ``COLUMNS`` as the domain's Target."""
    i, org, year, metric, kind, value, unit, note, category = row
    return Target(i, org, year, metric, kind, Decimal(value), unit, note, category)


class SqlTargets:
    """The TargetRepository port on a session."""

    def __init__(self, session: Session):
        self.session = session

    def get(self, target_id: int) -> Target | None:
        row = self.session.execute(select(*COLUMNS).where(TargetRow.id == target_id)).first()
        return target_of(row) if row is not None else None

    def exists(self, organisation_id: int, year: int, metric: str, unit_kind: str) -> bool:
        query = select(TargetRow.id).where(
            TargetRow.organisation_id == organisation_id,
            TargetRow.year == year,
            TargetRow.metric == metric,
            TargetRow.unit_kind == unit_kind,
        )
        return self.session.scalar(query.limit(1)) is not None

    def add(self, target: Target) -> int:
        row = TargetRow(
            organisation_id=target.organisation_id,
            year=target.year,
            metric=target.metric,
            kind=target.kind,
            value=target.value,
            unit_kind=target.unit_kind,
            note=target.note,
            category=target.category,
        )
        self.session.add(row)
        self.session.flush()
        return row.id

    def update(self, target_id: int, value: Decimal, note: str | None) -> None:
        row = self.session.get(TargetRow, target_id)
        row.value, row.note = value, note
        self.session.flush()

    def delete(self, target_id: int) -> None:
        row = self.session.get(TargetRow, target_id)
        if row is not None:
            self.session.delete(row)
            self.session.flush()
