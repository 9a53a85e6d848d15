"""The queries behind the corrections pages: a case's corrections, and those awaiting the
committee, filtered by the one scope rule."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Case, Organisation, Person, PersonCorrection, StoredFile
from db.read.scope import scope_clause
from workflow import policy
from workflow.corrections import Status
from workflow.facts import Actor
from workflow.policy import Purpose


@dataclass(frozen=True)
class CorrectionRow:
    """A correction as its pages show it: each changed field's value before and after."""

    id: int
    case_id: int
    name: str
    cell: str
    status: Status
    changes: list[tuple[str, Any, Any]]
    reason: str
    evidence_text: str | None
    evidence_name: str | None
    evidence_sha256: str | None
    proposed_on: date
    decided_on: date | None
    answer: str | None
    version: int


def _query():
    return (
        select(PersonCorrection, Person.full_name, Organisation.name, StoredFile.sha256)
        .join(Case, Case.id == PersonCorrection.case_id)
        .join(Person, Person.id == PersonCorrection.person_id)
        .join(Organisation, Organisation.id == Case.cell_id)
        .outerjoin(StoredFile, StoredFile.id == PersonCorrection.evidence_file_id)
    )


def _row(c: PersonCorrection, name: str, cell: str, sha: str | None) -> CorrectionRow:
    changes = [(field, old, new) for field, (old, new) in json.loads(c.changes).items()]
    return CorrectionRow(
        c.id,
        c.case_id,
        name,
        cell,
        Status(c.status),
        changes,
        c.reason,
        c.evidence_text,
        c.evidence_name,
        sha,
        c.proposed_on,
        c.decided_on,
        c.answer,
        c.version,
    )


def of_case(session: Session, case_id: int) -> list[CorrectionRow]:
    """The corrections proposed on a case, newest first (the case page checked the scope)."""
    query = _query().where(PersonCorrection.case_id == case_id)
    return [_row(*r) for r in session.execute(query.order_by(PersonCorrection.id.desc()))]


def awaiting(session: Session, actor: Actor) -> list[CorrectionRow]:
    """The corrections awaiting the committee, of the cells its scope covers, oldest first."""
    scope = policy.scope(actor, Purpose.decide)
    query = _query().where(
        PersonCorrection.status == Status.proposed.value,
        scope_clause(scope, Organisation.path),
    )
    return [_row(*r) for r in session.execute(query.order_by(PersonCorrection.id))]


def one(session: Session, correction_id: int) -> CorrectionRow | None:
    """One correction (the use case checked the scope)."""
    found = session.execute(_query().where(PersonCorrection.id == correction_id)).first()
    return _row(*found) if found is not None else None
