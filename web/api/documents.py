"""``/api/v1/cases/<id>/documents``: a case's forms (as the case page's documents section lists
them) and each one as a PDF, drawn as ``web.documents.views`` draws it."""

from __future__ import annotations

from typing import Any

from flask import Response, url_for
from flask_smorest import Blueprint

from db.read.documents import GeneratedView, case_documents, case_generated
from db.read.dossier import dossier_data
from documents.errors import DocumentError
from documents.registry import FORMS
from web.api.auth import api_actor
from web.api.common import refusals
from web.api.errors import error_response
from web.api.schemas import MAX_ID, DocumentSchema
from web.context import db_session, runtime
from web.documents.address import verify_url
from workflow import services
from workflow.clock import Clock
from workflow.errors import NotFound

bp = Blueprint(
    "api_documents", __name__, url_prefix="/cases", description="The forms of a case, as PDFs."
)

_CASE = f"/<int(max={MAX_ID}):case_id>"
_CODES = ", ".join(f"'{code}'" for code in FORMS)
_PDF = {"description": "The form as a PDF.", "content": {"application/pdf": {"schema": {}}}}


def _visible(case_id: int) -> None:
    services.view_case(runtime().uow(write=False), api_actor(), case_id)


def _pdf_url(case_id: int, code: str) -> str:
    return url_for("api_documents.form_pdf", case_id=case_id, code=code)


def _generated_url(case_id: int, doc_id: int) -> str:
    return url_for("api_documents.generated_pdf", case_id=case_id, doc_id=doc_id)


@bp.route(f"{_CASE}/documents", methods=["GET"])
@bp.response(200, DocumentSchema(many=True))
@refusals(bp, 404)
def list_documents(case_id: int):
    """The forms that belong to the case: needed for which transition, on file (the dates), and
    the copies hồ sơ generated, each with its PDF's address."""
    _visible(case_id)
    rows = case_documents(db_session(), case_id, runtime().settings.rules, Clock.system().today)
    return [
        {
            "code": row.code,
            "title": row.title,
            "status": row.status,
            "needed_for": row.needed_for,
            "on_file": row.on_file,
            "generated": [_made(case_id, made) for made in row.generated],
            "pdf": _pdf_url(case_id, row.code),
        }
        for row in rows
    ]


def _made(case_id: int, made: GeneratedView) -> dict[str, Any]:
    return {
        "id": made.id,
        "number": made.number,
        "issued_on": made.issued_on,
        "url": _generated_url(case_id, made.id),
    }


def _pdf(content: bytes, name: str) -> Response:
    response = Response(content, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _draw_generated(case_id: int, made: GeneratedView) -> Response:
    from documents.render import render_form  # WeasyPrint loads slowly: only when drawing

    content = render_form(
        made.code,
        made.data,
        issued_on=made.issued_on,
        verify_code=made.verify_code,
        verify_url=verify_url(made.verify_code),  # the configured address, never the Host
    )
    return _pdf(content, f"{FORMS[made.code].slug}_{made.seq}-{made.year}_{case_id}.pdf")


def _cannot_draw(error: DocumentError) -> Response:
    return error_response(409, f"the PDF cannot be made yet: {error}", code="cannot_draw")


@bp.route(f"{_CASE}/documents/<any({_CODES}):code>.pdf", methods=["GET"])
@bp.response(200, None, description="The form as a PDF.", content_type="application/pdf")
@refusals(bp, 404, 409)
def form_pdf(case_id: int, code: str):
    """Form `code`: its newest generated copy (with its number and verification code), else the
    form filled from the case now, as a draft. 409 when the case's data cannot fill it yet."""
    _visible(case_id)
    from documents.render import render_form

    try:
        made = case_generated(db_session(), case_id, code=code)
        if made is not None:
            return _draw_generated(case_id, made)
        dossier = dossier_data(db_session(), case_id, runtime().settings.rules)
        content = render_form(code, dossier, issued_on=Clock.system().today)
    except DocumentError as error:
        return _cannot_draw(error)
    return _pdf(content, f"{FORMS[code].slug}_{case_id}.pdf")


@bp.route(f"{_CASE}/generated/<int(max={MAX_ID}):doc_id>.pdf", methods=["GET"])
@bp.response(200, None, description="The generated form as a PDF.", content_type="application/pdf")
@refusals(bp, 404, 409)
def generated_pdf(case_id: int, doc_id: int):
    """One generated copy of a form of the case, drawn again from the data it keeps."""
    _visible(case_id)
    made = case_generated(db_session(), case_id, doc_id=doc_id)
    if made is None:
        raise NotFound(f"no generated document {doc_id} of case {case_id}")
    try:
        return _draw_generated(case_id, made)
    except DocumentError as error:
        return _cannot_draw(error)
