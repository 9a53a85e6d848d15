"""A candidates file read and checked row by row, before anything is stored: the header row
found among the first rows, its columns matched to fields, each row's values and problems, and
the rows that name the same person as an earlier row refused."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from workflow.importing.fields import FIELDS, HEADERS, REQUIRED_COLUMNS, fold, fold_header
from workflow.importing.problems import ImportFileError, Problem
from workflow.importing.table import HEADER_SEARCH_ROWS, read_table
from workflow.importing.values import cell_text, row_values

#: This many blank rows in a row end the table.
BLANK_RUN = 1000


def _cell_count_problem(max_rows: int) -> ImportFileError:
    return ImportFileError(
        f"the file has more than {max_rows:,} rows; split it",
        f"tệp có hơn {max_rows:,} dòng; hãy chia nhỏ tệp",
    )


@dataclass
class SheetRow:
    """One row of the file: where it is, its values for ``identify``, what is wrong with it, and
    the case it opened (kept only once the import is committed)."""

    line: int
    values: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)
    case_id: int | None = None

    @property
    def name(self) -> str:
        return self.values.get("full_name") or ""

    @property
    def refused(self) -> bool:
        return bool(self.problems)


@dataclass
class Sheet:
    """A file read and checked row by row, before anything is stored."""

    filename: str
    header_line: int
    #: Column (0-based) → field.
    columns: dict[int, str]
    #: The headers that name no field, as written (their columns are not read).
    ignored: list[str]
    rows: list[SheetRow]

    @property
    def has_cell_column(self) -> bool:
        return "cell" in self.columns.values()


def _find_header(
    rows: Iterator[tuple[int, list[Any]]],
) -> tuple[int, list[Any]]:
    for seen, (number, values) in enumerate(rows):
        if seen >= HEADER_SEARCH_ROWS:
            break
        if any(HEADERS.get(fold_header(v)) == "full_name" for v in values):
            return number, values
    raise ImportFileError(
        "no header row: the file needs a column named 'Họ và tên' (or 'full_name') and one "
        "named 'Ngày sinh' (or 'birth_date') in one of its first rows; see docs/import.md",
        "không tìm thấy dòng tiêu đề: tệp cần có cột 'Họ và tên' và cột 'Ngày sinh' ở một trong "
        "những dòng đầu",
    )


def _columns(header: Sequence[Any]) -> tuple[dict[int, str], list[str]]:
    columns: dict[int, str] = {}
    ignored: list[str] = []
    seen: dict[str, Any] = {}
    for index, value in enumerate(header):
        name = HEADERS.get(fold_header(value))
        if name is None:
            if cell_text(value):
                ignored.append(cell_text(value))
            continue
        if name in seen:
            first, again = cell_text(seen[name]), cell_text(value)
            raise ImportFileError(
                f"two columns give {FIELDS[name].en}: '{first}' and '{again}'",
                f"hai cột cùng ghi {FIELDS[name].vi.lower()}: '{first}' và '{again}'",
            )
        seen[name] = value
        columns[index] = name
    for name in REQUIRED_COLUMNS:
        if name not in seen:
            raise ImportFileError(
                f"the file has no column for {FIELDS[name].en} (e.g. '{FIELDS[name].vi}')",
                f"tệp không có cột {FIELDS[name].vi}",
            )
    return columns, ignored


def _duplicate_key(values: Mapping[str, Any]) -> tuple[str, Any] | None:
    """Who the row is, as ``db.cases`` tells people apart: by ID number, else by name and date
    of birth (folded)."""
    if values.get("id_number"):
        return ("id", values["id_number"])
    if values.get("full_name") and values.get("birth_date"):
        return ("name", (fold(values["full_name"]), values["birth_date"]))
    return None


def _mark_duplicates(rows: Iterable[SheetRow]) -> None:
    """Refuse a row that names the same person as an earlier row of the file."""
    by_id: dict[str, int] = {}
    by_name: dict[tuple[str, date], int] = {}
    for row in rows:
        key = _duplicate_key(row.values)
        if key is None:
            continue
        name_key = None
        if row.values.get("full_name") and row.values.get("birth_date"):
            name_key = (fold(row.values["full_name"]), row.values["birth_date"])
        if key[0] == "id":
            first = by_id.get(key[1])
            how = ("cùng số CCCD", "the same ID number")
        else:
            first = by_name.get(key[1])
            how = ("cùng họ tên và ngày sinh", "the same name and date of birth")
        if first is not None:
            row.problems.append(
                Problem(
                    "duplicate_in_file",
                    "id_number" if key[0] == "id" else "full_name",
                    f"Trùng người với dòng {first} của tệp ({how[0]}).",
                    f"The same person as row {first} of the file ({how[1]}).",
                )
            )
        if key[0] == "id":
            by_id.setdefault(key[1], row.line)
        if name_key is not None:
            by_name.setdefault(name_key, row.line)


def parse_sheet(data: bytes, filename: str, max_rows: int | None = None) -> Sheet:
    """Read a file and check each row on its own and against the file's other rows.

    Raises :class:`ImportFileError` when the file as a whole cannot be read.
    """
    rows, mac_1904 = read_table(data, filename)
    header_line, header = _find_header(rows)
    columns, ignored = _columns(header)
    sheet_rows: list[SheetRow] = []
    blank = 0
    for number, values in rows:
        cells = {name: values[i] if i < len(values) else None for i, name in columns.items()}
        if all(cell_text(v) == "" for v in values):
            # Blank lines, and the empty rows a spreadsheet keeps at its end (a column formatted
            # to the bottom of the sheet gives a million): the table ends after BLANK_RUN.
            blank += 1
            if blank >= BLANK_RUN:
                break
            continue
        blank = 0
        if max_rows is not None and len(sheet_rows) >= max_rows:
            raise _cell_count_problem(max_rows)
        parsed, problems = row_values(cells, mac_1904)
        sheet_rows.append(SheetRow(number, parsed, problems))
    if not sheet_rows:
        raise ImportFileError(
            "the file has a header but no candidate rows", "tệp có tiêu đề nhưng không có dòng nào"
        )
    _mark_duplicates(sheet_rows)
    return Sheet(filename, header_line, columns, ignored, sheet_rows)
