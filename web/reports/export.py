"""The targets report as XLSX (openpyxl) and CSV (UTF-8 with a BOM, for Excel).

Headers are Vietnamese whatever the interface's language (the files go to the district's
offices); counts and percentages are numbers, not text. Both files hold the same main table:
one row per organisation and target; the workbook adds the past years and the stuck cases.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from workflow.states import State
from workflow.targets import Metric, Status, TargetReport

STATUS_VI = {
    Status.met: "Đạt",
    Status.on_track: "Đúng tiến độ",
    Status.at_risk: "Có nguy cơ không đạt",
    Status.missed: "Không đạt",
    Status.no_target: "Chưa giao chỉ tiêu",
}
METRIC_VI = {
    Metric.admissions: "Kết nạp đảng viên",
    Metric.enterprise_share: "Tỷ lệ đảng viên mới là công nhân, lao động DN ngoài Nhà nước (%)",
    Metric.introductions: "Giới thiệu quần chúng ưu tú (tạo nguồn)",
}
TYPE_VI = {"committee": "Đảng bộ", "cell": "Chi bộ", "mass": "Đoàn thể"}
UNIT_VI = {"school": "Trường THPT", "enterprise": "DN ngoài Nhà nước", "other": "Khác", "all": ""}
PIPELINE = (
    State.identified,
    State.mentored,
    State.trained,
    State.dossier_submitted,
    State.returned,
)
MAIN_HEADERS = (
    "Năm",
    "Tổ chức",
    "Loại tổ chức",
    "Khối",
    "Chỉ tiêu",
    "Mức chỉ tiêu",
    "Kết quả",
    "Dự kiến cuối năm",
    *(f"Đang ở bước: {s.label_vi}" for s in PIPELINE),
    "Hồ sơ chậm",
    "Đánh giá",
    "Không có quần chúng trong quy trình",
    "Ghi chú",
)
HISTORY_HEADERS = (
    "Năm",
    "Tổng số kết nạp",
    "Khối trường THPT",
    "Khối DN ngoài Nhà nước",
    "Khác",
    "Tỷ lệ DN ngoài Nhà nước (%)",
    "Số chỉ tiêu kết nạp đạt",
    "Số chỉ tiêu kết nạp",
    "Số quần chúng được giới thiệu",
)
STUCK_HEADERS = ("Mã hồ sơ", "Họ và tên", "Chi bộ", "Bước", "Từ ngày", "Số ngày")

#: Free text a spreadsheet would take for a formula if it began with one of these.
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _n(value: Decimal | Fraction | int | None, places: int = 1) -> int | float | None:
    if value is None:
        return None
    if value == int(value):
        return int(value)
    return round(float(value), places)


def main_rows(r: TargetReport) -> Iterator[list[Any]]:
    """One row per organisation and target: committees and cells, the shares, the quotas."""
    live = r.phase.value != "past"
    for row in r.rows:
        pipeline = [row.pipeline.get(s, 0) if live else None for s in PIPELINE]
        base = [r.year, row.org.name, TYPE_VI.get(row.org.type, row.org.type)]
        unit = UNIT_VI.get(row.org.unit_kind, "") if row.org.type == "cell" else ""
        flag = "Có" if row.no_pipeline else ""
        checks = row.checks or [None]
        for check in checks:
            if check is None:
                yield [
                    *base, unit, METRIC_VI[Metric.admissions], None, row.admitted,
                    _n(row.projection) if live else None, *pipeline, row.stuck,
                    STATUS_VI[Status.no_target], flag, None,
                ]  # fmt: skip
                continue
            yield [
                *base,
                UNIT_VI.get(check.target.unit_kind, "") or unit,
                METRIC_VI[Metric.admissions],
                _n(check.target.value),
                check.admitted,
                _n(check.projection) if live else None,
                *pipeline,
                row.stuck,
                STATUS_VI[check.status],
                flag,
                check.target.note,
            ]
    empty = [None] * len(PIPELINE)
    for sh in r.shares:
        yield [
            r.year, sh.org.name, TYPE_VI.get(sh.org.type, sh.org.type), "",
            METRIC_VI[Metric.enterprise_share], _n(sh.target.value, 2),
            float(sh.shown) if sh.shown is not None else None,
            _n(sh.projected) if live else None, *empty, None, STATUS_VI[sh.status], "",
            f"{sh.enterprise}/{sh.total} đảng viên mới" + (
                f"; chính xác {_n(sh.exact, 2)}% (dưới mức chỉ tiêu)"
                if sh.rounding_hides_miss else ""
            ),
        ]  # fmt: skip
    for q in r.quotas:
        yield [
            r.year, q.org.name, TYPE_VI["mass"], "", METRIC_VI[Metric.introductions],
            _n(q.target.value) if q.target else None, q.introduced, None, *empty, None,
            STATUS_VI[q.status], "", f"Thuộc {q.attached_to}" if q.attached_to else None,
        ]  # fmt: skip


def history_rows(r: TargetReport) -> Iterator[list[Any]]:
    for h in r.history:
        yield [
            h.year,
            h.admitted,
            h.by_unit["school"],
            h.by_unit["enterprise"],
            h.by_unit["other"],
            float(h.enterprise_share) if h.enterprise_share is not None else None,
            h.targets_met,
            h.targets_counted,
            h.introductions,
        ]


def stuck_rows(r: TargetReport) -> Iterator[list[Any]]:
    for c in r.stuck:
        yield [c.case_id, c.name, c.cell, State(c.state).label_vi, c.since, c.days]


def _safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return value


def csv_bytes(r: TargetReport) -> bytes:
    """The main table as CSV, UTF-8 with a BOM."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(MAIN_HEADERS)
    for row in main_rows(r):
        writer.writerow(["" if v is None else _safe(v) for v in row])
    return buffer.getvalue().encode("utf-8")


def xlsx_bytes(r: TargetReport) -> bytes:
    """The workbook: the main table, the past years and the stuck cases."""
    book = Workbook()
    sheet = book.active
    sheet.title = f"Chỉ tiêu {r.year}"
    _fill(sheet, MAIN_HEADERS, main_rows(r))
    _fill(book.create_sheet("Các năm"), HISTORY_HEADERS, history_rows(r))
    stuck = book.create_sheet("Hồ sơ chậm")
    _fill(stuck, STUCK_HEADERS, stuck_rows(r))
    for cell in stuck["E"][1:]:
        cell.number_format = "DD/MM/YYYY"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


_HEAD_FONT = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="FDECEA")


def _fill(sheet, headers, rows) -> None:
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = _HEAD_FONT
        cell.fill = _HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    widths = [len(h) for h in headers]
    for row in rows:
        sheet.append([_safe(v) for v in row])
        for i, value in enumerate(row):
            widths[i] = max(widths[i], len(str(value)) if value is not None else 0)
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = min(max(8, width + 2), 48)
    sheet.freeze_panes = "B2"
