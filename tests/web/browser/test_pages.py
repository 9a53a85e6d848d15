"""The main pages, as each role sees them: they load, fetch nothing from outside the site, raise
no error in the browser (a Content-Security-Policy violation is one), and are photographed for the
user guide when HOSO_SCREENSHOTS=1.

Only pages are visited and nothing is submitted: the shared server's demo stays as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest

expect = pytest.importorskip("playwright.sync_api").expect

MENTEE = "Võ Hoàng Phúc"  # giupdo.chuvanan's candidate waiting for the awareness class


@dataclass(frozen=True)
class Visit:
    """A page as one user sees it: `path` may name a case as ``{case:Full Name}``."""

    shot: str  # the screenshot's name in docs/screenshots/
    user: str | None
    path: str
    shows: str  # a selector that must be visible
    via: str | None = None  # a page to visit first (e.g. run the chain verification)


VISITS = [
    Visit("login", None, "/login", "form input[name=password]"),
    Visit("work-mentor", "giupdo.chuvanan", "/", "#work-mentor tbody tr"),
    Visit("work-secretary", "bithu.chuvanan", "/", "#work-secretary tbody tr"),
    Visit("work-committee", "bantochuc", "/", "#work-committee tbody tr"),
    Visit("work-auditor", "kiemtra", "/", "section.roles-help"),
    Visit("work-introducer", "doan.chuvanan", "/", "section.roles-help"),
    Visit("work-trainer", "trungtam", "/", "section.roles-help"),
    Visit("candidates-committee", "bantochuc", "/candidates/", "main table tbody tr"),
    Visit("case-mentor", "giupdo.chuvanan", "/candidates/{case:Võ Hoàng Phúc}", "#workflow svg"),
    Visit("case-committee", "bantochuc", "/candidates/{case:Lê Hoàng Nam}", "#actions details"),
    Visit("reviews", "bantochuc", "/reviews/", "table.queue tbody tr"),
    Visit("audit-verify", "kiemtra", "/audit/verify", ".chain-result[data-intact=true]"),
    Visit(
        "audit",
        "kiemtra",
        "/audit/?case={case:Lê Hoàng Nam}",
        "table.events tbody tr",
        via="/audit/verify",  # the page then shows the verification's result
    ),
    Visit("audit-case", "kiemtra", "/audit/cases/{case:Võ Hoàng Phúc}", "ol.chain-events li"),
    Visit("admin", "admin", "/admin/", "table.deciding tbody tr"),
    Visit("admin-users", "admin", "/admin/users", "table.users tbody tr"),
]


@dataclass
class Traffic:
    """What the page asked for, and what the browser complained about."""

    requests: list[str] = field(default_factory=list)
    stylesheets: list[tuple[str, int]] = field(default_factory=list)  # (url, status) answered
    errors: list[str] = field(default_factory=list)


def _is_stylesheet(response) -> bool:
    # Static URLs carry a cache-busting query (``hoso.css?v=<hash>``): judge by the URL's path.
    return urlsplit(response.url).path.endswith(".css")


def watch(page) -> Traffic:
    seen = Traffic()
    page.on("request", lambda request: seen.requests.append(request.url))
    page.on(
        "response",
        lambda response: (
            _is_stylesheet(response) and seen.stylesheets.append((response.url, response.status))
        ),
    )
    page.on("console", lambda message: message.type == "error" and seen.errors.append(message.text))
    page.on("pageerror", lambda error: seen.errors.append(str(error)))
    return seen


def resolve(path: str, server) -> str:
    if "{case:" in path:
        head, name = path.split("{case:")
        return f"{head}{server.case_id(name.rstrip('}'))}"
    return path


@pytest.mark.parametrize("visit", VISITS, ids=[v.shot for v in VISITS])
def test_a_main_page_loads_from_the_site_only(visit, page, live_server, login, screenshot):
    seen = watch(page)
    if visit.user:
        login(page, visit.user)
    if visit.via:
        page.goto(visit.via)
    answer = page.goto(resolve(visit.path, live_server))
    assert answer.status == 200, f"{visit.path} as {visit.user}: {answer.status}"
    expect(page.locator(visit.shows).first).to_be_visible()
    page.wait_for_load_state("networkidle")
    screenshot(page, visit.shot)

    outside = [
        url
        for url in seen.requests
        if not (url.startswith(live_server.url + "/") or url.startswith("data:"))
    ]
    assert not outside, f"loaded from outside the site: {outside}"
    assert seen.stylesheets, "no stylesheet was loaded"
    # 304 is the browser revalidating its cached copy: loaded all the same.
    failed = [(url, status) for url, status in seen.stylesheets if status not in (200, 304)]
    assert not failed, f"stylesheets not loaded: {failed}"
    assert not seen.errors, f"errors in the browser: {seen.errors}"


def test_the_case_page_draws_where_the_case_stands(page, live_server, login):
    login(page, "giupdo.chuvanan")
    page.goto(f"/candidates/{live_server.case_id(MENTEE)}")
    diagram = page.locator("#workflow svg")
    expect(diagram).to_be_visible()
    box = diagram.bounding_box()
    assert box and box["width"] > 300 and box["height"] > 100, f"the diagram is tiny: {box}"
    expect(diagram).to_contain_text("Được phân công")  # the current state's box, wrapped
