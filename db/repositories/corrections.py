"""The corrections repository: proposed corrections of a person's particulars, the one in-place
write of the person's row on approval, and the documents re-issued in place of outdated ones.
No permission check, no event, no commit: ``workflow.services.corrections`` does those.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from db.models import (
    Case,
    DocumentSupersession,
    GeneratedDocument,
    Person,
    PersonCorrection,
    StoredFile,
)
from db.repositories.documents import _stored_file
from db.text import fold
from workflow.corrections import NAMES, Correction, IssuedDocument, Status
from workflow.errors import Conflict
from workflow.facts import Actor
from workflow.fields import parse_date
from workflow.history import canonical_data
from workflow.uploads import Scan


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _typed(name: str, value: Any) -> Any:
    return parse_date(name, value) if name == "birth_date" else value


def _changes(text: str) -> dict[str, tuple[Any, Any]]:
    return {
        name: (_typed(name, old), _typed(name, new))
        for name, (old, new) in json.loads(text).items()
    }


class SqlCorrections:
    """Corrections and supersessions in one session."""

    def __init__(self, session: Session):
        self.session = session

    def _correction(self, row: PersonCorrection) -> Correction:
        sha = None
        if row.evidence_file_id is not None:
            sha = self.session.scalar(
                select(StoredFile.sha256).where(StoredFile.id == row.evidence_file_id)
            )
        return Correction(
            id=row.id,
            person_id=row.person_id,
            case_id=row.case_id,
            status=Status(row.status),
            changes=_changes(row.changes),
            reason=row.reason,
            proposed_on=row.proposed_on,
            proposed_by=row.proposed_by,
            evidence_text=row.evidence_text,
            evidence_sha256=sha,
            evidence_name=row.evidence_name,
            decided_on=row.decided_on,
            decided_by=row.decided_by,
            answer=row.answer,
            version=row.version,
        )

    def particulars(self, person_id: int) -> dict[str, Any]:
        """The person's correctable particulars now."""
        person = self.session.get(Person, person_id, populate_existing=True)
        if person is None:
            raise LookupError(f"no person {person_id}")
        return {name: getattr(person, name, None) for name in NAMES}

    def get(self, correction_id: int, *, for_update: bool = False) -> Correction | None:
        query = select(PersonCorrection).where(PersonCorrection.id == correction_id)
        if for_update:
            query = query.with_for_update()
        row = self.session.scalar(query.execution_options(populate_existing=True))
        return self._correction(row) if row is not None else None

    def pending_for(self, person_id: int) -> Correction | None:
        """The person's correction awaiting the committee, if any."""
        row = self.session.scalar(
            select(PersonCorrection).where(
                PersonCorrection.person_id == person_id,
                PersonCorrection.status == Status.proposed.value,
            )
        )
        return self._correction(row) if row is not None else None

    def add(
        self,
        case_id: int,
        person_id: int,
        changes: dict[str, tuple[Any, Any]],
        reason: str,
        evidence_text: str | None,
        scan: Scan | None,
        actor: Actor,
        on: date,
    ) -> Correction:
        file_id = None
        if scan is not None:
            file_id = _stored_file(
                self.session, scan.sha256, scan.size, scan.media_type, actor.user_id
            )
        row = PersonCorrection(
            person_id=person_id,
            case_id=case_id,
            status=Status.proposed.value,
            changes=canonical_data(
                {name: [_plain(old), _plain(new)] for name, (old, new) in changes.items()}
            ),
            reason=reason,
            evidence_text=evidence_text,
            evidence_file_id=file_id,
            evidence_name=scan.name if scan is not None else None,
            proposed_on=on,
            proposed_by=actor.user_id,
            version=1,
        )
        self.session.add(row)
        self.session.flush()
        return self._correction(row)

    def decide(
        self, correction: Correction, status: Status, actor: Actor, on: date, answer: str | None
    ) -> Correction:
        """Record the committee's decision; one decided meanwhile raises Conflict."""
        done = self.session.execute(
            update(PersonCorrection)
            .where(
                PersonCorrection.id == correction.id,
                PersonCorrection.status == Status.proposed.value,
                PersonCorrection.version == correction.version,
            )
            .values(
                status=status.value,
                decided_on=on,
                decided_by=actor.user_id,
                answer=answer,
                version=PersonCorrection.version + 1,
            )
            .execution_options(synchronize_session=False)
        )
        if done.rowcount != 1:
            raise Conflict(f"correction {correction.id} was decided meanwhile; reload")
        found = self.get(correction.id)
        assert found is not None
        return found

    def apply(self, person_id: int, changes: dict[str, tuple[Any, Any]]) -> None:
        """Write the new values on the person's row (the only in-place change, on approval)."""
        values = {name: new for name, (_old, new) in changes.items()}
        if "full_name" in values:
            values["search_name"] = fold(values["full_name"])
        self.session.execute(
            update(Person)
            .where(Person.id == person_id)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        self.session.flush()
        self.session.expire_all()

    def issued(self, person_id: int) -> list[IssuedDocument]:
        """The generated documents of the person's cases still in force (not superseded)."""
        replaced = select(DocumentSupersession.document_id)
        rows = self.session.execute(
            select(GeneratedDocument)
            .join(Case, Case.id == GeneratedDocument.case_id)
            .where(Case.person_id == person_id, GeneratedDocument.id.not_in(replaced))
            .order_by(GeneratedDocument.id)
        ).scalars()
        return [
            IssuedDocument(r.id, r.case_id, r.code, r.number, r.data, r.data_hash) for r in rows
        ]

    def supersede(self, old_id: int, new_id: int, correction_id: int, on: date) -> None:
        """Record that document `new_id` replaces `old_id`."""
        self.session.add(
            DocumentSupersession(
                document_id=old_id,
                superseded_by_id=new_id,
                correction_id=correction_id,
                superseded_on=on,
            )
        )
        self.session.flush()

    def superseded_by(self, document_id: int) -> str | None:
        """The number of the newest document replacing `document_id`, following the chain."""
        number = None
        seen: set[int] = set()
        current = document_id
        while current not in seen:
            seen.add(current)
            row = self.session.execute(
                select(GeneratedDocument.id, GeneratedDocument.number)
                .join(
                    DocumentSupersession,
                    DocumentSupersession.superseded_by_id == GeneratedDocument.id,
                )
                .where(DocumentSupersession.document_id == current)
            ).first()
            if row is None:
                break
            current, number = row
        return number
