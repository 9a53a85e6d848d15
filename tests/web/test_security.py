"""The web's defences: CSRF, escaping, open redirects, login throttling, password storage,
cookies, security headers, no third-party resources, logout, and deactivated users."""

from __future__ import annotations

import re
import shutil
import time
from html.parser import HTMLParser
from urllib.parse import quote, urljoin, urlsplit

import pytest
from sqlalchemy import text

from tests.web.conftest import DEMO_PASSWORD, Browser

CHU_VAN_AN = "Chi bộ trường THPT Chu Văn An"
SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _sql(runtime, query: str, **params) -> list:
    with runtime.engine.connect() as conn:
        return conn.execute(text(query), params).all()


def _snapshot(runtime) -> dict[str, list]:
    """Every case's state and version, the events, and the tables an admin changes."""
    return {
        "cases": _sql(runtime, "SELECT id, state, version FROM cases ORDER BY id"),
        "events": _sql(runtime, "SELECT count(*) FROM events"),
        "users": _sql(runtime, "SELECT * FROM users ORDER BY id"),
        "role_grants": _sql(runtime, "SELECT * FROM role_grants ORDER BY id"),
        "organisations": _sql(runtime, "SELECT * FROM organisations ORDER BY id"),
    }


def _id(runtime, query: str, **params) -> int:
    return _sql(runtime, query, **params)[0][0]


def _case(runtime, state: str, cell: str = CHU_VAN_AN) -> tuple[int, int]:
    """A case of `cell` in `state`: (id, version)."""
    row = _sql(
        runtime,
        "SELECT c.id, c.version FROM cases c JOIN organisations o ON o.id = c.cell_id "
        "WHERE o.name = :cell AND c.state = :state ORDER BY c.id",
        cell=cell,
        state=state,
    )[0]
    return row[0], row[1]


def _user_id(runtime, username: str) -> int:
    return _id(runtime, "SELECT id FROM users WHERE username = :u", u=username)


def _client(app, username: str | None = None) -> Browser:
    """A new client, logged in as `username` unless None."""
    browser = Browser(app.test_client())
    if username is not None:
        assert browser.login(username).status_code == 302, f"login as {username} failed"
    return browser


def _logged_in(browser: Browser) -> bool:
    return browser.get("/").status_code == 200


def _flashes(page: str) -> list[str]:
    return re.findall(r'<p class="flash error"[^>]*>([^<]*)</p>', page)


# --- one app on one copy of the demo for the read-only checks -------------------------------------


@pytest.fixture(scope="module")
def site(demo_template, tmp_path_factory):
    """The demo district copied once for the module's read-only checks."""
    from db.runtime import Runtime
    from web import create_app

    folder = tmp_path_factory.mktemp("security")
    shutil.copy(demo_template, folder / "hoso.sqlite3")
    runtime = Runtime.from_url(f"sqlite:///{folder / 'hoso.sqlite3'}")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HOSO_INSTANCE", str(folder / "instance"))
        app = create_app(
            {"TESTING": True, "SECRET_KEY": "test", "WTF_CSRF_ENABLED": True}, runtime=runtime
        )
        app.extensions["test_clients"] = {}
        yield app
    runtime.engine.dispose()


def _as(app, username: str | None) -> Browser:
    """The module's client for `username`, logged in once."""
    clients = app.extensions["test_clients"]
    if username not in clients:
        clients[username] = _client(app, username)
    return clients[username]


# --- CSRF -----------------------------------------------------------------------------------------


def _csrf_targets(runtime) -> dict[str, tuple[str | None, str, dict[str, str]]]:
    """Forms that would be saved with the right token: name → (account, path, data)."""
    identified, version = _case(runtime, "identified")
    sent, sent_version = _case(runtime, "dossier_submitted")
    user = _user_id(runtime, "bithu.dongthuy")
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
    browser = _client(app, account)
    if token == "wrong":
        data = {**data, "csrf_token": "wrong" + "0" * 40}
    elif token == "another session's":
        data = {**data, "csrf_token": _client(app).csrf("/login")}
    before = _snapshot(demo_runtime)
    response = browser.client.post(path, data=data)
    assert response.status_code == 400
    assert _snapshot(demo_runtime) == before
    assert _logged_in(browser) == (account is not None)  # the login form did not log in


