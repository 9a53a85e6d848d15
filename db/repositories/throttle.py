"""The misses of public lookups (the MissRepository port): in ``throttle_misses``, so that every
worker and host judges a client alike. No commit: the use case does it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from db.models.throttle import ThrottleMiss
from db.repositories.logins import _utc
from workflow.logins import Failures


class SqlMisses:
    """The MissRepository port on a session."""

    def __init__(self, session: Session):
        self.session = session

    def tally(self, kind: str, key: str, since: datetime) -> Failures:
        count, last = self.session.execute(
            select(func.count(ThrottleMiss.id), func.max(ThrottleMiss.at)).where(
                ThrottleMiss.kind == kind, ThrottleMiss.key == key, ThrottleMiss.at >= since
            )
        ).one()
        return Failures(count, _utc(last))

    def record(self, kind: str, key: str, at: datetime) -> None:
        self.session.add(ThrottleMiss(kind=kind, key=key, at=at))
        self.session.flush()

    def prune(self, kind: str, before: datetime) -> int:
        return self.session.execute(
            delete(ThrottleMiss).where(ThrottleMiss.kind == kind, ThrottleMiss.at < before)
        ).rowcount
