"""What the document use cases need from storage: generated forms, their numbers and codes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from workflow.uploads import Scan


@dataclass(frozen=True)
class GeneratedForm:
    """A form generated from a case's data: its printed number, data hash and verification code."""

    id: int
    code: str
    number: str
    data_hash: str
    verify_code: str


@dataclass(frozen=True)
class StoredForm:
    """A generated form as stored, for its verification: the data it was made from, as text."""

    id: int
    case_id: int
    code: str
    #: The form's title (``documents.registry``), and the number printed on it, if any.
    title: str
    printed_number: str | None
    number: str
    issued_on: date
    data: str
    data_hash: str
    verify_code: str
    #: The register number of the newest copy of the same form of the case generated after
    #: this one, if any (the form was generated again: this copy is no longer the one in force).
    replaced_by: str | None = None


@dataclass(frozen=True)
class ScanOnFile:
    """The signed scan of a form on file, as its replacement needs it."""

    id: int
    code: str
    sha256: str
    name: str


class DocumentRepository(Protocol):
    def generate(self, case_id: int, code: str, user_id: int, today: date) -> GeneratedForm:
        """Number form `code` of the case in the day's year, freeze its data now, and store it."""
        ...

    def find(self, verify_code: str) -> StoredForm | None:
        """The generated form carrying `verify_code` (in its stored form), if any."""
        ...

    def dossier(self, case_id: int) -> dict[str, Any]:
        """The case's data now, as its forms draw on them; ``LookupError`` if there is no case."""
        ...

    def attach_scan(self, record_id: int, scan: Scan, user_id: int) -> None:
        """Link `scan` (its bytes already in the blob store) to the form on file `record_id`."""
        ...

    def scan_on_file(self, case_id: int, scan_id: int) -> ScanOnFile | None:
        """Scan `scan_id` of a form on file of case `case_id`, if there is one."""
        ...

    def replace_scan(self, scan_id: int, scan: Scan, user_id: int) -> None:
        """Make `scan` (its bytes already in the blob store) the current scan of the form on
        file that scan `scan_id` belongs to; the old blob stays stored (named by its hash)."""
        ...
