"""Uploading and downloading a case's documents, and checking a generated one.

Every page of a case first asks the domain whether this user may see the case: a case they may
not see answers 404 (``web.errors``), its files and forms included. ``documents.render`` is
imported where a PDF is drawn: WeasyPrint is slow to load, and most requests draw nothing.
"""

from __future__ import annotations

import io

from flask import (
    Response,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import login_required

from db.read.documents import GeneratedView, case_generated, case_scan
from db.read.dossier import dossier_data
from db.repositories.blobs import PREFIX as BLOBS
from db.repositories.blobs import FileStore
from documents.errors import DocumentError
from documents.registry import FORMS
from web.candidates.case import show as show_case
from web.context import actor, db_session, runtime
from web.documents import bp
from web.documents.address import verify_url, verify_url_pattern  # noqa: F401 (packet.py's)
from web.documents.panel import refuse_upload
from web.labels import locale
from web.task_handlers import generated_pdf
from web.tasks import app_files
from workflow import services
from workflow.clock import Clock
from workflow.definition import FACTS
from workflow.errors import Conflict, InvalidInput, InvalidTransition
from workflow.services.documents import verify_document
from workflow.throttle import VERIFY_LIMIT, Throttled
from workflow.uploads import Upload, UploadRefused, download_name

#: The fields of the upload form besides the file: those of the document fact.
_FIELDS = tuple(spec.name for spec in FACTS["document"].fields)


def _store() -> FileStore:
    return FileStore(app_files(), BLOBS)


def visible(case_id: int) -> None:
    """Go on only if the user may see the case (else NotFound: 404)."""
    services.view_case(runtime().uow(write=False), actor(), case_id)


def case_page(case_id: int) -> str:
    return url_for("candidates.case", case_id=case_id) + "#documents"


# --- uploads --------------------------------------------------------------------------------


@bp.post("/candidates/<int:case_id>/uploads")
@login_required
def upload(case_id: int):
    """Put a form on file with its signed scan; refused, the case page says why (422)."""
    version = request.form.get("version", "")
    if not version.isdigit():
        abort(400)  # as every form of the case page: no blind writes
    raw = {name: request.form[name] for name in _FIELDS if name in request.form}
    sent = request.files.get("file")
    upload = Upload(
        name=sent.filename if sent else None,
        content=sent.read() if sent else b"",
        declared_type=sent.mimetype if sent else None,
    )
    status = 422
    try:
        services.upload_document(
            runtime().uow(),
            _store(),
            actor(),
            case_id,
            raw,
            upload,
            max_bytes=current_app.config["HOSO_UPLOAD_MAX_BYTES"],
            expected_version=int(version),
        )
    except UploadRefused as refused:
        message = refused.text(locale())
    except InvalidInput as bad:
        message = _("%(field)s: %(problem)s", field=_field_label(bad.field), problem=bad.message)
    except Conflict:
        status, message = 409, _("Not saved: this case was changed by someone else meanwhile.")
    except InvalidTransition:
        status, message = 409, _("No document can be put on file in the case's current state.")
    else:
        flash(_("Uploaded: %(code)s is on file.", code=raw.get("code", "")), "success")
        return redirect(case_page(case_id), code=303)
    refuse_upload(raw.get("code", ""), message)
    body, _ok = show_case(case_id)
    return body, status


def _field_label(name: str) -> str:
    if name == "file":
        return _("File")
    spec = next((s for s in FACTS["document"].fields if s.name == name), None)
    return (spec.en if locale() == "en" else spec.vi) if spec else name


@bp.get("/candidates/<int:case_id>/scans/<int:scan_id>")
@login_required
def scan(case_id: int, scan_id: int):
    """A scan, as an attachment of the type found in its content."""
    visible(case_id)
    found = case_scan(db_session(), case_id, scan_id)
    if found is None:
        abort(404)
    content = _store().files.get(_store().key(found.sha256))
    if content is None:
        abort(404)
    response = send_file(
        io.BytesIO(content),
        mimetype=found.media_type,
        as_attachment=True,
        download_name=download_name(found.name, found.media_type),
        conditional=True,
        etag=found.sha256,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-cache"
    return response


# --- forms as PDFs --------------------------------------------------------------------------


def pdf(content: bytes, name: str) -> Response:
    response = Response(content, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-cache"
    return response


def _generated_pdf(case_id: int, row: GeneratedView) -> Response:
    """A generated document, drawn from the data it keeps (once: then from the instance's files,
    ``web.task_handlers.generated_pdf``). It prints the numbers on record (the decision's, the
    resolution's), not hồ sơ's register number, which its verification code leads to."""
    content = generated_pdf(app_files(), row, verify_url_pattern())
    return pdf(content, f"{FORMS[row.code].slug}_{row.seq}-{row.year}_{case_id}.pdf")


def cannot_draw(case_id: int, error: DocumentError):
    """Back to the case page, saying why the form cannot be drawn yet."""
    flash(_("The PDF cannot be made: %(reason)s", reason=str(error)), "error")
    return redirect(case_page(case_id), code=303)


@bp.get("/candidates/<int:case_id>/documents/<code>.pdf")
@login_required
def form_pdf(case_id: int, code: str):
    """Form `code`: its newest generated document, else the form filled from the case now
    (without number or verification code: a printable draft)."""
    visible(case_id)
    if code not in FORMS:
        abort(404)
    from documents.render import render_form

    try:
        made = case_generated(db_session(), case_id, code=code)
        if made is not None:
            return _generated_pdf(case_id, made)
        dossier = dossier_data(db_session(), case_id, runtime().settings.rules)
        content = render_form(code, dossier, issued_on=Clock.system().today)
    except DocumentError as error:
        return cannot_draw(case_id, error)
    return pdf(content, f"{FORMS[code].slug}_{case_id}.pdf")


@bp.get("/candidates/<int:case_id>/generated/<int:doc_id>.pdf")
@login_required
def generated(case_id: int, doc_id: int):
    """One generated document of the case."""
    visible(case_id)
    made = case_generated(db_session(), case_id, doc_id=doc_id)
    if made is None:
        abort(404)
    try:
        return _generated_pdf(case_id, made)
    except DocumentError as error:
        return cannot_draw(case_id, error)


# --- verification (public) ------------------------------------------------------------------


@bp.get("/verify", endpoint="verify_form")
def verify_form():
    """The verification page's form: a code typed from paper goes to its address."""
    code = (request.args.get("code") or "").strip()
    if code:
        return redirect(url_for("documents.verify", code=code), code=303)
    return _unlisted(make_response(render_template("documents/verify.html", found=None)))


@bp.get("/verify/<code>")
def verify(code: str):
    """Whether a generated document is genuine and still in force: its form, number, date and
    candidate's name, nothing more. Unknown codes are rationed per address, in the database
    (``workflow.throttle``): past a generous budget each one waits longer (429, Retry-After)."""
    limit = current_app.config.get("VERIFY_LIMIT", VERIFY_LIMIT)
    address = request.remote_addr or "unknown"
    try:
        found = verify_document(runtime().uow(), code, address=address, limit=limit)
    except Throttled as waiting:
        page = render_template("documents/verify.html", found=None, wait=waiting.seconds)
        response = _unlisted(make_response(page, 429))
        response.headers["Retry-After"] = str(waiting.seconds)
        return response
    page = render_template("documents/verify.html", found=found, asked=code)
    return _unlisted(make_response(page, 200 if found else 404))


def _unlisted(response: Response) -> Response:
    """Never kept by a cache (the answer changes when the document does) nor listed by a search
    engine (a page per person's decision)."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response
