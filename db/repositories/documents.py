"""The documents repository: numbered, verifiable forms made from a case's data, and the links
from the forms on file to their scans' blobs. No permission check, no event, no commit: the use
cases (``workflow.services.documents``, ``workflow.services.cases``) do those.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from db.models import ChainHead, DocumentRecord, DocumentScan, GeneratedDocument, StoredFile
from db.read.dossier import dossier_data
from documents.context import form_context
from documents.errors import DocumentError
from documents.registry import FORMS
from workflow.documents import data_hash, load_data, new_verify_code
from workflow.facts import Actor
from workflow.history import canonical_data
from workflow.ports.documents import GeneratedForm, ScanOnFile, StoredForm
from workflow.settings import DEFAULT_SETTINGS, RuleSettings
from workflow.uploads import Scan


class SqlDocuments:
    """Generated forms and scans in one session."""

    def __init__(self, session: Session, settings: RuleSettings = DEFAULT_SETTINGS):
        self.session = session
        self.settings = settings

    # --- generated forms ----------------------------------------------------------------------

    def generate(self, case_id: int, code: str, user_id: int, today: date) -> GeneratedForm:
        """Number form `code` of the case in the day's year, freeze its data now, and store it."""
        # Numbers are handed out under the chain head's lock, which the event's append takes
        # anyway: two generations at once queue instead of drawing the same number.
        self.session.execute(select(ChainHead.id).where(ChainHead.id == 1).with_for_update())
        text = canonical_data(dossier_data(self.session, case_id, self.settings))
        last = self.session.scalar(
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
            verify_code=self._unused_verify_code(),
        )
        self.session.add(row)
        self.session.flush()
        return GeneratedForm(row.id, row.code, row.number, row.data_hash, row.verify_code)

    def _unused_verify_code(self) -> str:
        while True:
            code = new_verify_code()
            taken = select(GeneratedDocument.id).where(GeneratedDocument.verify_code == code)
            if self.session.scalar(taken) is None:
                return code

    def find(self, verify_code: str) -> StoredForm | None:
        """The generated form carrying `verify_code` (in its stored form), if any."""
        row = self.session.scalar(
            select(GeneratedDocument).where(GeneratedDocument.verify_code == verify_code)
        )
        if row is None:
            return None
        form = FORMS.get(row.code)
        # A copy of the same form generated after this one (the decision re-issued).
        newer = self.session.scalar(
            select(GeneratedDocument.number)
            .where(
                GeneratedDocument.case_id == row.case_id,
                GeneratedDocument.code == row.code,
                GeneratedDocument.id > row.id,
            )
            .order_by(GeneratedDocument.id.desc())
            .limit(1)
        )
        return StoredForm(
            id=row.id,
            case_id=row.case_id,
            code=row.code,
            title=form.title if form is not None else row.code,
            printed_number=printed_number(row.code, row.data, row.issued_on),
            number=row.number,
            issued_on=row.issued_on,
            data=row.data,
            data_hash=row.data_hash,
            verify_code=row.verify_code,
            replaced_by=newer,
        )

    def dossier(self, case_id: int) -> dict[str, Any]:
        """The case's data now, as its forms draw on them; ``LookupError`` if there is no case."""
        return dossier_data(self.session, case_id, self.settings)

    # --- scans ----------------------------------------------------------------------------------

    def attach_scan(self, record_id: int, scan: Scan, user_id: int) -> None:
        """Link the scan `scan` (its bytes already in the blob store) to document record
        `record_id`, through its blob's row (made by the first upload of these bytes)."""
        file_id = _stored_file(self.session, scan.sha256, scan.size, scan.media_type, user_id)
        self.session.add(DocumentScan(document_id=record_id, file_id=file_id, name=scan.name))

    def scan_on_file(self, case_id: int, scan_id: int) -> ScanOnFile | None:
        """Scan `scan_id` of a form on file of case `case_id`, if there is one."""
        row = self.session.execute(
            select(DocumentScan.id, DocumentRecord.code, StoredFile.sha256, DocumentScan.name)
            .join(DocumentRecord, DocumentRecord.id == DocumentScan.document_id)
            .join(StoredFile, StoredFile.id == DocumentScan.file_id)
            .where(DocumentScan.id == scan_id, DocumentRecord.case_id == case_id)
        ).first()
        return ScanOnFile(*row) if row is not None else None

    def replace_scan(self, scan_id: int, scan: Scan, user_id: int) -> None:
        """Point the scan's row at the new blob: the form on file keeps its date and number,
        the old blob stays stored (the ``replace_scan`` event names it for the auditors)."""
        file_id = _stored_file(self.session, scan.sha256, scan.size, scan.media_type, user_id)
        row = self.session.get(DocumentScan, scan_id)
        row.file_id, row.name = file_id, scan.name
        self.session.flush()


def printed_number(code: str, data: str, issued_on: date) -> str | None:
    """The number a generated form carries on paper (a decision's or resolution's), if any."""
    try:
        context = form_context(code, load_data(data), issued_on=issued_on)
    except DocumentError:
        return None
    return (context.get("paper") or {}).get("number")


def _stored_file(session: Session, sha256: str, size: int, media_type: str, user_id: int) -> int:
    """The id of the blob's row, inserted by the first upload of these bytes (a concurrent twin
    inserts nothing: the same bytes are the same row)."""
    insert = (postgresql if session.get_bind().dialect.name == "postgresql" else sqlite).insert
    session.connection().execute(
        insert(StoredFile)
        .values(
            sha256=sha256,
            size=size,
            media_type=media_type,
            created_at=datetime.now(UTC),
            created_by=user_id,
        )
        .on_conflict_do_nothing(index_elements=["sha256"])
    )
    return session.scalar(select(StoredFile.id).where(StoredFile.sha256 == sha256))


def attach_scan(
    session: Session, record: DocumentRecord, fields: Mapping[str, Any], actor: Actor
) -> None:
    """Link a form put on file by an upload (`fields`: ``file_sha256``, ``file_size``,
    ``file_type``, ``file_name``) to its blob's row; `record` need not be flushed yet.

    What the case repository calls while it stores a ``FileDocument`` effect (the record has no
    id yet there: flushing would step the case's version a second time).
    """
    sha256 = fields["file_sha256"]
    file_id = _stored_file(session, sha256, fields["file_size"], fields["file_type"], actor.user_id)
    session.add(DocumentScan(document=record, file_id=file_id, name=fields["file_name"]))
