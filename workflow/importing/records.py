"""A file of records other than candidates (organisations, users), read with the candidates'
spreadsheet reading (``table.read_table``, ``values.cell_text``, ``fields.fold_header``) and
reported in the candidates' report shape (rows with their problems, ``as_dict`` for ``--json``).

Each kind of record says its columns (:class:`Column`: a field, its labels, the headers that
name it); a row's cells come out as text (or a date, for date cells) with its problems, for the
kind's own checks.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from workflow.errors import InvalidInput
from workflow.fields import parse_date
from workflow.importing.fields import fold, fold_header
from workflow.importing.problems import ImportFileError, Problem
from workflow.importing.result import RowReport
from workflow.importing.table import HEADER_SEARCH_ROWS, read_table
from workflow.importing.values import cell_text

#: Rows read at most: a tree or a staff list is far smaller.
MAX_ROWS = 20_000
_YES = {"1", "x", "co", "yes", "true", "y", "dung"}
_NO = {"", "0", "khong", "no", "false", "n", "sai"}


@dataclass(frozen=True)
class Column:
    """A field a file may give, its Vietnamese and English labels, and other headers for it."""

    name: str
    vi: str
    en: str
    aliases: tuple[str, ...] = ()

    def headers(self) -> set[str]:
        """Every header naming this column, folded."""
        return {fold_header(h) for h in (self.name, self.vi, self.en, *self.aliases)}


@dataclass
class RecordRow:
    """One row of the file: where it is, its cells by field, what is wrong with it, and the id
    of what it made (kept only once the import is committed)."""

    line: int
    cells: dict[str, Any]
    label: str = ""
    problems: list[Problem] = field(default_factory=list)
    made_id: int | None = None

    @property
    def refused(self) -> bool:
        return bool(self.problems)

    def text(self, name: str) -> str:
        """The cell of `name` as trimmed text ("" when absent)."""
        return cell_text(self.cells.get(name))

    def refuse(self, name: str | None, en: str, vi: str | None = None, kind: str = "bad_value"):
        """Add a problem on field `name` (the English text stands in for a missing Vietnamese)."""
        self.problems.append(Problem(kind, name, vi or en, en))

    def refuse_input(self, err: InvalidInput) -> None:
        """A domain refusal as the row's problem, naming its field."""
        self.refuse(err.field, err.message)


@dataclass
class RecordSheet:
    """A file read row by row, before anything is checked against storage."""

    filename: str
    header_line: int
    columns: dict[int, str]
    ignored: list[str]
    rows: list[RecordRow]

    def has(self, name: str) -> bool:
        return name in self.columns.values()


def read_records(
    data: bytes, filename: str, columns: tuple[Column, ...], key: str, required: tuple[str, ...]
) -> RecordSheet:
    """The rows of an XLSX or CSV file whose header (among the first rows) has a `key` column
    and every `required` one. Raises :class:`ImportFileError` for a file that cannot be read."""
    by_header = {h: c.name for c in columns for h in c.headers()}
    labels = {c.name: c for c in columns}
    rows, _ = read_table(data, filename)
    header_line, header = _find_header(rows, by_header, labels[key])
    found: dict[int, str] = {}
    ignored: list[str] = []
    for index, value in enumerate(header):
        name = by_header.get(fold_header(value))
        if name is None:
            if cell_text(value):
                ignored.append(cell_text(value))
        elif name in found.values():
            raise ImportFileError(
                f"two columns give {labels[name].en}", f"hai cột cùng ghi {labels[name].vi}"
            )
        else:
            found[index] = name
    for name in required:
        if name not in found.values():
            column = labels[name]
            raise ImportFileError(
                f"the file has no column for {column.en} (e.g. '{column.vi}' or '{name}')",
                f"tệp không có cột {column.vi}",
            )
    records = [
        RecordRow(
            number, {name: values[i] if i < len(values) else None for i, name in found.items()}
        )
        for number, values in _rows(rows)
    ]
    if not records:
        raise ImportFileError(
            "the file has a header but no rows", "tệp có tiêu đề nhưng không có dòng nào"
        )
    return RecordSheet(filename, header_line, found, ignored, records)


def _find_header(rows: Iterator, by_header: dict[str, str], key: Column) -> tuple[int, list]:
    for seen, (number, values) in enumerate(rows):
        if seen >= HEADER_SEARCH_ROWS:
            break
        if any(by_header.get(fold_header(v)) == key.name for v in values):
            return number, values
    raise ImportFileError(
        f"no header row: the file needs a column named '{key.vi}' (or '{key.name}') in one of "
        "its first rows; see docs/operations.md",
        f"không tìm thấy dòng tiêu đề: tệp cần có cột '{key.vi}' ở một trong những dòng đầu",
    )


def _rows(rows: Iterator) -> Iterator[tuple[int, list]]:
    for count, (number, values) in enumerate(
        (n, v) for n, v in rows if any(cell_text(c) for c in v)
    ):
        if count >= MAX_ROWS:
            raise ImportFileError(
                f"the file has more than {MAX_ROWS:,} rows; split it",
                f"tệp có hơn {MAX_ROWS:,} dòng; hãy chia nhỏ tệp",
            )
        yield number, values


def flag(row: RecordRow, name: str, default: bool = False) -> bool:
    """A yes/no cell (có/không, x, 1/0, yes/no...); a problem and `default` when neither."""
    text = row.text(name)
    if not text:
        return default
    key = fold(text)
    if key not in _YES | _NO:
        row.refuse(name, f"'{text}' is not yes or no", f"'{text}' không phải có hoặc không")
        return default
    return key in _YES


def day(row: RecordRow, name: str) -> date | None:
    """A date cell (a real date, dd/mm/yyyy or YYYY-MM-DD); a problem and None when not one."""
    value = row.cells.get(name)
    if not isinstance(value, date):
        value = row.text(name)
    try:
        return parse_date(name, value)
    except InvalidInput as err:
        row.refuse(name, err.message, kind="bad_date")
        return None


def number(row: RecordRow, name: str) -> int | None:
    """A whole number cell; a problem and None when not one."""
    text = row.text(name)
    if not text:
        return None
    if not (text.isascii() and text.isdigit()) or len(text) > 9:
        row.refuse(name, f"'{text}' is not a whole number", f"'{text}' không phải là số")
        return None
    return int(text)


@dataclass
class RecordResult(RowReport):
    """What an import of organisations or users did: each row's outcome, and whether anything
    was kept (``id``: what the row made)."""

    sheet: RecordSheet
    committed: bool
    dry_run: bool

    @property
    def rows(self) -> list[RecordRow]:
        return self.sheet.rows

    def _row(self, row: RecordRow) -> dict[str, Any]:
        made = row.made_id if self.committed else None
        return {"name": row.label, "status": self.status(row), "id": made}
