"""Importing candidates from a spreadsheet: rows become ``identify`` actions, all or none.

The pure part reads a table (XLSX or CSV, as bytes), finds its header row, matches each header to
one of the ``identify`` action's fields whatever its case and diacritics ("Họ và tên", "ho va
ten", "full_name"), and turns each row's cells into the raw values the use case parses: dates from
Excel serials, real dates or ``dd/mm/yyyy`` text, Vietnamese text in NFC. What is wrong with a row
is a :class:`Problem` that names the row, the field, and says why in Vietnamese and English.

The use case, :func:`import_candidates`, runs every row through the same policy, machine and
rules as :func:`workflow.services.identify_candidate` inside ONE unit of work, appending one
``identify`` event per case, and commits once: only if no row was refused (or, with
``skip_bad``, the good rows), and never on a dry run.

Nothing here touches storage except through the unit of work; openpyxl is imported only when an
XLSX file is read.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from workflow import policy
from workflow.definition import SPECS, FieldSpec
from workflow.errors import InvalidInput, NotAllowed, RuleViolation
from workflow.facts import Actor
from workflow.fields import parse_fields
from workflow.machine import fire
from workflow.ports import UnitOfWork
from workflow.rules import Attempt, single_open_case
from workflow.services import Clock, NewCase, append_event
from workflow.settings import DEFAULT_SETTINGS, RuleSettings
from workflow.states import Role, Source, Trigger

# --- the fields and their headers ---------------------------------------------------------

#: The identify action's fields that a file may give (the source is always the file itself).
IDENTIFY: tuple[FieldSpec, ...] = SPECS[Trigger.identify].fields
FIELDS: dict[str, FieldSpec] = {
    spec.name: spec for spec in IDENTIFY if spec.name not in ("source", "source_detail")
}

#: Headers accepted for each field besides its name and its Vietnamese and English labels
#: (docs/import.md lists them); compared folded: lower case, without diacritics or punctuation.
ALIASES: dict[str, tuple[str, ...]] = {
    "full_name": ("ho ten", "ho va ten quan chung", "ho ten quan chung", "name"),
    "birth_date": (
        "ngay thang nam sinh",
        "sinh ngay",
        "birth date",
        "birthday",
        "dob",
    ),
    "sex": ("gioi", "nam nu", "gender"),
    "birth_place": ("birthplace",),
    "hometown": ("que", "nguyen quan", "home town"),
    "ethnicity": (),
    "religion": (),
    "education": ("trinh do", "hoc van", "trinh do van hoa", "van hoa"),
    "residence": (
        "noi o",
        "noi o hien nay",
        "cho o hien nay",
        "dia chi",
        "dia chi thuong tru",
        "thuong tru",
        "address",
    ),
    "occupation": ("nghe nghiep hien nay", "cong viec", "job"),
    "id_number": (
        "cccd",
        "so can cuoc",
        "so can cuoc cong dan",
        "can cuoc cong dan",
        "so cmnd",
        "cmnd",
        "so cmnd cccd",
        "so cccd cmnd",
        "cmnd cccd",
        "cccd cmnd",
        "so dinh danh",
        "so dinh danh ca nhan",
        "ma dinh danh",
        "id no",
        "national id",
    ),
    "is_doan_member": ("doan vien", "doan vien tncs hcm", "is doan member", "doan member"),
    "cell": ("ten chi bo", "ma chi bo", "chi bo dang", "cell id"),
}

#: The fields a row cannot go without (the cell may come from the importer's only cell).
REQUIRED_COLUMNS = ("full_name", "birth_date")

#: The longest text each field's column stores (db/models/people.py); longer is refused here
#: rather than by the database in the middle of the import.
MAX_LENGTHS = {
    "full_name": 200,
    "sex": 10,
    "birth_place": 200,
    "hometown": 200,
    "ethnicity": 50,
    "religion": 50,
    "education": 100,
    "residence": 300,
    "occupation": 200,
    "id_number": 20,
}
SOURCE_DETAIL_MAX = 300

#: How many rows from the top may come before the header (a title, a date, blank lines).
HEADER_SEARCH_ROWS = 20
#: Columns read from an XLSX sheet at most.
MAX_COLUMNS = 100
#: This many blank rows in a row end the table.
BLANK_RUN = 1000

_EXTRA = str.maketrans({"đ": "d", "Đ": "d"})
_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_NOT_WORD = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """Lower case, without diacritics, single spaces (as ``db.text.fold`` folds names)."""
    decomposed = unicodedata.normalize("NFD", text.translate(_EXTRA))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())


def fold_header(text: Any) -> str:
    """A header as it is compared: folded, without bracketed notes, punctuation or underscores.

    ``"Ngày sinh (dd/mm/yyyy)"`` → ``"ngay sinh"``; ``"Số CMND/CCCD"`` → ``"so cmnd cccd"``;
    ``"full_name"`` → ``"full name"``.
    """
    if text is None:
        return ""
    folded = fold(_BRACKETS.sub(" ", str(text)))
    return " ".join(_NOT_WORD.sub(" ", folded).split())


def _header_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for name, spec in FIELDS.items():
        for alias in (name, spec.vi, spec.en, *ALIASES.get(name, ())):
            key = fold_header(alias)
            if table.setdefault(key, name) != name:
                raise AssertionError(f"header {alias!r} names two fields")
    return table


#: Folded header → field name.
HEADERS: dict[str, str] = _header_table()


def accepted_headers() -> dict[str, list[str]]:
    """For each field, the headers accepted (folded), its Vietnamese label first."""
    listed: dict[str, list[str]] = {name: [] for name in FIELDS}
    for key, name in HEADERS.items():
        listed[name].append(key)
    return listed


# --- problems -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """Why a row is refused: a kind for scripts, the field, and the reason in both languages.

    Kinds: ``missing``, ``bad_date``, ``bad_value``, ``unknown_cell``, ``not_allowed``,
    ``duplicate_in_file``, ``duplicate_open_case``, ``rule`` (``rule`` names the broken rule).
    """

    kind: str
    field: str | None
    vi: str
    en: str
    rule: str | None = None

    def text(self, locale: str = "vi") -> str:
        return self.en if locale == "en" else self.vi

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "field": self.field,
            "rule": self.rule,
            "message": self.en,
            "message_vi": self.vi,
        }


def _labels(name: str) -> tuple[str, str]:
    spec = FIELDS.get(name)
    return (spec.vi, spec.en) if spec else (name, name)


def _missing(name: str) -> Problem:
    vi, en = _labels(name)
    return Problem("missing", name, f"Thiếu {vi.lower()}.", f"{en} is missing.")


def _bad(name: str, vi: str, en: str, kind: str = "bad_value") -> Problem:
    label_vi, label_en = _labels(name)
    return Problem(kind, name, f"{label_vi}: {vi}", f"{label_en}: {en}")


class ImportFileError(InvalidInput):
    """The file as a whole cannot be imported (unreadable, no header, no rows, too large)."""

    def __init__(self, en: str, vi: str):
        super().__init__("FILE", en)
        self.en = en
        self.vi = vi

    def text(self, locale: str = "vi") -> str:
        return self.en if locale == "en" else self.vi


# --- reading tables -----------------------------------------------------------------------


def _cell_count_problem(max_rows: int) -> ImportFileError:
    return ImportFileError(
        f"the file has more than {max_rows:,} rows; split it",
        f"tệp có hơn {max_rows:,} dòng; hãy chia nhỏ tệp",
    )


def file_kind(data: bytes, filename: str) -> str:
    """``xlsx`` or ``csv``, from the content first (an XLSX file is a ZIP), then the name."""
    lower = filename.lower()
    if data[:4] == b"PK\x03\x04":
        return "xlsx"
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" or lower.endswith(".xls"):
        raise ImportFileError(
            "old Excel files (.xls) are not read; save the sheet as .xlsx or as CSV UTF-8",
            "không đọc được tệp Excel cũ (.xls); hãy lưu thành .xlsx hoặc CSV UTF-8",
        )
    if lower.endswith((".xlsx", ".xlsm")):
        raise ImportFileError(
            "the file is not a readable XLSX workbook", "tệp không phải là bảng tính XLSX đọc được"
        )
    return "csv"


def _xlsx_rows(data: bytes, epoch: list[bool]) -> Iterator[tuple[int, list[Any]]]:
    """The first (active) sheet's rows as ``(row number, values)``, read-only and streamed."""
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.datetime import MAC_EPOCH
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as err:
        raise ImportFileError(
            f"the file is not a readable XLSX workbook ({err})",
            "tệp không phải là bảng tính XLSX đọc được",
        ) from err
    try:
        epoch.append(book.epoch == MAC_EPOCH)
        sheet = book.active if book.active is not None else book.worksheets[0]
        # Some programs write a wrong used range; read until the last row whatever it says.
        sheet.reset_dimensions()
        for number, values in enumerate(
            sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1
        ):
            yield number, list(values)
    finally:
        book.close()


