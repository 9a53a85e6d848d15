"""Under gunicorn with 2 workers on PostgreSQL: the login throttle and the end of a session hold
across workers, and the right password still works from a known device.

Every request comes from 127.0.0.1 here, so the stranger and the user share one address (an
office behind one NAT): only the known-device cookie tells them apart.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.web.gunicorn_support import (
    gunicorn_server,
    sent_until_both_answered,
    workers_that_answered,
)

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
PASSWORD = "demo"
NEW = "mot-cau-that-dai-2026"
USER = "bithu.chuvanan"
CLOSE = {"Connection": "close"}


ON_POSTGRES = pytest.mark.parametrize("database_url", ["postgres"], indirect=True)


@pytest.fixture
def served(database_url, tmp_path):
    """The demo on a fresh PostgreSQL database, served by gunicorn with 2 workers: (base URL,
    instance folder)."""
    instance = tmp_path / "instance"
    env = {**os.environ, "HOSO_DATABASE_URL": database_url, "HOSO_INSTANCE": str(instance)}
    hoso = str(Path(sys.executable).parent / "hoso")
    for command in ("init", "demo"):
        subprocess.run([hoso, command], env=env, check=True, capture_output=True)
    with gunicorn_server(database_url, instance, workers=2) as base_url:
        yield base_url, instance


def _login(client: requests.Session, base: str, username: str, password: str) -> requests.Response:
    """One login attempt on a new connection (so that either worker may answer)."""
    page = client.get(f"{base}/login", headers=CLOSE).text
    token = TOKEN.search(page).group(1)
    return client.post(
        f"{base}/login",
        data={"username": username, "password": password, "csrf_token": token},
        allow_redirects=False,
        headers=CLOSE,
    )


def _home(client: requests.Session, base: str) -> int:
    return client.get(f"{base}/", allow_redirects=False, headers=CLOSE).status_code


@ON_POSTGRES
def test_throttle_and_end_of_sessions_hold_across_two_workers(served):
    base, instance = served
    user, thief, stranger = requests.Session(), requests.Session(), requests.Session()

    # (b) A cookie copied before logout opens pages on both workers; after it, on neither.
    assert _login(user, base, USER, PASSWORD).status_code == 302
    thief.cookies.set("session", user.cookies.get("session"))
    seen = sent_until_both_answered(instance, "GET", "/", 200, lambda: _home(thief, base), base)
    assert set(seen) == {200}
    assert len(workers_that_answered(instance, "GET", "/", 200)) == 2
    token = TOKEN.search(user.get(f"{base}/account").text).group(1)
    assert user.post(f"{base}/logout", data={"csrf_token": token}, allow_redirects=False).ok
    seen = sent_until_both_answered(instance, "GET", "/", 302, lambda: _home(thief, base), base)
    assert set(seen) == {302}
    assert {_home(user, base) for _ in range(4)} == {302}
    assert len(workers_that_answered(instance, "GET", "/", 302)) == 2

    # (a) A stranger's failures, on either worker, hold the stranger back on both.
    codes = [_login(stranger, base, USER, "sai").status_code for _ in range(4)]
    assert codes == [401] * 4
    time.sleep(2.1)  # the 4th failure's wait; the 5th doubles it to 4 s
    assert _login(stranger, base, USER, "sai").status_code == 401
    throttled = sent_until_both_answered(
        instance,
        "POST",
        "/login",
        429,
        lambda: _login(stranger, base, USER, PASSWORD),
        base,
        at_most=32,
    )
    assert {r.status_code for r in throttled} == {429}
    assert all(1 <= int(r.headers["Retry-After"]) <= 4 for r in throttled)
    assert len(workers_that_answered(instance, "POST", "/login", 429)) == 2

    # (c) The user's own browser (a known device) logs in meanwhile, from the same address.
    assert _login(user, base, USER, PASSWORD).status_code == 302
    assert _home(user, base) == 200
    assert _login(stranger, base, USER, PASSWORD).status_code == 429


@ON_POSTGRES
def test_a_password_change_ends_the_copied_cookie_on_both_workers(served):
    base, instance = served
    user, thief = requests.Session(), requests.Session()
    assert _login(user, base, USER, PASSWORD).status_code == 302
    thief.cookies.set("session", user.cookies.get("session"))
    assert _home(thief, base) == 200
    token = TOKEN.search(user.get(f"{base}/account").text).group(1)
    form = {"current": PASSWORD, "password": NEW, "confirm": NEW, "csrf_token": token}
    assert user.post(f"{base}/account", data=form, allow_redirects=False).status_code == 302
    seen = sent_until_both_answered(instance, "GET", "/", 302, lambda: _home(thief, base), base)
    assert set(seen) == {302}
    seen = sent_until_both_answered(instance, "GET", "/", 200, lambda: _home(user, base), base)
    assert set(seen) == {200}  # this session stays
    assert len(workers_that_answered(instance, "GET", "/", 302)) == 2
    assert len(workers_that_answered(instance, "GET", "/", 200)) == 2
