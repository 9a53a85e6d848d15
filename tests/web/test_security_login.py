"""The login's defences: no redirect off the site, throttling stored in the database that slows a
client down but never keeps the right password out, one answer to every failure.

And the passwords stored hashed (Argon2id; an older werkzeug hash is upgraded on its next login),
the session cookie HttpOnly and SameSite=Lax.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import quote, urlsplit

import pytest
from sqlalchemy import text
from werkzeug.security import generate_password_hash

from db import passwords
from tests.web.conftest import DEMO_PASSWORD
from tests.web.security_support import (
    flashes,
    logged_in,
    new_client,
    sql,
    start_site,
    try_login,
)


@pytest.fixture(scope="module")
def site(demo_template, tmp_path_factory):
    """The demo district copied once for the module's read-only checks."""
    yield from start_site(demo_template, tmp_path_factory)


OFF_SITE = [
    "https://evil.example",
    "//evil.example",
    "/\\evil.example",
    "/\\\\evil.example",
    "javascript:alert(1)",
    "http:evil.example",
    "///evil.example",
    " //evil.example",
    "/\t/evil.example",
    "https://localhost.evil.example/",
]


def _on_site(location: str) -> bool:
    parts = urlsplit(location)
    return (
        parts.scheme in ("", "http")
        and parts.netloc in ("", "localhost")
        and parts.path.startswith("/")
        and not parts.path.startswith("//")
        and "\\" not in location
        and not any(c in location for c in "\t\r\n ")
    )


