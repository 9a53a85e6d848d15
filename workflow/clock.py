"""When a use case happens: the UTC moment events record and the local date rules count."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from workflow.dates import LOCAL_ZONE


@dataclass(frozen=True)
class Clock:
    """A moment: ``now`` in UTC for the history, ``today`` in Việt Nam for the rules."""

    now: datetime

    @classmethod
    def system(cls) -> Clock:
        return cls(datetime.now(UTC))

    @classmethod
    def at(cls, day: date, hour: int = 9) -> Clock:
        """Local `hour` o'clock on `day` (the demo and imports replay dated steps)."""
        return cls(datetime(day.year, day.month, day.day, hour, tzinfo=LOCAL_ZONE).astimezone(UTC))

    @property
    def today(self) -> date:
        return self.now.astimezone(LOCAL_ZONE).date()