@pytest.mark.parametrize("target", CSRF_TARGETS)
def test_the_same_post_with_the_token_is_saved(app, demo_runtime, target):
    """The forms above are refused for their token alone."""
    account, path, data = _csrf_targets(demo_runtime)[target]
    browser = _client(app, account)
    before = _snapshot(demo_runtime)
    response = browser.post(path, data, token_from="/login" if account is None else "/")
    assert response.status_code in (200, 302, 303), response.status_code
    if account is None:
        assert _logged_in(browser)
    else:
        assert _snapshot(demo_runtime) != before


# --- escaping -------------------------------------------------------------------------------------


def test_a_candidates_name_is_shown_escaped(app, demo_runtime):
    from db.actors import actor_by_username
    from workflow.services import identify_candidate

    cell = _id(demo_runtime, "SELECT id FROM organisations WHERE name = :n", n=CHU_VAN_AN)
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
        browser = _client(app, username)
        for path in paths:
            page = browser.get(path).text
            assert SCRIPT not in page, f"{path} as {username} shows the name unescaped"
            assert ESCAPED in page, f"{path} as {username} does not show the name"
    # What the user types is escaped too, in the search box and the audit filters.
    browser = _client(app, "kiemtra")
    typed = quote(SCRIPT)
    for path in (
        f"/candidates/?q={typed}",
        f"/audit/?user={typed}",
        f"/audit/?case={typed}&since={typed}",
    ):
        page = browser.get(path).text
        assert SCRIPT not in page, path
        assert ESCAPED in page, path


# --- where the login sends you --------------------------------------------------------------------

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
    browser = _client(site)
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
    browser = _client(site)
    token = browser.csrf("/login")
    response = browser.client.post(
        f"/login?next={quote(target, safe='')}",
        data={"username": "bithu.chuvanan", "password": DEMO_PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == target


def test_a_page_asked_for_before_login_is_shown_after_it(site):
    browser = _client(site)
    response = browser.get("/candidates/")
    assert response.status_code == 302
    login_page = response.headers["Location"]
    token = browser.csrf(login_page)
    done = browser.client.post(
        login_page,
        data={"username": "bithu.chuvanan", "password": DEMO_PASSWORD, "csrf_token": token},
    )
    assert done.headers["Location"] == "/candidates/"


# --- login throttling -----------------------------------------------------------------------------

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


def _try(app, username: str, password: str, address: str = "10.1.1.1"):
    """One login attempt from a new client at `address`."""
    browser = Browser(app.test_client())
    token = browser.csrf("/login")
    return browser.client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token},
        environ_base={"REMOTE_ADDR": address},
    )


def test_five_wrong_passwords_lock_the_username_for_a_while(throttled):
    app, clock = throttled
    assert [_try(app, "bithu.chuvanan", "sai").status_code for _ in range(5)] == [401] * 5
    assert _try(app, "bithu.chuvanan", DEMO_PASSWORD).status_code == 429
    assert _try(app, "bithu.chuvanan", "sai").status_code == 429
    # From another address too: the username is locked, not the address.
    assert _try(app, "bithu.chuvanan", DEMO_PASSWORD, "10.9.9.9").status_code == 429
    clock.advance(LOCK_SECONDS / 2)
    assert _try(app, "bithu.chuvanan", DEMO_PASSWORD).status_code == 429
    clock.advance(LOCK_SECONDS / 2 + 1)
    assert _try(app, "bithu.chuvanan", DEMO_PASSWORD).status_code == 302


