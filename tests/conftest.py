"""Shared test configuration for hoso.

The first section is the HOSO_REQUIRE_ALL guard. It must stay self-contained (stdlib and pytest
only) between its two marker lines: tests/test_require_all.py copies it into a scratch project to
prove that it works. Fixtures go below the end marker.
"""

# --- begin HOSO_REQUIRE_ALL guard ---
import os

import pytest

_REQUIRE_ALL_ENV = "HOSO_REQUIRE_ALL"


def _require_all() -> bool:
    return os.environ.get(_REQUIRE_ALL_ENV, "").strip() == "1"


def _skip_reason(longrepr: object) -> str:
    # A skipped report's longrepr is (path, lineno, "Skipped: reason").
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2])
    return str(longrepr)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """With HOSO_REQUIRE_ALL=1, a skipped, xfailed or xpassed test is reported as failed."""
    report = yield
    if not _require_all():
        return report
    reason = None
    if hasattr(report, "wasxfail"):
        state = "xfailed" if report.skipped else "xpassed"
        reason = f"{state} ({report.wasxfail or 'no reason given'})"
        del report.wasxfail
    elif report.skipped:
        reason = f"skipped ({_skip_reason(report.longrepr)})"
    if reason is not None:
        report.outcome = "failed"
        report.longrepr = (
            f"{_REQUIRE_ALL_ENV}=1: {item.nodeid} was {reason} during {report.when}; "
            "every test must run and pass here"
        )
    return report


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_make_collect_report(collector):
    """With HOSO_REQUIRE_ALL=1, a module skipped at collection (importorskip...) is an error."""
    report = yield
    if _require_all() and report.skipped:
        reason = _skip_reason(report.longrepr)
        report.outcome = "failed"
        report.longrepr = (
            f"{_REQUIRE_ALL_ENV}=1: {report.nodeid or collector.nodeid} was skipped at "
            f"collection ({reason}); every test must run and pass here"
        )
    return report


def pytest_sessionfinish(session, exitstatus):
    """With HOSO_REQUIRE_ALL=1, a session that collected no test fails."""
    if not _require_all() or session.testscollected:
        return
    if exitstatus in (pytest.ExitCode.OK, pytest.ExitCode.NO_TESTS_COLLECTED):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(
                f"{_REQUIRE_ALL_ENV}=1: no tests were collected; this counts as a failure",
                red=True,
            )


# --- end HOSO_REQUIRE_ALL guard ---

# --- database fixtures --------------------------------------------------------------------------
# Database tests run on SQLite always, and on PostgreSQL when HOSO_TEST_POSTGRES_URL names a server
# (`.ci/run` starts one). Under HOSO_REQUIRE_ALL=1 a missing PostgreSQL fails the run.
import uuid  # noqa: E402

from sqlalchemy import text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

BACKENDS = ["sqlite", "postgres"]


def postgres_url() -> str | None:
    return os.environ.get("HOSO_TEST_POSTGRES_URL") or None


@pytest.fixture
def database_url(request, tmp_path):
    """A fresh, empty, migrated-on-demand database per test, on each backend."""
    backend = getattr(request, "param", "sqlite")
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'hoso.sqlite3'}"
        return
    base = postgres_url()
    if base is None:
        pytest.skip("PostgreSQL tests need HOSO_TEST_POSTGRES_URL")
    from db.session import make_engine

    name = f"hoso_t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(admin.url).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n "
                    "AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
                ),
                {"n": name},
            )
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


def pytest_generate_tests(metafunc):
    """Tests that ask for a database run once per backend."""
    if "database_url" in metafunc.fixturenames and "database_url" not in [
        m.args[0] for m in metafunc.definition.iter_markers("parametrize")
    ]:
        metafunc.parametrize("database_url", BACKENDS, indirect=True)


@pytest.fixture
def runtime(database_url):
    """A Runtime on a freshly migrated database (real commits; the database is thrown away)."""
    from db.migrate import upgrade
    from db.runtime import Runtime
    from workflow.settings import Settings

    rt = Runtime.from_url(database_url, settings=Settings())
    upgrade(rt.engine)
    yield rt
    rt.engine.dispose()


@pytest.fixture
def district(runtime):
    """A small district of users of every role (see tests/factories.py)."""
    from tests.factories import build_district

    return build_district(runtime)
