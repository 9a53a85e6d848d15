"""What the case use cases need from storage: the case repository."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, Protocol

from workflow.effects import Effect
from workflow.facts import Actor, CaseFacts, CellRoll, MemberFacts


class CaseRecord(Protocol):
    """A stored case, as loaded for one use case: the machine reads and sets ``state``, and
    ``record`` writes it back (stepping ``version``)."""

    id: int
    state: str
    version: int


class CaseRepository(Protocol):
    def get(self, case_id: int, *, for_update: bool = False) -> CaseRecord | None:
        """The case (its row locked until the unit of work ends if `for_update`), or None."""
        ...

    def facts(self, case: CaseRecord, action: str | None = None) -> CaseFacts:
        """What the rules judge; `action` lets storage skip what that action's rules don't read."""
        ...

    def prospective_facts(self, fields: dict[str, Any]) -> CaseFacts | None: ...

    def member(self, member_id: int) -> MemberFacts | None: ...

    def cell_roll(self, cell_id: int, on: date) -> CellRoll:
        """The cell's official members on `on` counted for its votes (a member on temporary
        attachment counts at the home cell only), and how many of them are exempted from
        activity: the one place that count is made."""
        ...

    def create(self, fields: dict[str, Any], actor: Actor, today: date) -> CaseRecord: ...

    def record(
        self, case: CaseRecord, effects: Sequence[Effect], actor: Actor, today: date
    ) -> None:
        """Store an action's effects and the case (its state set by the machine), stepping its
        version; ``Conflict`` if the case changed since it was loaded."""
        ...
