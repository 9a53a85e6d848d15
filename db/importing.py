"""Candidates in and out of the database: an import resolved and run in one transaction, and the
rows of an export.

An import (``run_import``, or ``prepare`` then ``import_sheet``):

1. ``workflow.importing.parse_sheet`` reads the file and checks each row on its own;
2. the cells it names are resolved, by id or by name, among the party cells where the importer
   is secretary (a file without a cell column goes to the importer's only cell);
3. ``workflow.importing.import_candidates`` identifies every good row in ONE unit of work, which
   commits once or not at all;
4. a row refused because the person has an open case is told which case, when the importer may
   see it.

An export reads the same rows, in the same scope and order, as the case list (``db.search``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, insert, or_, select, tuple_, update
from sqlalchemy.orm import Session

from db.models import Case, ChainHead, Event, Organisation, Person
from db.read.cases import scope_filter
from db.repositories.cases import SqlCases
from db.repositories.history import Appended, SqlHistory
from db.runtime import Runtime
from db.search import CaseFilters, may_list, page_query
from db.text import fold
from db.uow import SqlUnitOfWork
from workflow import policy
from workflow.errors import NotAllowed
from workflow.facts import Actor
from workflow.history import CANONICAL_COLUMNS, canonical_data, chain_digest, utc_stamp
from workflow.importing import (
    ImportFileError,
    ImportResult,
    Problem,
    Sheet,
    cell_lookup,
    import_candidates,
    parse_sheet,
    resolve_cells,
)
from workflow.ports import NewEvent
from workflow.services import Clock
from workflow.settings import RuleSettings
from workflow.states import FINAL_STATES, OrgType, Role, State

_CLOSED = [s.value for s in FINAL_STATES] + [State.withdrawn.value]
_CHUNK = 500


def secretary_cells(session: Session, actor: Actor) -> list[tuple[int, str]]:
    """The party cells where `actor` may add candidates, as ``(id, name)`` by name."""
    paths = sorted({grant.scope_path for grant in actor.grants_for(Role.secretary)})
    if not paths:
        return []
    query = (
        select(Organisation.id, Organisation.name, Organisation.path)
        .where(Organisation.type == OrgType.cell)
        .where(or_(*(Organisation.path.startswith(path) for path in paths)))
        .order_by(Organisation.name, Organisation.id)
    )
    return [
        (row.id, row.name)
        for row in session.execute(query)
        if policy.can_identify_in(actor, row.path)
    ]


def prepare(
    runtime: Runtime, actor: Actor, data: bytes, filename: str, max_rows: int | None = None
) -> Sheet:
    """The file read, each row checked, and its cells resolved in the importer's scope.

    Raises NotAllowed for a user who is no cell's secretary, ImportFileError for a file that
    cannot be imported at all.
    """
    with runtime.sessions() as session:
        cells = secretary_cells(session, actor)
    if not cells:
        raise NotAllowed(f"{actor.username} is no cell's secretary and may not add candidates")
    sheet = parse_sheet(data, filename, max_rows)
    default = cells[0][0] if len(cells) == 1 else None
    if not sheet.has_cell_column and default is None:
        names = "; ".join(f"{cell_id} ({name})" for cell_id, name in cells)
        raise ImportFileError(
            f"the file has no 'Chi bộ' (cell) column, and {actor.username} is secretary of "
            f"several cells: {names}",
            f"tệp không có cột 'Chi bộ', mà {actor.username} là bí thư của nhiều chi bộ: {names}",
        )
    resolve_cells(sheet, cell_lookup(cells), default)
    return sheet


def import_sheet(
    runtime: Runtime,
    actor: Actor,
    sheet: Sheet,
    *,
    dry_run: bool = False,
    skip_bad: bool = False,
    clock: Clock | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Identify the sheet's good rows in one transaction (see ``import_candidates``)."""
    # An import that cannot commit (a row already refused, and no skip_bad) stores nothing on
    # its way either: it runs as a dry run.
    doomed = not skip_bad and any(row.refused for row in sheet.rows)
    result = import_candidates(
        ImportUnitOfWork(runtime, sheet, dry_run=dry_run or doomed),
        actor,
        sheet,
        clock=clock,
        settings=runtime.settings,
        skip_bad=skip_bad,
        dry_run=dry_run,
        progress=progress,
    )
    with runtime.sessions() as session:
        name_open_cases(session, actor, result)
    return result


