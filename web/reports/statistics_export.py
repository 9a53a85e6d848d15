"""The yearly statistics as XLSX (openpyxl) and as the JSON of ``hoso report statistics``.

The workbook goes upward to the committee above, so its headers are Vietnamese whatever the
interface's language, and counts are numbers. Sheets: one per breakdown (with the outside
admissions included where their breakdown is known and a line apart where it is not), the
organisations, and the outside totals as entered.
"""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook

from web.reports.export import _fill
from workflow.people import NOT_RECORDED, Category, category_label
from workflow.statistics import DIMENSION_LABELS, DIMENSIONS, StatisticsReport, value_label

OUTSIDE_APART_VI = "Kết nạp ngoài hoso (không có số liệu chi tiết)"
ORG_HEADERS = (
    "Tổ chức",
    "Loại",
    "Kết nạp trong hoso",
    "Trong đó nữ",
    *(c.label_vi for c in Category),
    "Chưa ghi nhận đối tượng",
    "Kết nạp ngoài hoso",
    "Trong đó công nhân, lao động DN ngoài Nhà nước",
    "Tổng số",
)
OUTSIDE_HEADERS = (
    "Đảng bộ",
    "Năm",
    "Tổng số kết nạp ngoài hoso",
    "Công nhân, lao động DN ngoài Nhà nước",
    *(c.label_vi for c in Category),
    "Ghi chú",
)
TYPE_VI = {"committee": "Đảng bộ", "cell": "Chi bộ"}


def breakdown_rows(r: StatisticsReport, dimension: str) -> list[list[Any]]:
    """A breakdown's lines (Vietnamese labels), the outside admissions apart, and the total."""
    b = r.breakdowns[dimension]
    rows: list[list[Any]] = [[value_label(dimension, line.key), line.count] for line in b.lines]
    if b.outside_apart:
        rows.append([OUTSIDE_APART_VI, b.outside_apart])
    rows.append(["Tổng số", b.counted + b.outside_apart])
    return rows


def organisation_rows(r: StatisticsReport) -> list[list[Any]]:
    out = []
    for row in r.organisations:
        out.append(
            [
                "  " * row.depth + row.org.name,
                TYPE_VI.get(row.org.type, row.org.type),
                row.admitted,
                row.women,
                *(row.by_category.get(c.value, 0) for c in Category),
                row.by_category.get(NOT_RECORDED, 0),
                row.outside,
                row.outside_workers,
                row.admitted + row.outside,
            ]
        )
    return out


def outside_rows(r: StatisticsReport, names: dict[int, str]) -> list[list[Any]]:
    out = []
    for e in r.outside_entries:
        split = e.by_category or {}
        out.append(
            [
                names.get(e.organisation_id, str(e.organisation_id)),
                e.year,
                e.total,
                e.enterprise_workers,
                *(split.get(c.value) if e.by_category else None for c in Category),
                e.note,
            ]
        )
    return out


def xlsx_bytes(r: StatisticsReport) -> bytes:
    """The workbook of the year's statistics."""
    book = Workbook()
    first = book.active
    first.title = f"Tổng hợp {r.year}"
    summary = [
        ["Năm", r.year],
        ["Kết nạp trong hoso", r.admitted],
        ["Kết nạp ngoài hoso (số liệu các đảng bộ nhập)", r.outside],
        ["Tổng số đảng viên mới", r.total],
    ]
    _fill(first, ("Chỉ tiêu thống kê", "Số lượng"), summary)
    for dimension in DIMENSIONS:
        vi = DIMENSION_LABELS[dimension][0]
        _fill(book.create_sheet(vi[:31]), (vi, "Số lượng"), breakdown_rows(r, dimension))
    _fill(book.create_sheet("Theo tổ chức"), ORG_HEADERS, organisation_rows(r))
    names = {row.org.id: row.org.name for row in r.organisations}
    _fill(book.create_sheet("Ngoài hoso"), OUTSIDE_HEADERS, outside_rows(r, names))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def as_json(r: StatisticsReport) -> dict[str, Any]:
    """The statistics as plain JSON values (docs/statistics.md shows the shape)."""
    names = {row.org.id: row.org.name for row in r.organisations}
    return {
        "year": r.year,
        "age_bands": list(r.age_bands),
        "admitted_in_hoso": r.admitted,
        "admitted_outside": r.outside,
        "total": r.total,
        "breakdowns": {
            dimension: {
                "lines": [
                    {"key": line.key, "label": value_label(dimension, line.key),
                     "count": line.count}
                    for line in b.lines
                ],
                "outside_included": b.outside_included,
                "outside_apart": b.outside_apart,
            }
            for dimension, b in r.breakdowns.items()
        },
        "organisations": [
            {
                "id": row.org.id,
                "name": row.org.name,
                "type": row.org.type,
                "depth": row.depth,
                "admitted": row.admitted,
                "women": row.women,
                "by_category": dict(sorted(row.by_category.items())),
                "outside": row.outside,
                "outside_enterprise_workers": row.outside_workers,
            }
            for row in r.organisations
        ],
        "outside": [
            {
                "id": e.id,
                "organisation_id": e.organisation_id,
                "organisation": names.get(e.organisation_id),
                "year": e.year,
                "total": e.total,
                "enterprise_workers": e.enterprise_workers,
                "by_category": dict(e.by_category) if e.by_category is not None else None,
                "note": e.note,
            }
            for e in r.outside_entries
        ],
        "categories": {c.value: category_label(c.value) for c in Category},
    }  # fmt: skip
