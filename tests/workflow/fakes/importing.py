"""The import's storage in memory: the fake district's cells by name, a batch that opens cases in
the case fake, and the open cases a row may repeat."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from tests.workflow.fakes.cases import CELL_ID, OTHER_CELL_ID, FakeCase, FakeCases
from workflow.facts import Actor, CaseFacts
from workflow.policy import Scope
from workflow.ports.importing import CellRef, OpenCase
from workflow.states import CLOSED_STATES

CELL_NAMES = {CELL_ID: "Chi bộ trường THPT Thử", OTHER_CELL_ID: "Chi bộ Công ty Thử"}


class FakeNewCases:
    """The NewCases port: the case fake's own ``prospective_facts`` and ``create``."""

    def __init__(self, cases: FakeCases, store: bool) -> None:
        self.cases = cases
        self.store = store
        self.flushes = 0

    def prospective_facts(self, fields: dict[str, Any]) -> CaseFacts | None:
        return self.cases.prospective_facts(fields)

    def create(self, fields: dict[str, Any], actor: Actor, today: date) -> FakeCase:
        return self.cases.create(fields, actor, today)

    def flush(self) -> None:
        self.flushes += 1


class FakeImports:
    """The ImportRepository port over the case fake; ``batches`` keeps every batch made."""

    def __init__(self, cases: FakeCases, names: dict[int, str] | None = None) -> None:
        self.cases = cases
        self.names = dict(CELL_NAMES if names is None else names)
        self.batches: list[FakeNewCases] = []

    def party_cells(self, scope: Scope) -> list[CellRef]:
        cells = [
            CellRef(cell.id, self.names.get(cell.id, f"Chi bộ {cell.id}"), cell.path)
            for cell in self.cases.cells.values()
            if scope.covers(cell.path)
        ]
        return sorted(cells, key=lambda c: (c.name, c.id))

    def new_cases(self, people: Sequence[Mapping[str, Any]], *, store: bool) -> FakeNewCases:
        self.batches.append(FakeNewCases(self.cases, store))
        return self.batches[-1]

    def open_cases(
        self, people: Sequence[Mapping[str, Any]], scope: Scope
    ) -> list[OpenCase | None]:
        def same(case: FakeCase, person: Mapping[str, Any]) -> bool:
            if person.get("id_number"):
                return case.id_number == person["id_number"]
            return (case.full_name, case.birth_date) == (
                person.get("full_name"),
                person.get("birth_date"),
            )

        found = []
        for person in people:
            case = next(
                (
                    c
                    for c in sorted(self.cases.items.values(), key=lambda c: c.id)
                    if c.state not in CLOSED_STATES
                    and same(c, person)
                    and scope.has_case(
                        self.cases.cells[c.cell_id].path, getattr(c.mentor, "id", None)
                    )
                ),
                None,
            )
            found.append(OpenCase(case.id, self.names[case.cell_id]) if case else None)
        return found
