"""What the import use case needs from storage besides the case repository: the importer's cells,
the open cases its rows may repeat, and a way to open thousands of cases in one transaction."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from workflow.facts import Actor, CaseFacts
from workflow.policy import Scope
from workflow.ports.cases import CaseRecord


@dataclass(frozen=True)
class CellRef:
    """A party cell a file may name: its id, its name, and where it sits."""

    id: int
    name: str
    path: str


@dataclass(frozen=True)
class OpenCase:
    """An open case of the same person as a row (named in the row's refusal)."""

    id: int
    cell_name: str


class NewCases(Protocol):
    """The part of the case repository that ``identify`` uses, for the rows of one import.

    Answers "has this person an open case?" from what it loaded once for all the rows (and the
    cases it opened since), and stores the new people and cases in batches: ``flush`` stores what
    is pending (nothing at all when made with ``store=False``: ids are then made up).
    """

    def prospective_facts(self, fields: dict[str, Any]) -> CaseFacts | None: ...

    def create(self, fields: dict[str, Any], actor: Actor, today: date) -> CaseRecord: ...

    def flush(self) -> None: ...


class ImportRepository(Protocol):
    """Storage for the import (``db.repositories.importing.SqlImports``; a fake in tests)."""

    def party_cells(self, scope: Scope) -> list[CellRef]:
        """The party cells in `scope`, by name."""
        ...

    def new_cases(self, people: Sequence[Mapping[str, Any]], *, store: bool) -> NewCases:
        """A batch for opening the cases of `people` (the rows' values) in this transaction."""
        ...

    def open_cases(
        self, people: Sequence[Mapping[str, Any]], scope: Scope
    ) -> list[OpenCase | None]:
        """For each of `people`, an open case of the same person in `scope` (else ``None``)."""
        ...
