"""A row's cells as the ``identify`` action's raw values: dates from Excel serials, real dates
or ``dd/mm/yyyy`` text, Vietnamese text in NFC, ID numbers with the zeros Excel dropped, and what
is wrong with each cell as a :class:`~workflow.importing.problems.Problem`."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from workflow.importing.fields import FIELDS, MAX_LENGTHS, REQUIRED_COLUMNS, fold
from workflow.importing.problems import Problem, bad, missing
from workflow.people import parse_category
from workflow.text import has_invisible

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


def cell_text(value: Any) -> str:
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
            return None, bad(
                name,
                f"{value} không phải là ngày.",
                f"{value} is not a date.",
                "bad_date",
            )
    text = cell_text(value)
    if not text:
        return None, None
    if text.isascii() and text.isdigit():
        if len(text) == 4:
            return None, bad(
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
    return None, bad(
        name,
        f"'{text}' không phải là ngày (ghi theo dạng dd/mm/yyyy).",
        f"'{text}' is not a date (write it as dd/mm/yyyy).",
        "bad_date",
    )


def _id_number(value: Any) -> str:
    """An ID number without spaces; a number cell gets back the zeros Excel dropped (a CCCD has
    12 digits, an old CMND 9: most begin with 0)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        digits = cell_text(value)
        if digits.isdigit() and len(digits) in (10, 11):
            return digits.zfill(12)
        if digits.isdigit() and len(digits) == 8:
            return digits.zfill(9)
        return digits
    return "".join(cell_text(value).split())


def _control(text: str) -> bool:
    return any(unicodedata.category(ch) == "Cc" and ch not in "\n\r\t" for ch in text)


def row_values(cells: Mapping[str, Any], mac_1904: bool) -> tuple[dict[str, Any], list[Problem]]:
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
        text = _id_number(value) if name == "id_number" else cell_text(value)
        if _control(text):
            problems.append(bad(name, "có ký tự điều khiển.", "contains control characters."))
            continue
        if has_invisible(text):
            vi, en = (
                "có ký tự ẩn (dấu chiều viết, ký tự độ rộng 0).",
                "contains invisible characters.",
            )
            problems.append(bad(name, vi, en))
            continue
        if name in MAX_LENGTHS and len(text) > MAX_LENGTHS[name]:
            limit = MAX_LENGTHS[name]
            problems.append(
                bad(name, f"dài quá {limit} ký tự.", f"is longer than {limit} characters.")
            )
            continue
        if name == "sex":
            if text and fold(text) not in _SEX:
                vi, en = f"'{text}' không hợp lệ (nam hoặc nữ).", f"'{text}' is not nam or nữ."
                problems.append(bad(name, vi, en))
                continue
            values[name] = _SEX.get(fold(text)) if text else None
        elif name == "category":
            try:
                found = parse_category(text)
            except ValueError:
                vi = f"'{text}' không phải là đối tượng nào (học sinh, giáo viên, công nhân...)."
                en = f"'{text}' is not a category (student, teacher, worker...)."
                problems.append(bad(name, vi, en))
                continue
            values[name] = found.value if found else None
        elif name == "is_doan_member":
            key = fold(text)
            if key not in _YES | _NO:
                problems.append(
                    bad(name, f"'{text}' không phải có hoặc không.", f"'{text}' is not yes or no.")
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
            problems.append(missing(name))
    return values, problems
