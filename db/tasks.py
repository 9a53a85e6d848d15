"""The task queue's storage: procrastinate on the instance's PostgreSQL database, its schema, and
the failed attempts the admin sees (``task_failures``). What the tasks do is ``web.tasks``.

procrastinate keeps its jobs in its own tables (``procrastinate_*``), made by migration 0019 from
the schema the installed procrastinate ships; it talks to the database through its own psycopg
pool, on the same URL as the app. SQLite has no queue: tasks run inline there.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    BigInteger,
    Connection,
    DateTime,
    Engine,
    Integer,
    String,
    column,
    delete,
    desc,
    func,
    insert,
    or_,
    select,
    table,
    true,
)
from sqlalchemy.dialects.postgresql import JSONB

from db.models.tasks import TaskFailure
from db.read.scope import under
from workflow.policy import Scope

if TYPE_CHECKING:
    import procrastinate

#: The longest error text kept for one attempt (a traceback's last line is enough).
ERROR_LENGTH = 2000
#: The job argument that carries the path of the organisation a task concerns (for the scope).
ORG_ARG = "_org_path"
#: The queue hoso's tasks go to.
QUEUE = "hoso"

_JOBS = table(
    "procrastinate_jobs",
    column("id", BigInteger),
    column("task_name", String),
    column("status", String),
    column("attempts", Integer),
    column("scheduled_at", DateTime(timezone=True)),
    column("args", JSONB),
    column("queue_name", String),
    column("queueing_lock", String),
)


def conninfo(engine: Engine) -> str:
    """The libpq URL of `engine`'s database (procrastinate's connector takes no SQLAlchemy URL)."""
    url = engine.url.set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def queue_app(engine: Engine) -> procrastinate.App:
    """A procrastinate ``App`` on `engine`'s PostgreSQL database, no task registered yet."""
    import procrastinate

    connector = procrastinate.PsycopgConnector(conninfo=conninfo(engine))
    return procrastinate.App(connector=connector)


def apply_queue_schema(connection: Connection) -> None:
    """Create procrastinate's tables, types and functions (migration 0019, PostgreSQL)."""
    from procrastinate.schema import SchemaManager

    # The driver reads % as a placeholder even without parameters (as procrastinate does).
    connection.exec_driver_sql(SchemaManager.get_schema().replace("%", "%%"))


def drop_queue_schema(connection: Connection) -> None:
    """Remove everything procrastinate's schema made (migration 0019 going down)."""
    for name in ("events", "periodic_defers", "jobs", "workers"):
        connection.exec_driver_sql(f"DROP TABLE IF EXISTS procrastinate_{name} CASCADE")
    functions = connection.exec_driver_sql(
        "SELECT p.oid::regprocedure::text FROM pg_proc p"
        " WHERE p.proname LIKE 'procrastinate\\_%' AND p.pronamespace = 'public'::regnamespace"
    ).scalars()
    for signature in list(functions):
        connection.exec_driver_sql(f"DROP FUNCTION IF EXISTS {signature} CASCADE")
    for name in ("job_to_defer_v1", "job_event_type", "job_status"):
        connection.exec_driver_sql(f"DROP TYPE IF EXISTS procrastinate_{name} CASCADE")


# --- failed attempts --------------------------------------------------------------------------


def record_failure(
    engine: Engine,
    task: str,
    args: Mapping[str, Any],
    error: BaseException,
    *,
    attempt: int = 1,
    job_id: int | None = None,
    org_path: str | None = None,
) -> None:
    """Keep why an attempt of `task` failed, in a transaction of its own (the task's is gone)."""
    text = f"{type(error).__name__}: {error}"[:ERROR_LENGTH]
    plain = {k: v for k, v in args.items() if k != ORG_ARG}
    with engine.begin() as conn:
        conn.execute(
            insert(TaskFailure).values(
                job_id=job_id,
                task=task,
                args=json.dumps(plain, ensure_ascii=False, default=str),
                attempt=attempt,
                error=text,
                org_path=org_path,
                failed_at=datetime.now(UTC),
            )
        )


def prune_failures(engine: Engine, keep_days: int) -> int:
    """Forget the failed attempts, older than `keep_days`, of jobs procrastinate no longer keeps
    (removed as old, ``web.tasks_housekeeping``); an inline run's are kept. How many went."""
    cutoff = datetime.now(UTC) - timedelta(days=keep_days)
    kept = select(_JOBS.c.id).where(_JOBS.c.id == TaskFailure.job_id).exists()
    with engine.begin() as conn:
        gone = conn.execute(
            delete(TaskFailure).where(
                TaskFailure.job_id.is_not(None), TaskFailure.failed_at < cutoff, ~kept
            )
        )
    return gone.rowcount


