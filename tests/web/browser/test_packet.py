"""The packet link in a real browser: on SQLite (tasks inline) it downloads the PDF at once; on
PostgreSQL the page says "being prepared" (202) and, once a worker has made the packet, its script
(web/static/wait.js) turns that into the PDF, downloaded; the waiting page, at a phone's width
(390 px), never scrolls sideways."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.web.browser.conftest import TIMEOUT_MS, LiveServer
from tests.web.test_packet_async import case_in

pytest.importorskip("playwright.sync_api")

PACKET_LINK = "a[href$='/packet.pdf']"
#: The ``hoso`` command of this virtualenv.
HOSO = Path(sys.executable).with_name("hoso")


def _sideways(page) -> int:
    return page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def _case_page(new_page, server: LiveServer, login, width: int):
    page = login(new_page(server), "bithu.chuvanan")
    page.set_viewport_size({"width": width, "height": 900})
    case_id = case_in(server.runtime)
    assert page.goto(f"/candidates/{case_id}").status == 200
    return page, case_id


def _pdf(download, folder: Path) -> bytes:
    target = folder / download.suggested_filename
    download.save_as(target)
    return target.read_bytes()


def test_on_sqlite_the_packet_link_downloads_the_pdf(new_page, live_server, login, tmp_path):
    page, case_id = _case_page(new_page, live_server, login, 1280)
    with page.expect_download(timeout=4 * TIMEOUT_MS) as caught:
        page.click(PACKET_LINK)
    download = caught.value
    assert download.suggested_filename == f"ho-so_{case_id}.pdf"
    assert _pdf(download, tmp_path).startswith(b"%PDF-")


# --- PostgreSQL, with a worker ------------------------------------------------------------------


@pytest.fixture
def pg_server(runtime, tmp_path, monkeypatch):
    """A live server on PostgreSQL with the demo, its tasks queued for ``hoso worker``."""
    from werkzeug.serving import make_server

    from db.demo import load_demo
    from db.files import LocalFiles
    from web import create_app
    from web.task_handlers import TaskEnv
    from web.tasks import QueueTasks

    load_demo(runtime)
    folder = tmp_path / "instance"
    monkeypatch.setenv("HOSO_INSTANCE", str(folder))
    app = create_app({"SECRET_KEY": "browser-tests-packet"}, runtime=runtime)
    tasks = QueueTasks(TaskEnv(runtime, LocalFiles.default(folder)))
    app.extensions["hoso_tasks"] = tasks
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="hoso-live-pg", daemon=True)
    thread.start()
    yield LiveServer(f"http://127.0.0.1:{server.server_port}", folder, runtime)
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()
    tasks.close()


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_on_postgres_the_waiting_page_turns_into_the_pdf(pg_server, new_page, login, tmp_path):
    from playwright.sync_api import expect

    server = pg_server
    page, case_id = _case_page(new_page, server, login, 390)
    with page.expect_navigation() as opened:
        page.click(PACKET_LINK)
    assert opened.value.status == 202
    expect(page.locator("#packet-waiting")).to_be_visible()
    expect(page.locator("#packet-waiting")).to_contain_text("đang được chuẩn bị")
    expect(page.locator("#packet-ready")).to_be_hidden()
    assert _sideways(page) <= 0
    page.wait_for_timeout(2500)  # the script has asked once: still waiting, no worker yet
    expect(page.locator("#packet-waiting")).to_be_visible()

    with page.expect_download(timeout=4 * TIMEOUT_MS) as caught:
        worker = subprocess.run(  # as an operator runs it (cron): what is due, then exit
            [str(HOSO), "worker", "--once"],
            env={
                **os.environ,
                "HOSO_INSTANCE": str(server.instance),
                "HOSO_DATABASE_URL": server.runtime.engine.url.render_as_string(False),
            },
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert worker.returncode == 0, worker.stderr
    download = caught.value
    assert download.suggested_filename == f"ho-so_{case_id}.pdf"
    assert _pdf(download, tmp_path).startswith(b"%PDF-")
    expect(page.locator("#packet-ready")).to_be_visible()
    expect(page.locator("#packet-waiting")).to_be_hidden()
    assert _sideways(page) <= 0
