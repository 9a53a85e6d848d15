"""The import use case on the in-memory fakes: every row through identify, in one commit."""

from __future__ import annotations

import pytest

from tests.workflow.fakes import ACTORS, CELL_ID, CLOCK, OTHER_CELL_ID, FakeCase, FakeUnitOfWork
from tests.workflow.fakes.importing import CELL_NAMES, FakeImports
from tests.workflow.test_importing import csv_bytes, problems
from workflow.errors import NotAllowed
from workflow.importing.problems import ImportFileError
from workflow.importing.sheet import parse_sheet
from workflow.policy import Scope
from workflow.ports.importing import CellRef
from workflow.services.importing import import_candidates

HEADER = "Họ và tên|Ngày sinh|Số CCCD|Chi bộ"


def sheet_of(*lines: str, header: str = HEADER):
    return parse_sheet(csv_bytes(header, *lines), "ds.csv")


class CountingUnitOfWork(FakeUnitOfWork):
    """Counts commits: one import is one transaction."""

    def __init__(self, *cases: FakeCase) -> None:
        super().__init__(*cases)
        self.commits = 0

    def commit(self) -> None:
        self.commits += 1
        super().commit()


class LaxImports(FakeImports):
    """Storage that offers every cell, whatever the scope: identify's own policy still judges."""

    def party_cells(self, scope: Scope) -> list[CellRef]:
        return [CellRef(c.id, self.names[c.id], c.path) for c in self.cases.cells.values()]


def test_import_identifies_every_row_in_one_commit() -> None:
    uow = CountingUnitOfWork()
    sheet = sheet_of(
        f"Nguyễn Văn An|15/05/1990|1|{CELL_ID}", f"Trần Thị Bình|02/02/1995|2|{CELL_ID}"
    )
    seen: list[int] = []
    result = import_candidates(uow, ACTORS["sec"], sheet, clock=CLOCK, progress=seen.append)
    assert result.committed and result.imported == 2 and seen == [1, 1]
    assert uow.commits == 1
    assert [e.action for e in uow.history.events] == ["identify", "identify"]
    event = uow.history.events[0]
    assert (event.username, event.role, event.to_state) == ("sec", "secretary", "identified")
    assert event.data["source"] == "import_file" and event.data["source_detail"] == "ds.csv"
    assert [row.case_id for row in result.rows] == [1, 2]
    assert [e.case_id for e in uow.history.events] == [1, 2]
    # What identify stored: the person as the file gives them, the cell, the source.
    created = uow.cases.items[1].created_with
    assert (created["full_name"], created["cell"], created["source"]) == (
        "Nguyễn Văn An",
        CELL_ID,
        "import_file",
    )
    [batch] = uow.imports.batches
    assert batch.store and batch.flushes == 1


def test_one_refused_row_and_nothing_is_kept() -> None:
    existing = FakeCase(1, "identified", id_number="9")
    uow = CountingUnitOfWork(existing)
    uow.imports = LaxImports(uow.cases)
    sheet = sheet_of(
        f"Nguyễn Văn An|15/05/1990|1|{CELL_ID}",
        f"Có Hồ Sơ|02/02/1995|9|{CELL_ID}",  # an open case already
        f"Chi Khác|02/02/1995|3|{OTHER_CELL_ID}",  # not the secretary's cell
        f"Tương Lai|02/02/2030|4|{CELL_ID}",  # the rules: not plausible
    )
    result = import_candidates(uow, ACTORS["sec"], sheet, clock=CLOCK)
    assert not result.committed and result.imported == 0 and uow.commits == 0
    assert problems(sheet) == [
        (3, "duplicate_open_case", "id_number"),
        (4, "not_allowed", "cell"),
        (5, "rule", None),
    ]
    assert sheet.rows[1].problems[0].rule == "single_open_case"
    assert sheet.rows[3].problems[0].rule == "person_valid"
    # The open case is in the secretary's scope: the refusal names it.
    assert sheet.rows[1].problems[0].en.endswith(f"(case 1, {CELL_NAMES[CELL_ID]})")
    assert list(uow.cases.items) == [1] and uow.history.events == []
    assert all(row.case_id is None for row in result.rows)


