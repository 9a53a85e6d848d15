"""The tasks hoso runs off the request, and the two ways of running them (``workflow.ports.tasks``).

What each one does is in ``web.task_handlers``: a case's packet, re-issued documents, an
e-mail, the chain's check.

On PostgreSQL ``QueueTasks`` defers them to procrastinate (``db.tasks``) and ``hoso worker`` runs
them, retrying a failure; on SQLite ``InlineTasks`` runs them at once in the same process. Either
way a failed attempt is kept (``task_failures``) for /admin/tasks and ``hoso worker --failed``.

A use case defers through its unit of work, which hands the task over after its commit
(``db.uow``); in the web app it goes to ``UnitOfWorkTasks`` (``init_app``), which adds what the
domain does not know: the verification address printed on a document, the organisation of the
case; in a ``hoso`` command to ``CommandTasks`` (``web.cli.common.runtime``), which does the same
without an app: the configured address only.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from db import tasks as queue
from db.files import LocalFiles
from db.runtime import Runtime
from web.task_handlers import CHECK_CHAIN, HANDLERS, TaskEnv
from web.tasks_housekeeping import Housekeeping, Keeper
from workflow.ports.files import Files
from workflow.ports.tasks import RENDER_DOCUMENTS, Tasks

log = logging.getLogger(__name__)

#: How often a failing task is tried in all, and the seconds between tries (grown linearly).
ATTEMPTS = 5
WAIT_SECONDS = 30
#: Tasks tried once: a failed chain check is asked for again from its page, not retried unseen.
TRIED_ONCE = frozenset({CHECK_CHAIN})


# --- running them -------------------------------------------------------------------------------


@dataclass
class InlineTasks:
    """``Tasks`` that run at once in this process (SQLite: no worker needed)."""

    env: TaskEnv
    inline: bool = True

    def defer(
        self, name: str, *, lock: str | None = None, org_path: str | None = None, **args: Any
    ) -> None:
        """Run task `name` now; a failure is kept for the admin, then raised."""
        try:
            HANDLERS[name](self.env, **args)
        except Exception as err:
            queue.record_failure(self.env.runtime.engine, name, args, err, org_path=org_path)
            raise


@dataclass
class QueueTasks:
    """``Tasks`` queued with procrastinate on PostgreSQL, run by ``hoso worker``."""

    env: TaskEnv
    attempts: int = ATTEMPTS
    wait: int = WAIT_SECONDS
    inline: bool = False
    _app: Any = None
    _opened: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def app(self) -> Any:
        """The procrastinate ``App`` with hoso's tasks, made once."""
        with self._lock:
            if self._app is None:
                self._app = procrastinate_app(self.env, self.attempts, self.wait)
            return self._app

    def run_worker(
        self,
        *,
        house: Housekeeping | None = None,
        periodic: bool = False,
        once: bool = False,
        **options: Any,
    ) -> None:
        """Run procrastinate's worker on hoso's queues with an app of its own (the deferring
        app's synchronous pool stays usable beside it); `periodic`: it schedules the
        housekeeping, `once`: it tidies first (``web.tasks_housekeeping``)."""
        keeper = Keeper(self.env.runtime.engine, self.attempts, TRIED_ONCE, house or Housekeeping())
        worker = procrastinate_app(self.env, self.attempts, self.wait, keeper, periodic)
        keeper.run_worker(worker, once=once, **options)

    def open(self) -> Any:
        """The app, its synchronous pool open (for deferring and listing from a request)."""
        app = self.app
        with self._lock:
            if not self._opened:
                app.open()
                self._opened = True
        return app

    def close(self) -> None:
        """Close the app's pool, if open."""
        with self._lock:
            if self._opened:
                self._app.close()
                self._opened = False

    def defer(
        self, name: str, *, lock: str | None = None, org_path: str | None = None, **args: Any
    ) -> None:
        """Queue task `name`; with `lock`, nothing more while one of that lock waits."""
        from procrastinate.exceptions import AlreadyEnqueued

        if name not in HANDLERS:
            raise KeyError(f"no task {name!r}")
        deferrer = self.open().configure_task(name, queue=queue.QUEUE, queueing_lock=lock)
        with contextlib.suppress(AlreadyEnqueued):  # the same work is already waiting
            deferrer.defer(**args, **{queue.ORG_ARG: org_path})

    def retry(self, job_id: int) -> None:
        """Run a failed job again, now."""
        from procrastinate import utils

        self.open().job_manager.retry_job_by_id(job_id, utils.utcnow())


def procrastinate_app(
    env: TaskEnv,
    attempts: int = ATTEMPTS,
    wait: int = WAIT_SECONDS,
    keeper: Keeper | None = None,
    periodic: bool = False,
) -> Any:
    """A procrastinate ``App`` on the runtime's database with each of hoso's tasks registered:
    each records a failed attempt before procrastinate retries it; and the housekeeping's,
    deferred on their schedule by its worker when `periodic`."""
    import procrastinate

    app = queue.queue_app(env.runtime.engine)
    retry = procrastinate.RetryStrategy(max_attempts=attempts - 1, linear_wait=wait)
    for name, handler in HANDLERS.items():
        again = False if name in TRIED_ONCE else retry
        app.task(name=name, queue=queue.QUEUE, pass_context=True, retry=again)(
            _recording(env, name, handler)
        )
    keeper = keeper or Keeper(env.runtime.engine, attempts, TRIED_ONCE, Housekeeping())
    keeper.register(app, periodic)
    return app


