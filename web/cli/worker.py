"""``hoso worker [--concurrency N] [--once] [--failed] [--retry JOB]``: the task queue's worker.

On PostgreSQL it runs procrastinate's worker on hoso's queue (``web.tasks``): packets, re-issued
documents and e-mail, each retried when it fails; and the queue's housekeeping
(``web.tasks_housekeeping``): stalled jobs settled every minute, old finished jobs removed daily
(``--once``: both once, first). On SQLite tasks run inline in the process that
asks for them, so there is nothing to run: it says so and exits 0.
"""

from __future__ import annotations

import sys

import click

from db import tasks as queue
from db.files import LocalFiles
from web.cli.common import runtime
from web.task_handlers import TaskEnv
from web.tasks import QueueTasks
from web.tasks_housekeeping import Housekeeping

#: Exit code when a job to retry is not a failed job.
EXIT_NOT_FOUND = 4


def _describe(row: queue.TaskRow) -> str:
    who = f"job {row.job_id}" if row.job_id is not None else f"inline #{row.failure_id}"
    args = ", ".join(f"{k}={v}" for k, v in sorted(row.args.items()) if k in _SHOWN)
    when = row.at.isoformat(timespec="seconds") if row.at else "-"
    line = f"{who:<14} {row.task:<17} {row.status:<7} attempts={row.attempts} {when} {args}"
    return f"{line}\n    error: {row.error}" if row.error else line


#: The arguments worth a line (a mail's body is not).
_SHOWN = {"case_id", "doc_ids", "to_address", "today"}


@click.command("worker")
@click.option(
    "--concurrency",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Jobs run at once (the tasks are synchronous: each in a thread).",
)
@click.option("--once", is_flag=True, help="Run what is due, then stop (no waiting).")
@click.option(
    "--failed",
    "list_failed",
    is_flag=True,
    help="List the waiting and failed tasks with their last error; run nothing.",
)
@click.option("--retry", "retry_job", type=int, metavar="JOB", help="Run failed job JOB again.")
def worker(concurrency: int, once: bool, list_failed: bool, retry_job: int | None) -> None:
    """Run the tasks deferred off the request (PostgreSQL); on SQLite they run inline."""
    rt = runtime()
    postgres = rt.engine.dialect.name == "postgresql"
    if list_failed:
        with rt.engine.connect() as conn:
            rows = queue.queued_jobs(conn, None) if postgres else queue.inline_failures(conn, None)
        for row in rows:
            click.echo(_describe(row))
        click.echo(
            f"{len(rows)} task(s) waiting or failed"
            if postgres
            else f"{len(rows)} failed inline task(s)"
        )
        return
    if not postgres:
        click.echo(
            "SQLite: tasks run inline in the process that asks for them; no worker is"
            " needed (docs/tasks.md)"
        )
        return
    try:
        house = Housekeeping.from_env()
    except ValueError as err:
        error = click.ClickException(str(err))
        error.exit_code = 2
        raise error from err
    tasks = QueueTasks(TaskEnv(rt, LocalFiles.default()))
    if retry_job is not None:
        with rt.engine.connect() as conn:
            if not queue.job_visible(conn, retry_job, None):
                click.echo(f"error: job {retry_job} is not a failed job", err=True)
                sys.exit(EXIT_NOT_FOUND)
        tasks.retry(retry_job)
        tasks.close()
        click.echo(f"job {retry_job} will run again")
        return
    click.echo(
        f"worker: queue {queue.QUEUE}, concurrency {concurrency}"
        f"{', until the queue is empty' if once else ''}; stalled after"
        f" {house.stalled_seconds} s without a heartbeat, finished jobs kept {house.keep_days} days"
    )
    tasks.run_worker(
        house=house,
        periodic=not once,  # --once schedules nothing: it tidies once, first
        once=once,
        concurrency=concurrency,
        wait=not once,
        name="hoso",
        install_signal_handlers=not once,
    )
