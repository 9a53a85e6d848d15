"""The packet page off the request, on SQLite (tasks inline): it answers with the PDF at once; a
failing task is kept and shown to the admin (/admin/tasks), who may run it again; ``hoso worker``
says there is nothing to run. The PostgreSQL side (a real worker) is tests/db/test_tasks_queue.py.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

import web.task_handlers
import web.tasks
from db.models import Case, Organisation, TaskFailure
from workflow.ports.tasks import RENDER_PACKET

CELL = "Chi bộ trường THPT Chu Văn An"


def case_in(runtime, state: str = "mentored") -> int:
    with runtime.sessions() as session:
        return session.scalar(
            select(Case.id)
            .join(Organisation, Organisation.id == Case.cell_id)
            .where(Case.state == state, Organisation.name == CELL)
            .order_by(Case.id)
            .limit(1)
        )


@pytest.fixture
def fast_render(monkeypatch):
    """A packet drawn in no time (the real WeasyPrint pass is tested in tests/documents)."""
    import documents.render

    drawn = []

    def render_packet(codes, dossier, meta):
        drawn.append(list(codes))
        return b"%PDF-1.7 packet " + ",".join(codes).encode()

    monkeypatch.setattr(documents.render, "render_packet", render_packet)
    return drawn


def test_on_sqlite_the_packet_comes_at_once_and_then_from_the_cache(
    demo_runtime, login, fast_render
):
    client = login("bithu.chuvanan")
    case_id = case_in(demo_runtime)
    first = client.get(f"/candidates/{case_id}/packet.pdf")
    assert first.status_code == 200 and first.data.startswith(b"%PDF-")
    again = client.get(f"/candidates/{case_id}/packet.pdf")
    assert again.data == first.data and len(fast_render) == 1
    status = client.get(f"/candidates/{case_id}/packet.status")
    assert status.get_json() == {"state": "ready"}


def test_the_status_of_a_case_out_of_scope_is_404(demo_runtime, login, fast_render):
    client = login("bithu.chuvanan")
    other = demo_runtime
    with other.sessions() as session:
        case_id = session.scalar(
            select(Case.id)
            .join(Organisation, Organisation.id == Case.cell_id)
            .where(Organisation.name != CELL)
            .limit(1)
        )
    assert client.get(f"/candidates/{case_id}/packet.status").status_code == 404
    assert client.get(f"/candidates/{case_id}/packet.pdf").status_code == 404


def test_a_failed_inline_task_is_kept_shown_to_the_admin_and_run_again(
    demo_runtime, app, login, monkeypatch, fast_render
):
    from tests.web.conftest import Browser

    def broken(env, **args):
        raise RuntimeError("the renderer ran out of fonts")

    monkeypatch.setitem(web.task_handlers.HANDLERS, RENDER_PACKET, broken)
    client = login("bithu.chuvanan")
    case_id = case_in(demo_runtime)
    with pytest.raises(RuntimeError):  # TESTING: the error reaches the test, as a 500 would
        client.get(f"/candidates/{case_id}/packet.pdf")
    with demo_runtime.sessions() as session:
        kept = session.scalars(select(TaskFailure)).one()
    assert kept.task == RENDER_PACKET and "ran out of fonts" in kept.error
    assert kept.job_id is None and kept.org_path  # the case's cell: it scopes the row

    admin = Browser(app.test_client())
    assert admin.login("admin").status_code == 302
    page = admin.get("/admin/tasks")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "ran out of fonts" in text and f'data-task="{RENDER_PACKET}"' in text

    monkeypatch.setitem(web.task_handlers.HANDLERS, RENDER_PACKET, web.task_handlers.render_packet)
    token = admin.csrf("/admin/tasks")
    done = admin.client.post(f"/admin/tasks/inline/{kept.id}/retry", data={"csrf_token": token})
    assert done.status_code == 303
    assert len(fast_render) == 1  # it ran, and drew the packet
    assert (
        admin.client.post(
            f"/admin/tasks/inline/{kept.id + 99}/retry", data={"csrf_token": token}
        ).status_code
        == 404
    )


def test_the_task_page_is_for_admins_only(demo_runtime, login):
    client = login("bithu.chuvanan")
    assert client.get("/admin/tasks").status_code == 403


def test_an_admin_sees_no_task_of_a_case_outside_their_scope(demo_runtime, app):
    from db.tasks import inline_failures, record_failure
    from workflow.policy import Purpose, Scope

    record_failure(
        demo_runtime.engine, RENDER_PACKET, {"case_id": 1}, RuntimeError("x"), org_path="/999/1000/"
    )
    record_failure(demo_runtime.engine, "send_mail", {"to_address": "a@b.vn"}, RuntimeError("y"))
    with demo_runtime.engine.connect() as conn:
        assert [r.task for r in inline_failures(conn, Scope(Purpose.manage, ("/1/2/",)))] == []
        whole = inline_failures(conn, Scope(Purpose.manage, ("/999/",)))
        assert sorted(r.task for r in whole) == [RENDER_PACKET, "send_mail"]
        assert len(inline_failures(conn, None)) == 2
        assert conn.scalar(select(func.count()).select_from(TaskFailure)) == 2


def test_hoso_worker_on_sqlite_says_tasks_run_inline(demo_runtime, monkeypatch):
    from click.testing import CliRunner

    from web.cli import cli

    monkeypatch.setenv("HOSO_DATABASE_URL", demo_runtime.engine.url.render_as_string())
    result = CliRunner().invoke(cli, ["worker"])
    assert result.exit_code == 0 and "inline" in result.output
    listed = CliRunner().invoke(cli, ["worker", "--failed"])
    assert listed.exit_code == 0 and "0 failed inline task(s)" in listed.output
