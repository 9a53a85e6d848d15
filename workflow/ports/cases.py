"""What the case use cases need from storage: the case repository."""

from __future__ import annotations

from datetime import date
from typing import Any, Protocol

from workflow.facts import Actor, CaseFacts, MemberFacts


class CaseRecord(Protocol):
    """A stored case: the machine reads and sets ``state``."""

    id: int
    state: str
    version: int


class CaseRepository(Protocol):
    def get(self, case_id: int, *, for_update: bool = False) -> CaseRecord | None: ...

    def facts(self, case: CaseRecord, action: str | None = None) -> CaseFacts:
        """What the rules judge; `action` lets storage skip what that action's rules don't read."""
        ...

    def prospective_facts(self, fields: dict[str, Any]) -> CaseFacts | None: ...

    def member(self, member_id: int) -> MemberFacts | None: ...

    def create(self, fields: dict[str, Any], actor: Actor, today: date) -> CaseRecord: ...

    def apply(
        self, case: CaseRecord, action: str, fields: dict[str, Any], actor: Actor, today: date
    ) -> None: ...
