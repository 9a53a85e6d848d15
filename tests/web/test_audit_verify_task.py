"""/audit/verify never walks the chain in the request: on PostgreSQL the first visit queues one
``check_chain`` task (202, the last stored check shown), a second visit while it waits queues no
other, and once the worker has run it the page shows the result (200); a failed check says so
and offers to try again. On SQLite (tasks inline) the page answers 200 with the result at once.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event, text

import web.audit.chain as chain
import web.task_handlers
import web.tasks
from tests.db import test_tasks_queue as queued
from tests.web.conftest import Browser
from web.task_handlers import CHECK_CHAIN

#: The demo on PostgreSQL and an app whose tasks go to procrastinate (tests/db/test_tasks_queue).
demo_pg, pg_app, work = queued.demo_pg, queued.pg_app, queued.work

postgres = pytest.mark.parametrize("database_url", ["postgres"], indirect=True)


def _verdict(page: str) -> dict[str, str]:
    tag = re.search(r'<div class="chain-result[^>]*>', page)
    assert tag, "no verification result on the page"
    return dict(re.findall(r'data-([\w-]+)="([^"]*)"', tag.group(0)))


def _jobs(runtime) -> list[tuple[str, str]]:
    with runtime.engine.connect() as conn:
        rows = conn.execute(
            text("SELECT task_name, status FROM procrastinate_jobs WHERE task_name = :t"),
            {"t": CHECK_CHAIN},
        )
        return [tuple(r) for r in rows]


def _auditor(app) -> Browser:
    client = Browser(app.test_client())
    assert client.login("kiemtra").status_code == 302
    return client


@pytest.fixture
def no_walk(monkeypatch):
    """The walk and the replay refused, and every statement the engine sends kept."""

    def walked(*args, **kwargs):
        raise AssertionError("the request walked the chain")

    for name in ("verify", "replay_cases", "replay_changed"):
        monkeypatch.setattr(chain, name, walked)
    return monkeypatch


@postgres
def test_the_first_visit_queues_one_check_and_answers_at_once(pg_app, demo_pg, no_walk):
    sent: list[str] = []

    def keep(conn, cursor, statement, *args) -> None:
        sent.append(statement)

    auditor = _auditor(pg_app)
    event.listen(demo_pg.engine, "before_cursor_execute", keep)
    first = auditor.get("/audit/verify?lang=vi")
    event.remove(demo_pg.engine, "before_cursor_execute", keep)
    page = first.get_data(as_text=True)
    assert first.status_code == 202 and first.headers["Cache-Control"] == "no-store"
    assert 'id="chain-running"' in page and "đang chạy" in page
    assert "chưa được kiểm tra" in page and 'class="chain-result' not in page  # none stored
    assert "wait.js" in page and 'data-shown-at=""' in page
    assert not [s for s in sent if re.search(r"\bFROM events\b", s)], "the events were read"
    assert _jobs(demo_pg) == [(CHECK_CHAIN, "todo")]

    again = auditor.get("/audit/verify")
    assert again.status_code == 202
    assert _jobs(demo_pg) == [(CHECK_CHAIN, "todo")]  # still the one
    status = auditor.get("/audit/verify/status")
    assert status.get_json() == {"state": "running", "at": None}
    assert status.headers["Cache-Control"] == "no-store"

    no_walk.undo()
    work(pg_app)
    assert _jobs(demo_pg) == [(CHECK_CHAIN, "succeeded")]
    answer = auditor.get("/audit/verify/status").get_json()
    assert answer["state"] == "none" and answer["at"]
    done = auditor.get("/audit/verify")
    assert done.status_code == 200
    with demo_pg.engine.connect() as conn:
        count = conn.execute(text("SELECT count FROM chain_head")).scalar()
    assert _verdict(done.get_data(as_text=True)) == {"intact": "true", "count": str(count)}
    assert 'id="chain-wait"' not in done.get_data(as_text=True)
    assert len(_jobs(demo_pg)) == 1  # fresh: nothing queued


@postgres
def test_a_stale_check_is_shown_with_its_age_while_a_new_one_runs(pg_app, demo_pg):
    auditor = _auditor(pg_app)
    assert auditor.get("/audit/verify").status_code == 202
    work(pg_app)
    pg_app.config["AUDIT_VERIFY_MIN_INTERVAL"] = 0  # the stored check is no longer fresh
    waiting = auditor.get("/audit/verify?lang=vi")
    page = waiting.get_data(as_text=True)
    assert waiting.status_code == 202
    assert _verdict(page)["intact"] == "true"  # the last stored check, below the notice
    assert "kiểm tra lúc" in page and 'id="chain-running"' in page
    shown = re.search(r'data-shown-at="([^"]+)"', page).group(1)
    assert auditor.get("/audit/verify/status").get_json() == {"state": "running", "at": shown}
    assert [s for _, s in _jobs(demo_pg)] == ["succeeded", "todo"]
    work(pg_app)
    assert auditor.get("/audit/verify/status").get_json()["at"] != shown


@postgres
def test_a_failed_check_says_so_shows_to_the_admin_and_is_tried_again(pg_app, demo_pg, monkeypatch):
    def broken(env, **args):
        raise RuntimeError("the disk is on fire")

    monkeypatch.setitem(web.task_handlers.HANDLERS, CHECK_CHAIN, broken)
    auditor = _auditor(pg_app)
    assert auditor.get("/audit/verify").status_code == 202
    work(pg_app)
    with demo_pg.engine.connect() as conn:
        status, attempts = conn.execute(
            text("SELECT status, attempts FROM procrastinate_jobs")
        ).one()
    assert (status, attempts) == ("failed", 1)  # tried once: the page asks again
    failed = auditor.get("/audit/verify?lang=vi")
    page = failed.get_data(as_text=True)
    assert failed.status_code == 503 and 'id="chain-failed"' in page
    assert re.search(r'id="chain-failed"\s*>', page), "the failure is hidden"
    assert "disk is on fire" not in page and "RuntimeError" not in page
    assert 'href="/audit/verify?again=1"' in page and "Thử lại" in page
    assert auditor.get("/audit/verify/status").get_json() == {"state": "failed", "at": None}
    assert len(_jobs(demo_pg)) == 1  # a visit after a failure queues nothing by itself

    admin = Browser(pg_app.test_client())
    assert admin.login("admin").status_code == 302
    tasks = admin.get("/admin/tasks").get_data(as_text=True)
    assert f'data-task="{CHECK_CHAIN}"' in tasks and "disk is on fire" in tasks

    monkeypatch.setitem(web.task_handlers.HANDLERS, CHECK_CHAIN, web.task_handlers.check_chain)
    assert auditor.get("/audit/verify?again=1").status_code == 202
    assert [s for _, s in _jobs(demo_pg)] == ["failed", "todo"]
    work(pg_app)
    assert auditor.get("/audit/verify").status_code == 200


@postgres
def test_the_status_is_for_the_pages_readers_only(pg_app):
    secretary = Browser(pg_app.test_client())
    assert secretary.login("bithu.chuvanan").status_code == 302
    assert secretary.get("/audit/verify/status").status_code == 403
    assert Browser(pg_app.test_client()).get("/audit/verify/status").status_code == 302


# --- SQLite: the task runs inline ---------------------------------------------------------------


def test_on_sqlite_the_page_answers_with_the_result_at_once(login, demo_runtime):
    first = login("kiemtra").get("/audit/verify")
    page = first.get_data(as_text=True)
    assert first.status_code == 200 and _verdict(page)["intact"] == "true"
    assert 'id="chain-wait"' not in page and "wait.js" not in page
    with demo_runtime.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM chain_checks")).scalar() == 1


def test_on_sqlite_a_failed_check_is_kept_and_the_next_visit_tries_again(
    app, login, demo_runtime, monkeypatch
):
    def broken(env, **args):
        raise RuntimeError("the disk is on fire")

    monkeypatch.setitem(web.task_handlers.HANDLERS, CHECK_CHAIN, broken)
    auditor = login("kiemtra")
    failed = auditor.get("/audit/verify")
    page = failed.get_data(as_text=True)
    assert failed.status_code == 503 and "disk is on fire" not in page
    assert re.search(r'id="chain-failed"\s*>', page) and "wait.js" not in page
    with demo_runtime.engine.connect() as conn:
        kept = conn.execute(text("SELECT task, error FROM task_failures")).one()
    assert kept.task == CHECK_CHAIN and "disk is on fire" in kept.error
    monkeypatch.setitem(web.task_handlers.HANDLERS, CHECK_CHAIN, web.task_handlers.check_chain)
    assert auditor.get("/audit/verify").status_code == 200
