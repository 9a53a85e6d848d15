"""The chain verification, kept for a short while: it walks every event of the database."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from threading import Lock

from flask import current_app
from flask_babel import lazy_gettext as _l

from db.read.history import verify
from web.context import runtime
from workflow.history import ChainReport

#: Once walked, the result is shown for this long (seconds) before it is "not checked recently".
SHOW_FOR = 10 * 60
#: A new walk is not started within this many seconds of the last one: it is reused.
MIN_INTERVAL = 5

#: The walk's reasons (``workflow.history.verify_chain``), in words for the page.
REASONS = {
    "out of order": _l("it is out of order"),
    "does not link to the event before it (one was deleted or inserted)": _l(
        "it does not link to the event before it: an event was deleted or inserted"
    ),
    "content does not match its digest (edited)": _l(
        "its content does not match its digest: it was edited"
    ),
    "the last event is not the recorded head (events removed from the end)": _l(
        "the last event is not the recorded head: events were removed from the end"
    ),
    "the chain head record is missing": _l("the record of the chain's head is missing"),
}


@dataclass(frozen=True)
class ChainCheck:
    """One walk of the chain: what it found, when, and how long it took."""

    report: ChainReport
    at: datetime
    seconds: float

    def age(self) -> float:
        return (datetime.now(UTC) - self.at).total_seconds()

    @property
    def reason(self) -> str:
        problem = self.report.problem
        if problem is None:
            return ""
        return str(REASONS.get(problem.reason, problem.reason))


class ChainChecks:
    """The last walk of this process; one walk at a time (others wait and share its result)."""

    def __init__(self) -> None:
        self.last: ChainCheck | None = None
        self._lock = Lock()

    def recent(self) -> ChainCheck | None:
        """The last result if it is still fresh enough to show."""
        last = self.last
        return last if last is not None and last.age() < SHOW_FOR else None

    def run(self) -> ChainCheck:
        """Walk the chain now (or reuse a walk that finished a moment ago)."""
        with self._lock:
            last = self.last
            min_interval = current_app.config.get("AUDIT_VERIFY_MIN_INTERVAL", MIN_INTERVAL)
            if last is not None and last.age() < min_interval:
                return last
            started = time.perf_counter()
            report = verify(runtime().engine)
            self.last = ChainCheck(report, datetime.now(UTC), time.perf_counter() - started)
            return self.last


def checks() -> ChainChecks:
    """This app's chain checks (made on first use)."""
    return current_app.extensions.setdefault("hoso_chain_checks", ChainChecks())
