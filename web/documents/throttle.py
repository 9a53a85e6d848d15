"""At most so many misses per key within a window, kept in this process's memory.

Only the public check of a generated document (``/verify/<code>``) uses it: guessing codes is
slowed down per address. (The login's throttle is kept in the database: ``workflow.logins``.)
"""

from __future__ import annotations

import time
from collections import defaultdict, deque
from threading import Lock


class Throttle:
    """At most `limit` failures per key within `window` seconds (kept in this process)."""

    def __init__(self, limit: int, window: int):
        self.limit, self.window = limit, window
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        failures = self._failures[key]
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        return failures

    def blocked(self, *keys: str) -> bool:
        """Whether any of `keys` had `limit` failures within the window."""
        now = time.monotonic()
        with self._lock:
            return any(len(self._recent(k, now)) >= self.limit for k in keys)

    def fail(self, *keys: str) -> None:
        """Count one failure under each of `keys`."""
        now = time.monotonic()
        with self._lock:
            for key in keys:
                self._recent(key, now).append(now)
