"""``hoso serve`` refuses to start without a good secret key or on a database not at the newest
migration (exit 2, a clear message); ``hoso run`` is development; ``web.wsgi:app`` production."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from db.migrate import head_revision, upgrade
from web.cli import cli

ROOT = Path(__file__).resolve().parents[2]
KEY = "s" * 40


@pytest.fixture
def instance(tmp_path):
    folder = tmp_path / "instance"
    folder.mkdir()
    return folder


@pytest.fixture
def started(monkeypatch):
    """What ``hoso serve`` would have handed to gunicorn, instead of running it."""
    calls = []
    monkeypatch.setattr("web.serve.serve", lambda app, options: calls.append((app, options)))
    return calls


def hoso(instance: Path, *args: str, **env: str | None):
    environ = {
        "HOSO_INSTANCE": str(instance),
        "HOSO_DATABASE_URL": None,
        "HOSO_ENV": None,
        "HOSO_SECRET_KEY": None,
        "HOSO_SECURE_COOKIES": None,
        "HOSO_PROXY_FIX": None,
        **env,
    }
    return CliRunner().invoke(cli, list(args), env=environ)


def migrated(instance: Path, revision: str = "head") -> None:
    from db.session import make_engine

    engine = make_engine(f"sqlite:///{instance / 'hoso.sqlite3'}")
    upgrade(engine, revision)
    engine.dispose()


def test_refuses_without_a_secret_key(instance, started):
    migrated(instance)
    result = hoso(instance, "serve")
    assert result.exit_code == 2
    assert "HOSO_SECRET_KEY is required" in result.output
    assert not started


def test_refuses_a_short_secret_key(instance, started):
    migrated(instance)
    result = hoso(instance, "serve", HOSO_SECRET_KEY="short")
    assert result.exit_code == 2 and "HOSO_SECRET_KEY is too short" in result.output
    assert not started


def test_refuses_an_uninitialised_database(instance, started):
    result = hoso(instance, "serve", HOSO_SECRET_KEY=KEY)
    assert result.exit_code == 2
    assert "not initialised; run `hoso init` first" in result.output
    assert not started


def test_refuses_a_database_behind_the_code(instance, started):
    migrated(instance, "0016")
    result = hoso(instance, "serve", HOSO_SECRET_KEY=KEY)
    assert result.exit_code == 2
    assert f"is at revision 0016, this hoso needs {head_revision()}" in result.output
    assert "hoso init" in result.output
    assert not started


def test_starts_on_a_current_database_with_the_options(instance, started):
    migrated(instance)
    result = hoso(
        instance,
        "serve",
        *("--host", "0.0.0.0", "--port", "8100", "--workers", "3", "--threads", "4"),
        *("--timeout", "90", "--keep-alive", "30"),
        HOSO_SECRET_KEY=KEY,
    )
    assert result.exit_code == 0, result.output
    ((app, options),) = started
    assert app.config["SECRET_KEY"] == KEY and app.config["SESSION_COOKIE_SECURE"]
    assert not app.config["DEVELOPMENT"]
    settings = options.gunicorn_settings()
    assert settings["bind"] == "0.0.0.0:8100"
    assert (settings["workers"], settings["threads"], settings["timeout"]) == (3, 4, 90)
    assert settings["keepalive"] == 30
    assert settings["worker_class"] == "gthread"
    assert settings["accesslog"] == settings["errorlog"] == "-"
    # Forwarded headers only through HOSO_PROXY_FIX: gunicorn itself believes none.
    assert settings["secure_scheme_headers"] == {}


@pytest.mark.parametrize("workers", ["0", "many"])
def test_bad_options_are_refused(instance, started, workers):
    result = hoso(instance, "serve", "--workers", workers, HOSO_SECRET_KEY=KEY)
    assert result.exit_code == 2 and "--workers" in result.output
    assert not started


def test_plain_http_is_logged_as_a_warning(instance, started, caplog):
    migrated(instance)
    with caplog.at_level(logging.WARNING, logger="hoso.config"):
        result = hoso(instance, "serve", HOSO_SECRET_KEY=KEY, HOSO_SECURE_COOKIES="0")
    assert result.exit_code == 0, result.output
    assert not started[0][0].config["SESSION_COOKIE_SECURE"]
    assert any("HOSO_SECURE_COOKIES=0" in r.getMessage() for r in caplog.records)


def test_the_access_log_goes_to_stderr():
    from gunicorn.config import Config

    from web.serve import StderrLogger

    config = Config()
    config.set("accesslog", "-")
    logger = StderrLogger(config)
    (handler,) = [h for h in logger.access_log.handlers if getattr(h, "_gunicorn", False)]
    assert handler.stream is sys.stderr


def test_hoso_run_is_development(instance, monkeypatch):
    """Flask's server, without HOSO_SECRET_KEY: a key is kept in the instance folder."""
    migrated(instance)
    served = []
    monkeypatch.setattr("flask.Flask.run", lambda app, **kw: served.append(app))
    result = hoso(instance, "run")
    assert result.exit_code == 0, result.output
    (app,) = served
    assert app.config["DEVELOPMENT"] and not app.config["SESSION_COOKIE_SECURE"]
    assert (instance / "secret_key").exists()


def _import_wsgi(instance: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("HOSO_")}
    environment.update(HOSO_INSTANCE=str(instance), PYTHONPATH=str(ROOT), **env)
    code = "from web.wsgi import app; print(app.config['DEVELOPMENT'], app.config['SECRET_KEY'])"
    return subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, timeout=120
    )


def test_the_wsgi_module_is_production(instance):
    refused = _import_wsgi(instance)
    assert refused.returncode != 0 and "HOSO_SECRET_KEY is required" in refused.stderr
    started = _import_wsgi(instance, HOSO_SECRET_KEY=KEY)
    assert started.returncode == 0, started.stderr
    assert started.stdout.split() == ["False", KEY]
    development = _import_wsgi(instance, HOSO_ENV="development")
    assert development.stdout.split()[0] == "True"


def test_the_database_check_names_no_password(instance, started):
    """A database that does not answer: the refusal shows where it is, never its password."""
    url = "postgresql://hoso:topsecret@127.0.0.1:1/hoso"
    result = hoso(instance, "serve", HOSO_SECRET_KEY=KEY, HOSO_DATABASE_URL=url)
    assert result.exit_code == 2 and "does not answer" in result.output
    assert "topsecret" not in result.output
