"""The queue keeps itself tidy (PostgreSQL, ``web.tasks_housekeeping``): a job left ``doing`` by a
worker whose heartbeat is old is retried (or failed: tried once, out of attempts) and the page that
waited on it can go on; finished jobs older than the window are removed, recent and failed ones
kept. A worker's age is set in SQL: no test waits."""

from __future__ import annotations

import asyncio
import re

import pytest
from click.testing import CliRunner
from sqlalchemy import func, insert, select, text

from db import tasks as queue
from tests.db import test_tasks_queue as queued
from tests.web.conftest import Browser
from tests.web.test_packet_async import case_in
from web.cli import cli
from web.task_handlers import CHECK_CHAIN
from web.tasks import procrastinate_app
from web.tasks_housekeeping import (
    HOUSE_QUEUE,
    REMOVE_CRON,
    REMOVE_OLD_JOBS,
    SETTLE_CRON,
    SETTLE_STALLED,
    Housekeeping,
    Keeper,
    Settled,
)
from workflow.ports.tasks import RENDER_PACKET

#: The demo on PostgreSQL and an app whose tasks go to procrastinate, tried twice in all.
demo_pg, pg_app, work, fake_render = queued.demo_pg, queued.pg_app, queued.work, queued.fake_render

postgres = pytest.mark.parametrize("database_url", ["postgres"], indirect=True)


def sql(runtime, statement: str, **params):
    """Run one statement in a transaction of its own; its rows, if it returns any."""
    with runtime.engine.begin() as conn:
        result = conn.execute(text(statement), params)
        return result.all() if result.returns_rows else None


def worker_row(runtime, silent_for: str) -> int:
    """A worker whose last heartbeat is `silent_for` old (an interval: '1 hour', '0 seconds')."""
    return sql(
        runtime,
        "INSERT INTO procrastinate_workers (last_heartbeat)"
        " VALUES (now() - CAST(:age AS interval)) RETURNING id",
        age=silent_for,
    )[0][0]


def taken(runtime, task: str, worker: int, attempts: int = 0) -> int:
    """The newest job of `task`, as a worker leaves it when it is killed mid-task."""
    return sql(
        runtime,
        "UPDATE procrastinate_jobs SET status = 'doing', worker_id = :w, attempts = :a"
        " WHERE id = (SELECT max(id) FROM procrastinate_jobs WHERE task_name = :t) RETURNING id",
        w=worker,
        a=attempts,
        t=task,
    )[0][0]


def jobs(runtime) -> dict[int, tuple[str, str, int]]:
    rows = sql(runtime, "SELECT id, task_name, status, attempts FROM procrastinate_jobs")
    return {job_id: (task, status, attempts) for job_id, task, status, attempts in rows}


def keeper(app, house: Housekeeping | None = None) -> Keeper:
    """The housekeeping of the app's tasks (2 attempts in all, as ``pg_app`` has them)."""
    tasks = app.extensions["hoso_tasks"]
    return Keeper(tasks.env.runtime.engine, tasks.attempts, {CHECK_CHAIN}, house or Housekeeping())


def run(app, step: str, house: Housekeeping | None = None):
    """One housekeeping step (`settle_stalled` or `tidy`) on a worker's app of its own."""
    keep = keeper(app, house)
    tasks = app.extensions["hoso_tasks"]
    worker = procrastinate_app(tasks.env, tasks.attempts, tasks.wait, keep)

    async def go():
        async with worker.open_async():
            return await getattr(keep, step)(worker)

    return asyncio.run(go())


def failures(runtime) -> list[tuple[int | None, int, str]]:
    with runtime.engine.connect() as conn:
        rows = conn.execute(
            select(queue.TaskFailure.job_id, queue.TaskFailure.attempt, queue.TaskFailure.error)
        )
        return [tuple(r) for r in rows]


