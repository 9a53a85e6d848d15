"""The list's exports: ``/candidates/export.csv`` and ``/candidates/export.xlsx`` take the list's
query string and give every case the list would show (same filters, scope and order;
``db.read.search``) with the person's particulars, under Vietnamese headers that the import reads
back (``web.candidates.importing``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from typing import Any

from flask import Response, abort, request, stream_with_context
from flask_login import login_required

from db.read.importing import export_rows
from web.candidates import bp
from web.candidates.list import filters_from
from web.context import actor, db_session, runtime
from workflow.importing.fields import FIELDS
from workflow.policy import has_case_list
from workflow.states import STATE_LABELS, State

# --- export -------------------------------------------------------------------------------

#: The exported columns: (row key, Vietnamese header). The person's headers are the identify
#: fields' labels, which the import reads back; the others it ignores.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "Mã hồ sơ"),
    ("name", FIELDS["full_name"].vi),
    ("birth_date", FIELDS["birth_date"].vi),
    *(
        (name, FIELDS[name].vi)
        for name in FIELDS
        if name not in ("full_name", "birth_date", "cell")
    ),
    ("cell", FIELDS["cell"].vi),
    ("state", "Trạng thái"),
    ("mentor", "Đảng viên giúp đỡ"),
    ("opened_on", "Ngày vào danh sách"),
)
_DATES = {"birth_date", "opened_on"}
#: Column widths of the exported (and template) sheets, by header.
WIDTHS = {"Họ và tên": 28, "Ngày sinh": 12, "Chi bộ": 36, "Trạng thái": 24, "Nơi cư trú": 30}
#: Free text that a spreadsheet would take for a formula if it began with one of these.
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _value(key: str, row: Mapping[str, Any]) -> Any:
    value = row.get(key)
    if key == "state":
        return STATE_LABELS[State(value)][0] if value in State.__members__ else value
    if key == "is_doan_member":
        return "có" if value else "không"
    return value


def _csv_text(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return value


def _filename(ext: str) -> str:
    return f"hoso-cam-tinh-dang-{date.today():%Y%m%d}.{ext}"


def _export_filters():
    if not has_case_list(actor()):
        abort(403)
    return filters_from(request.args)


def _csv_chunks(rows: Iterable[Mapping[str, Any]], batch: int = 500) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow([header for _key, header in COLUMNS])
    for count, row in enumerate(rows, start=1):
        writer.writerow([_csv_text(_value(key, row)) for key, _header in COLUMNS])
        if count % batch == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


@bp.get("/export.csv", endpoint="export_csv")
@login_required
def export_csv():
    """The list as its filters select it, as CSV: UTF-8 with a BOM, dates as dd/mm/yyyy."""
    filters = _export_filters()
    rt, who = runtime(), actor()

    def chunks() -> Iterator[str]:
        with rt.sessions() as own:
            yield from _csv_chunks(export_rows(own, who, filters))

    return Response(
        stream_with_context(chunks()),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{_filename("csv")}"',
            "Cache-Control": "no-store",
        },
    )


@bp.get("/export.xlsx", endpoint="export_xlsx")
@login_required
def export_xlsx():
    """The list as its filters select it, as an XLSX workbook with real dates."""
    filters = _export_filters()
    rows = (
        [_value(key, row) for key, _header in COLUMNS]
        for row in export_rows(db_session(), actor(), filters)
    )
    headers = [header for _key, header in COLUMNS]
    dates = {i for i, (key, _header) in enumerate(COLUMNS) if key in _DATES}
    return xlsx_response(headers, rows, _filename("xlsx"), dates, WIDTHS)


def xlsx_response(
    headers: list[str],
    rows: Iterable[list[Any]],
    filename: str,
    dates: set[int] | None = None,
    widths: Mapping[str, int] | None = None,
) -> Response:
    """An XLSX download: a bold, frozen header row; `dates` columns as real dates; text stays
    text (never a formula)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Danh sách")
    sheet.freeze_panes = "A2"
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = (widths or {}).get(header, 16)
    bold = Font(bold=True)
    head = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = bold
        head.append(cell)
    sheet.append(head)
    dates = dates or set()
    for values in rows:
        line = []
        for index, value in enumerate(values):
            if value is None:
                line.append(None)
                continue
            cell = WriteOnlyCell(sheet, value=value)
            if index in dates:
                cell.number_format = "DD/MM/YYYY"
            elif isinstance(value, str):
                cell.data_type = "s"  # text stays text: never a formula
            line.append(cell)
        sheet.append(line)
    buffer = io.BytesIO()
    book.save(buffer)
    return Response(
        buffer.getvalue(),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )
