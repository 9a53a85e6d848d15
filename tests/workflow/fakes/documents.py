"""The DocumentRepository port in memory: forms numbered per code and year as storage numbers
them, the case's data as a dict the test sets, and the scans linked to forms on file."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from workflow.documents import CODE_ALPHABET, data_hash
from workflow.ports.documents import GeneratedForm, ScanOnFile, StoredForm
from workflow.uploads import Scan


def _verify_code(n: int) -> str:
    """A well-formed verification code for the `n`-th form (``FAKEAAAAAB``...)."""
    digits = ""
    for _ in range(6):
        n, digit = divmod(n, len(CODE_ALPHABET))
        digits = CODE_ALPHABET[digit] + digits
    return "FAKE" + digits


@dataclass(frozen=True)
class FakeGenerated:
    """What the fake keeps of a generated form besides the port's answer."""

    case_id: int
    issued_on: date
    data: str
    user_id: int


class FakeDocuments:
    """Generated forms as ``(case_id, GeneratedForm)`` in order; dossiers by case id."""

    def __init__(self, dossiers: dict[int, dict[str, Any]] | None = None) -> None:
        self.generated: list[tuple[int, GeneratedForm]] = []
        self.kept: dict[int, FakeGenerated] = {}
        #: The case's data now, as ``dossier`` answers (a case absent here does not exist).
        self.dossiers: dict[int, dict[str, Any]] = dossiers if dossiers is not None else {}
        self.scans: list[tuple[int, Scan, int]] = []
        #: Scans of forms on file by scan id, and the case each belongs to (``replace_scan``).
        self.on_file: dict[int, ScanOnFile] = {}
        self.scan_case: dict[int, int] = {}

    def generate(self, case_id: int, code: str, user_id: int, today: date) -> GeneratedForm:
        """Number `code` in `today`'s year and freeze the case's data (``{}`` if none set)."""
        seq = 1 + sum(
            1
            for _, g in self.generated
            if g.code == code and self.kept[g.id].issued_on.year == today.year
        )
        text = json.dumps(self.dossiers.get(case_id, {}), sort_keys=True, ensure_ascii=False)
        form_id = len(self.generated) + 1
        form = GeneratedForm(
            form_id, code, f"{seq}/{today.year}/{code}", data_hash(text), _verify_code(form_id)
        )
        self.generated.append((case_id, form))
        self.kept[form_id] = FakeGenerated(case_id, today, text, user_id)
        return form

    def find(self, verify_code: str) -> StoredForm | None:
        for case_id, form in self.generated:
            if form.verify_code == verify_code:
                kept = self.kept[form.id]
                newer = [
                    f.number
                    for c, f in self.generated
                    if c == case_id and f.code == form.code and f.id > form.id
                ]
                return StoredForm(
                    form.id,
                    case_id,
                    form.code,
                    f"Mẫu {form.code}",
                    None,
                    form.number,
                    kept.issued_on,
                    kept.data,
                    form.data_hash,
                    form.verify_code,
                    newer[-1] if newer else None,
                )
        return None

    def dossier(self, case_id: int) -> dict[str, Any]:
        if case_id not in self.dossiers:
            raise LookupError(f"no case {case_id}")
        return self.dossiers[case_id]

    def attach_scan(self, record_id: int, scan: Scan, user_id: int) -> None:
        self.scans.append((record_id, scan, user_id))

    def scan_on_file(self, case_id: int, scan_id: int) -> ScanOnFile | None:
        found = self.on_file.get(scan_id)
        return found if found is not None and self.scan_case.get(scan_id) == case_id else None

    def replace_scan(self, scan_id: int, scan: Scan, user_id: int) -> None:
        old = self.on_file[scan_id]
        self.on_file[scan_id] = ScanOnFile(scan_id, old.code, scan.sha256, scan.name)
