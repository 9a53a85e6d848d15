"""The import page (secretaries only): ``/candidates/import`` takes an XLSX or CSV upload
(size-limited, CSRF-protected) and shows the dry run row by row; the uploaded bytes are kept in the
instance folder under a random token that only this user's session holds, so that "Import" on the
preview imports exactly the file that was checked (it is checked again, in the one transaction
that imports it). The results page follows (POST, redirect, GET).

The file is read by ``workflow.importing.sheet.parse_sheet`` and imported by the use case
``workflow.services.importing.import_candidates``.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
import unicodedata
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from typing import Any

from flask import abort, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import login_required

from db.read.cells import cells_of
from web.candidates import bp
from web.candidates.transfer import WIDTHS, xlsx_response
from web.context import actor, db_session, runtime
from web.labels import locale
from workflow.importing.fields import FIELDS, accepted_headers
from workflow.importing.problems import ImportFileError
from workflow.importing.result import ImportResult
from workflow.importing.sheet import parse_sheet
from workflow.policy import Purpose
from workflow.services.importing import import_candidates
from workflow.states import Role

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


def _cells() -> list[tuple[int, str]]:
    """The cells where this user adds candidates, as ``(id, name)``."""
    return cells_of(db_session(), actor(), Purpose.identify)


def _run(data: bytes, name: str, **options: Any) -> ImportResult:
    """Read the file and import it (or its dry run) as this user, in one unit of work."""
    sheet = parse_sheet(data, name, _config("IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS))
    return import_candidates(runtime().uow(), actor(), sheet, **options)


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
        cells=_cells(),
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
        cells=dict(_cells()),
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
        result = _run(data, name, dry_run=True)
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
        result = _run(data, pending["file"], skip_bad=request.form.get("skip_bad") == "1")
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
    return xlsx_response(headers, [], "hoso-mau-nhap-cam-tinh-dang.xlsx", widths=WIDTHS)
