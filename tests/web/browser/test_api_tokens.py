"""In Chromium: a secretary makes a personal API token from their account page, copies the secret
shown once, calls the API with it, revokes it; the API's docs page renders (Swagger UI served
from here, configured by a script file: the CSP allows no inline script)."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request

import pytest

expect = pytest.importorskip("playwright.sync_api").expect


def _call(server, secret: str, path: str) -> int:
    request = urllib.request.Request(
        server.url + path, headers={"Authorization": f"Bearer {secret}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            json.load(answer)
            return answer.status
    except urllib.error.HTTPError as refused:
        return refused.code


def test_a_token_made_on_the_page_opens_the_api_until_revoked(page, login, live_server):
    login(page, "bithu.chuvanan")
    page.goto("/account")
    with page.expect_navigation():
        page.locator("#api-tokens a").click()
    expect(page.locator("h1")).to_have_text("Mã truy cập API")
    page.fill("#name", "Bảng tính chi bộ")
    page.locator("input[name=grants]").first.check()
    with page.expect_navigation():
        page.locator("#new-token button[type=submit]").click()
    secret = page.locator("[data-secret]").inner_text()
    assert re.fullmatch(r"hoso_[A-Za-z0-9_-]{43}", secret)
    assert _call(live_server, secret, "/api/v1/cases?limit=2") == 200
    page.goto("/account/tokens")
    expect(page.locator("[data-secret]")).to_have_count(0)  # shown once
    row = page.locator("tr[data-token]").filter(has_text="Bảng tính chi bộ")
    with page.expect_navigation():
        row.locator("button[type=submit]").click()
    expect(page.locator("tr[data-token]").filter(has_text="Bảng tính chi bộ")).to_contain_text(
        "đã thu hồi"
    )
    assert _call(live_server, secret, "/api/v1/cases?limit=2") == 401


def test_the_docs_page_renders_without_a_blocked_script(page, live_server):
    blocked = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security" in m.text else None)
    page.goto("/api/v1/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("hoso")
    expect(page.locator(".opblock-summary-path").first).to_be_visible()
    assert page.locator(".opblock").count() >= 11
    assert not blocked, blocked
