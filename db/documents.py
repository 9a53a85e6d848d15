"""Scans and generated documents in storage: uploads linked to the forms on file, numbered and
verifiable documents made from the dossier's data, and what the case page lists of both.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from db.dossier import dossier_data
from db.models import (
    Case,
    ChainHead,
    DocumentRecord,
    DocumentScan,
    GeneratedDocument,
    Organisation,
    Person,
    StoredFile,
)
from documents.context import form_context
from documents.errors import DocumentError
from documents.keys import lookup
from documents.registry import FORMS, PACKET_ORDER, PRODUCES, forms_for_case, required_forms
from workflow import policy
from workflow.dates import full_years
from workflow.errors import InvalidInput, NotAllowed, NotFound
from workflow.facts import Actor
from workflow.history import canonical_data
from workflow.ports import NewEvent
from workflow.services import Clock
from workflow.settings import DEFAULT_SETTINGS, RuleSettings
from workflow.states import State, Trigger

if TYPE_CHECKING:
    from db.uow import SqlUnitOfWork

#: Verification codes: 10 characters of RFC 4648 base32 (no 0/1/8/9 to misread), 50 random bits.
CODE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
CODE_LENGTH = 10
_CODE = re.compile(f"[{CODE_ALPHABET}]{{{CODE_LENGTH}}}")
#: Where forms may still be uploaded for the dossier (``submit_dossier`` asks for them).
_PREPARING = (State.identified, State.mentored, State.trained, State.returned)


# --- the data a document is made from -------------------------------------------------------


def form_title(code: str) -> str:
    """A form's Vietnamese title from the registry, else its code."""
    form = FORMS.get(code)
    return form.title if form is not None else code


def produced_by(action: str) -> tuple[str, ...]:
    """The forms an action produces (``admit``: 9-KNĐ, ``recognize``: 16-KNĐ)."""
    produced = PRODUCES.get(action, ())
    return (produced,) if isinstance(produced, str) else tuple(produced)


def data_hash(text: str) -> str:
    """The SHA-256 of a document's canonical JSON."""
    return hashlib.sha256(text.encode()).hexdigest()


def load_data(text: str) -> dict[str, Any]:
    """A document's stored data, as the renderer takes it (the dossier's plain values)."""
    return json.loads(text)


def still_true(then: Any, now: Any) -> bool:
    """Whether every value a document recorded (`then`) is the same in the case's data now.

    What was blank then, and what was recorded since (a later ceremony, decision or
    introduction, a list grown longer), does not count: a document goes out of date when
    something it says changes, not when the case moves on.
    """
    if then is None:
        return True
    if isinstance(then, dict):
        return isinstance(now, dict) and all(still_true(v, now.get(k)) for k, v in then.items())
    if isinstance(then, list):
        return (
            isinstance(now, list)
            and len(now) >= len(then)
            and all(still_true(a, b) for a, b in zip(then, now, strict=False))
        )
    return then == now


def _settled(data: Mapping[str, Any]) -> dict[str, Any]:
    """`data` without what moves on by design: the case's state and its closing date."""
    case = {k: v for k, v in (data.get("case") or {}).items() if k not in ("state", "closed_on")}
    return {**data, "case": case}


def is_current(row: GeneratedDocument, now: Mapping[str, Any]) -> bool:
    """The row's data are as stored (they hash to ``data_hash``) and still true of `now`."""
    intact = data_hash(row.data) == row.data_hash
    return intact and still_true(_settled(load_data(row.data)), _settled(now))


def printed_number(row: GeneratedDocument) -> str | None:
    """The number the document carries on paper (a decision's or resolution's), if any."""
    try:
        context = form_context(row.code, load_data(row.data), issued_on=row.issued_on)
    except DocumentError:
        return None
    return (context.get("paper") or {}).get("number")


# --- uploads --------------------------------------------------------------------------------


def attach_scan(session: Session, record: DocumentRecord, fields: Mapping[str, Any], actor: Actor):
    """Link a form put on file by an upload to its blob's row (made by the first upload of these
    bytes: the same bytes again are the same row)."""
    insert = (postgresql if session.get_bind().dialect.name == "postgresql" else sqlite).insert
    session.connection().execute(
        insert(StoredFile)
        .values(
            sha256=fields["file_sha256"],
            size=fields["file_size"],
            media_type=fields["file_type"],
            created_at=datetime.now(UTC),
            created_by=actor.user_id,
        )
        .on_conflict_do_nothing(index_elements=["sha256"])
    )
    sha256 = fields["file_sha256"]
    file_id = session.scalar(select(StoredFile.id).where(StoredFile.sha256 == sha256))
    session.add(DocumentScan(document=record, file_id=file_id, name=fields["file_name"]))


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


