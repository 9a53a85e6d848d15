"""What the use cases need from storage, as protocols; ``db`` implements them, tests fake them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from workflow.facts import Actor, CaseFacts, MemberFacts


class CaseRecord(Protocol):
    """A stored case: the machine reads and sets ``state``."""

    id: int
    state: str
    version: int


@dataclass(frozen=True)
class NewEvent:
    """A history event about to be appended; storage adds the id and the digests."""

    case_id: int | None
    at: datetime
    user_id: int
    username: str
    role: str
    action: str
    from_state: str | None
    to_state: str | None
    reason: str | None
    data: dict[str, Any]
    ruleset: str
    #: For administrative events (no case): the organisation concerned.
    organisation_id: int | None = None


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


class History(Protocol):
    def append(self, event: NewEvent) -> None: ...


class UnitOfWork(Protocol):
    """One use case's transaction: nothing is kept unless ``commit`` is called."""

    cases: CaseRepository
    history: History

    def __enter__(self) -> UnitOfWork: ...

    def __exit__(self, *exc: object) -> None: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...