@postgres
def test_a_stalled_chain_check_is_failed_shown_and_the_page_queues_again(
    pg_app, demo_pg, database_url, tmp_path, monkeypatch
):
    auditor = Browser(pg_app.test_client())
    assert auditor.login("kiemtra").status_code == 302
    assert auditor.get("/audit/verify").status_code == 202
    stalled = taken(demo_pg, CHECK_CHAIN, worker_row(demo_pg, "1 hour"))
    # A packet on a worker that is alive (heartbeat now) is not touched.
    fake_render(monkeypatch)
    secretary = Browser(pg_app.test_client())
    secretary.login("bithu.chuvanan")
    assert secretary.get(f"/candidates/{case_in(demo_pg)}/packet.pdf").status_code == 202
    alive = taken(demo_pg, RENDER_PACKET, worker_row(demo_pg, "0 seconds"))
    # Before: the page waits on a check nobody runs, and asking again queues none.
    assert auditor.get("/audit/verify/status").get_json()["state"] == "running"
    assert auditor.get("/audit/verify").status_code == 202
    assert jobs(demo_pg)[stalled] == (CHECK_CHAIN, "doing", 0)

    environ = {"HOSO_INSTANCE": str(tmp_path / "instance"), "HOSO_DATABASE_URL": database_url}
    worked = CliRunner().invoke(cli, ["worker", "--once"], env=environ)
    assert worked.exit_code == 0, worked.output
    assert "stalled after 300 s without a heartbeat, finished jobs kept 30 days" in worked.output
    assert jobs(demo_pg) == {
        stalled: (CHECK_CHAIN, "failed", 1),  # tried once, as a failed check is
        alive: (RENDER_PACKET, "doing", 0),
    }
    ((job_id, attempt, error),) = failures(demo_pg)
    assert (job_id, attempt) == (stalled, 1) and error.startswith("StalledJob: ")
    assert "no heartbeat for 300 s" in error

    failed = auditor.get("/audit/verify?lang=vi")
    assert failed.status_code == 503 and 'href="/audit/verify?again=1"' in failed.get_data(
        as_text=True
    )
    admin = Browser(pg_app.test_client())
    assert admin.login("admin").status_code == 302
    page = admin.get("/admin/tasks").get_data(as_text=True)
    assert f'data-task="{CHECK_CHAIN}"' in page and "no heartbeat for 300 s" in page

    assert auditor.get("/audit/verify?again=1").status_code == 202
    newest = max(jobs(demo_pg))
    assert jobs(demo_pg)[newest] == (CHECK_CHAIN, "todo", 0)
    work(pg_app)
    assert jobs(demo_pg)[newest][1] == "succeeded"
    assert auditor.get("/audit/verify").status_code == 200


@postgres
def test_a_stalled_packet_is_retried_then_made_and_failed_once_out_of_attempts(
    pg_app, demo_pg, monkeypatch
):
    fake_render(monkeypatch)
    client = Browser(pg_app.test_client())
    client.login("bithu.chuvanan")
    case_id = case_in(demo_pg)
    assert client.get(f"/candidates/{case_id}/packet.pdf").status_code == 202
    dead = worker_row(demo_pg, "10 minutes")
    first = taken(demo_pg, RENDER_PACKET, dead)
    # Silent for 10 minutes: not yet stalled for an office that allows a quarter of an hour.
    assert run(pg_app, "settle_stalled", Housekeeping(stalled_seconds=900)) == []
    assert run(pg_app, "settle_stalled") == [Settled(first, RENDER_PACKET, "retried")]
    assert jobs(demo_pg)[first] == (RENDER_PACKET, "todo", 1)
    assert client.get(f"/candidates/{case_id}/packet.status").get_json() == {"state": "waiting"}
    work(pg_app)
    assert jobs(demo_pg)[first] == (RENDER_PACKET, "succeeded", 2)  # the stalled one, this one
    assert client.get(f"/candidates/{case_id}/packet.pdf").status_code == 200

    # A job whose last attempt (the second of 2) stalls is failed, for the admin to retry.
    pg_app.extensions["hoso_tasks"].defer(
        RENDER_PACKET, case_id=case_id, today="2026-12-05", verify_url=None
    )
    # (the worker that ran it pruned the dead one: procrastinate forgets silent workers)
    second = taken(demo_pg, RENDER_PACKET, worker_row(demo_pg, "1 hour"), attempts=1)
    assert run(pg_app, "settle_stalled") == [Settled(second, RENDER_PACKET, "failed")]
    assert jobs(demo_pg)[second] == (RENDER_PACKET, "failed", 2)
    assert [(j, a) for j, a, _ in failures(demo_pg)] == [(first, 1), (second, 2)]
    assert run(pg_app, "settle_stalled") == []  # settled once
    assert len(sql(demo_pg, "SELECT id FROM procrastinate_workers")) == 0  # the dead forgotten


