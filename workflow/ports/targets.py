"""What the target edits need from storage: the targets (their organisations are
``uow.organisations``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Protocol

from workflow.targets import Target


class TargetRepository(Protocol):
    def get(self, target_id: int) -> Target | None: ...

    def exists(self, organisation_id: int, year: int, metric: str, unit_kind: str) -> bool:
        """Whether the organisation already has this target for the year."""
        ...

    def add(self, target: Target) -> int:
        """Store `target` (its ``id`` is ignored); returns the new id."""
        ...

    def update(self, target_id: int, value: Decimal, note: str | None) -> None: ...

    def delete(self, target_id: int) -> None: ...
