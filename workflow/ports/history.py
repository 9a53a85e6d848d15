"""The history port: the only way any use case writes an event."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol


@dataclass(frozen=True)
class NewEvent:
    """A history event about to be appended; storage adds the id and the digests.

    Build one with ``workflow.events.new_event``.
    """

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


@dataclass(frozen=True)
class Appended:
    """Where an appended event landed in the chain."""

    id: int
    digest: str


class History(Protocol):
    """The hash-chained history: append one event, or many in one pass (imports, certificates)."""

    def append(self, event: NewEvent) -> Appended: ...

    def append_many(self, events: Sequence[NewEvent]) -> list[Appended]: ...

    def save_check(self, checkpoint: ChainCheckpoint) -> None:
        """Keep `checkpoint` as the last verification (replacing the one before)."""
        ...


@dataclass(frozen=True)
class ChainCheckpoint:
    """The last verification of the chain, shared by every process: the point it reached (last
    event id, digest, count), when, how long it took, and what it found (``result``: the chain's
    problem and the replay's differences, plain JSON values)."""

    last_id: int
    count: int
    digest: str
    at: datetime
    seconds: float
    result: dict[str, Any]
