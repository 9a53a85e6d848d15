"""``/admin/tasks``: the tasks waiting or failed (``web.tasks``), with their last error and a
button to run a failed one again. An admin sees the tasks of the cases in their scope; those of
no organisation (e-mail) only an admin of a whole tree (``db.tasks``)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from db import tasks as queue
from web.admin import bp
from web.context import actor, runtime
from web.tasks import QueueTasks, app_tasks
from workflow.services.admin_scope import manage_scope


@bp.get("/tasks")
def tasks():
    """The waiting and failed tasks in the admin's scope."""
    scope = manage_scope(actor())
    inline = app_tasks().inline
    with runtime().engine.connect() as conn:
        rows = queue.inline_failures(conn, scope) if inline else queue.queued_jobs(conn, scope)
    return render_template("admin/tasks.html", rows=rows, inline=inline)


@bp.post("/tasks/<int:job_id>/retry")
def retry_job(job_id: int):
    """Run a failed job again (PostgreSQL)."""
    runner = app_tasks()
    if not isinstance(runner, QueueTasks):
        abort(404)
    with runtime().engine.connect() as conn:
        if not queue.job_visible(conn, job_id, manage_scope(actor())):
            abort(404)
    runner.retry(job_id)
    flash(_("The task will run again."), "success")
    return redirect(url_for("admin.tasks"), code=303)


@bp.post("/tasks/inline/<int:failure_id>/retry")
def retry_inline(failure_id: int):
    """Run a failed inline task again, now (SQLite)."""
    runner = app_tasks()
    if not runner.inline:
        abort(404)
    with runtime().engine.connect() as conn:
        row = queue.failure(conn, failure_id, manage_scope(actor()))
    if row is None:
        abort(404)
    try:
        runner.defer(row.task, org_path=row.org_path, **row.args)
    except Exception as err:  # kept as a new failure by the runner
        flash(_("The task failed again: %(error)s", error=str(err)[:300]), "error")
    else:
        flash(_("The task ran again and succeeded."), "success")
    return redirect(url_for("admin.tasks"), code=303)