def _scans(session: Session, case_id: int, scan_id: int | None = None) -> list[ScanView]:
    query = (
        select(DocumentScan, DocumentRecord, StoredFile)
        .join(DocumentRecord, DocumentRecord.id == DocumentScan.document_id)
        .join(StoredFile, StoredFile.id == DocumentScan.file_id)
        .where(DocumentRecord.case_id == case_id)
        .order_by(DocumentRecord.dated, DocumentScan.id)
    )
    if scan_id is not None:
        query = query.where(DocumentScan.id == scan_id)
    return [
        ScanView(s.id, d.code, d.dated, d.number, s.name, f.sha256, f.size, f.media_type)
        for s, d, f in session.execute(query)
    ]


def case_scan(session: Session, case_id: int, scan_id: int) -> ScanView | None:
    """Scan `scan_id` if it belongs to case `case_id`."""
    found = _scans(session, case_id, scan_id)
    return found[0] if found else None


# --- generated documents --------------------------------------------------------------------


def _new_verify_code(session: Session) -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        taken = select(GeneratedDocument.id).where(GeneratedDocument.verify_code == code)
        if session.scalar(taken) is None:
            return code


def generate(
    session: Session,
    case_id: int,
    code: str,
    user_id: int,
    today: date,
    settings: RuleSettings = DEFAULT_SETTINGS,
) -> GeneratedDocument:
    """Make form `code` of the case from its data now: number, canonical data, hash, code."""
    # Numbers are handed out under the chain head's lock, which the event's append takes anyway:
    # two generations at once queue instead of drawing the same number.
    session.execute(select(ChainHead.id).where(ChainHead.id == 1).with_for_update())
    text = canonical_data(dossier_data(session, case_id, settings))
    last = session.scalar(
        select(func.max(GeneratedDocument.seq)).where(
            GeneratedDocument.code == code, GeneratedDocument.year == today.year
        )
    )
    seq = (last or 0) + 1
    row = GeneratedDocument(
        case_id=case_id,
        code=code,
        year=today.year,
        seq=seq,
        number=f"{seq}/{today.year}/{code}",
        issued_on=today,
        created_at=datetime.now(UTC),
        created_by=user_id,
        data=text,
        data_hash=data_hash(text),
        verify_code=_new_verify_code(session),
    )
    session.add(row)
    session.flush()
    return row


def produce(
    session: Session,
    case_id: int,
    action: str,
    fields: dict[str, Any],
    actor: Actor,
    today: date,
    settings: RuleSettings = DEFAULT_SETTINGS,
) -> None:
    """Generate the forms `action` produces, in its unit of work, and name them in `fields` so
    that the action's own event records their numbers and data hashes."""
    made = [
        generate(session, case_id, code, actor.user_id, today, settings)
        for code in produced_by(action)
    ]
    if made:
        fields["generated_number"] = ", ".join(m.number for m in made)
        fields["generated_data_hash"] = ", ".join(m.data_hash for m in made)


def generate_document(
    uow: SqlUnitOfWork, actor: Actor, case_id: int, code: str, *, clock: Clock | None = None
) -> GeneratedDocument:
    """Generate form `code` of a case as `actor` (who may record documents on it): the row and
    its ``generate_document`` event commit together."""
    clock = clock or Clock.system()
    if code not in FORMS:
        raise InvalidInput("code", f"unknown form {code!r}")
    with uow:
        case = uow.cases.get(case_id, for_update=True)
        facts = uow.cases.facts(case, "generate_document") if case is not None else None
        if facts is None or not policy.can_see(actor, facts):
            raise NotFound(f"no case {case_id}")
        role = policy.fact_role(actor, facts, "document")
        if role is None:
            raise NotAllowed(f"{actor.username} may not generate documents of case {case_id}")
        row = generate(uow.session, case_id, code, actor.user_id, clock.today, uow.settings.rules)
        uow.history.append(
            NewEvent(
                case_id=case_id,
                at=clock.now,
                user_id=actor.user_id,
                username=actor.username,
                role=str(role),
                action="generate_document",
                from_state=None,
                to_state=None,
                reason=None,
                data={"code": code, "number": row.number, "data_hash": row.data_hash},
                ruleset=uow.settings.rules.version,
            )
        )
        uow.commit()
        return row


def case_generated(
    session: Session, case_id: int, *, doc_id: int | None = None, code: str | None = None
) -> GeneratedDocument | None:
    """A generated document of the case: by id, or the newest of form `code`."""
    query = select(GeneratedDocument).where(GeneratedDocument.case_id == case_id)
    if doc_id is not None:
        query = query.where(GeneratedDocument.id == doc_id)
    if code is not None:
        query = query.where(GeneratedDocument.code == code)
    return session.scalar(query.order_by(GeneratedDocument.id.desc()).limit(1))


