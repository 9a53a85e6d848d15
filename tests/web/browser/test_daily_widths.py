"""Issue 12: every page of each role's daily path fits a phone (390 px) and a desk (1280 px).

The page itself never scrolls sideways: `document.documentElement.scrollWidth` is at most its
`clientWidth` (a wide table may scroll inside its own box). Pages are only visited (the forms
are not sent), with every <details> opened, so the shared server's demo stays as it was.
/reviews and the case page are measured here too (issue 12's "daily" part fixes them).
"""

from __future__ import annotations

import pytest

pytest.importorskip("playwright.sync_api")

#: Each role's daily path, as the demo's accounts (docs/demo.md) walk it. "{case}", "{mentored}",
#: "{class}", "{proposal}", "{user}", "{org}" and "{enterprise}" are filled from the demo database.
PATHS: dict[str, tuple[str, ...]] = {
    "bithu.chuvanan": (  # secretary
        "/",
        "/candidates",
        "/candidates/new",
        "/candidates/import",
        "/candidates/transfers",
        "/candidates/hand-overs",
        "/candidates/corrections",
        "/candidates/{case}/corrections/new",
        "/deadlines/",
        "/proposals/",
        "/classes/",
        "/reports/targets",
        "/account",
        "/account/tokens",
    ),
    "giupdo.chuvanan": ("/", "/candidates", "/candidates/{mentored}", "/classes/"),  # mentor
    "trungtam": ("/", "/classes/", "/classes/{class}", "/classes/waiting", "/classes/new"),
    "bantochuc": (  # committee
        "/",
        "/candidates",
        "/candidates/{case}",
        "/reviews/",
        "/deadlines/",
        "/reports/targets",
        "/reports/statistics",
        "/enterprises/",
    ),
    "kiemtra": ("/", "/audit/", "/audit/cases/{case}", "/audit/verify", "/candidates"),
    "admin": (
        "/",
        "/admin/",
        "/admin/users",
        "/admin/users/new",
        "/admin/users/{user}",
        "/admin/organisations",
        "/admin/organisations/new",
        "/admin/organisations/{org}",
        "/admin/tree",
        "/admin/tasks",
        "/reports/targets/edit",
        "/reports/outside",
        "/enterprises/new",
        "/enterprises/{enterprise}",
    ),
    "doan.chuvanan": ("/", "/proposals/", "/proposals/new", "/proposals/{proposal}"),
}
#: Screenshots for docs/user-guide.md (saved only with HOSO_SCREENSHOTS=1: scripts/screenshots).
SHOTS = {
    (390, "bithu.chuvanan", "/"): "phone-work-secretary",
    (390, "bithu.chuvanan", "/candidates"): "phone-candidates",
    (390, "trungtam", "/classes/{class}"): "phone-class",
    (390, "kiemtra", "/audit/"): "phone-audit",
    (1280, "bithu.chuvanan", "/account"): "account",
    (1280, "bithu.chuvanan", "/account/tokens"): "account-tokens",
    (1280, "bithu.chuvanan", "/candidates/transfers"): "transfers-date-entry",
    (1280, "admin", "/admin/tasks"): "admin-tasks",
    (1280, "-", "/login"): "login",
}
#: Pages without an account: the login page, an error page, the public verification form.
ANONYMOUS = ("/login", "/no-such-page", "/verify")


def _sideways(page) -> int:
    return page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def _ids(server) -> dict[str, int]:
    """One id of each kind the paths need, from the demo (the first of its kind)."""
    from sqlalchemy import func, select

    from db.models import Case, Enterprise, Organisation, Proposal, User
    from db.models.classes import AwarenessClass

    def first(session, column, *where) -> int:
        found = session.scalar(select(func.min(column)).where(*where))
        assert found is not None, f"the demo has no {column}"
        return found

    with server.runtime.sessions() as session:
        cell = session.scalar(select(Organisation.id).where(Organisation.name.like("%Chu Văn An%")))
        mentor = select(User.member_id).where(User.username == "giupdo.chuvanan")
        doan = select(User.id).where(User.username == "doan.chuvanan")
        return {
            "mentored": first(session, Case.id, Case.mentor_id == mentor.scalar_subquery()),
            "proposal": first(
                session, Proposal.id, Proposal.introducer_id == doan.scalar_subquery()
            ),
            "case": first(session, Case.id, Case.cell_id == cell),
            "class": first(session, AwarenessClass.id),
            "user": first(session, User.id),
            "org": first(session, Organisation.id),
            "enterprise": first(session, Enterprise.id),
        }


def _measure(page, path: str, width: int) -> int:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(path)
    page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true })")
    return _sideways(page)


@pytest.mark.parametrize("width", [390, 1280])
def test_daily_paths_fit(width, new_page, live_server, login, screenshot):
    ids = _ids(live_server)
    wide, missing = [], []
    for user, paths in PATHS.items():
        page = login(new_page(live_server), user)
        for template in paths:
            path = template.format(**ids)
            response = page.goto(path)
            if response is None or response.status != 200:
                missing.append((user, path, response and response.status))
            if (extra := _measure(page, path, width)) > 0:
                wide.append((user, path, extra))
            if name := SHOTS.get((width, user, template)):
                screenshot(page, name)
    page = new_page(live_server)
    for path in ANONYMOUS:
        if (extra := _measure(page, path, width)) > 0:
            wide.append(("-", path, extra))
        if name := SHOTS.get((width, "-", path)):
            screenshot(page, name)
    assert missing == [], f"pages that did not open (user, path, status): {missing}"
    assert wide == [], f"pages wider than {width} px (user, path, extra px): {wide}"


def test_menu_collapses_on_a_phone(new_page, live_server, login, screenshot):
    """At 390 px the menu hides behind a toggle (a checkbox and its label: no JavaScript)."""
    page = login(new_page(live_server), "bantochuc")
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto("/")
    links = page.locator("nav.main a")
    assert not links.first.is_visible()
    page.locator("header.top label.menu-button").click()
    assert links.first.is_visible()
    screenshot(page, "phone-menu")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/")
    assert page.locator("nav.main a").first.is_visible()
    assert not page.locator("header.top label.menu-button").is_visible()
