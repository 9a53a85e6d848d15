"""The case page's documents section: what ``documents/_case_documents.html`` shows.

The case page includes the section; it reaches its data through the template global
``case_documents(case)``, called with the case the page has already found visible.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, g

from db.read.case_page import CasePage
from db.read.documents import FormRow, case_documents
from web.context import db_session, runtime
from web.documents import bp
from workflow.clock import Clock


@dataclass(frozen=True)
class Panel:
    """The forms of the case with their status and files; the refused upload, if any."""

    rows: list[FormRow]
    today: str
    max_megabytes: int
    #: ``(form code, message)`` of an upload just refused: shown beside that form's upload.
    refusal: tuple[str, str] | None


def refuse_upload(code: str, message: str) -> None:
    """Have the documents section show why the upload of form `code` was refused."""
    g.upload_refusal = (code, message)


@bp.app_template_global("case_documents")
def panel(case: CasePage) -> Panel:
    """The documents section of `case` (already found visible by the case page)."""
    today = Clock.system().today
    return Panel(
        rows=case_documents(db_session(), case.id, runtime().settings.rules, today),
        today=today.isoformat(),
        max_megabytes=current_app.config["HOSO_UPLOAD_MAX_BYTES"] // (1024 * 1024),
        refusal=g.get("upload_refusal"),
    )
