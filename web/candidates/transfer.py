"""Candidates in and out as spreadsheets: the import page and the list's exports.

Import (secretaries only): ``/candidates/import`` takes an XLSX or CSV upload (size-limited,
CSRF-protected) and shows the dry run row by row; the uploaded bytes are kept in the instance
folder under a random token that only this user's session holds, so that "Import" on the preview
imports exactly the file that was checked (it is checked again, in the one transaction that
imports it). The results page follows (POST, redirect, GET).

Export: ``/candidates/export.csv`` and ``/candidates/export.xlsx`` take the list's query string
and give every case the list would show (same filters, scope and order; ``db.search``) with the
person's particulars, under Vietnamese headers that the import reads back.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import re
import secrets
import time
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

from flask import (
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_login import login_required

from db.importing import export_rows, run_import, secretary_cells
from db.search import may_list
from web.candidates import bp
from web.candidates.list import filters_from
from web.context import actor, db_session, runtime
from web.labels import locale
from workflow.importing import FIELDS, ImportFileError, ImportResult, accepted_headers
from workflow.states import STATE_LABELS, Role, State

#: Upload limits (overridable in the app's config).
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_MAX_ROWS = 20_000
#: How long an uploaded file waits for its confirmation.
KEEP_SECONDS = 60 * 60
#: Rows the preview lists at most (the counts cover them all).
SHOW_REFUSED = 500
SHOW_GOOD = 100

_SESSION_KEY = "hoso_import"
_DONE_KEY = "hoso_import_done"
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
_UPLOAD_ENDPOINTS = {"candidates.import_file", "candidates.import_confirm"}


def _config(name: str, default: int) -> int:
    return int(current_app.config.get(name, default))


@bp.url_value_preprocessor
def _limit_uploads(endpoint: str | None, _values: Mapping[str, Any] | None) -> None:
    """Cap the body of an upload before anything reads it (the CSRF check parses the form)."""
    if endpoint in _UPLOAD_ENDPOINTS and request.method == "POST":
        request.max_content_length = _config("IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES) + 64 * 1024


def _require_secretary() -> None:
    if not actor().grants_for(Role.secretary):
        abort(403)


def _folder() -> Path:
    folder = Path(current_app.instance_path) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _clean_old(folder: Path) -> None:
    """Forget uploads nobody confirmed within the hour."""
    limit = time.time() - KEEP_SECONDS
    for path in folder.glob("*.upload"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except OSError:
            continue


def _file_name(raw: str | None) -> str:
    """The uploaded file's own name, as the user knows it (its detail in the history)."""
    name = PurePosixPath((raw or "").replace("\\", "/")).name
    name = unicodedata.normalize("NFC", name)
    name = "".join(ch for ch in name if unicodedata.category(ch) != "Cc").strip()
    return name[:300] or "upload"


def _stored(token: str) -> Path | None:
    if not _TOKEN.match(token):
        return None
    path = _folder() / f"{token}.upload"
    return path if path.is_file() else None


def _pending() -> dict[str, Any] | None:
    """This user's uploaded file awaiting confirmation, as the session remembers it."""
    pending = session.get(_SESSION_KEY)
    if not isinstance(pending, dict) or pending.get("user") != actor().user_id:
        return None
    return pending


def _cell_names() -> dict[int, str]:
    return dict(secretary_cells(db_session(), actor()))


def _headers_help() -> list[tuple[str, str, list[str]]]:
    """For the upload page: each field's label, whether it is needed, and its headers."""
    needed = {"full_name", "birth_date", "cell"}
    listed = accepted_headers()
    return [
        (spec.vi if locale() == "vi" else spec.en, name in needed, listed[name])
        for name, spec in FIELDS.items()
    ]


