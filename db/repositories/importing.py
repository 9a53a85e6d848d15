"""The import's storage: the importer's cells, the open cases a file's people already have, and a
batch that opens thousands of cases in one transaction (``workflow.ports.importing``).

The batch (:class:`SqlNewCases`) is the part of the case repository that ``identify`` uses, made
for many rows: "has this person an open case?" is answered from the keys of the open cases the
file's people could match (loaded in a few queries, under the chain head's lock as
``SqlCases`` takes it) plus the cases the batch opened; new people and cases get ids reserved
ahead and are inserted ``BATCH`` at a time, two executemany statements a batch. Each row's
facts are ``SqlCases.prospective_facts`` of its cell (asked once per cell) with the row's person.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import func, insert, select, tuple_
from sqlalchemy.orm import Session

from db.models import Case, ChainHead, Organisation, Person
from db.read.scope import scope_clause
from db.repositories.cases import SqlCases
from db.text import fold
from workflow.facts import Actor, CaseFacts
from workflow.people import PERSON_FIELDS
from workflow.policy import Scope
from workflow.ports.importing import CellRef, OpenCase
from workflow.states import CLOSED_STATES, OrgType, State

_CLOSED = [s.value for s in CLOSED_STATES]
_CHUNK = 500
_PEOPLE = Person.__table__
_CASES = Case.__table__
_PERSON_FIELDS = PERSON_FIELDS

Key = tuple[str, Any]


def _key(person: Mapping[str, Any]) -> Key | None:
    """Who a row is, as ``SqlCases`` tells people apart: by ID number, else by folded name and
    date of birth."""
    if person.get("id_number"):
        return ("id", person["id_number"])
    if person.get("full_name") and person.get("birth_date"):
        return ("name", (fold(person["full_name"]), person["birth_date"]))
    return None


def _chunks(values: set[Any]) -> list[list[Any]]:
    ordered = sorted(values)
    return [ordered[i : i + _CHUNK] for i in range(0, len(ordered), _CHUNK)]


class SqlImports:
    """The ``ImportRepository`` port on a unit of work's session."""

    def __init__(self, session: Session, cases: SqlCases):
        self.session = session
        self.cases = cases

    def party_cells(self, scope: Scope) -> list[CellRef]:
        query = (
            select(Organisation.id, Organisation.name, Organisation.path)
            .where(Organisation.type == OrgType.cell, scope_clause(scope, Organisation.path))
            .order_by(Organisation.name, Organisation.id)
        )
        return [CellRef(row.id, row.name, row.path) for row in self.session.execute(query)]

    def new_cases(self, people: Sequence[Mapping[str, Any]], *, store: bool) -> SqlNewCases:
        return SqlNewCases(self.session, self.cases, people, store)

    def open_cases(
        self, people: Sequence[Mapping[str, Any]], scope: Scope
    ) -> list[OpenCase | None]:
        keys = [_key(person) for person in people]
        base = (
            select(Case.id, Organisation.name, Person.id_number, Person.search_name)
            .add_columns(Person.birth_date)
            .join(Person, Person.id == Case.person_id)
            .join(Organisation, Organisation.id == Case.cell_id)
            .where(
                Case.state.not_in(_CLOSED),
                scope_clause(scope, Organisation.path, Case.mentor_id),
            )
            .order_by(Case.id)
        )
        found: dict[Key, OpenCase] = {}
        for chunk in _chunks({k[1] for k in keys if k and k[0] == "id"}):
            for row in self.session.execute(base.where(Person.id_number.in_(chunk))):
                found.setdefault(("id", row.id_number), OpenCase(row.id, row.name))
        for chunk in _chunks({k[1] for k in keys if k and k[0] == "name"}):
            pairs = tuple_(Person.search_name, Person.birth_date).in_(chunk)
            for row in self.session.execute(base.where(pairs)):
                key = ("name", (row.search_name, row.birth_date))
                found.setdefault(key, OpenCase(row.id, row.name))
        return [found.get(key) if key else None for key in keys]


@dataclass
class NewCaseRow:
    """A case the batch opened: what the use case reads back (id, state, version)."""

    id: int
    state: str
    version: int = 1