def _csv_rows(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    """A CSV file's records as ``(record number, values)``; UTF-8 with or without a BOM, comma
    or semicolon (whichever makes more of the first rows' cells known headers)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ImportFileError(
            f"the CSV file is not UTF-8 (byte {err.start}); save it as 'CSV UTF-8'",
            "tệp CSV không ở dạng UTF-8; hãy lưu thành 'CSV UTF-8'",
        ) from err
    if "\x00" in text:
        raise ImportFileError(
            "the file is neither XLSX nor a text CSV file", "tệp không phải XLSX hoặc CSV"
        )
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from enumerate(reader, start=1)
    except csv.Error as err:
        raise ImportFileError(
            f"the CSV file is malformed near record {reader.line_num}: {err}",
            f"tệp CSV bị lỗi gần dòng {reader.line_num}",
        ) from err


def _delimiter(text: str) -> str:
    """``;`` when it makes more known headers (then more cells) of the first rows than ``,``."""
    head = text[:20_000]

    def score(candidate: str) -> tuple[int, int]:
        try:
            rows = list(_first(csv.reader(io.StringIO(head, newline=""), delimiter=candidate)))
        except csv.Error:
            return (-1, 0)
        known = max((sum(fold_header(v) in HEADERS for v in row) for row in rows), default=0)
        return known, max((len(row) for row in rows), default=0)

    return ";" if score(";") > score(",") else ","


def _first(rows: Iterable[list[str]], count: int = HEADER_SEARCH_ROWS) -> Iterator[list[str]]:
    for n, row in enumerate(rows):
        if n >= count:
            return
        yield row


def read_table(data: bytes, filename: str) -> tuple[Iterator[tuple[int, list[Any]]], bool]:
    """The rows of an XLSX or CSV file, and whether its dates count from 1904 (old Mac Excel)."""
    if not data:
        raise ImportFileError("the file is empty", "tệp rỗng")
    if file_kind(data, filename) == "xlsx":
        epoch: list[bool] = []
        rows = _xlsx_rows(data, epoch)
        first = next(rows, None)  # opens the workbook, so that the epoch is known
        if first is None:
            return iter(()), bool(epoch and epoch[0])
        return _chain(first, rows), bool(epoch and epoch[0])
    return _csv_rows(data), False


def _chain(first: tuple[int, list[Any]], rest: Iterator[tuple[int, list[Any]]]):
    yield first
    yield from rest


# --- values -------------------------------------------------------------------------------

_EXCEL_1900 = datetime(1899, 12, 30)
_EXCEL_1904 = datetime(1904, 1, 1)
_MAX_SERIAL = 2_958_465  # 31/12/9999
_TEXT_DATES = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d")
_FORMULA = ("=", "+", "-", "@")
_SEX = {"nam": "nam", "male": "nam", "m": "nam", "nu": "nữ", "female": "nữ", "f": "nữ"}
_YES = {"1", "x", "co", "yes", "true", "y", "doan vien", "la doan vien", "dv"}
_NO = {"", "0", "khong", "no", "false", "n"}


def excel_serial_date(serial: float, mac_1904: bool = False) -> date:
    """The day an Excel serial number stands for (as openpyxl's ``from_excel`` reads it).

    In the 1900 system Excel counts 29/02/1900, a day that never was: serials from 61 on are one
    more than the days since 31/12/1899, and 1–59 fall on 01/01–28/02/1900.
    """
    if not 0 < serial <= _MAX_SERIAL:
        raise ValueError(f"{serial} is not a date serial")
    day, fraction = divmod(serial, 1)
    moment = timedelta(milliseconds=round(fraction * 86_400_000))
    if mac_1904:
        return (_EXCEL_1904 + timedelta(days=day) + moment).date()
    if serial < 60:
        day += 1
    return (_EXCEL_1900 + timedelta(days=day) + moment).date()


def _text(value: Any) -> str:
    """A cell as trimmed NFC text; numbers without a needless ``.0``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date() if value.time() == datetime.min.time() else value
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    text = unicodedata.normalize("NFC", str(value).strip())
    # An exported cell that would have been a formula was written with a leading apostrophe.
    if text.startswith("'") and text[1:2] in _FORMULA:
        text = text[1:]
    return text


def _date(name: str, value: Any, mac_1904: bool) -> tuple[date | None, Problem | None]:
    if value is None or value == "":
        return None, None
    if isinstance(value, datetime):
        return value.date(), None
    if isinstance(value, date):
        return value, None
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return excel_serial_date(value, mac_1904), None
        except ValueError:
            return None, _bad(
                name,
                f"{value} không phải là ngày.",
                f"{value} is not a date.",
                "bad_date",
            )
    text = _text(value)
    if not text:
        return None, None
    if text.isascii() and text.isdigit():
        if len(text) == 4:
            return None, _bad(
                name,
                f"'{text}' chỉ có năm; cần ghi đủ ngày/tháng/năm (dd/mm/yyyy).",
                f"'{text}' is only a year; the full date is needed (dd/mm/yyyy).",
                "bad_date",
            )
        if len(text) in (5, 6, 7):  # a serial number written as text (a CSV saved from Excel)
            try:
                return excel_serial_date(int(text), mac_1904), None
            except ValueError:
                pass
    for fmt in _TEXT_DATES:
        try:
            return datetime.strptime(text, fmt).date(), None
        except ValueError:
            continue
    return None, _bad(
        name,
        f"'{text}' không phải là ngày (ghi theo dạng dd/mm/yyyy).",
        f"'{text}' is not a date (write it as dd/mm/yyyy).",
        "bad_date",
    )


def _id_number(value: Any) -> str:
    """An ID number without spaces; a number cell gets back the zeros Excel dropped (a CCCD has
    12 digits, an old CMND 9: most begin with 0)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        digits = _text(value)
        if digits.isdigit() and len(digits) in (10, 11):
            return digits.zfill(12)
        if digits.isdigit() and len(digits) == 8:
            return digits.zfill(9)
        return digits
    return "".join(_text(value).split())


def _control(text: str) -> bool:
    return any(unicodedata.category(ch) == "Cc" and ch not in "\n\r\t" for ch in text)


def _row_values(cells: Mapping[str, Any], mac_1904: bool) -> tuple[dict[str, Any], list[Problem]]:
    """A row's cells (by field) as the identify action's raw values, and what is wrong."""
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    for name, value in cells.items():
        spec = FIELDS[name]
        if spec.kind == "date":
            values[name], problem = _date(name, value, mac_1904)
            if problem:
                problems.append(problem)
            continue
        text = _id_number(value) if name == "id_number" else _text(value)
        if _control(text):
            problems.append(_bad(name, "có ký tự điều khiển.", "contains control characters."))
            continue
        if name in MAX_LENGTHS and len(text) > MAX_LENGTHS[name]:
            limit = MAX_LENGTHS[name]
            problems.append(
                _bad(name, f"dài quá {limit} ký tự.", f"is longer than {limit} characters.")
            )
            continue
        if name == "sex":
            if text and fold(text) not in _SEX:
                vi, en = f"'{text}' không hợp lệ (nam hoặc nữ).", f"'{text}' is not nam or nữ."
                problems.append(_bad(name, vi, en))
                continue
            values[name] = _SEX.get(fold(text)) if text else None
        elif name == "is_doan_member":
            key = fold(text)
            if key not in _YES | _NO:
                problems.append(
                    _bad(name, f"'{text}' không phải có hoặc không.", f"'{text}' is not yes or no.")
                )
                continue
            values[name] = key in _YES
        else:
            values[name] = text or None
    for name in REQUIRED_COLUMNS:
        if (
            name in cells
            and values.get(name) is None
            and not any(p.field == name for p in problems)
        ):
            problems.append(_missing(name))
    return values, problems


# --- the sheet ----------------------------------------------------------------------------


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
            if _text(value):
                ignored.append(_text(value))
            continue
        if name in seen:
            raise ImportFileError(
                f"two columns give {FIELDS[name].en}: '{_text(seen[name])}' and '{_text(value)}'",
                f"hai cột cùng ghi {FIELDS[name].vi.lower()}: '{_text(seen[name])}' và "
                f"'{_text(value)}'",
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
        if all(_text(v) == "" for v in values):
            # Blank lines, and the empty rows a spreadsheet keeps at its end (a column formatted
            # to the bottom of the sheet gives a million): the table ends after BLANK_RUN.
            blank += 1
            if blank >= BLANK_RUN:
                break
            continue
        blank = 0
        if max_rows is not None and len(sheet_rows) >= max_rows:
            raise _cell_count_problem(max_rows)
        parsed, problems = _row_values(cells, mac_1904)
        sheet_rows.append(SheetRow(number, parsed, problems))
    if not sheet_rows:
        raise ImportFileError(
            "the file has a header but no candidate rows", "tệp có tiêu đề nhưng không có dòng nào"
        )
    _mark_duplicates(sheet_rows)
    return Sheet(filename, header_line, columns, ignored, sheet_rows)


# --- cells --------------------------------------------------------------------------------


def cell_keys(cell_id: int, name: str) -> list[str]:
    """How a file may name a cell: its id, its name (folded), and its name without "Chi bộ"."""
    key = fold(name)
    keys = [str(cell_id), key]
    if key.startswith("chi bo "):
        keys.append(key.removeprefix("chi bo "))
    return keys


def cell_lookup(cells: Iterable[tuple[int, str]]) -> dict[str, int | None]:
    """Key → cell id for the cells in the importer's scope; a name two cells share → ``None``."""
    lookup: dict[str, int | None] = {}
    for cell_id, name in cells:
        for key in cell_keys(cell_id, name):
            if key in lookup and lookup[key] != cell_id:
                lookup[key] = None
            else:
                lookup[key] = cell_id
    return lookup


def resolve_cells(
    sheet: Sheet, lookup: Mapping[str, int | None], default: int | None = None
) -> None:
    """Replace each row's cell (a name or an id) by the cell's id; a row without one takes
    `default` (the importer's only cell); a cell outside the lookup refuses the row."""
    for row in sheet.rows:
        text = _text(row.values.get("cell"))
        if not text:
            if default is not None:
                row.values["cell"] = default
            else:
                row.values.pop("cell", None)
                row.problems.insert(0, _missing("cell"))
            continue
        key = text if text.isdigit() else fold(text)
        if key not in lookup:
            row.problems.insert(
                0,
                Problem(
                    "unknown_cell",
                    "cell",
                    f"Không có chi bộ '{text}' trong phạm vi của bạn.",
                    f"There is no party cell '{text}' in your scope.",
                ),
            )
            row.values.pop("cell", None)
        elif lookup[key] is None:
            row.problems.insert(
                0,
                Problem(
                    "unknown_cell",
                    "cell",
                    f"Có nhiều chi bộ tên '{text}'; hãy ghi mã số của chi bộ.",
                    f"Several party cells are named '{text}'; give the cell's id.",
                ),
            )
            row.values.pop("cell", None)
        else:
            row.values["cell"] = lookup[key]


# --- the use case -------------------------------------------------------------------------


@dataclass
class ImportResult:
    """What an import did: each row's outcome, and whether anything was kept."""

    sheet: Sheet
    committed: bool
    dry_run: bool
    skip_bad: bool

    @property
    def rows(self) -> list[SheetRow]:
        return self.sheet.rows

    @property
    def refused(self) -> int:
        return sum(1 for row in self.rows if row.refused)

    @property
    def accepted(self) -> int:
        """Rows that pass every check (imported, or would be)."""
        return len(self.rows) - self.refused

    @property
    def imported(self) -> int:
        return self.accepted if self.committed else 0

    def status(self, row: SheetRow) -> str:
        if row.refused:
            return "refused"
        return "imported" if self.committed else "ok"

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.sheet.filename,
            "dry_run": self.dry_run,
            "skip_bad": self.skip_bad,
            "committed": self.committed,
            "rows": len(self.rows),
            "accepted": self.accepted,
            "refused": self.refused,
            "imported": self.imported,
            "ignored_columns": self.sheet.ignored,
            "results": [
                {
                    "row": row.line,
                    "name": row.name,
                    "status": self.status(row),
                    "case_id": row.case_id,
                    "problems": [p.as_dict() for p in row.problems],
                }
                for row in self.rows
            ],
        }


def _refusals(refusal: RuleViolation) -> list[Problem]:
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


def _identify_row(
    uow: UnitOfWork,
    actor: Actor,
    row: SheetRow,
    source_detail: str,
    clock: Clock,
    settings: RuleSettings,
) -> None:
    """``identify`` for one row, as ``services.identify_candidate`` does it, without committing."""
    raw = {**row.values, "source": Source.import_file.value, "source_detail": source_detail}
    try:
        values = parse_fields(IDENTIFY, raw)
    except InvalidInput as bad:
        row.problems.append(_bad(bad.field, bad.message, bad.message))
        return
    facts = uow.cases.prospective_facts(values)
    if facts is None:
        row.problems.append(_missing("cell"))
        return
    if not policy.can_identify_in(actor, facts.cell_path):
        row.problems.append(
            Problem(
                "not_allowed",
                "cell",
                "Bạn không được thêm quần chúng vào chi bộ này.",
                "You may not add candidates to this party cell.",
            )
        )
        return
    try:
        fire(NewCase(), Trigger.identify, Attempt(facts, actor, clock.today, settings, values))
    except RuleViolation as refusal:
        row.problems.extend(_refusals(refusal))
        return
    case = uow.cases.create(values, actor, clock.today)
    append_event(uow, case, actor, Role.secretary, Trigger.identify, None, values, clock, settings)
    row.case_id = case.id


def import_candidates(
    uow: UnitOfWork,
    actor: Actor,
    sheet: Sheet,
    *,
    clock: Clock | None = None,
    settings: RuleSettings | None = None,
    skip_bad: bool = False,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Identify every good row of `sheet` as `actor`, in ONE transaction.

    Each row goes through the policy, the machine and the identify rules exactly as
    ``services.identify_candidate`` does, and an accepted row's case is created and its
    ``identify`` event appended (source ``import_file``, detail the file's name). Rows already
    refused (bad values, unknown cell, duplicates within the file) are not tried. The unit of
    work commits once, at the end: when no row is refused, or with `skip_bad` when at least one
    row is good; a dry run never commits. Cells must be resolved (``resolve_cells``) first.
    """
    clock = clock or Clock.system()
    settings = settings or getattr(uow, "settings", DEFAULT_SETTINGS)
    if not actor.grants_for(Role.secretary):
        raise NotAllowed(f"{actor.username} is no cell's secretary and may not add candidates")
    source_detail = sheet.filename[:SOURCE_DETAIL_MAX]
    committed = False
    with uow:
        for row in sheet.rows:
            if not row.refused:
                _identify_row(uow, actor, row, source_detail, clock, settings)
            if progress is not None:
                progress(1)
        refused = any(row.refused for row in sheet.rows)
        good = any(not row.refused for row in sheet.rows)
        if not dry_run and good and (skip_bad or not refused):
            uow.commit()
            committed = True
    if not committed:
        for row in sheet.rows:
            row.case_id = None
    return ImportResult(sheet, committed, dry_run, skip_bad)
