"""The chain verification in a real browser, on PostgreSQL: the first visit answers at once (202)
saying a new check is running; once ``hoso worker --once`` has run it, the page's script
(web/static/wait.js) turns the page into the result, without a click. At a phone's width
(390 px) the waiting page never scrolls sideways."""

from __future__ import annotations

import os
import subprocess

import pytest

from tests.web.browser import test_packet as packet
from tests.web.browser.conftest import TIMEOUT_MS

pytest.importorskip("playwright.sync_api")

#: A live server on PostgreSQL with the demo, its tasks queued (tests/web/browser/test_packet).
pg_server = packet.pg_server


def _sideways(page) -> int:
    return page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_the_waiting_page_turns_into_the_result_once_the_worker_ran(pg_server, new_page, login):
    from playwright.sync_api import expect

    page = login(new_page(pg_server), "kiemtra")
    page.set_viewport_size({"width": 390, "height": 900})
    answer = page.goto("/audit/verify")
    assert answer.status == 202
    expect(page.locator("#chain-running")).to_be_visible()
    expect(page.locator("#chain-running")).to_contain_text("đang chạy")
    expect(page.locator("#chain-shown")).to_contain_text("chưa được kiểm tra")
    expect(page.locator(".chain-result")).to_have_count(0)
    assert _sideways(page) <= 0
    page.wait_for_timeout(2500)  # the script has asked twice: still running, no worker yet
    expect(page.locator("#chain-running")).to_be_visible()

    with page.expect_navigation(timeout=4 * TIMEOUT_MS) as reloaded:
        worker = subprocess.run(  # as an operator runs it: what is due, then exit
            [str(packet.HOSO), "worker", "--once"],
            env={
                **os.environ,
                "HOSO_INSTANCE": str(pg_server.instance),
                "HOSO_DATABASE_URL": pg_server.runtime.engine.url.render_as_string(False),
            },
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert worker.returncode == 0, worker.stderr
    assert reloaded.value.status == 200
    expect(page.locator(".chain-result")).to_have_attribute("data-intact", "true")
    expect(page.locator(".replay-result")).to_have_attribute("data-consistent", "true")
    expect(page.locator("#chain-wait")).to_have_count(0)
    assert _sideways(page) <= 0
