"""What the security tests share: queries on the demo copy, clients, one login attempt, the site.

The web's defences are tested in test_security_forms.py (CSRF, escaping, logout, deactivated
users), test_security_login.py (redirects, throttling, passwords, cookies) and
test_security_headers.py (headers, no third-party resources).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator

import pytest
from sqlalchemy import text

from tests.web.conftest import Browser

CHU_VAN_AN = "Chi bộ trường THPT Chu Văn An"
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def sql(runtime, query: str, **params) -> list:
    """The rows of `query` on the runtime's database."""
    with runtime.engine.connect() as conn:
        return conn.execute(text(query), params).all()


def snapshot(runtime) -> dict[str, list]:
    """Every case's state and version, the events, and the tables an admin changes."""
    return {
        "cases": sql(runtime, "SELECT id, state, version FROM cases ORDER BY id"),
        "events": sql(runtime, "SELECT count(*) FROM events"),
        "users": sql(runtime, "SELECT * FROM users ORDER BY id"),
        "role_grants": sql(runtime, "SELECT * FROM role_grants ORDER BY id"),
        "organisations": sql(runtime, "SELECT * FROM organisations ORDER BY id"),
    }


def scalar(runtime, query: str, **params) -> int:
    """The first value of the first row of `query`."""
    return sql(runtime, query, **params)[0][0]


def case_in(runtime, state: str, cell: str = CHU_VAN_AN) -> tuple[int, int]:
    """A case of `cell` in `state`: (id, version)."""
    row = sql(
        runtime,
        "SELECT c.id, c.version FROM cases c JOIN organisations o ON o.id = c.cell_id "
        "WHERE o.name = :cell AND c.state = :state ORDER BY c.id",
        cell=cell,
        state=state,
    )[0]
    return row[0], row[1]


def user_id_of(runtime, username: str) -> int:
    """The id of the user `username`."""
    return scalar(runtime, "SELECT id FROM users WHERE username = :u", u=username)


def new_client(app, username: str | None = None) -> Browser:
    """A new client, logged in as `username` unless None."""
    browser = Browser(app.test_client())
    if username is not None:
        assert browser.login(username).status_code == 302, f"login as {username} failed"
    return browser


def logged_in(browser: Browser) -> bool:
    """Whether the browser's session is logged in (the home page answers)."""
    return browser.get("/").status_code == 200


def flashes(page: str) -> list[str]:
    """The error messages flashed on `page`."""
    return re.findall(r'<p class="flash error"[^>]*>([^<]*)</p>', page)


def start_site(demo_template, tmp_path_factory) -> Iterator:
    """One app on a copy of the demo district, for a module's read-only checks (its `site`)."""
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


def client_of(app, username: str | None) -> Browser:
    """The module's client for `username`, logged in once."""
    clients = app.extensions["test_clients"]
    if username not in clients:
        clients[username] = new_client(app, username)
    return clients[username]


def try_login(app, username: str, password: str, address: str = "10.1.1.1"):
    """One login attempt from a new client at `address`."""
    browser = Browser(app.test_client())
    token = browser.csrf("/login")
    return browser.client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token},
        environ_base={"REMOTE_ADDR": address},
    )
