"""The login's defences: no redirect off the site, throttling, one answer to every failure.

And the passwords stored hashed, the session cookie HttpOnly and SameSite=Lax.
"""

from __future__ import annotations

import time
from urllib.parse import quote, urlsplit

import pytest
from sqlalchemy import text

from tests.web.conftest import DEMO_PASSWORD
from tests.web.security_support import flashes, new_client, sql, start_site, try_login


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


LOCK_SECONDS = 600


class Clock:
    """time.monotonic, moved forward on demand (never back: other code may read it too)."""

    def __init__(self) -> None:
        self.offset = 0.0
        self._real = time.monotonic

    def __call__(self) -> float:
        return self._real() + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += seconds


@pytest.fixture
def clock(demo_runtime, tmp_path, monkeypatch):
    """A clock the test moves; password checks made cheap (the throttle is what is tested)."""
    from werkzeug.security import generate_password_hash

    monkeypatch.setenv("HOSO_INSTANCE", str(tmp_path / "instance"))
    clock = Clock()
    monkeypatch.setattr("web.auth.time.monotonic", clock)
    cheap = generate_password_hash(DEMO_PASSWORD, method="pbkdf2:sha256:1000")
    monkeypatch.setattr("web.auth._DUMMY_HASH", cheap)
    with demo_runtime.engine.begin() as conn:
        conn.execute(text("UPDATE users SET password_hash = :h WHERE active"), {"h": cheap})
    return clock


def _throttled_app(runtime, **config):
    """An app of its own, so its own counters."""
    from web import create_app

    settings = {
        "TESTING": True,
        "SECRET_KEY": "test",
        "WTF_CSRF_ENABLED": True,
        "LOGIN_MAX_FAILURES": 5,
        "LOGIN_LOCK_SECONDS": LOCK_SECONDS,
        **config,
    }
    return create_app(settings, runtime=runtime)


@pytest.fixture
def throttled(demo_runtime, clock):
    return _throttled_app(demo_runtime), clock


def test_five_wrong_passwords_lock_the_username_for_a_while(throttled):
    app, clock = throttled
    assert [try_login(app, "bithu.chuvanan", "sai").status_code for _ in range(5)] == [401] * 5
    assert try_login(app, "bithu.chuvanan", DEMO_PASSWORD).status_code == 429
    assert try_login(app, "bithu.chuvanan", "sai").status_code == 429
    # From another address too: the username is locked, not the address.
    assert try_login(app, "bithu.chuvanan", DEMO_PASSWORD, "10.9.9.9").status_code == 429
    clock.advance(LOCK_SECONDS / 2)
    assert try_login(app, "bithu.chuvanan", DEMO_PASSWORD).status_code == 429
    clock.advance(LOCK_SECONDS / 2 + 1)
    assert try_login(app, "bithu.chuvanan", DEMO_PASSWORD).status_code == 302


def test_a_locked_username_does_not_lock_the_others(throttled):
    """Colleagues behind the same address still log in."""
    app, _ = throttled
    for _ in range(5):
        try_login(app, "bithu.chuvanan", "sai")
    assert try_login(app, "bithu.chuvanan", DEMO_PASSWORD).status_code == 429
    assert try_login(app, "giupdo.chuvanan", DEMO_PASSWORD).status_code == 302
    assert try_login(app, "BITHU.CHUVANAN", "sai").status_code == 429  # the same name in capitals


def test_a_successful_login_clears_the_users_counter(throttled):
    app, _ = throttled
    for _ in range(4):
        assert try_login(app, "bithu.chuvanan", "sai").status_code == 401
    assert try_login(app, "bithu.chuvanan", DEMO_PASSWORD).status_code == 302
    for _ in range(4):
        assert try_login(app, "bithu.chuvanan", "sai").status_code == 401
    assert try_login(app, "bithu.chuvanan", DEMO_PASSWORD).status_code == 302
    for _ in range(5):
        try_login(app, "bithu.chuvanan", "sai")
    assert try_login(app, "bithu.chuvanan", DEMO_PASSWORD).status_code == 429


def test_one_address_guessing_many_usernames_is_stopped(demo_runtime, clock):
    """An address has a limit of its own, over all usernames (set low here)."""
    app = _throttled_app(demo_runtime, LOGIN_MAX_FAILURES_PER_IP=12)
    for i in range(12):
        assert try_login(app, f"khong.co.{i}", "sai", "10.6.6.6").status_code == 401
    assert try_login(app, "giupdo.chuvanan", DEMO_PASSWORD, "10.6.6.6").status_code == 429
    assert try_login(app, "giupdo.chuvanan", DEMO_PASSWORD, "10.7.7.7").status_code == 302
    clock.advance(LOCK_SECONDS + 1)
    assert try_login(app, "giupdo.chuvanan", DEMO_PASSWORD, "10.6.6.6").status_code == 302


def test_a_few_typos_at_one_address_lock_out_nobody_else(throttled):
    """Users behind one school's address: a colleague's failures do not lock them out."""
    app, _ = throttled
    for username in ("bithu.chuvanan", "giupdo.chuvanan", "bithu.dongthuy"):
        for _ in range(4):
            assert try_login(app, username, "sai").status_code == 401
    assert try_login(app, "giupdo.dongthuy", DEMO_PASSWORD).status_code == 302
    assert try_login(app, "bithu.chuvanan", DEMO_PASSWORD).status_code == 302


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
        assert stored.startswith(("scrypt:", "pbkdf2:")), username
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
    assert one.startswith(("scrypt:", "pbkdf2:")) and "mat-khau-chung-1" not in one
    assert one != two


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
