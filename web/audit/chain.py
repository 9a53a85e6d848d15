"""The chain verification and the replay of every case, kept in the database for a while.

The last check is stored (``chain_checks``, through ``workflow.services.audit``), so that every
worker and host shows it and a new check walks only the events appended since, and replays only
the buckets of cases whose rows changed or that have new events (``db.read.replay``: the others
keep the differences the stored check found). ``check_now`` is Flask-free: ``hoso audit verify``
runs the same check over the whole chain and replays every case.

The page never walks the chain itself: a check is the ``check_chain`` task (``web.tasks``), queued
with the lock ``chain-check`` (one waits at a time) for ``hoso worker`` on PostgreSQL, run at
once in the request on SQLite. While it runs the page shows the last stored check (202) and
asks ``/audit/verify/status`` until the new one is stored (docs/history.md).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from threading import Lock

from flask import current_app
from flask_babel import lazy_gettext as _l

from db import tasks as queue
from db.read import replay as replaying
from db.read.audit_log import last_check_summary
from db.read.history import last_check, verify
from db.read.replay import buckets_from_json, replay_cases, replay_changed
from db.runtime import Runtime
from web.context import runtime
from web.task_handlers import CHECK_CHAIN
from web.tasks import app_tasks
from workflow.history import ChainProblem, ChainReport
from workflow.ports.history import ChainCheckpoint
from workflow.replay import Difference
from workflow.services.audit import record_chain_check

#: Once walked, the result is shown for this long (seconds) before it is "not checked recently".
SHOW_FOR = 10 * 60
#: A new walk is not started within this many seconds of the last one: it is reused.
MIN_INTERVAL = 5
#: The check task's queueing lock: while one check waits in the queue, asking again adds none.
LOCK = "chain-check"

log = logging.getLogger(__name__)

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
class ReplayResult:
    """The case rows compared with their events: how many, how many differences, the first ones."""

    cases: int
    count: int
    differences: tuple[Difference, ...] = ()
    #: How many cases this check replayed (all of them, or those of the buckets that changed).
    replayed: int | None = None

    @property
    def consistent(self) -> bool:
        return self.count == 0


@dataclass(frozen=True)
class ChainCheck:
    """One check: what the chain's walk found, the replay's differences, when, how long."""

    report: ChainReport
    at: datetime
    seconds: float
    replay: ReplayResult | None = field(default=None)

    def age(self) -> float:
        return (datetime.now(UTC) - self.at).total_seconds()

    @property
    def intact(self) -> bool:
        """The chain verifies and every case row is what its events give."""
        return self.report.intact and (self.replay is None or self.replay.consistent)

    @property
    def reason(self) -> str:
        problem = self.report.problem
        if problem is None:
            return ""
        return str(REASONS.get(problem.reason, problem.reason))


def _result(check: ChainCheck, buckets: dict | None = None) -> dict:
    """The check as the JSON stored with its checkpoint (and the replay's buckets, for the next
    check to start from)."""
    problem = check.report.problem
    replay = check.replay
    return {
        "checked": check.report.checked,
        "head": check.report.head,
        "problem": None if problem is None else [problem.event_id, problem.reason],
        "replay": None
        if replay is None
        else {
            "cases": replay.cases,
            "count": replay.count,
            "differences": [
                [d.case_id, d.column, d.stored, d.replayed] for d in replay.differences
            ],
            "replayed": replay.replayed,
            # The events the replay is known to have seen: the chain walked up to there.
            "events_upto": check.report.checked if check.report.intact else 0,
            "bucket_size": replaying.BUCKET,
            "buckets": buckets or {},
        },
    }


def from_checkpoint(checkpoint: ChainCheckpoint) -> ChainCheck:
    """The check a stored checkpoint describes."""
    result = checkpoint.result
    problem = result.get("problem")
    report = ChainReport(
        result["checked"],
        result["head"],
        None if problem is None else ChainProblem(problem[0], problem[1]),
    )
    replay = result.get("replay")
    return ChainCheck(
        report,
        checkpoint.at,
        checkpoint.seconds,
        None
        if replay is None
        else ReplayResult(
            replay["cases"],
            replay["count"],
            tuple(Difference(*d) for d in replay["differences"]),
            replay.get("replayed"),
        ),
    )


def _replay(rt: Runtime, since: ChainCheckpoint | None, intact: bool):
    """Every case replayed; or, after an intact stored check whose replay kept its buckets, only
    the buckets whose rows or events changed since."""
    kept = (since.result.get("replay") or {}) if since is not None else {}
    resumable = kept.get("buckets") and kept.get("bucket_size") == replaying.BUCKET
    if not intact or not resumable or not kept.get("events_upto"):
        return replay_cases(rt.engine)
    return replay_changed(rt.engine, buckets_from_json(kept["buckets"]), kept["events_upto"])


def check_now(rt: Runtime, since: ChainCheckpoint | None = None) -> ChainCheck:
    """Walk the chain (from `since`, an intact check, or from its start), replay the cases
    (without `since`: every one; with it: those whose rows or events changed since), store the
    result as the last check, and return it."""
    started = time.perf_counter()
    report = verify(rt.engine, since=since)
    found = _replay(rt, since, report.intact)
    replay = ReplayResult(found.cases, found.count, tuple(found.differences), found.replayed)
    check = ChainCheck(report, datetime.now(UTC), time.perf_counter() - started, replay)
    # Ids run from 1 without gaps: the head walked is event `checked`. A broken chain keeps no
    # point to resume from (the next check walks it all again); its result is stored all the
    # same, for every worker to show.
    record_chain_check(
        rt.uow(),
        ChainCheckpoint(
            report.checked if report.intact else 0,
            report.checked if report.intact else 0,
            report.head if report.intact else "",
            check.at,
            check.seconds,
            {**_result(check, found.buckets_json()), "resumable": report.intact},
        ),
    )
    return check


def check_stored(rt: Runtime) -> ChainCheck:
    """The task's check: resumed from the last stored check when that one allows it, else from
    the chain's start."""
    stored = last_check(rt.engine)
    since = stored if stored is not None and stored.result.get("resumable") else None
    return check_now(rt, since)


