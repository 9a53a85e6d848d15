"""Production unless development: the secret key required, Secure cookies and HSTS by default,
HOSO_SECURE_COOKIES=0 for a plain-http intranet (with a warning), HOSO_PROXY_FIX."""

from __future__ import annotations

import logging

import pytest
from flask import request

from web.config import ConfigError

GOOD_KEY = "k" * 32
ENVIRONMENT = (
    "HOSO_ENV",
    "HOSO_SECRET_KEY",
    "HOSO_SECURE_COOKIES",
    "HOSO_PROXY_FIX",
    "HOSO_UPLOAD_MAX_BYTES",
)


@pytest.fixture
def make_app(tmp_path, monkeypatch):
    """``make_app(HOSO_X=...)``: create_app as ``hoso serve`` or web/wsgi.py does (no test
    config), with exactly these variables set."""
    from db.runtime import Runtime
    from web import create_app
    from workflow.settings import Settings

    monkeypatch.setenv("HOSO_INSTANCE", str(tmp_path / "instance"))
    runtime = Runtime.from_url(f"sqlite:///{tmp_path / 'hoso.sqlite3'}", settings=Settings())

    def _make(test_config=None, development=None, **environ: str):
        for name in ENVIRONMENT:
            monkeypatch.delenv(name, raising=False)
        for name, value in environ.items():
            monkeypatch.setenv(name, value)
        return create_app(test_config, runtime=runtime, development=development)

    yield _make
    runtime.engine.dispose()


def _session_cookie(app) -> str:
    """The Set-Cookie header of the session cookie the login page starts."""
    response = app.test_client().get("/login")
    (cookie,) = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    return cookie


def test_production_refuses_to_start_without_a_secret_key(make_app):
    with pytest.raises(ConfigError, match="HOSO_SECRET_KEY is required"):
        make_app()


def test_production_refuses_a_short_secret_key(make_app):
    with pytest.raises(ConfigError, match="HOSO_SECRET_KEY is too short"):
        make_app(HOSO_SECRET_KEY="k" * 31)


def test_production_keeps_no_key_in_the_instance_folder(make_app, tmp_path):
    app = make_app(HOSO_SECRET_KEY=GOOD_KEY)
    assert app.config["SECRET_KEY"] == GOOD_KEY
    assert not (tmp_path / "instance" / "secret_key").exists()


@pytest.mark.parametrize("how", ["argument", "environment"])
def test_development_makes_a_key_in_the_instance_folder(make_app, tmp_path, how):
    app = make_app(development=True) if how == "argument" else make_app(HOSO_ENV="development")
    stored = (tmp_path / "instance" / "secret_key").read_text().strip()
    assert app.config["SECRET_KEY"] == stored and len(stored) >= 32
    assert app.config["DEVELOPMENT"] is True


def test_an_unknown_environment_is_refused(make_app):
    with pytest.raises(ConfigError, match="HOSO_ENV"):
        make_app(HOSO_ENV="staging", HOSO_SECRET_KEY=GOOD_KEY)


def test_the_tests_own_secret_key_is_taken(make_app):
    """create_app(test_config) with its SECRET_KEY starts in production mode without the env."""
    app = make_app({"TESTING": True, "SECRET_KEY": "test"})
    assert app.config["SECRET_KEY"] == "test"


def test_production_cookies_are_secure_and_hsts_is_sent(make_app):
    app = make_app(HOSO_SECRET_KEY=GOOD_KEY)
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    assert "Secure" in _session_cookie(app)
    response = app.test_client().get("/login")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"


def test_plain_http_intranet_turns_secure_off_with_a_warning(make_app, caplog):
    with caplog.at_level(logging.WARNING, logger="hoso.config"):
        app = make_app(HOSO_SECRET_KEY=GOOD_KEY, HOSO_SECURE_COOKIES="0")
    assert "Secure" not in _session_cookie(app)
    assert not app.config["REMEMBER_COOKIE_SECURE"]
    assert "Strict-Transport-Security" not in app.test_client().get("/login").headers
    assert any("HOSO_SECURE_COOKIES=0" in r.getMessage() for r in caplog.records)