def _upload_page(message: str | None = None, status: int = 200):
    body = render_template(
        "candidates/import.html",
        message=message,
        headers=_headers_help(),
        max_mib=_config("IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES) / (1024 * 1024),
        max_rows=_config("IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS),
        cells=secretary_cells(db_session(), actor()),
    )
    return body, status


def _preview(result: ImportResult, token: str, status: int = 200):
    refused = [row for row in result.rows if row.refused]
    good = [row for row in result.rows if not row.refused]
    body = render_template(
        "candidates/import_preview.html",
        result=result,
        refused=refused[:SHOW_REFUSED],
        more_refused=max(0, len(refused) - SHOW_REFUSED),
        good=good[:SHOW_GOOD],
        more_good=max(0, len(good) - SHOW_GOOD),
        cells=_cell_names(),
        token=token,
        lang=locale(),
    )
    return body, status


@bp.route("/import", methods=["GET", "POST"], endpoint="import_file")
@login_required
def import_file():
    """The upload form (GET); the dry run of the uploaded file, with its confirmation (POST)."""
    _require_secretary()
    if request.method == "GET":
        return _upload_page()
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _upload_page(_("Choose an XLSX or CSV file."), 422)
    data = upload.read(_config("IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES) + 1)
    if len(data) > _config("IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES):
        abort(413)
    name = _file_name(upload.filename)
    try:
        result = run_import(
            runtime(),
            actor(),
            data,
            name,
            dry_run=True,
            max_rows=_config("IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS),
        )
    except ImportFileError as bad:
        return _upload_page(_("This file cannot be imported: %(why)s", why=bad.text(locale())), 422)
    folder = _folder()
    _clean_old(folder)
    previous = _pending()
    if previous and _stored(previous.get("token", "")):
        _stored(previous["token"]).unlink(missing_ok=True)
        session.pop(_SESSION_KEY, None)
    if not result.accepted:
        return _preview(result, "")  # nothing to confirm: nothing kept
    token = secrets.token_urlsafe(32)
    (folder / f"{token}.upload").write_bytes(data)
    session[_SESSION_KEY] = {
        "token": token,
        "user": actor().user_id,
        "file": name,
        "sha256": hashlib.sha256(data).hexdigest(),
    }
    return _preview(result, token)


@bp.post("/import/confirm", endpoint="import_confirm")
@login_required
def import_confirm():
    """Import the previewed file, all or (``skip_bad``) its good rows, in one transaction."""
    _require_secretary()
    pending = _pending()
    token = request.form.get("token", "")
    path = _stored(token) if pending else None
    if (
        pending is None
        or path is None
        or not hmac.compare_digest(str(pending.get("token", "")), token)
    ):
        return _upload_page(
            _("That upload has expired or was already imported; upload the file again."), 409
        )
    data = path.read_bytes()
    if not hmac.compare_digest(hashlib.sha256(data).hexdigest(), str(pending.get("sha256"))):
        abort(409)
    try:
        result = run_import(
            runtime(),
            actor(),
            data,
            pending["file"],
            skip_bad=request.form.get("skip_bad") == "1",
            max_rows=_config("IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS),
        )
    except ImportFileError as bad:
        return _upload_page(_("This file cannot be imported: %(why)s", why=bad.text(locale())), 422)
    if not result.committed:
        # Something changed since the preview (or rows are refused): show the new report.
        return _preview(result, token, status=422)
    path.unlink(missing_ok=True)
    session.pop(_SESSION_KEY, None)
    ids = [row.case_id for row in result.rows if row.case_id is not None]
    session[_DONE_KEY] = {
        "user": actor().user_id,
        "file": pending["file"],
        "imported": result.imported,
        "refused": result.refused,
        "first": ids[0],
        "last": ids[-1],
    }
    return redirect(url_for("candidates.import_done"), code=303)


@bp.get("/import/done", endpoint="import_done")
@login_required
def import_done():
    """What the last import of this session did."""
    _require_secretary()
    done = session.get(_DONE_KEY)
    if not isinstance(done, dict) or done.get("user") != actor().user_id:
        return redirect(url_for("candidates.import_file"))
    return render_template("candidates/import_done.html", done=done)


@bp.get("/import/template.xlsx", endpoint="import_template")
@login_required
def import_template():
    """An empty workbook with the headers the import reads."""
    _require_secretary()
    headers = [spec.vi for spec in FIELDS.values()]
    return _xlsx_response(headers, [], "hoso-mau-nhap-cam-tinh-dang.xlsx", widths=_WIDTHS)


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
_WIDTHS = {"Họ và tên": 28, "Ngày sinh": 12, "Chi bộ": 36, "Trạng thái": 24, "Nơi cư trú": 30}
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
    if not may_list(actor()):
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
    return _xlsx_response(headers, rows, _filename("xlsx"), dates, _WIDTHS)


def _xlsx_response(
    headers: list[str],
    rows: Iterable[list[Any]],
    filename: str,
    dates: set[int] | None = None,
    widths: Mapping[str, int] | None = None,
) -> Response:
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
