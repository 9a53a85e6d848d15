"""The OutsideRepository port in memory: the committees' yearly totals outside hoso."""

from __future__ import annotations

from dataclasses import replace

from tests.workflow.fakes.admin import _Store
from workflow.targets import OutsideTotal


class FakeOutside(_Store):
    """Each total by id."""

    def __init__(self, totals: tuple[OutsideTotal, ...] = ()) -> None:
        super().__init__({t.id: t for t in totals}, 100)

    def get(self, outside_id: int) -> OutsideTotal | None:
        return self.items.get(outside_id)

    def of(self, organisation_id: int, year: int) -> OutsideTotal | None:
        return next(
            (
                t
                for t in self.items.values()
                if (t.organisation_id, t.year) == (organisation_id, year)
            ),
            None,
        )

    def add(self, total: OutsideTotal) -> int:
        new_id = self._new_id()
        self.items[new_id] = replace(total, id=new_id)
        return new_id

    def update(self, total: OutsideTotal) -> None:
        self.items[total.id] = total

    def delete(self, outside_id: int) -> None:
        del self.items[outside_id]
