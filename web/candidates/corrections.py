"""Corrections on the web: the panel of the case page, the secretary's proposal form
(``/candidates/<id>/corrections/new``), the committee's queue (``/candidates/corrections``) with
approve and refuse, and the evidence's scan. Each route calls ``workflow.services.corrections``."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import select

from db.models import Case, Organisation, Person, StoredFile
from db.read import corrections as read
from db.read.case_page import CasePage
from db.repositories.blobs import FileStore
from web.candidates import bp
from web.candidates.forms import choice_label
from web.context import actor, db_session, runtime
from web.labels import pick
from workflow import policy
from workflow.corrections import FIELDS, LIMITS, STATUS_LABELS, TEXT_LIMIT, field_label
from workflow.errors import Conflict, InvalidInput, InvalidTransition
from workflow.services import corrections as service
from workflow.services import view_case
from workflow.uploads import Upload, UploadRefused, download_name

_OTHER_FIELDS = {
    "reason": ("Lý do", "Reason"),
    "evidence": ("Căn cứ", "Evidence"),
    "changes": ("Nội dung đính chính", "Changes"),
    "answer": ("Ghi chú", "Note"),
}


def _store() -> FileStore:
    return FileStore.in_instance(Path(current_app.instance_path))


def _label(name: str) -> str:
    if name in _OTHER_FIELDS:
        return pick(*_OTHER_FIELDS[name])
    return field_label(name, "en" if pick("vi", "en") == "en" else "vi")


def _shown(name: str, value: Any) -> str:
    if value in (None, ""):
        return "—"
    if name == "birth_date":
        return date.fromisoformat(str(value)).strftime("%d/%m/%Y")
    if name in ("sex", "category"):
        return choice_label(str(value))
    return str(value)


def _path_of(cell_id: int) -> str:
    query = select(Organisation.path).where(Organisation.id == cell_id)
    return db_session().scalar(query) or ""


@bp.app_context_processor
def _helpers() -> dict[str, Any]:
    return {"corrections_panel": corrections_panel}


def corrections_panel(case: CasePage) -> dict[str, Any]:
    """What the case page's corrections panel shows: the corrections, and who may do what."""
    path = _path_of(case.cell_id)
    return {
        "rows": read.of_case(db_session(), case.id),
        "may_propose": policy.scope(actor(), policy.Purpose.identify).covers(path),
        "may_decide": policy.scope(actor(), policy.Purpose.decide).covers(path),
        "label": _label,
        "shown": _shown,
        "statuses": {k: pick(*v) for k, v in STATUS_LABELS.items()},
    }


def _form_page(case_id: int, status: int = 200, message: str | None = None):
    view_case(runtime().uow(write=False), actor(), case_id)  # 404 out of scope
    person = db_session().scalar(
        select(Person).join(Case, Case.person_id == Person.id).where(Case.id == case_id)
    )
    body = render_template(
        "candidates/correction_new.html",
        case_id=case_id,
        person=person,
        fields=FIELDS,
        limits=LIMITS,
        text_limit=TEXT_LIMIT,
        label=_label,
        shown=_shown,
        choice_label=choice_label,
        message=message,
        form={k: v for k, v in request.form.items() if k != "csrf_token"},
    )
    return body, status


@bp.get("/<int:case_id>/corrections/new", endpoint="correction_new")
@login_required
def new(case_id: int):
    """The secretary's form: new values, a reason, the evidence."""
    return _form_page(case_id)


@bp.post("/<int:case_id>/corrections", endpoint="correction_propose")
@login_required
def propose(case_id: int):
    """Propose a correction; refused, the form is shown again with the reason (422)."""
    form = request.form
    raw = {spec.name: form[spec.name] for spec in FIELDS if form.get(spec.name)}
    sent = request.files.get("file")
    upload = None
    if sent is not None and sent.filename:
        upload = Upload(sent.filename, sent.read(), sent.mimetype)
    try:
        service.propose_correction(
            runtime().uow(),
            actor(),
            case_id,
            raw,
            form.get("reason"),
            evidence_text=form.get("evidence"),
            upload=upload,
            store=_store(),
            max_bytes=current_app.config["HOSO_UPLOAD_MAX_BYTES"],
        )
    except UploadRefused as refused:
        return _form_page(case_id, 422, refused.text(pick("vi", "en")))
    except InvalidInput as bad:
        message = _("%(field)s: %(problem)s", field=_label(bad.field), problem=bad.message)
        return _form_page(case_id, 422, message)
    except (InvalidTransition, Conflict):
        message = _("Not saved: a correction of this person already awaits the committee.")
        return _form_page(case_id, 409, message)
    flash(_("The correction is proposed; the committee decides it."), "success")
    return redirect(url_for("candidates.case", case_id=case_id, _anchor="corrections"), code=303)


@bp.get("/corrections", endpoint="corrections")
@login_required
def queue():
    """The corrections awaiting the committee in its scope."""
    return _queue_page()


def _queue_page(status: int = 200, message: str | None = None):
    body = render_template(
        "candidates/corrections.html",
        rows=read.awaiting(db_session(), actor()),
        label=_label,
        shown=_shown,
        message=message,
        text_limit=TEXT_LIMIT,
    )
    return body, status


def _decide(call, done: str):
    try:
        call()
    except InvalidInput as bad:
        return _queue_page(
            422, _("%(field)s: %(problem)s", field=_label(bad.field), problem=bad.message)
        )
    except (InvalidTransition, Conflict):
        message = _("Not saved: the correction was decided meanwhile, or the data changed.")
        return _queue_page(409, message)
    flash(done, "success")
    return redirect(url_for("candidates.corrections"), code=303)


def _version() -> int | None:
    value = request.form.get("version", "")
    return int(value) if value.isdigit() else None


@bp.post("/corrections/<int:correction_id>/approve", endpoint="correction_approve")
@login_required
def approve(correction_id: int):
    """The committee approves: the person's data change, outdated documents are re-issued."""
    version, note = _version(), request.form.get("note")
    return _decide(
        lambda: service.approve_correction(
            runtime().uow(), actor(), correction_id, note=note, expected_version=version
        ),
        _("Approved: the person's data are corrected and the documents re-issued."),
    )


@bp.post("/corrections/<int:correction_id>/refuse", endpoint="correction_refuse")
@login_required
def refuse(correction_id: int):
    """The committee refuses, with a reason."""
    version, reason = _version(), request.form.get("reason")
    return _decide(
        lambda: service.refuse_correction(
            runtime().uow(), actor(), correction_id, reason, expected_version=version
        ),
        _("Refused: nothing changed."),
    )


@bp.get("/corrections/<int:correction_id>/evidence", endpoint="correction_evidence")
@login_required
def evidence(correction_id: int):
    """The evidence's scan, as an attachment of the type found in its content."""
    found = service.view_correction(runtime().uow(write=False), actor(), correction_id)
    if found.evidence_sha256 is None:
        abort(404)
    path = _store().path(found.evidence_sha256)
    if not path.is_file():
        abort(404)
    query = select(StoredFile.media_type).where(StoredFile.sha256 == found.evidence_sha256)
    media = db_session().scalar(query) or "application/octet-stream"
    name = download_name(found.evidence_name or "evidence", media)
    return send_file(path, mimetype=media, as_attachment=True, download_name=name)