def _recording(env: TaskEnv, name: str, handler: Callable[..., None]) -> Callable[..., None]:
    def run(context: Any, **args: Any) -> None:
        org_path = args.pop(queue.ORG_ARG, None)
        try:
            handler(env, **args)
        except Exception as err:
            job = context.job
            queue.record_failure(
                env.runtime.engine,
                name,
                args,
                err,
                attempt=job.attempts + 1,
                job_id=job.id,
                org_path=org_path,
            )
            raise

    run.__name__ = name
    return run


def tasks_for(runtime: Runtime, files: Files) -> InlineTasks | QueueTasks:
    """Queued on PostgreSQL, inline on SQLite."""
    env = TaskEnv(runtime, files)
    if runtime.engine.dialect.name == "postgresql":
        return QueueTasks(env)
    return InlineTasks(env)


# --- in the web app -----------------------------------------------------------------------------


def app_files() -> LocalFiles:
    """The web app's file store (the instance folder, or ``HOSO_FILES_DIR``)."""
    from flask import current_app

    files = current_app.extensions.get("hoso_files")
    if files is None:
        files = current_app.extensions["hoso_files"] = LocalFiles.default(
            Path(current_app.instance_path)
        )
    return files


def app_tasks() -> Tasks:
    """The web app's tasks, made once per app."""
    from flask import current_app

    from web.context import runtime

    found = current_app.extensions.get("hoso_tasks")
    if found is None:
        found = current_app.extensions["hoso_tasks"] = tasks_for(runtime(), app_files())
    return found


def complete(runtime: Runtime, name: str, args: dict[str, Any], verify_url: str | None) -> None:
    """Add to a task's `args` what the domain does not know: the verification address printed on
    re-issued documents (`verify_url`, with ``{code}``; ``None``: the code is printed alone, as
    the downloads print it), and the organisation of the case (the scope of the task)."""
    if name == RENDER_DOCUMENTS and "verify_url" not in args:
        args["verify_url"] = verify_url
    if "org_path" not in args and "case_id" in args:
        with runtime.engine.connect() as conn:
            args["org_path"] = queue.case_org_path(conn, args["case_id"])


class UnitOfWorkTasks:
    """Where the web app's units of work hand over the tasks their use cases deferred (after the
    commit): the app's ``Tasks``, each task completed with what the domain does not know."""

    @property
    def inline(self) -> bool:
        """As the app's tasks (inline on SQLite)."""
        return app_tasks().inline

    def defer(self, name: str, *, lock: str | None = None, **args: Any) -> None:
        """Complete the task's arguments, then defer it with the app's tasks."""
        from flask import has_app_context

        if not has_app_context():  # a runtime shared outside the app: nobody to run it
            log.info("task %s dropped: no web app to run it", name)
            return
        from web.context import runtime
        from web.documents.address import verify_url_pattern

        # The configured address, never the request's (web.documents.address).
        complete(runtime(), name, args, verify_url_pattern())
        app_tasks().defer(name, lock=lock, **args)


class CommandTasks(UnitOfWorkTasks):
    """Where a ``hoso`` command's units of work hand over their tasks: queued on PostgreSQL (a
    ``hoso worker`` runs them), run at once on SQLite, as the web app does; the documents' address
    is the configured one only. In an app context (the app ``hoso run`` or ``hoso serve`` made
    on the command's runtime, serving a request) the app's tasks take them, as in the web app."""

    def __init__(self, runtime: Runtime, files: Files | None = None) -> None:
        self.runtime = runtime
        self._files = files
        self._tasks: InlineTasks | QueueTasks | None = None

    def _own(self) -> InlineTasks | QueueTasks:
        """The command's tasks, made when first needed (the files of the instance)."""
        if self._tasks is None:
            self._tasks = tasks_for(self.runtime, self._files or LocalFiles.default())
        return self._tasks

    @property
    def inline(self) -> bool:
        """Inline on SQLite (known without opening a queue)."""
        from flask import has_app_context

        if has_app_context():
            return super().inline
        return self.runtime.engine.dialect.name != "postgresql"

    def defer(self, name: str, *, lock: str | None = None, **args: Any) -> None:
        """Complete the task's arguments, then queue it (or run it, on SQLite)."""
        from flask import has_app_context

        if has_app_context():
            super().defer(name, lock=lock, **args)
            return
        from web.documents.address import configured_pattern

        complete(
            self.runtime, name, args, configured_pattern(self.runtime.settings.reminders.base_url)
        )
        self._own().defer(name, lock=lock, **args)

    def close(self) -> None:
        """Close the queue's connections, if a task was queued."""
        if isinstance(self._tasks, QueueTasks):
            self._tasks.close()


def init_app(app: Any) -> None:
    """Have the app's units of work hand their tasks to the app's tasks (unless the runtime
    given to the app already has its own)."""
    hoso = app.extensions["hoso"]
    if hoso.tasks is None:
        hoso.tasks = UnitOfWorkTasks()