def test_a_bad_row_is_refused_with_its_row_number_and_field() -> None:
    uow = CountingUnitOfWork()
    sheet = sheet_of(
        f"Nguyễn Văn An|15/05/1990|1|{CELL_ID}",
        f"Sai Ngày|31/02/2001|2|{CELL_ID}",
        f"|01/01/2001|3|{CELL_ID}",
        "Chi Bộ Lạ|01/01/2001|4|Chi bộ không có",
    )
    result = import_candidates(uow, ACTORS["sec"], sheet, clock=CLOCK)
    assert problems(sheet) == [
        (3, "bad_date", "birth_date"),
        (4, "missing", "full_name"),
        (5, "unknown_cell", "cell"),
    ]
    by_line = {row.line: row for row in result.rows}
    assert "31/02/2001" in by_line[3].problems[0].en and by_line[3].problems[0].vi
    assert result.as_dict()["results"][1] == {
        "row": 3,
        "name": "Sai Ngày",
        "status": "refused",
        "case_id": None,
        "problems": [by_line[3].problems[0].as_dict()],
    }
    assert not result.committed and uow.cases.items == {} and uow.history.events == []
    # Already refused while read: the import stores nothing on its way.
    assert not uow.imports.batches[0].store


def test_skip_bad_keeps_the_good_rows() -> None:
    uow = CountingUnitOfWork()
    sheet = sheet_of(f"Nguyễn Văn An|15/05/1990|1|{CELL_ID}", "Sai|không phải ngày|2|3")
    result = import_candidates(uow, ACTORS["sec"], sheet, clock=CLOCK, skip_bad=True)
    assert result.committed and (result.imported, result.refused) == (1, 1)
    assert uow.commits == 1 and len(uow.history.events) == 1
    assert result.as_dict()["results"][1]["status"] == "refused"


def test_with_skip_bad_a_row_the_rules_refuse_leaves_the_others() -> None:
    """One row fails inside identify (not while read); the good rows around it are kept."""
    uow = CountingUnitOfWork(FakeCase(1, "identified", id_number="9"))
    sheet = sheet_of(
        f"Nguyễn Văn An|15/05/1990|1|{CELL_ID}",
        f"Có Hồ Sơ|02/02/1995|9|{CELL_ID}",
        f"Trần Thị Bình|02/02/1995|2|{CELL_ID}",
    )
    result = import_candidates(uow, ACTORS["sec"], sheet, clock=CLOCK, skip_bad=True)
    assert result.committed and (result.imported, result.refused) == (2, 1)
    assert [result.status(row) for row in result.rows] == ["imported", "refused", "imported"]
    assert [row.case_id for row in result.rows] == [2, None, 3]
    assert [e.case_id for e in uow.history.events] == [2, 3]
    assert sorted(uow.cases.items) == [1, 2, 3]


def test_a_dry_run_keeps_nothing() -> None:
    uow = CountingUnitOfWork()
    sheet = sheet_of(f"Nguyễn Văn An|15/05/1990|1|{CELL_ID}")
    result = import_candidates(uow, ACTORS["sec"], sheet, clock=CLOCK, dry_run=True)
    assert not result.committed and result.accepted == 1 and result.status(result.rows[0]) == "ok"
    assert uow.commits == 0 and uow.cases.items == {} and uow.history.events == []
    assert result.rows[0].case_id is None
    assert not uow.imports.batches[0].store


def test_a_dry_run_refuses_what_the_import_would() -> None:
    uow = CountingUnitOfWork(FakeCase(1, "identified", id_number="9"))
    sheet = sheet_of(f"Có Hồ Sơ|02/02/1995|9|{CELL_ID}")
    result = import_candidates(uow, ACTORS["sec"], sheet, clock=CLOCK, dry_run=True)
    assert problems(sheet) == [(2, "duplicate_open_case", "id_number")]
    assert result.accepted == 0 and uow.history.events == [] and list(uow.cases.items) == [1]


def test_a_file_without_cells_goes_to_the_only_cell() -> None:
    uow = CountingUnitOfWork()
    sheet = sheet_of("Nguyễn Văn An|15/05/1990", header="Họ và tên|Ngày sinh")
    result = import_candidates(uow, ACTORS["sec"], sheet, clock=CLOCK)
    assert result.committed and uow.cases.items[1].cell_id == CELL_ID


def test_a_secretary_of_several_cells_must_name_the_cell() -> None:
    both = ACTORS["sec"].__class__(
        10, "sec", ACTORS["sec"].grants + ACTORS["sec_other"].grants, member_id=104
    )
    sheet = sheet_of("Nguyễn Văn An|15/05/1990", header="Họ và tên|Ngày sinh")
    with pytest.raises(ImportFileError, match="no 'Chi bộ'"):
        import_candidates(CountingUnitOfWork(), both, sheet, clock=CLOCK)


@pytest.mark.parametrize("who", ["com", "mentor", "adm", "intro"])
def test_only_a_secretary_imports(who: str) -> None:
    uow = CountingUnitOfWork()
    with pytest.raises(NotAllowed):
        import_candidates(uow, ACTORS[who], sheet_of(f"An|15/05/1990|1|{CELL_ID}"), clock=CLOCK)
    assert uow.commits == 0 and uow.cases.items == {}