def run_import(
    runtime: Runtime,
    actor: Actor,
    data: bytes,
    filename: str,
    *,
    dry_run: bool = False,
    skip_bad: bool = False,
    clock: Clock | None = None,
    max_rows: int | None = None,
) -> ImportResult:
    """Read, check and import a file as `actor`: all its rows, or (`skip_bad`) the good ones."""
    sheet = prepare(runtime, actor, data, filename, max_rows)
    return import_sheet(runtime, actor, sheet, dry_run=dry_run, skip_bad=skip_bad, clock=clock)


# --- the unit of work of an import ---------------------------------------------------------

_PERSON_FIELDS = (
    "full_name",
    "birth_date",
    "sex",
    "birth_place",
    "hometown",
    "ethnicity",
    "religion",
    "education",
    "residence",
    "occupation",
    "id_number",
)
_PEOPLE = Person.__table__
_CASES = Case.__table__


@dataclass
class NewCaseRow:
    """A case an import created: what the use case reads back (id, state, version)."""

    id: int
    state: str
    version: int = 1


class ImportCases(SqlCases):
    """The case repository of an import: ``SqlCases`` with shortcuts for thousands of rows.

    - "Has this person an open case?" is answered from the keys (ID numbers; folded names with
      dates of birth) of the open cases that the file's people could match, loaded in a few
      queries when the unit of work begins, under the chain head's lock as ``SqlCases`` takes it,
      plus the keys of every case the import creates;
    - ``create`` makes the same person and case rows as ``SqlCases.create``, with ids reserved
      ahead (PostgreSQL: from the tables' sequences; SQLite: after the largest id, the database
      being locked for writing), and ``flush`` inserts them ``BATCH`` at a time, two executemany
      statements a batch, before the events that name them.

    The policy, the machine and the rules are the use case's, unchanged.
    """

    BATCH = 1000

    def __init__(
        self, session: Session, settings: RuleSettings, sheet: Sheet, dry_run: bool = False
    ):
        super().__init__(session, settings)
        self.dry_run = dry_run
        self._ids: set[str] = set()
        self._names: set[tuple[str, date]] = set()
        self._free: dict[str, list[int]] = {"people": [], "cases": []}
        self._people: list[dict[str, Any]] = []
        self._cases: list[dict[str, Any]] = []
        #: Rows that may still become cases: ids are reserved for no more than these.
        self._expected = sum(1 for row in sheet.rows if not row.refused)
        self._created = 0
        self._load_open_keys(sheet)

    def _load_open_keys(self, sheet: Sheet) -> None:
        # The lock SqlCases._open_case_exists takes: no other identify may slip in meanwhile.
        self.session.execute(select(ChainHead.id).where(ChainHead.id == 1).with_for_update())
        ids = {row.values["id_number"] for row in sheet.rows if row.values.get("id_number")}
        names = {
            (fold(row.values["full_name"]), row.values["birth_date"])
            for row in sheet.rows
            if not row.values.get("id_number")
            and row.values.get("full_name")
            and row.values.get("birth_date")
        }
        base = (
            select(Person.id_number, Person.search_name, Person.birth_date)
            .join(Case, Case.person_id == Person.id)
            .where(Case.state.not_in(_CLOSED))
        )
        id_list, name_list = sorted(ids), sorted(names)
        for start in range(0, len(id_list), _CHUNK):
            chunk = id_list[start : start + _CHUNK]
            for row in self.session.execute(base.where(Person.id_number.in_(chunk))):
                self._ids.add(row.id_number)
        for start in range(0, len(name_list), _CHUNK):
            pairs = tuple_(Person.search_name, Person.birth_date).in_(
                name_list[start : start + _CHUNK]
            )
            for row in self.session.execute(base.where(pairs)):
                self._names.add((row.search_name, row.birth_date))

    def _open_case_exists(self, fields: dict[str, Any], but: int | None = None) -> bool:
        if but is not None:
            return super()._open_case_exists(fields, but)
        if fields.get("id_number"):
            return fields["id_number"] in self._ids
        return (fold(fields.get("full_name") or ""), fields.get("birth_date")) in self._names

    def _next_id(self, table: str) -> int:
        """An id for a new row of `table` (``people`` or ``cases``), reserved a batch at a time:
        no more than the rows still to come, so that case numbers get no gap when every row is
        imported. A dry run reserves nothing (PostgreSQL's sequences do not roll back): its ids
        are made up, and its rows never stored."""
        free = self._free[table]
        if not free:
            wanted = max(1, min(self.BATCH, self._expected - self._created))
            connection = self.session.connection()
            if self.dry_run:
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
            }
        )
        self._created += 1
        if fields.get("id_number"):
            self._ids.add(fields["id_number"])
        if fields.get("birth_date") is not None:
            self._names.add((fold(fields["full_name"]), fields["birth_date"]))
        return NewCaseRow(case_id, State.identified.value)

    def flush(self) -> None:
        """Insert the people and cases created since the last flush (a dry run: forget them)."""
        if self.dry_run:
            self._people, self._cases = [], []
            return
        connection = self.session.connection()
        if self._people:
            connection.execute(insert(_PEOPLE), self._people)
            connection.execute(insert(_CASES), self._cases)
            self._people, self._cases = [], []


