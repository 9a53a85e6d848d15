"""The documents of a case as its page, downloads and packet show them: the forms that belong to
it, the scans on file, the generated copies. Plain rows, never ORM objects.

The callers have already found the case visible to the user (``workflow.services.view_case``,
or the case page that includes the list); these queries only read one case.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from db.models import (
    Case,
    DocumentRecord,
    DocumentScan,
    GeneratedDocument,
    Introduction,
    Organisation,
    Person,
    StoredFile,
    Vote,
)
from db.repositories.case_rows import has_grassroots_committee
from documents.registry import FORMS, PACKET_ORDER, forms_for_case, required_forms
from workflow.documents import Applicability, forms_in_play, is_youth, load_data, offered
from workflow.settings import RuleSettings
from workflow.states import VoteBody

#: The cell's resolution: its upload is filled from the submission's number and vote date.
CELL_RESOLUTION = "6-KNĐ"


def form_title(code: str) -> str:
    """A form's Vietnamese title from the registry, else its code."""
    form = FORMS.get(code)
    return form.title if form is not None else code


# --- scans ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScanView:
    """An uploaded scan of a form on file."""

    id: int
    code: str
    dated: date
    number: str | None
    name: str
    sha256: str
    size: int
    media_type: str


def case_scans(session: Session, case_id: int, scan_id: int | None = None) -> list[ScanView]:
    """The scans of the case's forms on file (only `scan_id`, if given), oldest form first."""
    query = (
        select(
            DocumentScan.id,
            DocumentRecord.code,
            DocumentRecord.dated,
            DocumentRecord.number,
            DocumentScan.name,
            StoredFile.sha256,
            StoredFile.size,
            StoredFile.media_type,
        )
        .join(DocumentRecord, DocumentRecord.id == DocumentScan.document_id)
        .join(StoredFile, StoredFile.id == DocumentScan.file_id)
        .where(DocumentRecord.case_id == case_id)
        .order_by(DocumentRecord.dated, DocumentScan.id)
    )
    if scan_id is not None:
        query = query.where(DocumentScan.id == scan_id)
    return [ScanView(*row) for row in session.execute(query)]


def case_scan(session: Session, case_id: int, scan_id: int) -> ScanView | None:
    """Scan `scan_id` if it belongs to case `case_id`."""
    found = case_scans(session, case_id, scan_id)
    return found[0] if found else None


# --- generated copies -----------------------------------------------------------------------


@dataclass(frozen=True)
class GeneratedView:
    """A generated document: its register number, verification code and the data it keeps."""

    id: int
    case_id: int
    code: str
    number: str
    year: int
    seq: int
    issued_on: date
    verify_code: str
    #: The canonical JSON it was made from, and that text's SHA-256 when it was made.
    text: str
    data_hash: str

    @property
    def data(self) -> dict[str, Any]:
        """The dossier's values it was made from, as the renderer takes them."""
        return load_data(self.text)


_GENERATED = select(
    GeneratedDocument.id,
    GeneratedDocument.case_id,
    GeneratedDocument.code,
    GeneratedDocument.number,
    GeneratedDocument.year,
    GeneratedDocument.seq,
    GeneratedDocument.issued_on,
    GeneratedDocument.verify_code,
    GeneratedDocument.data,
    GeneratedDocument.data_hash,
)


def _generated(session: Session, query: Select) -> list[GeneratedView]:
    return [GeneratedView(*row) for row in session.execute(query)]


def case_generated(
    session: Session, case_id: int, *, doc_id: int | None = None, code: str | None = None
) -> GeneratedView | None:
    """A generated document of the case: by id, or the newest of form `code`."""
    query = _GENERATED.where(GeneratedDocument.case_id == case_id)
    if doc_id is not None:
        query = query.where(GeneratedDocument.id == doc_id)
    if code is not None:
        query = query.where(GeneratedDocument.code == code)
    found = _generated(session, query.order_by(GeneratedDocument.id.desc()).limit(1))
    return found[0] if found else None


# --- what the case page lists ---------------------------------------------------------------


@dataclass
class FormRow:
    """One form of a case: whether it is on file, its scans and generated copies."""

    code: str
    title: str
    #: The transition that requires it (``submit_dossier``, ``recognize``), if any.
    needed_for: str | None = None
    on_file: list[date] = field(default_factory=list)
    scans: list[ScanView] = field(default_factory=list)
    generated: list[GeneratedView] = field(default_factory=list)
    #: What the upload of its signed scan is filled with, typed once elsewhere: the date and
    #: number of the form on file (an introduction put it there), or for the cell's resolution
    #: the submission's.
    fill_dated: date | None = None
    fill_number: str | None = None

    @property
    def status(self) -> str:
        """``on_file`` (what the rules look at), else ``generated`` (made, not yet on file as
        signed), else ``missing``."""
        if self.on_file:
            return "on_file"
        return "generated" if self.generated else "missing"


