"""The task queue keeps itself tidy (PostgreSQL): stalled jobs settled, old finished jobs removed.

Two jobs of procrastinate's own recipes (its "retry stalled jobs" and "delete finished jobs"
how-tos), on a queue of their own (``HOUSE_QUEUE``, so /admin/tasks never lists them):

- ``settle_stalled`` (every minute): a job left ``doing`` by a worker that has sent no heartbeat
  for ``stalled_seconds`` (killed: OOM, deploy, power) is tried again, as a failure would be;
  a task tried once (``check_chain``) or out of attempts is marked ``failed`` instead, so that it
  shows on /admin/tasks and its page can ask again. Each is kept in ``task_failures``.
- ``remove_old_jobs`` (daily, 03:17 UTC): procrastinate's builtin removes the jobs of hoso's queue
  that succeeded (or were cancelled or aborted) more than ``keep_days`` ago, with their events;
  failed jobs stay (they are what /admin/tasks shows and retries). The failed attempts of the
  jobs removed follow them (``db.tasks.prune_failures``).

``hoso worker`` schedules both (procrastinate's periodic tasks); ``hoso worker --once`` runs them
once before the jobs due, schedules nothing and so never waits for a tick (docs/tasks.md).
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Engine

from db import tasks as queue
from web.config import whole_setting

log = logging.getLogger(__name__)

#: The queue of the housekeeping jobs themselves (every worker listens to it too).
HOUSE_QUEUE = "hoso-housekeeping"
#: Every queue a hoso worker runs.
QUEUES = [queue.QUEUE, HOUSE_QUEUE]
SETTLE_STALLED = "settle_stalled"
REMOVE_OLD_JOBS = "remove_old_jobs"
#: When they are deferred (cron; procrastinate reads it in UTC: 03:17 UTC is 10:17 in Vietnam).
SETTLE_CRON = "* * * * *"
REMOVE_CRON = "17 3 * * *"
#: The housekeeping's own finished jobs (one a minute) are kept this long only.
HOUSE_KEEP_HOURS = 24
#: How often a worker sends its heartbeat (procrastinate's default): a stalled time must be
#: several of these, or a worker merely slow to write one would be taken for dead.
HEARTBEAT_SECONDS = 10.0
STALLED_DEFAULT = 300
STALLED_MINIMUM = 60
KEEP_DAYS_DEFAULT = 30


class StalledJob(RuntimeError):
    """What ``task_failures`` says of an attempt whose worker stopped mid-task."""


@dataclass(frozen=True)
class Housekeeping:
    """How long a worker may be silent before its jobs are stalled, how long finished jobs stay."""

    stalled_seconds: int = STALLED_DEFAULT
    keep_days: int = KEEP_DAYS_DEFAULT

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> Housekeeping:
        """``HOSO_TASKS_STALLED_SECONDS`` and ``HOSO_TASKS_KEEP_DAYS`` (ValueError when bad)."""
        return cls(
            whole_setting(
                environ,
                "HOSO_TASKS_STALLED_SECONDS",
                STALLED_DEFAULT,
                f"a whole number, at least {STALLED_MINIMUM}",
                STALLED_MINIMUM,
            ),
            whole_setting(
                environ, "HOSO_TASKS_KEEP_DAYS", KEEP_DAYS_DEFAULT, "a whole number, at least 1", 1
            ),
        )


@dataclass(frozen=True)
class Settled:
    """What was done with one stalled job: ``retried``, ``failed`` or ``dropped``."""

    job_id: int
    task: str
    outcome: str


@dataclass(frozen=True)
class Keeper:
    """The housekeeping of one worker: its database, the tasks' attempts, the settings."""

    engine: Engine
    attempts: int
    tried_once: Collection[str]
    house: Housekeeping

    async def settle_stalled(self, app: Any) -> list[Settled]:
        """Retry, fail or drop every job whose worker has stopped heart-beating; then forget
        those workers."""
        from procrastinate import jobs
        from procrastinate.exceptions import ConnectorException, UniqueViolation

        manager = app.job_manager
        stalled = await manager.get_stalled_jobs(seconds_since_heartbeat=self.house.stalled_seconds)
        done: list[Settled] = []
        for job in stalled:
            attempt = job.attempts + 1
            try:
                if job.queue == HOUSE_QUEUE:  # the next tick does its work
                    outcome = "dropped"
                    await manager.finish_job(job, jobs.Status.FAILED, delete_job=True)
                elif job.task_name in self.tried_once or attempt >= self.attempts:
                    outcome = "failed"
                    await manager.finish_job(job, jobs.Status.FAILED, delete_job=False)
                else:
                    outcome = "retried"
                    try:
                        await manager.retry_job(job)
                    except UniqueViolation:  # the same work was asked for again: it waits
                        outcome = "dropped"
                        await manager.finish_job(job, jobs.Status.FAILED, delete_job=True)
            except ConnectorException as err:  # settled meanwhile (another worker's turn)
                log.info("stalled job %s left as it is: %s", job.id, err)
                continue
            log.warning("stalled job %s (%s) %s", job.id, job.task_name, outcome)
            done.append(Settled(job.id, job.task_name, outcome))
            if outcome != "dropped":
                error = StalledJob(
                    f"its worker stopped (no heartbeat for {self.house.stalled_seconds} s)"
                )
                await asyncio.to_thread(
                    queue.record_failure,
                    self.engine,
                    job.task_name,
                    job.task_kwargs,
                    error,
                    attempt=attempt,
                    job_id=job.id,
                    org_path=job.task_kwargs.get(queue.ORG_ARG),
                )
        # Their jobs settled, the silent workers go (procrastinate prunes them only when a
        # worker starts).
        await manager.prune_stalled_workers(self.house.stalled_seconds)
        return done

    async def remove_old(self, context: Any) -> int:
        """procrastinate's builtin ``remove_old_jobs`` on hoso's queue (failed jobs kept) and on
        the housekeeping's; then the failed attempts of the jobs gone. The attempts forgotten."""
        from procrastinate import builtin_tasks

        await builtin_tasks.remove_old_jobs(
            context,
            max_hours=self.house.keep_days * 24,
            queue=queue.QUEUE,
            remove_cancelled=True,
            remove_aborted=True,
        )
        await builtin_tasks.remove_old_jobs(
            context, max_hours=HOUSE_KEEP_HOURS, queue=HOUSE_QUEUE, remove_failed=True
        )
        return await asyncio.to_thread(queue.prune_failures, self.engine, self.house.keep_days)

    async def tidy(self, app: Any) -> list[Settled]:
        """Both at once (``hoso worker --once``): the builtin reads only its context's app."""
        settled = await self.settle_stalled(app)
        await self.remove_old(SimpleNamespace(app=app))
        return settled

    def register(self, app: Any, periodic: bool) -> None:
        """Add the two tasks to `app` (any worker runs them when queued); with `periodic`,
        have its worker defer them on their schedule."""

        async def settle_stalled(context: Any, timestamp: int) -> None:
            await self.settle_stalled(context.app)

        async def remove_old_jobs(context: Any, timestamp: int) -> None:
            await self.remove_old(context)

        for name, func, cron in (
            (SETTLE_STALLED, settle_stalled, SETTLE_CRON),
            (REMOVE_OLD_JOBS, remove_old_jobs, REMOVE_CRON),
        ):
            task = app.task(name=name, queue=HOUSE_QUEUE, queueing_lock=name, pass_context=True)(
                func
            )
            if periodic:
                app.periodic(cron=cron)(task)

    def run_worker(self, app: Any, *, once: bool, **options: Any) -> None:
        """Run `app`'s worker on every hoso queue; with `once`, tidy first. A worker counts as
        stalled (and is pruned) only after the same silence as its jobs."""

        async def run() -> None:
            async with app.open_async():
                if once:
                    await self.tidy(app)
                await app.run_worker_async(
                    queues=QUEUES,
                    stalled_worker_timeout=self.house.stalled_seconds,
                    update_heartbeat_interval=HEARTBEAT_SECONDS,
                    **options,
                )

        asyncio.run(run())