@dataclass(frozen=True)
class Visit:
    """What /audit/verify shows: the last stored check (``None``: never checked) and where the
    check asked for stands: ``done`` (`check` is fresh), ``running`` (queued or running) or
    ``failed`` (its task failed: the admin sees why on /admin/tasks)."""

    check: ChainCheck | None
    state: str


class ChainChecks:
    """The checks as this process sees them: the last one stored by any process; a new one is a
    task (inline: one at a time in this process, others wait and share its result)."""

    def __init__(self) -> None:
        self._lock = Lock()

    def last(self) -> ChainCheck | None:
        """The last stored check, however old."""
        stored = last_check_summary(runtime().engine)
        return None if stored is None else from_checkpoint(stored)

    def recent(self) -> ChainCheck | None:
        """The last stored check if it is still fresh enough to show."""
        last = self.last()
        return last if last is not None and last.age() < SHOW_FOR else None

    def _fresh(self, check: ChainCheck | None) -> bool:
        min_interval = current_app.config.get("AUDIT_VERIFY_MIN_INTERVAL", MIN_INTERVAL)
        return check is not None and check.age() < min_interval

    def job_state(self) -> str:
        """The queued check's state: ``running`` (waiting or running), ``failed`` (the last
        one failed) or ``none`` (none asked for, or the last one done; always inline)."""
        if app_tasks().inline:
            return "none"
        with runtime().engine.connect() as conn:
            job = queue.latest_job(conn, CHECK_CHAIN, LOCK)
        if job is None:
            return "none"
        return {"todo": "running", "doing": "running", "failed": "failed"}.get(job[1], "none")

    def visit(self, again: bool = False) -> Visit:
        """The last check when fresh; else a new one asked for: inline, its result (or
        ``failed``); queued, the last stored check while it runs. After a failed check, a new
        one is queued only when asked `again`."""
        last = self.last()
        if self._fresh(last):
            return Visit(last, "done")
        if app_tasks().inline:
            try:
                return Visit(self.run(), "done")
            except Exception:  # kept for the admin (task_failures); the page says it failed
                log.exception("the chain check failed")
                return Visit(last, "failed")
        state = self.job_state()
        if state == "running" or (state == "failed" and not again):
            return Visit(last, state)
        app_tasks().defer(CHECK_CHAIN, lock=LOCK)
        return Visit(last, "running")

    def run(self) -> ChainCheck:
        """Check now through the (inline) task, or reuse a check that finished a moment ago."""
        with self._lock:
            last = self.last()
            if self._fresh(last):
                return last
            app_tasks().defer(CHECK_CHAIN, lock=LOCK)
            checked = self.last()
        if checked is None:  # the task ran elsewhere (a queue): nothing stored yet
            raise RuntimeError("the chain check was queued, not run")
        return checked


def checks() -> ChainChecks:
    """This app's chain checks (made on first use)."""
    return current_app.extensions.setdefault("hoso_chain_checks", ChainChecks())
