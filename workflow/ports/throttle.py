"""What the throttle of public lookups needs from storage: the misses, kept centrally."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from workflow.logins import Failures


class MissRepository(Protocol):
    """Misses (an unknown code asked for...) by kind and key, shared by every worker and host."""

    def tally(self, kind: str, key: str, since: datetime) -> Failures:
        """How many misses of `kind` under `key` since `since`, and the last one's moment."""
        ...

    def record(self, kind: str, key: str, at: datetime) -> None: ...

    def prune(self, kind: str, before: datetime) -> int:
        """Drop the misses of `kind` older than `before`; how many."""
        ...
