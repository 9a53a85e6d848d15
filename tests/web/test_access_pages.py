"""Who may see what (the PAGES table of access_matrix.py), and no page nor POST without a login."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.web.access_matrix import (
    ACCOUNTS,
    CHU_VAN_AN,
    FACTS,
    PAGE_PATHS,
    PAGE_ROWS,
    TRANSITIONS,
    sees,
)
from tests.web.access_site import (
    admin_posts,
    decision_form,
    identify_form,
    no_problems,
    start_demo,
    version_field,
)


@pytest.fixture(scope="module")
def demo(demo_template, tmp_path_factory):
    """The demo district, copied once for the module, with one app."""
    yield from start_demo(demo_template, tmp_path_factory)


@pytest.mark.parametrize(
    ("page", "account", "status"), PAGE_ROWS, ids=[f"{a}:{p}" for p, a, _ in PAGE_ROWS]
)
def test_page(demo, page, account, status):
    path = demo.path(page)
    response = demo.as_(account).get(path)
    assert response.status_code == status, f"{account} GET {path} ({page})"


@pytest.mark.parametrize("page", PAGE_PATHS)
def test_a_page_needs_a_login(demo, page):
    path = demo.path(page)
    response = demo.as_(None).get(path)
    assert response.status_code == 302, path
    target = urlsplit(response.headers["Location"])
    assert target.path == "/login"
    assert parse_qs(target.query)["next"] == [path]


@pytest.mark.parametrize("account", ACCOUNTS)
def test_lists_link_only_to_cases_the_account_sees(demo, account):
    """The case list shows exactly the cases in sight; the other pages link to no other."""
    visible = {c.id for c in demo.cases if sees(account, c)}
    client = demo.as_(account)
    listing = client.get("/candidates/")
    if listing.status_code == 200:
        listed = {int(i) for i in re.findall(r'href="/candidates/(\d+)', listing.text)}
        assert listed == visible, f"/candidates/ for {account}"
    for path in ("/", "/reviews/", "/audit/"):
        response = client.get(path)
        if response.status_code != 200:
            continue
        linked = {int(i) for i in re.findall(r'href="/(?:audit/)?candidates/(\d+)', response.text)}
        linked |= {int(i) for i in re.findall(r'href="/audit/cases/(\d+)"', response.text)}
        assert linked <= visible, f"{path} for {account} links to {sorted(linked - visible)}"


def test_no_post_without_a_login(demo):
    """Every POST, with a valid CSRF token but no login, goes to the login page unsaved."""
    posts = [
        (f"/candidates/{case.id}/actions/{trigger}", version_field(case))
        for trigger, (sources, _) in TRANSITIONS.items()
        for case in demo.cases
        if case.state in sources
    ]
    posts += [
        (f"/candidates/{case.id}/facts/{kind}", version_field(case))
        for kind, (states, _) in FACTS.items()
        for case in demo.cases
        if case.state in states
    ]
    sent = demo.ids["cva_mentee_sent"]
    posts.append(("/reviews/decide", decision_form(demo, sent, "return", reason="Lý do")))
    posts += admin_posts(demo)
    posts.append(("/candidates/new", identify_form(demo, CHU_VAN_AN)))
    posts.append(("/logout", {}))
    problems = []
    for path, data in posts:
        problems.append(demo.refused(None, path, data, 302))
        location = urlsplit(demo.last.headers.get("Location", ""))
        if location.path != "/login":
            problems.append(f"POST {path} without a login goes to {location.path!r}")
    no_problems(problems)
