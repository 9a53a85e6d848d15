"""The security log: one JSON object per line on ``hoso.security`` for logins, failures,
throttling, logout, password changes and resets, refusals and admin changes; never a password."""

from __future__ import annotations

import json
import logging

import pytest

from tests.web.conftest import DEMO_PASSWORD
from tests.web.security_support import new_client, try_login, user_id_of

NEW = "mot-cau-that-dai-2026"


@pytest.fixture
def lines(caplog):
    """The security log's lines so far, parsed (each must be one JSON object)."""
    caplog.set_level(logging.DEBUG, logger="hoso.security")

    def _lines() -> list[dict]:
        records = [r for r in caplog.records if r.name == "hoso.security"]
        return [json.loads(r.getMessage()) for r in records]

    return _lines


def _events(lines) -> list[str]:
    return [line["event"] for line in lines()]


def test_logins_failures_throttling_and_logout_are_logged(app, lines):
    for _ in range(4):
        try_login(app, "bithu.chuvanan", "sai-" + DEMO_PASSWORD, "10.3.3.3")
    try_login(app, "bithu.chuvanan", DEMO_PASSWORD, "10.3.3.3")
    browser = new_client(app, "bithu.chuvanan")
    browser.post("/logout")
    found = lines()
    assert [f["event"] for f in found] == ["login_failed"] * 4 + [
        "login_throttled",
        "login",
        "logout",
    ]
    failed, throttled, ok, out = found[0], found[4], found[5], found[6]
    assert failed["user"] == "bithu.chuvanan" and failed["address"] == "10.3.3.3"
    assert failed["level"] == "WARNING" and failed["path"] == "/login"
    assert throttled["status"] == 429 and throttled["wait"] >= 1
    assert ok["user"] == "bithu.chuvanan" and ok["level"] == "INFO"
    assert out["user"] == "bithu.chuvanan"
    for line in found:
        assert {"time", "event", "user", "address", "method", "path"} <= set(line)
        assert DEMO_PASSWORD not in json.dumps(line)


def test_a_password_change_and_a_reset_are_logged_without_the_password(app, demo_runtime, lines):
    browser = new_client(app, "bithu.chuvanan")
    form = {"current": DEMO_PASSWORD, "password": NEW, "confirm": NEW}
    assert browser.post("/account", form, token_from="/account").status_code == 302
    admin = new_client(app, "admin")
    user_id = user_id_of(demo_runtime, "giupdo.chuvanan")
    page = f"/admin/users/{user_id}"
    assert admin.post(f"{page}/password", {"password": NEW}, token_from=page).status_code == 302
    found = {line["event"]: line for line in lines()}
    assert found["password_changed"]["user"] == "bithu.chuvanan"
    reset = found["password_reset"]
    assert reset["user"] == "admin" and reset["target"] == {"user_id": user_id}
    for line in lines():
        assert NEW not in json.dumps(line) and DEMO_PASSWORD not in json.dumps(line)


def test_every_admin_change_is_logged(app, demo_runtime, lines):
    admin = new_client(app, "admin")
    user_id = user_id_of(demo_runtime, "giupdo.chuvanan")
    page = f"/admin/users/{user_id}"
    assert admin.post(f"{page}/active", {"active": "0"}, token_from=page).status_code == 302
    (change,) = [line for line in lines() if line["event"] == "admin_change"]
    assert change["endpoint"] == "admin.set_active" and change["target"] == {"user_id": user_id}
    assert change["user"] == "admin" and change["method"] == "POST"


@pytest.mark.parametrize(
    ("username", "path", "status"),
    [
        ("bithu.chuvanan", "/admin/", 403),
        ("bithu.chuvanan", "/candidates/999999", 404),
    ],
)
def test_refusals_are_logged(app, lines, username, path, status):
    browser = new_client(app, username)
    assert browser.get(path).status_code == status
    refused = [line for line in lines() if line["event"] == "refused"]
    assert refused[-1]["status"] == status and refused[-1]["path"] == path
    assert refused[-1]["user"] == username and refused[-1]["level"] == "WARNING"


def test_a_refused_form_is_logged_with_the_field_not_the_value(app, lines):
    browser = new_client(app, "bithu.chuvanan")
    form = {"current": "khong-dung-9", "password": NEW, "confirm": NEW}
    assert browser.post("/account", form, token_from="/account").status_code == 422
    (refused,) = [line for line in lines() if line["event"] == "refused"]
    assert refused["status"] == 422 and refused["path"] == "/account"
    assert "khong-dung-9" not in json.dumps(refused) and NEW not in json.dumps(refused)


def test_fields_naming_a_secret_are_never_written(app, lines):
    from web import logs

    with app.test_request_context("/login", method="POST"):
        logs.security("test", password="x", api_token="y", csrf_token="z", kept=1)
    (line,) = lines()
    assert line["kept"] == 1
    assert not {"password", "api_token", "csrf_token"} & set(line)


def test_the_level_is_configurable(demo_runtime, monkeypatch, lines):
    from web import create_app

    monkeypatch.setenv("HOSO_SECURITY_LOG_LEVEL", "WARNING")
    app = create_app({"TESTING": True, "SECRET_KEY": "t"}, runtime=demo_runtime)
    try:
        assert logging.getLogger("hoso.security").level == logging.WARNING
        monkeypatch.setenv("HOSO_SECURITY_LOG_LEVEL", "loud")
        with pytest.raises(ValueError, match="HOSO_SECURITY_LOG_LEVEL"):
            create_app({"TESTING": True, "SECRET_KEY": "t"}, runtime=demo_runtime)
    finally:
        logging.getLogger("hoso.security").setLevel(logging.INFO)
    assert app