class SqlNewCases:
    """The cases one import opens (``workflow.ports.importing.NewCases``)."""

    BATCH = 1000

    def __init__(
        self,
        session: Session,
        cases: SqlCases,
        people: Sequence[Mapping[str, Any]],
        store: bool,
    ):
        self.session = session
        self.cases = cases
        self.store = store
        #: Rows that may still become cases: ids are reserved for no more than these.
        self._expected = len(people)
        self._created = 0
        self._open: set[Key] = set()
        self._cells: dict[int, CaseFacts | None] = {}
        self._free: dict[str, list[int]] = {"people": [], "cases": []}
        self._people: list[dict[str, Any]] = []
        self._cases: list[dict[str, Any]] = []
        self._load_open_keys(people)

    def _load_open_keys(self, people: Sequence[Mapping[str, Any]]) -> None:
        # The lock SqlCases takes before looking: no other identify may slip in meanwhile.
        self.session.execute(select(ChainHead.id).where(ChainHead.id == 1).with_for_update())
        keys = {k for k in map(_key, people) if k is not None}
        base = (
            select(Person.id_number, Person.search_name, Person.birth_date)
            .join(Case, Case.person_id == Person.id)
            .where(Case.state.not_in(_CLOSED))
        )
        for chunk in _chunks({k[1] for k in keys if k[0] == "id"}):
            for row in self.session.execute(base.where(Person.id_number.in_(chunk))):
                self._open.add(("id", row.id_number))
        for chunk in _chunks({k[1] for k in keys if k[0] == "name"}):
            pairs = tuple_(Person.search_name, Person.birth_date).in_(chunk)
            for row in self.session.execute(base.where(pairs)):
                self._open.add(("name", (row.search_name, row.birth_date)))

    def _open_case_exists(self, fields: Mapping[str, Any]) -> bool:
        if fields.get("id_number"):
            return ("id", fields["id_number"]) in self._open
        name = (fold(fields.get("full_name") or ""), fields.get("birth_date"))
        return ("name", name) in self._open

    def prospective_facts(self, fields: dict[str, Any]) -> CaseFacts | None:
        cell_id = fields["cell"]
        if cell_id not in self._cells:
            self._cells[cell_id] = self.cases.prospective_facts({"cell": cell_id})
        cell = self._cells[cell_id]
        if cell is None:
            return None
        return replace(
            cell,
            person_name=fields.get("full_name") or "",
            birth_date=fields.get("birth_date"),
            is_doan_member=bool(fields.get("is_doan_member")),
            has_other_open_case=self._open_case_exists(fields),
        )

    def _next_id(self, table: str) -> int:
        """An id for a new row of `table` (``people`` or ``cases``), reserved a batch at a time:
        no more than the rows still to come, so that case numbers get no gap when every row is
        imported. A batch that stores nothing reserves nothing (PostgreSQL's sequences do not
        roll back): its ids are made up, and its rows never stored."""
        free = self._free[table]
        if not free:
            wanted = max(1, min(self.BATCH, self._expected - self._created))
            connection = self.session.connection()
            if not self.store:
                start = -(self._created + 1)
                free.extend(range(start, start - wanted, -1))
            elif connection.dialect.name == "postgresql":
                free.extend(
                    connection.exec_driver_sql(
                        f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) "
                        f"FROM generate_series(1, {wanted})"
                    ).scalars()
                )
            else:
                column = (_PEOPLE if table == "people" else _CASES).c.id
                last = connection.scalar(select(func.max(column))) or 0
                pending = self._people if table == "people" else self._cases
                last = max([last, *(row["id"] for row in pending[-1:])])
                free.extend(range(last + 1, last + 1 + wanted))
            free.reverse()
        return free.pop()

    def create(self, fields: dict[str, Any], actor: Actor, today: date) -> NewCaseRow:
        """The same person and case rows as ``SqlCases.create``, inserted at the next flush."""
        person_id, case_id = self._next_id("people"), self._next_id("cases")
        self._people.append(
            {
                "id": person_id,
                **{name: fields.get(name) for name in _PERSON_FIELDS},
                "search_name": fold(fields["full_name"]),
                "is_doan_member": bool(fields.get("is_doan_member")),
            }
        )
        self._cases.append(
            {
                "id": case_id,
                "person_id": person_id,
                "cell_id": fields["cell"],
                "state": State.identified.value,
                "version": 1,
                "source": fields["source"],
                "source_detail": fields.get("source_detail"),
                "opened_on": today,
                "state_since": today,
            }
        )
        self._created += 1
        key = _key(fields)
        if key is not None:
            self._open.add(key)
        if fields.get("id_number") and fields.get("birth_date") is not None:
            # Also by name: a later row without an ID number may name the same person.
            self._open.add(("name", (fold(fields["full_name"]), fields["birth_date"])))
        if len(self._cases) >= self.BATCH:
            self.flush()
        return NewCaseRow(case_id, State.identified.value)

    def flush(self) -> None:
        """Insert the people and cases created since the last flush (storing nothing: forget)."""
        if not self.store:
            self._people, self._cases = [], []
            return
        if self._people:
            connection = self.session.connection()
            connection.execute(insert(_PEOPLE), self._people)
            connection.execute(insert(_CASES), self._cases)
            self._people, self._cases = [], []