def test_a_locked_username_does_not_lock_the_others(throttled):
    """Colleagues behind the same address still log in."""
    app, _ = throttled
    for _ in range(5):
        _try(app, "bithu.chuvanan", "sai")
    assert _try(app, "bithu.chuvanan", DEMO_PASSWORD).status_code == 429
    assert _try(app, "giupdo.chuvanan", DEMO_PASSWORD).status_code == 302
    assert _try(app, "BITHU.CHUVANAN", "sai").status_code == 429  # the same name in capitals


def test_a_successful_login_clears_the_users_counter(throttled):
    app, _ = throttled
    for _ in range(4):
        assert _try(app, "bithu.chuvanan", "sai").status_code == 401
    assert _try(app, "bithu.chuvanan", DEMO_PASSWORD).status_code == 302
    for _ in range(4):
        assert _try(app, "bithu.chuvanan", "sai").status_code == 401
    assert _try(app, "bithu.chuvanan", DEMO_PASSWORD).status_code == 302
    for _ in range(5):
        _try(app, "bithu.chuvanan", "sai")
    assert _try(app, "bithu.chuvanan", DEMO_PASSWORD).status_code == 429


def test_one_address_guessing_many_usernames_is_stopped(demo_runtime, clock):
    """An address has a limit of its own, over all usernames (set low here)."""
    app = _throttled_app(demo_runtime, LOGIN_MAX_FAILURES_PER_IP=12)
    for i in range(12):
        assert _try(app, f"khong.co.{i}", "sai", "10.6.6.6").status_code == 401
    assert _try(app, "giupdo.chuvanan", DEMO_PASSWORD, "10.6.6.6").status_code == 429
    assert _try(app, "giupdo.chuvanan", DEMO_PASSWORD, "10.7.7.7").status_code == 302
    clock.advance(LOCK_SECONDS + 1)
    assert _try(app, "giupdo.chuvanan", DEMO_PASSWORD, "10.6.6.6").status_code == 302


def test_a_few_typos_at_one_address_lock_out_nobody_else(throttled):
    """Users behind one school's address: a colleague's failures do not lock them out."""
    app, _ = throttled
    for username in ("bithu.chuvanan", "giupdo.chuvanan", "bithu.dongthuy"):
        for _ in range(4):
            assert _try(app, username, "sai").status_code == 401
    assert _try(app, "giupdo.dongthuy", DEMO_PASSWORD).status_code == 302
    assert _try(app, "bithu.chuvanan", DEMO_PASSWORD).status_code == 302


def test_a_failed_login_does_not_tell_whether_the_user_exists(site):
    """An unknown user, a wrong password, a deactivated user: the same answer."""
    answers = {}
    for username, password in [
        ("khong.ton.tai", "sai"),
        ("bithu.chuvanan", "sai"),
        ("bithu.ductrong", DEMO_PASSWORD),  # a demo user without login
    ]:
        response = _try(site, username, password, f"10.2.2.{len(answers)}")
        answers[username] = (response.status_code, _flashes(response.text))
    assert len(set(map(repr, answers.values()))) == 1, answers
    status, messages = answers["bithu.chuvanan"]
    assert status == 401 and len(messages) == 1


# --- passwords and cookies ------------------------------------------------------------------------


def test_passwords_are_stored_hashed(app, demo_runtime, login):
    rows = _sql(demo_runtime, "SELECT username, password_hash FROM users WHERE active")
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
        _sql(demo_runtime, "SELECT password_hash FROM users WHERE username = :u", u=u)[0][0]
        for u in ("nguoi.mot", "nguoi.hai")
    )
    assert one.startswith(("scrypt:", "pbkdf2:")) and "mat-khau-chung-1" not in one
    assert one != two


def test_the_session_cookie_is_httponly_and_samesite_lax(site):
    browser = _client(site)
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


# --- headers --------------------------------------------------------------------------------------