@postgres
def test_old_succeeded_jobs_are_removed_recent_and_failed_ones_kept(
    pg_app, demo_pg, database_url, tmp_path
):
    tasks = pg_app.extensions["hoso_tasks"]
    for n in range(5):
        tasks.defer(RENDER_PACKET, case_id=n, today="2026-12-05", verify_url=None)
    ids = sorted(jobs(demo_pg))
    old_done, new_done, old_failed, old_cancelled, running = ids
    for job_id, status in zip(
        ids, ("succeeded", "succeeded", "failed", "cancelled", "doing"), strict=True
    ):
        sql(demo_pg, "UPDATE procrastinate_jobs SET status = :s WHERE id = :i", s=status, i=job_id)
    for job_id in (old_done, old_failed, old_cancelled, running):
        sql(
            demo_pg,
            "UPDATE procrastinate_events SET at = now() - interval '40 days' WHERE job_id = :i",
            i=job_id,
        )
    with demo_pg.engine.begin() as conn:  # the failed attempts: of each job, and one inline
        for job_id in (old_done, old_failed, None):
            conn.execute(
                insert(queue.TaskFailure).values(
                    job_id=job_id,
                    task=RENDER_PACKET,
                    args="{}",
                    attempt=1,
                    error="RuntimeError: x",
                    failed_at=func.now() - text("interval '40 days'"),
                )
            )
    sql(demo_pg, "UPDATE procrastinate_jobs SET worker_id = :w WHERE id = :i",
        w=worker_row(demo_pg, "0 seconds"), i=running)  # fmt: skip
    environ = {"HOSO_INSTANCE": str(tmp_path / "instance"), "HOSO_DATABASE_URL": database_url}

    bad = CliRunner().invoke(
        cli, ["worker", "--once"], env={**environ, "HOSO_TASKS_STALLED_SECONDS": "10"}
    )
    assert bad.exit_code == 2 and "HOSO_TASKS_STALLED_SECONDS" in bad.output
    # An office that keeps 50 days keeps them all.
    kept = CliRunner().invoke(
        cli, ["worker", "--once"], env={**environ, "HOSO_TASKS_KEEP_DAYS": "50"}
    )
    assert kept.exit_code == 0, kept.output
    assert sorted(jobs(demo_pg)) == ids and len(failures(demo_pg)) == 3

    worked = CliRunner().invoke(cli, ["worker", "--once"], env=environ)  # 30 days
    assert worked.exit_code == 0, worked.output
    assert sorted(jobs(demo_pg)) == [new_done, old_failed, running]
    events = sql(demo_pg, "SELECT DISTINCT job_id FROM procrastinate_events")
    assert old_done not in {row[0] for row in events}
    assert sorted(j or 0 for j, _, _ in failures(demo_pg)) == [0, old_failed]


@postgres
def test_the_worker_schedules_its_housekeeping_and_once_schedules_nothing(pg_app, demo_pg):
    tasks = pg_app.extensions["hoso_tasks"]
    keep = keeper(pg_app)
    app = procrastinate_app(tasks.env, tasks.attempts, tasks.wait, keep, periodic=True)
    crons = {name: p.cron for (name, _), p in app.periodic_registry.periodic_tasks.items()}
    assert crons == {SETTLE_STALLED: SETTLE_CRON, REMOVE_OLD_JOBS: REMOVE_CRON}
    assert {app.tasks[name].queue for name in crons} == {HOUSE_QUEUE}
    assert {app.tasks[name].queueing_lock for name in crons} == set(crons)
    once = procrastinate_app(tasks.env, tasks.attempts, tasks.wait, keep)
    assert once.periodic_registry.periodic_tasks == {} and SETTLE_STALLED in once.tasks


def test_the_settings_are_read_and_bad_ones_refused():
    assert Housekeeping.from_env({}) == Housekeeping(300, 30)
    assert Housekeeping.from_env(
        {"HOSO_TASKS_STALLED_SECONDS": "600", "HOSO_TASKS_KEEP_DAYS": "90"}
    ) == Housekeeping(600, 90)
    for bad in ({"HOSO_TASKS_STALLED_SECONDS": "20"}, {"HOSO_TASKS_KEEP_DAYS": "0"},
                {"HOSO_TASKS_KEEP_DAYS": "a month"}):  # fmt: skip
        with pytest.raises(ValueError, match=re.escape(next(iter(bad)))):
            Housekeeping.from_env(bad)