_EVENTS = Event.__table__
_HEAD = ChainHead.__table__


class ImportHistory(SqlHistory):
    """The history of an import: the same chain, appended in batches.

    ``SqlHistory.append`` reads the chain head (locking its row), inserts the event and moves the
    head: three statements an event. Here the head is read and locked once; each event's row and
    digest are made exactly as ``SqlHistory.append`` makes them, chained in memory, and the rows
    are inserted ``BATCH`` at a time with one executemany, the head moved once per batch. Nobody
    else can append meanwhile: the head's row lock (SQLite: the database's) is held from the
    first read to the commit. ``flush`` must run before the commit (the unit of work does it).
    """

    BATCH = 1000

    def __init__(
        self,
        session: Session,
        before_flush: Callable[[], None] | None = None,
        dry_run: bool = False,
    ):
        super().__init__(session)
        self._last: tuple[int, str] | None = None
        self._pending: list[dict[str, Any]] = []
        self._before_flush = before_flush
        self.dry_run = dry_run

    def append(self, new: NewEvent) -> Appended:
        connection = self.session.connection()
        if self._last is None:
            head = connection.execute(
                select(_HEAD.c.last_id, _HEAD.c.digest).where(_HEAD.c.id == 1).with_for_update()
            ).one()
            self._last = (head.last_id, head.digest)
        last_id, previous = self._last
        row = {
            "id": last_id + 1,
            "case_id": new.case_id,
            "organisation_id": new.organisation_id,
            "at": utc_stamp(new.at),
            "user_id": new.user_id,
            "username": new.username,
            "role": new.role,
            "action": new.action,
            "from_state": new.from_state,
            "to_state": new.to_state,
            "reason": new.reason,
            "data": canonical_data(new.data),
            "ruleset": new.ruleset,
        }
        digest = chain_digest(previous, [row[c] for c in CANONICAL_COLUMNS])
        self._pending.append({**row, "prev_digest": previous, "digest": digest})
        self._last = (row["id"], digest)
        if len(self._pending) >= self.BATCH:
            self.flush()
        return Appended(row["id"], digest)

    def flush(self) -> None:
        """Insert the events appended since the last flush, and move the head past them."""
        if self._before_flush is not None:
            self._before_flush()  # the cases the events name, first
        if not self._pending or self._last is None:
            return
        if self.dry_run:  # made and chained, never stored
            self._pending = []
            return
        connection = self.session.connection()
        connection.execute(insert(_EVENTS), self._pending)
        connection.execute(
            update(_HEAD)
            .where(_HEAD.c.id == 1)
            .values(
                last_id=self._last[0],
                digest=self._last[1],
                count=_HEAD.c.count + len(self._pending),
            )
        )
        self._pending = []


