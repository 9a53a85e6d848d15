"""What the entry of admissions outside hoso needs from storage: the committees' yearly totals
(their organisations are ``uow.organisations``)."""

from __future__ import annotations

from typing import Protocol

from workflow.targets import OutsideTotal


class OutsideRepository(Protocol):
    def get(self, outside_id: int) -> OutsideTotal | None: ...

    def of(self, organisation_id: int, year: int) -> OutsideTotal | None:
        """The committee's total of `year`, if entered."""
        ...

    def add(self, total: OutsideTotal) -> int:
        """Store `total` (its ``id`` is ignored); returns the new id."""
        ...

    def update(self, total: OutsideTotal) -> None:
        """Replace the stored total of ``total.id`` (its organisation and year stay)."""
        ...

    def delete(self, outside_id: int) -> None: ...