def test_development_cookies_are_not_secure_unless_asked(make_app):
    assert "Secure" not in _session_cookie(make_app(development=True))
    assert "Secure" in _session_cookie(make_app(development=True, HOSO_SECURE_COOKIES="1"))


def test_a_bad_secure_cookies_value_is_refused(make_app):
    with pytest.raises(ConfigError, match="HOSO_SECURE_COOKIES"):
        make_app(HOSO_SECRET_KEY=GOOD_KEY, HOSO_SECURE_COOKIES="yes")


def _probe(app):
    """A route that shows what the app believes about the request."""

    @app.get("/_probe")
    def _probe_view():
        return {"address": request.remote_addr, "scheme": request.scheme, "host": request.host}

    return app.test_client()


FORWARDED = {
    "X-Forwarded-For": "203.0.113.9, 198.51.100.7",
    "X-Forwarded-Proto": "https",
    "X-Forwarded-Host": "evil.example",
    "X-Forwarded-Port": "8443",
    "X-Forwarded-Prefix": "/evil",
}


def test_without_proxy_fix_no_forwarded_header_is_believed(make_app):
    client = _probe(make_app(HOSO_SECRET_KEY=GOOD_KEY))
    seen = client.get("/_probe", headers=FORWARDED, environ_base={"REMOTE_ADDR": "10.0.0.2"}).json
    assert seen == {"address": "10.0.0.2", "scheme": "http", "host": "localhost"}


@pytest.mark.parametrize(("proxies", "address"), [("1", "198.51.100.7"), ("2", "203.0.113.9")])
def test_proxy_fix_believes_address_and_scheme_but_never_the_host(make_app, proxies, address):
    client = _probe(make_app(HOSO_SECRET_KEY=GOOD_KEY, HOSO_PROXY_FIX=proxies))
    # Each proxy appends its own value: the scheme is read from the same hop as the address.
    headers = {**FORWARDED, "X-Forwarded-Proto": ", ".join(["https"] * int(proxies))}
    seen = client.get("/_probe", headers=headers, environ_base={"REMOTE_ADDR": "10.0.0.2"}).json
    # The host stays the one the proxy was asked for (Host), never X-Forwarded-Host's.
    assert seen == {"address": address, "scheme": "https", "host": "localhost"}


@pytest.mark.parametrize("value", ["yes", "-1", "9"])
def test_a_bad_proxy_count_is_refused(make_app, value):
    with pytest.raises(ConfigError, match="HOSO_PROXY_FIX"):
        make_app(HOSO_SECRET_KEY=GOOD_KEY, HOSO_PROXY_FIX=value)


def test_proxy_fix_zero_is_none(make_app):
    client = _probe(make_app(HOSO_SECRET_KEY=GOOD_KEY, HOSO_PROXY_FIX="0"))
    seen = client.get("/_probe", headers=FORWARDED, environ_base={"REMOTE_ADDR": "10.0.0.2"}).json
    assert seen["address"] == "10.0.0.2" and seen["scheme"] == "http"


def test_the_upload_limit_comes_from_the_environment(make_app):
    """HOSO_UPLOAD_MAX_BYTES (which nginx's client_max_body_size should match)."""
    from workflow.uploads import DEFAULT_MAX_BYTES

    assert make_app(HOSO_SECRET_KEY=GOOD_KEY).config["HOSO_UPLOAD_MAX_BYTES"] == DEFAULT_MAX_BYTES
    app = make_app(HOSO_SECRET_KEY=GOOD_KEY, HOSO_UPLOAD_MAX_BYTES="2097152")
    assert app.config["HOSO_UPLOAD_MAX_BYTES"] == 2097152
    assert app.config["MAX_CONTENT_LENGTH"] > 2097152
    with pytest.raises(ConfigError, match="HOSO_UPLOAD_MAX_BYTES"):
        make_app(HOSO_SECRET_KEY=GOOD_KEY, HOSO_UPLOAD_MAX_BYTES="10MB")