@pytest.mark.parametrize("target", OFF_SITE)
def test_the_login_never_sends_you_off_the_site(site, target):
    browser = new_client(site)
    token = browser.csrf("/login")
    response = browser.client.post(
        f"/login?next={quote(target, safe='')}",
        data={"username": "bithu.chuvanan", "password": DEMO_PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302
    assert _on_site(response.headers["Location"]), response.headers["Location"]
    # Already logged in, /login?next= redirects at once: to the site as well.
    again = browser.get(f"/login?next={quote(target, safe='')}")
    assert again.status_code == 302
    assert _on_site(again.headers["Location"]), again.headers["Location"]


@pytest.mark.parametrize("target", ["/candidates/", "/candidates/?state=trained", "/audit/"])
def test_the_login_honours_a_path_on_the_site(site, target):
    browser = new_client(site)
    token = browser.csrf("/login")
    response = browser.client.post(
        f"/login?next={quote(target, safe='')}",
        data={"username": "bithu.chuvanan", "password": DEMO_PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == target


def test_a_page_asked_for_before_login_is_shown_after_it(site):
    browser = new_client(site)
    response = browser.get("/candidates/")
    assert response.status_code == 302
    login_page = response.headers["Location"]
    token = browser.csrf(login_page)
    done = browser.client.post(
        login_page,
        data={"username": "bithu.chuvanan", "password": DEMO_PASSWORD, "csrf_token": token},
    )
    assert done.headers["Location"] == "/candidates/"


def age_failures(runtime, seconds: float) -> None:
    """Time passes for the throttle: every stored failure becomes `seconds` older."""
    from db.models import LoginAttempt

    with runtime.sessions() as session:
        for attempt in session.query(LoginAttempt):
            attempt.at = attempt.at - timedelta(seconds=seconds)
        session.commit()


@pytest.fixture
def cheap(demo_runtime, tmp_path, monkeypatch):
    """Password checks made cheap (the throttle is what is tested)."""
    from werkzeug.security import generate_password_hash

    monkeypatch.setenv("HOSO_INSTANCE", str(tmp_path / "instance"))
    hashed = generate_password_hash(DEMO_PASSWORD, method="pbkdf2:sha256:1000")
    monkeypatch.setattr("db.repositories.logins.DUMMY_HASH", hashed)
    with demo_runtime.engine.begin() as conn:
        conn.execute(text("UPDATE users SET password_hash = :h WHERE active"), {"h": hashed})


def _throttled_app(runtime, **limits):
    """An app with the throttle's rules `limits` (``workflow.logins.Limits``' fields)."""
    from web import create_app
    from workflow.logins import Limits

    settings = {
        "TESTING": True,
        "SECRET_KEY": "test",
        "WTF_CSRF_ENABLED": True,
        "LOGIN_LIMITS": Limits(**limits),
    }
    return create_app(settings, runtime=runtime)


@pytest.fixture
def throttled(demo_runtime, cheap):
    return _throttled_app(demo_runtime)


def test_after_a_few_failures_the_client_waits_and_is_told_how_long(throttled, demo_runtime):
    app = throttled
    assert [try_login(app, "bithu.chuvanan", "sai").status_code for _ in range(3)] == [401] * 3
    assert try_login(app, "bithu.chuvanan", "sai").status_code == 401  # the 4th: 2 s to wait
    response = try_login(app, "bithu.chuvanan", DEMO_PASSWORD)
    assert response.status_code == 429
    wait = int(response.headers["Retry-After"])
    assert 1 <= wait <= 2
    assert f"{wait} giây" in flashes(response.text)[0]
    age_failures(demo_runtime, 3)
    assert try_login(app, "bithu.chuvanan", DEMO_PASSWORD).status_code == 302


def test_the_wait_doubles_with_every_failure_up_to_a_few_minutes(throttled, demo_runtime):
    app = throttled
    waits = []
    for _ in range(14):
        response = try_login(app, "bithu.chuvanan", "sai")
        if response.status_code == 429:
            waits.append(int(response.headers["Retry-After"]))
            age_failures(demo_runtime, waits[-1])
            response = try_login(app, "bithu.chuvanan", "sai")
        assert response.status_code == 401
    assert waits == [2, 4, 8, 16, 32, 64, 128, 256, 300, 300]


def test_a_stranger_cannot_keep_the_user_out(throttled):
    """Failures from an attacker's address hold back that address, not the user elsewhere."""
    app = throttled
    for _ in range(10):
        try_login(app, "bithu.chuvanan", "sai", "203.0.113.66")
    assert try_login(app, "bithu.chuvanan", DEMO_PASSWORD, "203.0.113.66").status_code == 429
    assert try_login(app, "bithu.chuvanan", DEMO_PASSWORD, "10.9.9.9").status_code == 302
    # The same name in capitals is the same username for the throttle.
    assert try_login(app, "BITHU.CHUVANAN", "sai", "203.0.113.66").status_code == 429


def test_a_known_device_logs_in_while_its_address_is_held_back(throttled):
    """The user's own browser (it logged in before) is not held back by a stranger's failures,
    even from the same address (an office, a NAT)."""
    app = throttled
    mine = new_client(app)
    assert mine.login("bithu.chuvanan").status_code == 302
    assert mine.client.get_cookie("hoso_device") is not None
    mine.post("/logout")
    for _ in range(6):
        try_login(app, "bithu.chuvanan", "sai", "127.0.0.1")
    assert try_login(app, "bithu.chuvanan", DEMO_PASSWORD, "127.0.0.1").status_code == 429
    assert mine.login("bithu.chuvanan").status_code == 302
    # A forged device cookie is no device.
    forged = new_client(app)
    forged.client.set_cookie("hoso_device", mine.client.get_cookie("hoso_device").value + "x")
    assert forged.login("bithu.chuvanan").status_code == 429


def test_a_successful_login_clears_the_counter(throttled):
    app = throttled
    for _ in range(3):
        assert try_login(app, "bithu.chuvanan", "sai").status_code == 401
    assert try_login(app, "bithu.chuvanan", DEMO_PASSWORD).status_code == 302
    for _ in range(3):
        assert try_login(app, "bithu.chuvanan", "sai").status_code == 401
    assert try_login(app, "bithu.chuvanan", DEMO_PASSWORD).status_code == 302


def test_one_address_guessing_many_usernames_is_slowed_down(demo_runtime, cheap):
    """An address has a limit of its own, over all usernames (set low here)."""
    from workflow.logins import Rule

    app = _throttled_app(demo_runtime, address=Rule(free=12))
    for i in range(13):
        assert try_login(app, f"khong.co.{i}", "sai", "10.6.6.6").status_code == 401
    assert try_login(app, "giupdo.chuvanan", DEMO_PASSWORD, "10.6.6.6").status_code == 429
    assert try_login(app, "giupdo.chuvanan", DEMO_PASSWORD, "10.7.7.7").status_code == 302
    age_failures(demo_runtime, 3)
    assert try_login(app, "giupdo.chuvanan", DEMO_PASSWORD, "10.6.6.6").status_code == 302


def test_a_few_typos_at_one_address_hold_back_nobody_else(throttled):
    """Users behind one school's address: a colleague's failures do not hold them back."""
    app = throttled
    for username in ("bithu.chuvanan", "giupdo.chuvanan", "bithu.dongthuy"):
        for _ in range(3):
            assert try_login(app, username, "sai").status_code == 401
    assert try_login(app, "giupdo.dongthuy", DEMO_PASSWORD).status_code == 302
    assert try_login(app, "bithu.chuvanan", DEMO_PASSWORD).status_code == 302


def test_the_throttle_is_shared_by_every_process_on_the_database(demo_runtime, cheap):
    """Two apps (two workers) on one database: failures on one hold the client back on both."""
    one, two = _throttled_app(demo_runtime), _throttled_app(demo_runtime)
    for app in (one, two, one, two):
        assert try_login(app, "bithu.chuvanan", "sai").status_code == 401
    assert try_login(one, "bithu.chuvanan", DEMO_PASSWORD).status_code == 429
    assert try_login(two, "bithu.chuvanan", DEMO_PASSWORD).status_code == 429


def test_old_failures_are_pruned(throttled, demo_runtime):
    app = throttled
    for _ in range(3):
        try_login(app, "bithu.chuvanan", "sai")
    age_failures(demo_runtime, 2 * 3600)
    try_login(app, "khong.co", "sai")
    assert sql(demo_runtime, "SELECT username FROM login_attempts") == [("khong.co",)]


def test_a_failed_login_does_not_tell_whether_the_user_exists(site):
    """An unknown user, a wrong password, a deactivated user: the same answer."""
    answers = {}
    for username, password in [
        ("khong.ton.tai", "sai"),
        ("bithu.chuvanan", "sai"),
        ("bithu.ductrong", DEMO_PASSWORD),  # a demo user without login
    ]:
        response = try_login(site, username, password, f"10.2.2.{len(answers)}")
        answers[username] = (response.status_code, flashes(response.text))
    assert len(set(map(repr, answers.values()))) == 1, answers
    status, messages = answers["bithu.chuvanan"]
    assert status == 401 and len(messages) == 1


def test_passwords_are_stored_hashed(app, demo_runtime, login):
    rows = sql(demo_runtime, "SELECT username, password_hash FROM users WHERE active")
    assert rows
    for username, stored in rows:
        assert stored.startswith(passwords.PREFIX), username
        assert DEMO_PASSWORD not in stored.split("$", 2)[-1]
    # Users made on the admin page: hashed, and salted (one password, two hashes).
    browser = login("admin")
    for username in ("nguoi.mot", "nguoi.hai"):
        form = {
            "username": username,
            "full_name": "Người Dùng",
            "email": "",
            "password": "mat-khau-chung-1",
            "active": "y",
        }
        assert browser.post("/admin/users/new", form).status_code == 302
    one, two = (
        sql(demo_runtime, "SELECT password_hash FROM users WHERE username = :u", u=u)[0][0]
        for u in ("nguoi.mot", "nguoi.hai")
    )
    assert one.startswith(passwords.PREFIX) and "mat-khau-chung-1" not in one
    assert one != two


def _stored(runtime, username: str) -> tuple[str, int]:
    """The user's stored hash and session version."""
    query = "SELECT password_hash, session_version FROM users WHERE username = :u"
    return tuple(sql(runtime, query, u=username)[0])


@pytest.mark.parametrize("method", ["scrypt", "pbkdf2:sha256:1000"])
def test_an_old_hash_logs_in_once_upgraded_and_no_other_session_ends(app, demo_runtime, method):
    elsewhere = new_client(app, "bithu.chuvanan")  # another device, logged in before
    old = generate_password_hash(DEMO_PASSWORD, method=method)
    with demo_runtime.engine.begin() as conn:
        conn.execute(
            text("UPDATE users SET password_hash = :h WHERE username = 'bithu.chuvanan'"),
            {"h": old},
        )
    version = _stored(demo_runtime, "bithu.chuvanan")[1]

    assert try_login(app, "bithu.chuvanan", "sai").status_code == 401
    assert _stored(demo_runtime, "bithu.chuvanan") == (old, version)  # a wrong one never upgrades

    mine = new_client(app, "bithu.chuvanan")
    upgraded, after = _stored(demo_runtime, "bithu.chuvanan")
    assert upgraded != old and upgraded.startswith(passwords.PREFIX)
    assert not passwords.needs_rehash(upgraded)
    assert after == version  # the same session version: nobody is logged out by it
    assert logged_in(mine) and logged_in(elsewhere)
    assert try_login(app, "bithu.chuvanan", DEMO_PASSWORD).status_code == 302  # still the one
    assert try_login(app, "bithu.chuvanan", "sai").status_code == 401
    assert _stored(demo_runtime, "bithu.chuvanan") == (upgraded, version)  # upgraded once


def test_a_deactivated_user_with_an_old_hash_is_not_upgraded(app, demo_runtime):
    old = generate_password_hash(DEMO_PASSWORD, method="pbkdf2:sha256:1000")
    with demo_runtime.engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE users SET password_hash = :h, active = false "
                "WHERE username = 'bithu.chuvanan'"
            ),
            {"h": old},
        )
    assert try_login(app, "bithu.chuvanan", DEMO_PASSWORD).status_code == 401
    assert _stored(demo_runtime, "bithu.chuvanan")[0] == old


def test_the_session_cookie_is_httponly_and_samesite_lax(site):
    browser = new_client(site)
    token = browser.csrf("/login")
    response = browser.client.post(
        "/login",
        data={"username": "kiemtra", "password": DEMO_PASSWORD, "csrf_token": token},
    )
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert cookies
    for cookie in cookies:
        flags = [part.strip().lower() for part in cookie.split(";")[1:]]
        assert "httponly" in flags, cookie
        assert "samesite=lax" in flags, cookie