class ImportUnitOfWork(SqlUnitOfWork):
    """A write unit of work with the import's repository (:class:`ImportCases` for `sheet`) and
    history (:class:`ImportHistory`), whose pending rows are stored before the commit."""

    def __init__(self, runtime: Runtime, sheet: Sheet, dry_run: bool = False):
        super().__init__(runtime.sessions, runtime.settings, write=True)
        self.sheet = sheet
        self.dry_run = dry_run

    def __enter__(self) -> ImportUnitOfWork:
        super().__enter__()
        self.cases = ImportCases(self.session, self.settings, self.sheet, self.dry_run)
        self.history = ImportHistory(self.session, self.cases.flush, self.dry_run)
        return self

    def commit(self) -> None:
        if self.dry_run:
            raise RuntimeError("a dry run does not commit")
        self.history.flush()
        super().commit()


def name_open_cases(session: Session, actor: Actor, result: ImportResult) -> None:
    """Add the open case (its number and cell) to each "already has an open case" refusal, when
    `actor` may see that case; otherwise the refusal stays as the rule words it."""
    duplicates = [
        (row, index)
        for row in result.rows
        for index, problem in enumerate(row.problems)
        if problem.kind == "duplicate_open_case"
    ]
    if not duplicates:
        return
    ids = {row.values["id_number"] for row, _ in duplicates if row.values.get("id_number")}
    names = {
        (fold(row.values["full_name"]), row.values["birth_date"])
        for row, _ in duplicates
        if not row.values.get("id_number")
        and row.values.get("full_name")
        and row.values.get("birth_date")
    }
    by_id, by_name = _visible_open_cases(session, actor, ids, names)
    for row, index in duplicates:
        if row.values.get("id_number"):
            found = by_id.get(row.values["id_number"])
        else:
            found = by_name.get(
                (fold(row.values.get("full_name") or ""), row.values.get("birth_date"))
            )
        if found is None:
            continue
        case_id, cell = found
        problem = row.problems[index]
        row.problems[index] = Problem(
            problem.kind,
            problem.field,
            f"{problem.vi} (hồ sơ số {case_id}, {cell})",
            f"{problem.en} (case {case_id}, {cell})",
            problem.rule,
        )


def _visible_open_cases(
    session: Session, actor: Actor, ids: set[str], names: set[tuple[str, date]]
) -> tuple[dict[str, tuple[int, str]], dict[tuple[str, date], tuple[int, str]]]:
    base = (
        select(Case.id, Organisation.name, Person.id_number, Person.search_name, Person.birth_date)
        .join(Person, Person.id == Case.person_id)
        .join(Organisation, Organisation.id == Case.cell_id)
        .where(Case.state.not_in(_CLOSED), scope_filter(actor))
        .order_by(Case.id)
    )
    by_id: dict[str, tuple[int, str]] = {}
    by_name: dict[tuple[str, date], tuple[int, str]] = {}
    id_list, name_list = sorted(ids), sorted(names)
    for start in range(0, len(id_list), _CHUNK):
        chunk = id_list[start : start + _CHUNK]
        for row in session.execute(base.where(Person.id_number.in_(chunk))):
            by_id.setdefault(row.id_number, (row.id, row.name))
    for start in range(0, len(name_list), _CHUNK):
        chunk = name_list[start : start + _CHUNK]
        pairs = tuple_(Person.search_name, Person.birth_date).in_(chunk)
        for row in session.execute(base.where(pairs)):
            by_name.setdefault((row.search_name, row.birth_date), (row.id, row.name))
    return by_id, by_name


# --- export -------------------------------------------------------------------------------

#: The person's particulars an export adds to the list's columns.
_PARTICULARS = (
    Person.sex,
    Person.birth_place,
    Person.hometown,
    Person.ethnicity,
    Person.religion,
    Person.education,
    Person.residence,
    Person.occupation,
    Person.id_number,
    Person.is_doan_member,
)


def export_rows(
    session: Session, actor: Actor, filters: CaseFilters, batch: int = 1000
) -> Iterator[dict[str, Any]]:
    """Every case of the list `filters` select, in the list's scope and order, with the person's
    particulars: plain dicts, streamed `batch` rows at a time.

    Raises NotAllowed (before the first row) for an actor with no case list.
    """
    if not may_list(actor):
        raise NotAllowed("no role with a case list")
    query = page_query(actor, filters, limit=None, offset=None).add_columns(*_PARTICULARS)
    return _stream(session, query, batch)


def _stream(session: Session, query, batch: int) -> Iterator[dict[str, Any]]:
    result = session.execute(query.execution_options(yield_per=batch))
    for row in result:
        yield row._asdict()
