"""``GET /healthz``: 200 when the database answers at the newest migration, 503 naming what is
wrong; no login, no personal data, never cached."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from db.migrate import head_revision

KEYS = {"database", "migrations", "revision"}


@pytest.fixture
def app_on(tmp_path, monkeypatch):
    """``app_on(runtime)``: the app (production settings from the tests' config) on `runtime`."""
    from web import create_app

    monkeypatch.setenv("HOSO_INSTANCE", str(tmp_path / "instance"))
    return lambda runtime: create_app(
        {"TESTING": True, "SECRET_KEY": "test"}, runtime=runtime
    ).test_client()


def _check(response, status: int) -> dict:
    assert response.status_code == status
    assert response.headers["Cache-Control"] == "no-store"
    assert response.mimetype == "application/json"
    assert "Set-Cookie" not in response.headers  # no session started for a probe
    return response.json


def test_healthy_without_a_login(browser):
    body = _check(browser.get("/healthz"), 200)
    assert body == {"database": "ok", "migrations": "current", "revision": head_revision()}


def test_says_nothing_personal(browser, demo_runtime):
    """Only the three fields: no user, no organisation, no case, no version of anything else."""
    page = browser.get("/healthz").get_data(as_text=True)
    with demo_runtime.engine.connect() as conn:
        names = conn.execute(text("SELECT username FROM users")).scalars().all()
    assert names and not any(name in page for name in names)
    assert set(browser.get("/healthz").json) == KEYS


def test_a_logged_in_user_gets_the_same(login):
    assert _check(login("bithu.chuvanan").get("/healthz"), 200)["migrations"] == "current"


def test_an_empty_database_is_not_healthy(app_on, tmp_path):
    from db.runtime import Runtime
    from workflow.settings import Settings

    runtime = Runtime.from_url(f"sqlite:///{tmp_path / 'empty.sqlite3'}", settings=Settings())
    body = _check(app_on(runtime).get("/healthz"), 503)
    assert body == {
        "database": "ok",
        "migrations": "missing",
        "revision": None,
        "head": head_revision(),
    }
    runtime.engine.dispose()


def test_a_database_behind_the_code_is_not_healthy(app_on, demo_runtime):
    with demo_runtime.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0016'"))
    body = _check(app_on(demo_runtime).get("/healthz"), 503)
    assert body["migrations"] == "outdated" and body["revision"] == "0016"
    assert body["head"] == head_revision()


def test_a_database_that_does_not_answer(app_on, tmp_path):
    from db.runtime import Runtime
    from workflow.settings import Settings

    # A file in a folder that does not exist: SQLite cannot open it.
    runtime = Runtime.from_url(f"sqlite:///{tmp_path / 'gone' / 'x.sqlite3'}", settings=Settings())
    body = _check(app_on(runtime).get("/healthz"), 503)
    assert body == {"database": "unreachable", "migrations": "unknown", "revision": None}


def test_no_csrf_token_is_needed_and_no_post(browser):
    """A GET only: a POST is not a health check (and is not let past CSRF either)."""
    assert browser.client.head("/healthz").status_code == 200
    assert browser.client.post("/healthz").status_code in (400, 405)
