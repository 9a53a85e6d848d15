"""What the correction use cases need from storage: the person's particulars, the corrections,
and the generated documents a correction may outdate."""

from __future__ import annotations

from datetime import date
from typing import Any, Protocol

from workflow.corrections import Correction, IssuedDocument, Status
from workflow.facts import Actor
from workflow.uploads import Scan


class CorrectionRepository(Protocol):
    """Where corrections are kept (``db.repositories.corrections.SqlCorrections``; a fake)."""

    def particulars(self, person_id: int) -> dict[str, Any]:
        """The person's correctable particulars now (``workflow.corrections.NAMES``)."""
        ...

    def get(self, correction_id: int, *, for_update: bool = False) -> Correction | None: ...

    def pending_for(self, person_id: int) -> Correction | None:
        """The person's correction awaiting the committee, if any."""
        ...

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
    ) -> Correction: ...

    def decide(
        self, correction: Correction, status: Status, actor: Actor, on: date, answer: str | None
    ) -> Correction:
        """Record the committee's decision; one decided meanwhile raises Conflict."""
        ...

    def apply(self, person_id: int, changes: dict[str, tuple[Any, Any]]) -> None:
        """Write the new values on the person's row (the only in-place change, on approval)."""
        ...

    def issued(self, person_id: int) -> list[IssuedDocument]:
        """The generated documents of the person's cases still in force (not superseded)."""
        ...

    def supersede(self, old_id: int, new_id: int, correction_id: int, on: date) -> None:
        """Record that document `new_id` replaces `old_id`."""
        ...

    def superseded_by(self, document_id: int) -> str | None:
        """The number of the newest document replacing `document_id`, if it was replaced."""
        ...
