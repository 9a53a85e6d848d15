"""Sessions that end everywhere: a cookie copied before logout, a password change, a reset or a
deactivation opens no page after it; the account page changes one's own password."""

from __future__ import annotations

import re

import pytest

from tests.web.conftest import DEMO_PASSWORD, Browser
from tests.web.security_support import logged_in, new_client, sql, user_id_of

NEW = "mot-cau-that-dai-2026"


@pytest.fixture
def cheap(demo_runtime):
    """Password checks made cheap (the sessions are what is tested)."""
    from sqlalchemy import text
    from werkzeug.security import generate_password_hash

    hashed = generate_password_hash(DEMO_PASSWORD, method="pbkdf2:sha256:1000")
    with demo_runtime.engine.begin() as conn:
        conn.execute(text("UPDATE users SET password_hash = :h WHERE active"), {"h": hashed})


def copy_of(app, browser: Browser) -> Browser:
    """Another client carrying a copy of `browser`'s session cookie (a stolen cookie)."""
    thief = Browser(app.test_client())
    thief.client.set_cookie("session", browser.client.get_cookie("session").value)
    return thief


def test_a_cookie_copied_before_logout_opens_no_page_after_it(app, cheap):
    mine = new_client(app, "bithu.chuvanan")
    thief = copy_of(app, mine)
    assert logged_in(thief)
    assert mine.post("/logout").status_code == 302
    assert not logged_in(thief)
    assert thief.get("/candidates/").status_code == 302  # to the login


def test_logout_ends_the_users_sessions_on_other_browsers_too(app, cheap):
    office, home = new_client(app, "bithu.chuvanan"), new_client(app, "bithu.chuvanan")
    other = new_client(app, "giupdo.chuvanan")
    office.post("/logout")
    assert not logged_in(home)
    assert logged_in(other)  # another user's sessions stand


def test_a_session_from_before_the_session_versions_is_refused(app, demo_runtime, cheap):
    """A cookie naming the user alone (as before) is no session: nobody is logged in by it."""
    from flask.sessions import SecureCookieSessionInterface

    signer = SecureCookieSessionInterface().get_signing_serializer(app)
    user_id = user_id_of(demo_runtime, "bithu.chuvanan")
    browser = Browser(app.test_client())
    browser.client.set_cookie("session", signer.dumps({"_user_id": str(user_id)}))
    assert not logged_in(browser)
    browser.client.set_cookie("session", signer.dumps({"_user_id": f"{user_id}:1"}))
    assert logged_in(browser)  # the same, with the version: the forgery needs the secret key


def _change(browser: Browser, current: str, new: str, again: str | None = None):
    return browser.post(
        "/account",
        {"current": current, "password": new, "confirm": new if again is None else again},
        token_from="/account",
    )


def test_the_header_links_to_the_account_page(app, cheap):
    browser = new_client(app, "bithu.chuvanan")
    page = browser.get("/").get_data(as_text=True)
    assert 'href="/account"' in page
    account = browser.get("/account")
    assert account.status_code == 200
    text = account.get_data(as_text=True)
    assert "Tài khoản" in text and "Mật khẩu hiện tại" in text and "bithu.chuvanan" in text


def test_the_account_page_needs_a_login(browser):
    assert browser.get("/account").status_code == 302


def test_changing_ones_password_ends_the_other_sessions_and_keeps_this_one(
    app, demo_runtime, cheap
):
    mine = new_client(app, "bithu.chuvanan")
    thief, elsewhere = copy_of(app, mine), new_client(app, "bithu.chuvanan")
    before = sql(demo_runtime, "SELECT password_hash FROM users WHERE username='bithu.chuvanan'")
    response = _change(mine, DEMO_PASSWORD, NEW)
    assert response.status_code == 302
    assert logged_in(mine)
    assert not logged_in(thief) and not logged_in(elsewhere)
    after = sql(demo_runtime, "SELECT password_hash FROM users WHERE username='bithu.chuvanan'")
    assert after != before and NEW not in after[0][0]
    assert new_client(app).login("bithu.chuvanan", NEW).status_code == 302
    assert new_client(app).login("bithu.chuvanan", DEMO_PASSWORD).status_code == 401
    events = sql(demo_runtime, "SELECT action, role, data FROM events ORDER BY id DESC LIMIT 1")
    assert events[0][:2] == ("change_own_password", "self")
    assert NEW not in events[0][2] and DEMO_PASSWORD not in events[0][2]


def _error_on(page: str, field: str) -> str:
    match = re.search(rf'<span class="error" id="{field}-error">([^<]*)</span>', page)
    return match.group(1) if match else ""


@pytest.mark.parametrize(
    ("current", "new", "again", "field", "words"),
    [
        ("sai-roi", NEW, None, "current", "không phải mật khẩu hiện tại"),
        (DEMO_PASSWORD, "ngan", None, "password", "8"),
        (DEMO_PASSWORD, "password123", None, "password", "phổ biến"),
        (DEMO_PASSWORD, "bithu.chuvanan-1", None, "password", "tên"),
        (DEMO_PASSWORD, NEW, NEW + "x", "confirm", "không khớp"),
        ("", NEW, None, "current", ""),
    ],
)
def test_a_refused_password_names_the_field(
    app, demo_runtime, cheap, current, new, again, field, words
):
    mine = new_client(app, "bithu.chuvanan")
    before = sql(demo_runtime, "SELECT password_hash, session_version FROM users ORDER BY id")
    response = _change(mine, current, new, again)
    assert response.status_code == 422
    error = _error_on(response.get_data(as_text=True), field)
    assert error and words.lower() in error.lower(), error
    assert (
        sql(demo_runtime, "SELECT password_hash, session_version FROM users ORDER BY id") == before
    )
    assert logged_in(mine)


def test_an_admins_reset_ends_the_users_sessions(app, demo_runtime, cheap):
    victim = new_client(app, "bithu.chuvanan")
    admin = new_client(app, "admin")
    user_id = user_id_of(demo_runtime, "bithu.chuvanan")
    done = admin.post(
        f"/admin/users/{user_id}/password", {"password": NEW}, token_from=f"/admin/users/{user_id}"
    )
    assert done.status_code == 302
    assert not logged_in(victim)
    assert logged_in(admin)


def test_a_deactivated_users_cookie_stays_dead_after_reactivation(app, demo_runtime, cheap):
    victim = new_client(app, "bithu.chuvanan")
    admin = new_client(app, "admin")
    user_id = user_id_of(demo_runtime, "bithu.chuvanan")
    page = f"/admin/users/{user_id}"
    assert admin.post(f"{page}/active", {"active": "0"}, token_from=page).status_code == 302
    assert not logged_in(victim)
    assert admin.post(f"{page}/active", {"active": "1"}, token_from=page).status_code == 302
    assert not logged_in(victim)