#: (account, method, path): pages, redirects, errors, static files, a download.
RESPONSES = [
    (None, "GET", "/login"),
    (None, "GET", "/"),
    (None, "GET", "/static/hoso.css"),
    (None, "GET", "/nowhere"),
    (None, "POST", "/login"),
    ("admin", "GET", "/admin/"),
    ("admin", "GET", "/admin/users"),
    ("admin", "GET", "/admin/static/admin.css"),
    ("admin", "GET", "/candidates/"),
    ("admin", "GET", "/candidates/1"),
    ("admin", "GET", "/logout"),
    ("kiemtra", "GET", "/audit/"),
    ("kiemtra", "GET", "/audit/export.csv"),
    ("kiemtra", "GET", "/audit/verify"),
    ("kiemtra", "POST", "/candidates/1/actions/admit"),
    ("bantochuc", "GET", "/reviews/"),
    ("bithu.chuvanan", "GET", "/candidates/"),
    ("bithu.chuvanan", "GET", "/candidates/1"),
]


def _directives(policy: str) -> dict[str, list[str]]:
    found = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            found[words[0].lower()] = words[1:]
    return found


@pytest.mark.parametrize(("account", "method", "path"), RESPONSES)
def test_every_response_carries_the_security_headers(site, account, method, path):
    browser = _as(site, account)
    response = browser.client.open(path, method=method)
    headers = response.headers
    policy = _directives(headers.get("Content-Security-Policy", ""))
    scripts = policy.get("script-src", policy.get("default-src"))
    assert scripts is not None, f"{path}: no script policy"
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts
    assert "*" not in scripts and "http:" not in scripts and "https:" not in scripts
    assert headers.get("X-Content-Type-Options") == "nosniff"
    assert headers.get("X-Frame-Options") == "DENY"
    assert headers.get("Referrer-Policy") in (
        "no-referrer",
        "same-origin",
        "strict-origin",
        "strict-origin-when-cross-origin",
    )


# --- what the pages load and link to --------------------------------------------------------------


class _Links(HTMLParser):
    """Every URL an element of the page names."""

    ATTRIBUTES = {"src", "href", "action", "formaction", "srcset", "poster", "data", "xlink:href"}

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[tuple[str, str, str]] = []  # (tag, attribute, url)
        self.inline: list[str] = []  # inline scripts and event handlers

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in self.ATTRIBUTES and value:
                urls = [u.split()[0] for u in value.split(",")] if name == "srcset" else [value]
                self.urls.extend((tag, name, url.strip()) for url in urls)
            if name.startswith("on"):
                self.inline.append(f"<{tag} {name}=...>")
        if tag == "script" and not dict(attrs).get("src"):
            self.inline.append("<script> without src")


def _main_pages(app) -> list[tuple[str | None, str]]:
    runtime = app.extensions["hoso"]
    cases = [row[0] for row in _sql(runtime, "SELECT min(id) FROM cases GROUP BY state")]
    user = _user_id(runtime, "bithu.chuvanan")
    org = _id(runtime, "SELECT id FROM organisations WHERE name = :n", n=CHU_VAN_AN)
    pages: list[tuple[str | None, str]] = [(None, "/login"), (None, "/nowhere")]
    pages += [
        ("admin", path)
        for path in (
            "/",
            "/admin/",
            "/admin/users",
            "/admin/users/new",
            f"/admin/users/{user}",
            "/admin/organisations",
            "/admin/organisations/new",
            f"/admin/organisations/{org}",
            "/candidates/",  # 403
        )
    ]
    pages += [
        ("bantochuc", path)
        for path in ("/", "/candidates/", "/reviews/", "/audit/", "/audit/verify")
    ]
    pages += [("bantochuc", f"/candidates/{case}") for case in cases]
    pages += [("kiemtra", f"/audit/cases/{case}") for case in cases]
    pages += [("kiemtra", "/candidates/99999")]
    pages += [
        (username, "/")
        for username in (
            "bithu.chuvanan",
            "giupdo.chuvanan",
            "bithu.dongthuy",
            "giupdo.dongthuy",
            "doan.chuvanan",
            "congdoan.dongthuy",
            "trungtam",
        )
    ]
    pages += [
        ("bithu.chuvanan", "/candidates/"),
        ("bithu.chuvanan", "/candidates/new"),
        ("giupdo.chuvanan", "/candidates/"),
    ]
    return pages


