"""The enterprise registry's storage."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Enterprise


class SqlEnterprises:
    """The EnterpriseRepository port on a session."""

    def __init__(self, session: Session):
        self.session = session

    def committee_of(self, enterprise_id: int) -> int | None:
        return self.session.scalar(
            select(Enterprise.committee_id).where(Enterprise.id == enterprise_id)
        )

    def tax_code_taken(self, tax_code: str, but: int | None = None) -> bool:
        query = select(Enterprise.id).where(Enterprise.tax_code == tax_code)
        if but is not None:
            query = query.where(Enterprise.id != but)
        return self.session.scalar(query.limit(1)) is not None

    def add(self, values: dict[str, Any]) -> int:
        row = Enterprise(**values)
        self.session.add(row)
        self.session.flush()
        return row.id

    def update(self, enterprise_id: int, values: dict[str, Any]) -> None:
        row = self.session.get(Enterprise, enterprise_id)
        for key, value in values.items():
            setattr(row, key, value)
        self.session.flush()
