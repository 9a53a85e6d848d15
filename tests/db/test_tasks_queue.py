"""The task queue on PostgreSQL: a real procrastinate worker runs the packet task and the page then
serves the PDF; a failing task is retried, kept with its error and shown on /admin/tasks; an
e-mail through the queue reaches an SMTP server."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

import web.task_handlers
import web.tasks
from db import tasks as queue
from db.files import LocalFiles
from tests.web.conftest import Browser
from tests.web.test_packet_async import case_in
from tests.web.test_remind import Inbox, smtp_server  # noqa: F401  (a fixture)
from web.task_handlers import TaskEnv
from web.tasks import QueueTasks
from workflow.ports.tasks import RENDER_PACKET, SEND_MAIL
from workflow.settings import Settings, SmtpSettings

pytestmark = pytest.mark.parametrize("database_url", ["postgres"], indirect=True)


@pytest.fixture
def demo_pg(runtime):
    from db.demo import load_demo

    load_demo(runtime)
    return runtime


@pytest.fixture
def pg_app(demo_pg, tmp_path, monkeypatch):
    from web import create_app

    monkeypatch.setenv("HOSO_INSTANCE", str(tmp_path / "instance"))
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "t", "WTF_CSRF_ENABLED": True}, runtime=demo_pg
    )
    # Retried at once, twice in all: the worker below runs until the queue is empty.
    tasks = QueueTasks(TaskEnv(demo_pg, LocalFiles(tmp_path / "instance")), attempts=2, wait=0)
    app.extensions["hoso_tasks"] = tasks
    yield app
    tasks.close()


def work(app) -> None:
    """Run the worker until nothing is due."""
    app.extensions["hoso_tasks"].run_worker(
        wait=False, install_signal_handlers=False, listen_notify=False
    )


def fake_render(monkeypatch):
    import documents.render

    monkeypatch.setattr(
        documents.render,
        "render_packet",
        lambda codes, dossier, meta: b"%PDF-1.7 " + ",".join(codes).encode(),
    )


def test_a_worker_makes_the_packet_and_the_page_then_serves_it(pg_app, demo_pg, monkeypatch):
    fake_render(monkeypatch)
    client = Browser(pg_app.test_client())
    assert client.login("bithu.chuvanan").status_code == 302
    case_id = case_in(demo_pg)
    waiting = client.get(f"/candidates/{case_id}/packet.pdf")
    assert waiting.status_code == 202 and 'id="packet-wait"' in waiting.get_data(as_text=True)
    assert client.get(f"/candidates/{case_id}/packet.status").get_json() == {"state": "waiting"}
    client.get(f"/candidates/{case_id}/packet.pdf")  # asked again: still one job
    with demo_pg.engine.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM procrastinate_jobs")) == 1
    work(pg_app)
    assert client.get(f"/candidates/{case_id}/packet.status").get_json() == {"state": "ready"}
    ready = client.get(f"/candidates/{case_id}/packet.pdf")
    assert ready.status_code == 200 and ready.data.startswith(b"%PDF-")


def test_a_failing_task_is_retried_kept_and_shown_to_the_admin(pg_app, demo_pg, monkeypatch):
    def broken(env, **args):
        raise RuntimeError("the renderer ran out of fonts")

    monkeypatch.setitem(web.task_handlers.HANDLERS, RENDER_PACKET, broken)
    client = Browser(pg_app.test_client())
    client.login("bithu.chuvanan")
    case_id = case_in(demo_pg)
    assert client.get(f"/candidates/{case_id}/packet.pdf").status_code == 202
    work(pg_app)
    with demo_pg.engine.connect() as conn:
        status, attempts = conn.execute(
            text("SELECT status, attempts FROM procrastinate_jobs")
        ).one()
        errors = conn.execute(select(queue.TaskFailure.attempt)).scalars().all()
    assert (status, attempts) == ("failed", 2) and sorted(errors) == [1, 2]
    failed = client.get(f"/candidates/{case_id}/packet.pdf")
    assert failed.status_code == 503 and 'id="packet-failed"' in failed.get_data(as_text=True)

    admin = Browser(pg_app.test_client())
    assert admin.login("admin").status_code == 302
    page = admin.get("/admin/tasks").get_data(as_text=True)
    assert "ran out of fonts" in page and 'data-status="failed"' in page
    with demo_pg.engine.connect() as conn:
        job_id = conn.scalar(text("SELECT id FROM procrastinate_jobs"))
    token = admin.csrf("/admin/tasks")
    assert (
        admin.client.post(f"/admin/tasks/{job_id}/retry", data={"csrf_token": token}).status_code
        == 303
    )
    with demo_pg.engine.connect() as conn:
        assert conn.scalar(text("SELECT status FROM procrastinate_jobs")) == "todo"
    monkeypatch.setitem(web.task_handlers.HANDLERS, RENDER_PACKET, web.task_handlers.render_packet)
    fake_render(monkeypatch)
    work(pg_app)
    assert client.get(f"/candidates/{case_id}/packet.pdf").status_code == 200


def test_mail_through_the_queue_reaches_the_smtp_server(runtime, tmp_path, smtp_server):  # noqa: F811
    from web.mail import QueuedSender
    from workflow.ports.mail import Mail

    inbox = Inbox()
    port = smtp_server(inbox)
    smtp = SmtpSettings(host="127.0.0.1", port=port, sender="hoso@example.vn", timeout=5)
    runtime.settings = Settings(smtp=smtp)
    tasks = QueueTasks(TaskEnv(runtime, LocalFiles(tmp_path)), attempts=2, wait=0)
    try:
        digest_like = Mail("Lê Văn A", "a@example.vn", "test", {})
        monkeypatch_render = pytest.MonkeyPatch()
        from web import mail as mail_module

        monkeypatch_render.setattr(
            mail_module,
            "render",
            lambda m: mail_module.Rendered("Nhắc việc", "văn bản", "<p>x</p>"),
        )
        assert QueuedSender(tasks).send([digest_like]) == [None]
        monkeypatch_render.undo()
        assert inbox.received == []  # queued, not sent yet
        tasks.run_worker(wait=False, install_signal_handlers=False, listen_notify=False)
    finally:
        tasks.close()
    message = inbox.by_recipient()["a@example.vn"]
    assert message["Subject"] == "Nhắc việc"
    with runtime.engine.connect() as conn:
        assert (
            conn.scalar(
                text("SELECT status FROM procrastinate_jobs WHERE task_name = :t"), {"t": SEND_MAIL}
            )
            == "succeeded"
        )
