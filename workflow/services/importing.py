"""The import use case: a checked sheet's rows become cases, all in ONE unit of work.

Every good row goes through the case use case's own ``identify`` (``identify_in``: the policy,
the machine, the rules and the event), exactly as ``identify_candidate`` does for one person. Two
things differ only in how storage is reached, so that ten thousand rows stay fast:

- the rows' cases are opened through ``uow.imports.new_cases(...)``, a batch that knows the open
  cases of the file's people from one query and inserts people and cases a thousand at a time;
- the rows' ``identify`` events are gathered and appended at the end with
  ``uow.history.append_many`` (the history repository chains them as ``append`` would).

The unit of work commits once: when no row is refused, or with ``skip_bad`` when some row is good;
a dry run never commits, and stores nothing on its way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from workflow import policy
from workflow.clock import Clock
from workflow.errors import InvalidInput, NotAllowed, RuleViolation
from workflow.facts import Actor
from workflow.importing.cells import cell_lookup, resolve_cells
from workflow.importing.fields import SOURCE_DETAIL_MAX
from workflow.importing.problems import ImportFileError, Problem, bad, missing
from workflow.importing.result import ImportResult
from workflow.importing.sheet import Sheet, SheetRow
from workflow.policy import Purpose
from workflow.ports import NewEvent, UnitOfWork
from workflow.ports.importing import CellRef, NewCases
from workflow.rules import single_open_case
from workflow.services.cases import identify_in
from workflow.settings import Settings
from workflow.states import Source


class _Rows:
    """The unit of work as ``identify_in`` sees it during an import: the import's batch of new
    cases, and the events gathered for one ``append_many`` (the transaction stays the import's)."""

    def __init__(self, settings: Settings, cases: NewCases) -> None:
        self.settings = settings
        self.cases = cases
        self.history = self
        self.events: list[NewEvent] = []

    def append(self, event: NewEvent) -> None:
        self.events.append(event)


def import_candidates(
    uow: UnitOfWork,
    actor: Actor,
    sheet: Sheet,
    *,
    dry_run: bool = False,
    skip_bad: bool = False,
    clock: Clock | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Identify every good row of `sheet` as `actor`, in ONE transaction.

    The cells the rows name are resolved among the actor's cells (a file without a cell column
    goes to the importer's only cell); rows already refused (bad values, duplicates within the
    file, unknown cell) are not tried. Each other row is identified with source ``import_file``
    and the file's name as detail. Raises NotAllowed for a user who is no cell's secretary, and
    ImportFileError when the file names no cell and the importer has several.
    """
    clock = clock or Clock.system()
    where = policy.scope(actor, Purpose.identify)
    if not where:
        raise NotAllowed(f"{actor.username} is no cell's secretary and may not add candidates")
    committed = False
    with uow:
        cells = uow.imports.party_cells(where)
        if not cells:
            raise NotAllowed(f"{actor.username} is no cell's secretary and may not add candidates")
        _resolve(sheet, cells, actor)
        # An import that cannot commit (a row already refused, and no skip_bad) stores nothing on
        # its way either, like a dry run: no ids are taken from the sequences.
        store = not dry_run and (skip_bad or not any(row.refused for row in sheet.rows))
        good = [row for row in sheet.rows if not row.refused]
        rows = _Rows(uow.settings, uow.imports.new_cases([r.values for r in good], store=store))
        detail = sheet.filename[:SOURCE_DETAIL_MAX]
        for row in sheet.rows:
            if not row.refused:
                _identify_row(rows, actor, row, detail, clock)
            if progress is not None:
                progress(1)
        _name_open_cases(uow, actor, sheet)
        refused = any(row.refused for row in sheet.rows)
        if store and len(rows.events) and (skip_bad or not refused):
            rows.cases.flush()  # the cases first: the events name them
            uow.history.append_many(rows.events)
            uow.commit()
            committed = True
    if not committed:
        for row in sheet.rows:
            row.case_id = None
    return ImportResult(sheet, committed, dry_run, skip_bad)


def _resolve(sheet: Sheet, cells: list[CellRef], actor: Actor) -> None:
    """Each row's cell (a name or an id) as the id of one of the importer's cells."""
    default = cells[0].id if len(cells) == 1 else None
    if not sheet.has_cell_column and default is None:
        names = "; ".join(f"{cell.id} ({cell.name})" for cell in cells)
        raise ImportFileError(
            f"the file has no 'Chi bộ' (cell) column, and {actor.username} is secretary of "
            f"several cells: {names}",
            f"tệp không có cột 'Chi bộ', mà {actor.username} là bí thư của nhiều chi bộ: {names}",
        )
    resolve_cells(sheet, cell_lookup((cell.id, cell.name) for cell in cells), default)


def _identify_row(rows: _Rows, actor: Actor, row: SheetRow, detail: str, clock: Clock) -> None:
    """``identify`` for one row; a refusal becomes the row's problem."""
    raw: dict[str, Any] = {**row.values, "source": Source.import_file.value}
    raw["source_detail"] = detail
    try:
        case = identify_in(rows, actor, raw, clock)  # type: ignore[arg-type]
    except InvalidInput as wrong:
        if wrong.field == "cell":
            row.problems.append(missing("cell"))
        else:
            row.problems.append(bad(wrong.field, wrong.message, wrong.message))
        return
    except NotAllowed:
        row.problems.append(
            Problem(
                "not_allowed",
                "cell",
                "Đồng chí không được thêm quần chúng vào chi bộ này.",
                "You may not add candidates to this party cell.",
            )
        )
        return
    except RuleViolation as refusal:
        row.problems.extend(_refusals(refusal))
        return
    row.case_id = case.id


def _refusals(refusal: RuleViolation) -> list[Problem]:
    """The rules' failures as the row's problems (an open case of the person has its kind)."""
    problems = []
    for failure in refusal.failures:
        duplicate = failure.rule == single_open_case.__name__
        problems.append(
            Problem(
                "duplicate_open_case" if duplicate else "rule",
                "id_number" if duplicate else None,
                failure.vi,
                failure.en,
                rule=failure.rule,
            )
        )
    return problems


def _name_open_cases(uow: UnitOfWork, actor: Actor, sheet: Sheet) -> None:
    """Add the open case (its number and cell) to each "already has an open case" refusal, when
    `actor` may see that case; otherwise the refusal stays as the rule words it."""
    duplicates = [
        (row, index)
        for row in sheet.rows
        for index, problem in enumerate(row.problems)
        if problem.kind == "duplicate_open_case"
    ]
    if not duplicates:
        return
    people = [row.values for row, _ in duplicates]
    found = uow.imports.open_cases(people, policy.scope(actor, Purpose.cases))
    for (row, index), case in zip(duplicates, found, strict=True):
        if case is None:
            continue
        problem = row.problems[index]
        row.problems[index] = Problem(
            problem.kind,
            problem.field,
            f"{problem.vi} (hồ sơ số {case.id}, {case.cell_name})",
            f"{problem.en} (case {case.id}, {case.cell_name})",
            problem.rule,
        )
