"""The forms' defences: CSRF tokens, escaping, logout as a POST, deactivated users' sessions."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

import pytest

from tests.web.conftest import DEMO_PASSWORD
from tests.web.security_support import (
    CHU_VAN_AN,
    case_in,
    logged_in,
    new_client,
    scalar,
    snapshot,
    try_login,
    user_id_of,
)

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def _csrf_targets(runtime) -> dict[str, tuple[str | None, str, dict[str, str]]]:
    """Forms that would be saved with the right token: name → (account, path, data)."""
    identified, version = case_in(runtime, "identified")
    sent, sent_version = case_in(runtime, "dossier_submitted")
    user = user_id_of(runtime, "bithu.dongthuy")
    return {
        "case action": (
            "bithu.chuvanan",
            f"/candidates/{identified}/actions/withdraw",
            {"reason": "Chuyển trường", "version": str(version)},
        ),
        "reviews decide": (
            "bantochuc",
            "/reviews/decide",
            {
                f"action-{sent}": "return",
                f"version-{sent}": str(sent_version),
                f"reason-{sent}": "Thiếu bản tự kiểm điểm",
            },
        ),
        "admin form": ("admin", f"/admin/users/{user}/active", {"active": "0"}),
        "login": (None, "/login", {"username": "bithu.chuvanan", "password": DEMO_PASSWORD}),
    }


CSRF_TARGETS = ["case action", "reviews decide", "admin form", "login"]


@pytest.mark.parametrize("token", ["missing", "wrong", "another session's"])
@pytest.mark.parametrize("target", CSRF_TARGETS)
def test_a_post_without_the_right_csrf_token_is_refused(app, demo_runtime, target, token):
    account, path, data = _csrf_targets(demo_runtime)[target]
    browser = new_client(app, account)
    if token == "wrong":
        data = {**data, "csrf_token": "wrong" + "0" * 40}
    elif token == "another session's":
        data = {**data, "csrf_token": new_client(app).csrf("/login")}
    before = snapshot(demo_runtime)
    response = browser.client.post(path, data=data)
    assert response.status_code == 400
    assert snapshot(demo_runtime) == before
    assert logged_in(browser) == (account is not None)  # the login form did not log in


@pytest.mark.parametrize("target", CSRF_TARGETS)
def test_the_same_post_with_the_token_is_saved(app, demo_runtime, target):
    """The forms above are refused for their token alone."""
    account, path, data = _csrf_targets(demo_runtime)[target]
    browser = new_client(app, account)
    before = snapshot(demo_runtime)
    response = browser.post(path, data, token_from="/login" if account is None else "/")
    assert response.status_code in (200, 302, 303), response.status_code
    if account is None:
        assert logged_in(browser)
    else:
        assert snapshot(demo_runtime) != before


def test_a_candidates_name_is_shown_escaped(app, demo_runtime):
    from db.actors import actor_by_username
    from workflow.services import identify_candidate

    cell = scalar(demo_runtime, "SELECT id FROM organisations WHERE name = :n", n=CHU_VAN_AN)
    with demo_runtime.sessions() as session:
        secretary = actor_by_username(session, "bithu.chuvanan")
    case = identify_candidate(
        demo_runtime.uow(),
        secretary,
        {
            "full_name": SCRIPT,
            "birth_date": "12/04/2008",
            "cell": str(cell),
            "source": "cell_review",
            "source_detail": SCRIPT,
            "birth_place": SCRIPT,
            "id_number": "068308000999",
        },
    )
    pages = {
        "bithu.chuvanan": ["/candidates/", f"/candidates/{case.id}", "/"],
        "kiemtra": ["/audit/", f"/audit/cases/{case.id}", f"/candidates/{case.id}"],
    }
    for username, paths in pages.items():
        browser = new_client(app, username)
        for path in paths:
            page = browser.get(path).text
            assert SCRIPT not in page, f"{path} as {username} shows the name unescaped"
            assert ESCAPED in page, f"{path} as {username} does not show the name"
    # What the user types is escaped too, in the search box and the audit filters.
    browser = new_client(app, "kiemtra")
    typed = quote(SCRIPT)
    for path in (
        f"/candidates/?q={typed}",
        f"/audit/?user={typed}",
        f"/audit/?case={typed}&since={typed}",
    ):
        page = browser.get(path).text
        assert SCRIPT not in page, path
        assert ESCAPED in page, path


def test_logout_is_a_post_with_the_csrf_token(app, login):
    browser = login("bithu.chuvanan")
    assert browser.get("/logout").status_code == 405
    assert logged_in(browser)
    assert browser.client.post("/logout").status_code == 400  # no token
    assert browser.client.post("/logout", data={"csrf_token": "wrong"}).status_code == 400
    assert logged_in(browser)
    response = browser.post("/logout")
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/login"
    assert not logged_in(browser)


def test_a_deactivated_users_session_ends_at_the_next_request(app, demo_runtime):
    user = new_client(app, "bithu.chuvanan")
    assert logged_in(user)
    identified, version = case_in(demo_runtime, "identified")
    admin = new_client(app, "admin")
    user_id = user_id_of(demo_runtime, "bithu.chuvanan")
    token = user.csrf("/")  # taken while the session still works
    deactivated = admin.post(f"/admin/users/{user_id}/active", {"active": "0"})
    assert deactivated.status_code == 302
    response = user.get("/candidates/")
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/login"
    before = snapshot(demo_runtime)
    refused = user.client.post(
        f"/candidates/{identified}/actions/withdraw",
        data={"reason": "Chuyển trường", "version": str(version), "csrf_token": token},
    )
    assert refused.status_code in (302, 400, 401, 403)
    assert snapshot(demo_runtime) == before
    assert try_login(app, "bithu.chuvanan", DEMO_PASSWORD).status_code == 401
