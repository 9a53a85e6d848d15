"""Web fixtures: the demo district (``demo_template``, tests/conftest.py) copied for each test; a
client that logs in."""

from __future__ import annotations

import re
import shutil

import pytest

DEMO_PASSWORD = "demo"


@pytest.fixture
def demo_runtime(demo_template, tmp_path):
    """A private copy of the demo district for one test."""
    from db.runtime import Runtime

    path = tmp_path / "hoso.sqlite3"
    shutil.copy(demo_template, path)
    rt = Runtime.from_url(f"sqlite:///{path}")
    yield rt
    rt.engine.dispose()


@pytest.fixture
def app(demo_runtime, tmp_path, monkeypatch):
    from web import create_app

    monkeypatch.setenv("HOSO_INSTANCE", str(tmp_path / "instance"))
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "test", "WTF_CSRF_ENABLED": True}, runtime=demo_runtime
    )
    return app


class Browser:
    """The test client plus CSRF-aware helpers."""

    def __init__(self, client):
        self.client = client

    def csrf(self, path: str = "/login") -> str:
        page = self.client.get(path).get_data(as_text=True)
        match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
        assert match, f"no CSRF token on {path}"
        return match.group(1)

    def login(self, username: str, password: str = DEMO_PASSWORD):
        token = self.csrf("/login")
        return self.client.post(
            "/login", data={"username": username, "password": password, "csrf_token": token}
        )

    def post(self, path: str, data: dict | None = None, token_from: str | None = None, **kw):
        """POST with the CSRF token of this session (taken from `token_from`, default `/`)."""
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf(token_from or "/"))
        return self.client.post(path, data=data, **kw)

    def get(self, path: str, **kw):
        return self.client.get(path, **kw)


@pytest.fixture
def browser(app):
    return Browser(app.test_client())


@pytest.fixture
def login(browser):
    """``login("bithu.chuvanan")`` logs the test client in as a demo account."""

    def _login(username: str) -> Browser:
        response = browser.login(username)
        assert response.status_code == 302, f"login as {username} failed"
        return browser

    return _login
