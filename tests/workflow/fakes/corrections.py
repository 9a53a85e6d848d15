"""The CorrectionRepository port in memory: the fake cases' people, their corrections, and the
fake documents a correction supersedes."""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from datetime import date
from typing import Any

from tests.workflow.fakes.cases import FakeCases
from tests.workflow.fakes.documents import FakeDocuments
from workflow.corrections import NAMES, Correction, IssuedDocument, Status
from workflow.errors import Conflict
from workflow.facts import Actor
from workflow.uploads import Scan

#: The particulars a fake case keeps on itself (the others live in ``FakeCorrections.people``).
_ON_CASE = ("full_name", "birth_date", "id_number")


class FakeCorrections:
    """Corrections by id; people's particulars by person id, seeded from the fake cases."""

    def __init__(self, cases: FakeCases, documents: FakeDocuments) -> None:
        self.cases = cases
        self.documents = documents
        self.people: dict[int, dict[str, Any]] = {}
        self.items: dict[int, Correction] = {}
        #: Old generated form id → (new form id, correction id).
        self.superseded: dict[int, tuple[int, int]] = {}
        self.scans: list[Scan] = []

    def snapshot(self) -> Any:
        return copy.deepcopy((self.people, self.items, self.superseded))

    def restore(self, saved: Any) -> None:
        self.people, self.items, self.superseded = saved

    def particulars(self, person_id: int) -> dict[str, Any]:
        if person_id not in self.people:
            case = next(c for c in self.cases.items.values() if c.person_id == person_id)
            self.people[person_id] = {
                name: getattr(case, name) if name in _ON_CASE else None for name in NAMES
            }
        return dict(self.people[person_id])

    def get(self, correction_id: int, *, for_update: bool = False) -> Correction | None:
        return self.items.get(correction_id)

    def pending_for(self, person_id: int) -> Correction | None:
        return next(
            (
                c
                for c in self.items.values()
                if c.person_id == person_id and c.status == Status.proposed
            ),
            None,
        )

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
        if scan is not None:
            self.scans.append(scan)
        c = Correction(
            len(self.items) + 1,
            person_id,
            case_id,
            Status.proposed,
            dict(changes),
            reason,
            on,
            actor.user_id,
            evidence_text=evidence_text,
            evidence_sha256=scan.sha256 if scan else None,
            evidence_name=scan.name if scan else None,
        )
        self.items[c.id] = c
        return c

    def decide(
        self, correction: Correction, status: Status, actor: Actor, on: date, answer: str | None
    ) -> Correction:
        stored = self.items[correction.id]
        if stored.status != Status.proposed or stored.version != correction.version:
            raise Conflict("decided meanwhile")
        decided = replace(
            stored,
            status=status,
            decided_on=on,
            decided_by=actor.user_id,
            answer=answer,
            version=stored.version + 1,
        )
        self.items[correction.id] = decided
        return decided

    def apply(self, person_id: int, changes: dict[str, tuple[Any, Any]]) -> None:
        person = self.people.setdefault(person_id, self.particulars(person_id))
        for name, (_old, new) in changes.items():
            person[name] = new
        for case in self.cases.items.values():
            if case.person_id != person_id:
                continue
            for name in _ON_CASE:
                setattr(case, name, person[name])
            dossier = self.documents.dossiers.get(case.id)
            if dossier is not None:
                plain = {k: v.isoformat() if isinstance(v, date) else v for k, v in person.items()}
                self.documents.dossiers[case.id] = {**dossier, "person": plain}

    def issued(self, person_id: int) -> list[IssuedDocument]:
        mine = {c.id for c in self.cases.items.values() if c.person_id == person_id}
        return [
            IssuedDocument(
                form.id,
                case_id,
                form.code,
                form.number,
                self.documents.kept[form.id].data,
                form.data_hash,
            )
            for case_id, form in self.documents.generated
            if case_id in mine and form.id not in self.superseded
        ]

    def supersede(self, old_id: int, new_id: int, correction_id: int, on: date) -> None:
        self.superseded[old_id] = (new_id, correction_id)

    def superseded_by(self, document_id: int) -> str | None:
        number = None
        while document_id in self.superseded:
            document_id = self.superseded[document_id][0]
            number = next(f.number for _, f in self.documents.generated if f.id == document_id)
        return number


def dossier_of(person: dict[str, Any]) -> dict[str, Any]:
    """A case's data as the fake documents keep them: only the person's particulars."""
    return json.loads(json.dumps({"person": person}, default=str))
