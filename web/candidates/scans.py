"""Replacing a wrong scan ("Thay bản quét") and reading a replaced one, from the case page.

The new file becomes the one on file (``workflow.services.scans.replace_scan``); the old one
stays stored, named by the ``replace_scan`` event of the case's history: whoever reads the case
(the auditor too) downloads it from there, and only a hash that event names is served.
"""

from __future__ import annotations

import io

from flask import abort, current_app, flash, request, send_file
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import select

from db.models import StoredFile
from db.read.history import case_events
from db.repositories.blobs import PREFIX as BLOBS
from db.repositories.blobs import FileStore
from web.candidates import bp
from web.candidates.landing import land_after
from web.context import actor, db_session, runtime
from web.labels import locale
from web.tasks import app_files
from workflow import services
from workflow.errors import InvalidInput, InvalidTransition
from workflow.services.scans import REPLACE_SCAN, replace_scan
from workflow.uploads import Upload, UploadRefused, download_name


def _store() -> FileStore:
    return FileStore(app_files(), BLOBS)


@bp.post("/<int:case_id>/scans/<int:scan_id>/replace", endpoint="replace_scan")
@login_required
def replace(case_id: int, scan_id: int):
    """Put a new file in place of a wrong scan; refused, the case page says why (422)."""
    from web.candidates.case import show as show_case  # the page shows the refusal
    from web.documents.panel import refuse_upload

    sent = request.files.get("file")
    upload = Upload(
        name=sent.filename if sent else None,
        content=sent.read() if sent else b"",
        declared_type=sent.mimetype if sent else None,
    )
    code = request.form.get("code", "")
    status = 422
    try:
        replace_scan(
            runtime().uow(),
            _store(),
            actor(),
            case_id,
            scan_id,
            upload,
            max_bytes=current_app.config["HOSO_UPLOAD_MAX_BYTES"],
        )
    except UploadRefused as refused:
        message = refused.text(locale())
    except InvalidInput:
        message = _("This file is the scan already on file: choose the corrected one.")
    except InvalidTransition:
        status, message = 409, _("No scan can be replaced in the case's current state.")
    else:
        flash(_("Scan replaced: the new file of %(code)s is on file.", code=code), "success")
        return land_after(case_id, "documents")
    refuse_upload(code, message)
    body, _ok = show_case(case_id)
    return body, status


@bp.get("/<int:case_id>/scans/<int:scan_id>/replaced/<sha256>", endpoint="replaced_scan")
@login_required
def replaced(case_id: int, scan_id: int, sha256: str):
    """A scan replaced since, as the history names it: for whoever reads the case."""
    services.view_case(runtime().uow(write=False), actor(), case_id)  # else NotFound: 404
    named = next(
        (
            e.data
            for e in case_events(db_session(), case_id)
            if e.action == REPLACE_SCAN
            and e.data.get("scan_id") == scan_id
            and e.data.get("replaced_sha256") == sha256
        ),
        None,
    )
    content = _store().files.get(_store().key(sha256)) if named is not None else None
    if content is None:
        abort(404)
    kind = db_session().scalar(select(StoredFile.media_type).where(StoredFile.sha256 == sha256))
    kind = kind or "application/octet-stream"
    response = send_file(
        io.BytesIO(content),
        mimetype=kind,
        as_attachment=True,
        download_name=download_name(named.get("replaced_name") or "scan", kind),
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-cache"
    return response