def _links_of_main_pages(app) -> list[tuple[str | None, str, str, str, str]]:
    """(user, page, tag, attribute, url) of every URL on the main pages; inline scripts too."""
    found = []
    for username, path in _main_pages(app):
        response = _as(app, username).get(path)
        assert response.mimetype == "text/html", path
        parser = _Links()
        parser.feed(response.text)
        where = f"{path} (as {username or 'nobody'})"
        found += [(username, where, tag, attr, url) for tag, attr, url in parser.urls]
        found += [(username, where, "inline", "script", text) for text in parser.inline]
    return found


def test_no_page_uses_another_host_or_inline_script(site):
    bad = []
    for _, page, tag, attribute, url in _links_of_main_pages(site):
        if tag == "inline":
            bad.append(f"{page}: {url}")
            continue
        parts = urlsplit(url)
        if parts.scheme not in ("", "http", "https", "mailto"):
            bad.append(f"{page}: <{tag} {attribute}={url!r}> ({parts.scheme}: URL)")
        elif parts.netloc and parts.netloc != "localhost":
            bad.append(f"{page}: <{tag} {attribute}={url!r}> links to {parts.netloc}")
    assert not bad, "\n".join(bad)


def test_every_static_asset_referenced_is_served(site):
    """Style sheets, icons, images and scripts, each fetched as the user whose page names it
    (and what a style sheet loads in turn)."""
    assets = {
        (username, urlsplit(url).path)
        for username, _, tag, attribute, url in _links_of_main_pages(site)
        if (tag, attribute) in {("link", "href"), ("script", "src"), ("img", "src")}
    }
    assert {"/static/hoso.css", "/static/favicon.svg"} <= {path for _, path in assets}
    checked = set()
    while assets:
        username, path = asset = assets.pop()
        checked.add(asset)
        response = _as(site, username).get(path)
        assert response.status_code == 200, f"{path} is referenced but not served"
        assert response.data, f"{path} is empty"
        if path.endswith(".css"):
            for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", response.text):
                if url.startswith(("data:", "#")):
                    continue
                parts = urlsplit(urljoin(path, url))
                assert not parts.netloc, f"{path} loads {url} from another host"
                if (username, parts.path) not in checked:
                    assets.add((username, parts.path))


# --- logout and deactivated users -----------------------------------------------------------------


def test_logout_is_a_post_with_the_csrf_token(app, login):
    browser = login("bithu.chuvanan")
    assert browser.get("/logout").status_code == 405
    assert _logged_in(browser)
    assert browser.client.post("/logout").status_code == 400  # no token
    assert browser.client.post("/logout", data={"csrf_token": "wrong"}).status_code == 400
    assert _logged_in(browser)
    response = browser.post("/logout")
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/login"
    assert not _logged_in(browser)


def test_a_deactivated_users_session_ends_at_the_next_request(app, demo_runtime):
    user = _client(app, "bithu.chuvanan")
    assert _logged_in(user)
    identified, version = _case(demo_runtime, "identified")
    admin = _client(app, "admin")
    user_id = _user_id(demo_runtime, "bithu.chuvanan")
    token = user.csrf("/")  # taken while the session still works
    deactivated = admin.post(f"/admin/users/{user_id}/active", {"active": "0"})
    assert deactivated.status_code == 302
    response = user.get("/candidates/")
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/login"
    before = _snapshot(demo_runtime)
    refused = user.client.post(
        f"/candidates/{identified}/actions/withdraw",
        data={"reason": "Chuyển trường", "version": str(version), "csrf_token": token},
    )
    assert refused.status_code in (302, 400, 401, 403)
    assert _snapshot(demo_runtime) == before
    assert _try(app, "bithu.chuvanan", DEMO_PASSWORD).status_code == 401