@dataclass(frozen=True)
class Verification:
    """What ``/verify/<code>`` may tell anyone about a genuine document, and nothing more."""

    code: str
    title: str
    #: hồ sơ's register number of the document (``5/2026/9-KNĐ``).
    number: str
    #: The number printed on it (the decision's or resolution's), if it has one.
    printed_number: str | None
    issued_on: date
    name: str
    #: Everything the document says is still what the case says (``is_current``).
    current: bool


def normalise_code(raw: str) -> str | None:
    """A verification code as typed (any case, spaces or dashes) in its stored form, or None."""
    code = re.sub(r"[\s-]", "", raw or "").upper()
    return code if _CODE.fullmatch(code) else None


def verify_document(
    session: Session, raw_code: str, settings: RuleSettings = DEFAULT_SETTINGS
) -> Verification | None:
    """The verification of the document carrying `raw_code`; ``None`` when there is none.

    Current when the stored data still hash to the stored hash (the row was not edited) and
    what they say is still true of the case (``still_true``): a later ceremony does not make
    an admission decision outdated, a corrected name or a new vote of the cell does.
    """
    code = normalise_code(raw_code)
    if code is None:
        return None
    row = session.scalar(select(GeneratedDocument).where(GeneratedDocument.verify_code == code))
    if row is None:
        return None
    then = load_data(row.data)
    return Verification(
        code=row.code,
        title=form_title(row.code),
        number=row.number,
        printed_number=printed_number(row),
        issued_on=row.issued_on,
        name=_name_on(session, row, then),
        current=is_current(row, dossier_data(session, row.case_id, settings)),
    )


def _name_on(session: Session, row: GeneratedDocument, data: Mapping[str, Any]) -> str:
    """The candidate's name as the document gives it (else as the case gives it now)."""
    name = lookup(dict(data), "person.full_name")
    if isinstance(name, str):
        return name
    person = select(Person.full_name).join(Case, Case.person_id == Person.id)
    return session.scalar(person.where(Case.id == row.case_id)) or ""


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
    generated: list[GeneratedDocument] = field(default_factory=list)

    @property
    def status(self) -> str:
        """``on_file`` (what the rules look at), else ``generated`` (made, not yet on file as
        signed), else ``missing``."""
        if self.on_file:
            return "on_file"
        return "generated" if self.generated else "missing"


def _applying(
    case: Case, has_doan: bool, settings: RuleSettings, today: date
) -> dict[str, str | None]:
    """The forms that belong to the case now (``documents.registry``), each with the transition
    that requires it on file, if one does."""
    born = case.person.birth_date
    on = case.cell_vote_date or today
    youth = born is not None and full_years(born, on) <= settings.youth_max_age_years
    codes: dict[str, str | None] = dict.fromkeys(forms_for_case(case.state, has_doan, youth))
    required = {
        trigger: required_forms(trigger, has_doan=has_doan, is_youth=youth, settings=settings)
        for trigger in (Trigger.submit_dossier, Trigger.recognize)
    }
    if case.state in _PREPARING:  # they may go on file from the start, for the submission
        codes.update(dict.fromkeys(required[Trigger.submit_dossier]))
    for trigger, needed in required.items():
        for code in needed:
            if code in codes:
                codes[code] = str(trigger)
    return codes


def case_documents(
    session: Session, case_id: int, settings: RuleSettings, today: date
) -> list[FormRow]:
    """The forms of a case that belong to it or are on file, in the dossier's order."""
    case = session.get(Case, case_id)
    if case is None:
        return []
    has_doan = session.scalar(select(Organisation.has_doan).where(Organisation.id == case.cell_id))
    rows: dict[str, FormRow] = {}

    def row(code: str) -> FormRow:
        if code not in rows:
            rows[code] = FormRow(code, form_title(code))
        return rows[code]

    for code, trigger in _applying(case, bool(has_doan), settings, today).items():
        row(code).needed_for = trigger
    for code, dated in session.execute(
        select(DocumentRecord.code, DocumentRecord.dated)
        .where(DocumentRecord.case_id == case_id)
        .order_by(DocumentRecord.dated, DocumentRecord.id)
    ):
        row(code).on_file.append(dated)
    for scan in _scans(session, case_id):
        row(scan.code).scans.append(scan)
    for made in session.scalars(
        select(GeneratedDocument)
        .where(GeneratedDocument.case_id == case_id)
        .order_by(GeneratedDocument.id)
    ):
        row(made.code).generated.append(made)
    order = {code: i for i, code in enumerate(PACKET_ORDER)}
    return [rows[code] for code in sorted(rows, key=lambda c: (order.get(c, len(order)), c))]