@dataclass(frozen=True)
class TaskRow:
    """A task the admin sees: a job waiting or failed (PostgreSQL), or a failed inline run."""

    task: str
    status: str  # todo, doing, failed (a job); failed (inline)
    attempts: int
    args: dict[str, Any]
    error: str | None
    at: datetime | None
    job_id: int | None = None
    failure_id: int | None = None
    org_path: str | None = None


def _whole_tree(scope: Scope | None) -> bool:
    """A scope that holds a root of the tree also sees the tasks of no organisation (mail)."""
    return scope is None or any(p.count("/") <= 2 for p in scope.paths)


def _visible(path_column: Any, scope: Scope | None) -> Any:
    if scope is None:
        return true()
    clause = under(path_column, scope.paths)
    return or_(clause, path_column.is_(None)) if _whole_tree(scope) else clause


def inline_failures(conn: Connection, scope: Scope | None, limit: int = 100) -> list[TaskRow]:
    """The newest failed inline runs (SQLite) in `scope` (``None``: all)."""
    rows = conn.execute(
        select(TaskFailure.__table__)
        .where(TaskFailure.job_id.is_(None), _visible(TaskFailure.org_path, scope))
        .order_by(desc(TaskFailure.id))
        .limit(limit)
    ).all()
    return [
        TaskRow(
            f.task,
            "failed",
            f.attempt,
            json.loads(f.args),
            f.error,
            f.failed_at,
            None,
            f.id,
            f.org_path,
        )
        for f in rows
    ]


def queued_jobs(conn: Connection, scope: Scope | None, limit: int = 200) -> list[TaskRow]:
    """Jobs waiting, running or failed (PostgreSQL) in `scope`, each with its last error."""
    last_error = (
        select(TaskFailure.error)
        .where(TaskFailure.job_id == _JOBS.c.id)
        .order_by(desc(TaskFailure.id))
        .limit(1)
        .scalar_subquery()
    )
    path = _JOBS.c.args[ORG_ARG].astext
    rows = conn.execute(
        select(
            _JOBS.c.id,
            _JOBS.c.task_name,
            _JOBS.c.status.cast(String),
            _JOBS.c.attempts,
            _JOBS.c.args,
            last_error,
            _JOBS.c.scheduled_at,
        )
        .where(
            _JOBS.c.queue_name == QUEUE,
            _JOBS.c.status.cast(String).in_(("todo", "doing", "failed")),
            _visible(path, scope),
        )
        .order_by(desc(_JOBS.c.id))
        .limit(limit)
    ).all()
    return [
        TaskRow(
            task,
            status,
            attempts,
            {k: v for k, v in (args or {}).items() if k != ORG_ARG},
            error,
            scheduled,
            job_id,
        )
        for job_id, task, status, attempts, args, error, scheduled in rows
    ]


def job_visible(conn: Connection, job_id: int, scope: Scope | None) -> bool:
    """Whether job `job_id` exists, failed, and lies in `scope`."""
    path = _JOBS.c.args[ORG_ARG].astext
    found = conn.scalar(
        select(func.count())
        .select_from(_JOBS)
        .where(
            _JOBS.c.id == job_id,
            _JOBS.c.status.cast(String) == "failed",
            _visible(path, scope),
        )
    )
    return bool(found)


def failure(conn: Connection, failure_id: int, scope: Scope | None) -> TaskRow | None:
    """One failed inline run in `scope`, else ``None``."""
    found = conn.execute(
        select(TaskFailure.__table__).where(
            TaskFailure.id == failure_id,
            TaskFailure.job_id.is_(None),
            _visible(TaskFailure.org_path, scope),
        )
    ).first()
    if found is None:
        return None
    return TaskRow(
        found.task,
        "failed",
        found.attempt,
        json.loads(found.args),
        found.error,
        found.failed_at,
        None,
        found.id,
        found.org_path,
    )


def latest_job(conn: Connection, task: str, lock: str) -> tuple[int, str] | None:
    """The newest job of `task` deferred with queueing lock `lock`: its id and status."""
    row = conn.execute(
        select(_JOBS.c.id, _JOBS.c.status.cast(String))
        .where(_JOBS.c.task_name == task, _JOBS.c.queueing_lock == lock)
        .order_by(desc(_JOBS.c.id))
        .limit(1)
    ).first()
    return (row[0], row[1]) if row else None


def case_org_path(conn: Connection, case_id: int) -> str | None:
    """The path of the case's cell (the scope of the case's tasks), else ``None``."""
    from db.models import Case, Organisation

    return conn.scalar(
        select(Organisation.path)
        .join(Case, Case.cell_id == Organisation.id)
        .where(Case.id == case_id)
    )
