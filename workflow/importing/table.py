"""Reading a candidates file as rows of cell values: the first sheet of an XLSX workbook
(openpyxl, read-only and streamed; imported only when one is read) or a CSV file (UTF-8, comma or
semicolon). Each row comes with its number in the file."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

from workflow.importing.fields import HEADERS, fold_header
from workflow.importing.problems import ImportFileError

#: How many rows from the top may come before the header (a title, a date, blank lines).
HEADER_SEARCH_ROWS = 20
#: Columns read from an XLSX sheet at most.
MAX_COLUMNS = 100


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
