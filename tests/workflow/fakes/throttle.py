"""An in-memory fake of the MissRepository port: the misses as a list."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from workflow.logins import Failures


class FakeMisses:
    """The misses recorded, as (kind, key, at)."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, str, datetime]] = []

    def snapshot(self) -> Any:
        return list(self.rows)

    def restore(self, saved: Any) -> None:
        self.rows = list(saved)

    def tally(self, kind: str, key: str, since: datetime) -> Failures:
        mine = [at for k, key_, at in self.rows if (k, key_) == (kind, key) and at >= since]
        return Failures(len(mine), max(mine, default=None))

    def record(self, kind: str, key: str, at: datetime) -> None:
        self.rows.append((kind, key, at))

    def prune(self, kind: str, before: datetime) -> int:
        kept = [row for row in self.rows if row[0] != kind or row[2] >= before]
        pruned, self.rows = len(self.rows) - len(kept), kept
        return pruned