def _forms_now(session: Session, case_id: int, settings: RuleSettings, today: date):
    """What decides which forms apply to the case, and the forms that belong to it now, each
    with the transition that requires it on file (``workflow.documents.forms_in_play``);
    ``None`` if there is no such case."""
    found = session.execute(
        select(
            Case.state,
            Case.cell_vote_date,
            Person.birth_date,
            Organisation.has_doan,
            Organisation.has_branch_committee,
            Case.cell_id,
            Person.is_doan_member,
        )
        .join(Person, Person.id == Case.person_id)
        .join(Organisation, Organisation.id == Case.cell_id)
        .where(Case.id == case_id)
    ).one_or_none()
    if found is None:
        return None
    state, vote_date, born, has_doan, branch, cell_id, doan_member = found
    youth = is_youth(born, vote_date or today, settings)
    has_doan = bool(has_doan)
    kinds = session.scalars(select(Introduction.kind).where(Introduction.case_id == case_id))
    # Which forms apply: the packet's rule (``workflow.documents.applies``), one for both.
    facts = Applicability(youth, has_doan, bool(doan_member), frozenset(kinds))
    # 8-KNĐ and 15-KNĐ only where a đảng ủy cơ sở sits between the cell and the deciding body.
    grassroots = has_grassroots_committee(session.connection(), cell_id)
    return facts, forms_in_play(
        state,
        forms_for_case(
            state,
            has_doan,
            youth,
            has_partial_committee=bool(branch),
            has_grassroots_committee=grassroots,
        ),
        lambda trigger: required_forms(
            trigger,
            has_doan=has_doan,
            is_youth=youth,
            settings=settings,
            has_grassroots_committee=grassroots,
        ),
    )


def case_documents(
    session: Session, case_id: int, settings: RuleSettings, today: date
) -> list[FormRow]:
    """The forms of a case that belong to it and apply to it, or are on file, in the
    dossier's order (no 4-KNĐ for a youth who is not a Đoàn member: as the packet binds)."""
    found = _forms_now(session, case_id, settings, today)
    if found is None:
        return []
    facts, applying = found
    rows: dict[str, FormRow] = {}

    def row(code: str) -> FormRow:
        if code not in rows:
            rows[code] = FormRow(code, form_title(code))
        return rows[code]

    for code, trigger in applying.items():
        row(code).needed_for = trigger
    for code, dated, number in session.execute(
        select(DocumentRecord.code, DocumentRecord.dated, DocumentRecord.number)
        .where(DocumentRecord.case_id == case_id)
        .order_by(DocumentRecord.dated, DocumentRecord.id)
    ):
        row(code).on_file.append(dated)
        row(code).fill_dated, row(code).fill_number = dated, number
    for scan in case_scans(session, case_id):
        row(scan.code).scans.append(scan)
    query = _GENERATED.where(GeneratedDocument.case_id == case_id)
    for made in _generated(session, query.order_by(GeneratedDocument.id)):
        row(made.code).generated.append(made)
    if CELL_RESOLUTION in rows and not rows[CELL_RESOLUTION].fill_number:
        _fill_from_cell_vote(session, case_id, rows[CELL_RESOLUTION])
    shown = {
        code: r
        for code, r in rows.items()
        if offered(code, facts, bool(r.on_file or r.scans or r.generated))
    }
    order = {code: i for i, code in enumerate(PACKET_ORDER)}
    return [shown[code] for code in sorted(shown, key=lambda c: (order.get(c, len(order)), c))]


def _fill_from_cell_vote(session: Session, case_id: int, row: FormRow) -> None:
    """The cell's resolution typed once: its upload takes the submission's number (and the
    vote's date, where the form is not on file)."""
    vote = session.execute(
        select(Vote.held_on, Vote.resolution_number)
        .where(Vote.case_id == case_id, Vote.body == VoteBody.cell)
        .order_by(Vote.held_on.desc(), Vote.id.desc())
        .limit(1)
    ).first()
    if vote is not None:
        row.fill_dated, row.fill_number = row.fill_dated or vote[0], vote[1]
