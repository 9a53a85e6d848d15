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
#
# Running Alembic (and building the district) costs more than most tests, so each process (each
# xdist worker) makes two template databases per backend, once: one migrated to head, and one that
# also holds `build_district`. A test that uses `runtime` gets a copy of the first, one that uses
# `district` a copy of the second: a file copy on SQLite; on PostgreSQL a database from a pool
# that CREATE DATABASE ... TEMPLATE fills and that is reset to the template after each test
# (tests/databases.py). A copy is a real database of its own: tests keep real commits, several
# connections (tests/db/test_concurrency.py) and commands run on the same URL. A test that asks
# for `database_url` alone gets an empty database, on which the migration tests
# (tests/db/test_migrations.py) and `hoso init` run Alembic for real.
import shutil  # noqa: E402
import uuid  # noqa: E402
from pathlib import Path  # noqa: E402

from sqlalchemy import Engine  # noqa: E402

from tests import databases  # noqa: E402

BACKENDS = ["sqlite", "postgres"]


def postgres_url() -> str | None:
    return os.environ.get("HOSO_TEST_POSTGRES_URL") or None


def worker_id() -> str:
    """The xdist worker running this process (``gw0``...), or ``main`` without xdist."""
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


@pytest.fixture(scope="session", autouse=True)
def _private_instance(tmp_path_factory):
    """Each process (xdist worker) gets its own instance folder and no HOSO_DATABASE_URL.

    Tests set HOSO_INSTANCE themselves where they use one; this only keeps a test that forgets
    from writing into the developer's ./instance, or into another worker's folder.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HOSO_INSTANCE", str(tmp_path_factory.mktemp("instance")))
        patch.delenv("HOSO_DATABASE_URL", raising=False)
        yield


@pytest.fixture(autouse=True)
def _no_playwright_loop(request):
    """Hide the browser tests' event loop from the other tests of the same process.

    Playwright's sync API (the session's Chromium, tests/web/browser) marks its loop as running
    in this thread between calls, so `asyncio.run` in any later test of that process (the
    procrastinate worker of ``hoso worker --once``) would be refused: "cannot be called from a
    running event loop". A browser test keeps it; any other test runs without it.
    """
    import asyncio

    loop = asyncio._get_running_loop()
    if loop is None or request.node.get_closest_marker("browser"):
        yield
        return
    asyncio._set_running_loop(None)
    try:
        yield
    finally:
        asyncio._set_running_loop(loop)


def _template_kind(request) -> str | None:
    """What a test's fresh database starts as: ``None`` (empty), "migrated" or "district"."""
    if "district" in request.fixturenames:
        return "district"
    if "runtime" in request.fixturenames:
        return "migrated"
    return None


def _fill(url: str, district: bool) -> object | None:
    """Migrate the database at `url` (a new template); with `district`, build the district too.

    Returns the district's snapshot (or None). Every connection is closed after: a PostgreSQL
    template must have none, and a SQLite one must be a single file (no WAL beside it).
    """
    from db.migrate import upgrade
    from db.runtime import Runtime
    from tests.factories import DistrictSnapshot, build_district
    from workflow.settings import Settings

    rt = Runtime.from_url(url, settings=Settings())
    try:
        snapshot = None
        if district:
            snapshot = DistrictSnapshot.of(build_district(rt))
        else:
            upgrade(rt.engine)
        if rt.engine.dialect.name == "sqlite":
            with rt.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        return snapshot
    finally:
        rt.engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A SQLite file migrated to head, made once per process."""
    path = tmp_path_factory.mktemp("template") / "hoso.sqlite3"
    _fill(f"sqlite:///{path}", district=False)
    return path


@pytest.fixture(scope="session")
def sqlite_district_template(sqlite_template, tmp_path_factory):
    """A copy of `sqlite_template` holding the district, and the district's snapshot."""
    path = tmp_path_factory.mktemp("template-district") / "hoso.sqlite3"
    shutil.copyfile(sqlite_template, path)
    return path, _fill(f"sqlite:///{path}", district=True)


@pytest.fixture(scope="session")
def demo_template(sqlite_template, tmp_path_factory) -> Path:
    """A SQLite file holding the demo district (``hoso demo``), built once per process.

    The web, documents and browser tests copy it rather than each loading the demo again.
    """
    from db.demo import load_demo
    from db.runtime import Runtime
    from workflow.settings import Settings

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    shutil.copyfile(sqlite_template, path)
    rt = Runtime.from_url(f"sqlite:///{path}", settings=Settings())
    try:
        load_demo(rt)
        with rt.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        rt.engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_admin() -> Engine:
    """An AUTOCOMMIT engine on the test server's own database (skips without a server)."""
    base = postgres_url()
    if base is None:
        pytest.skip("PostgreSQL tests need HOSO_TEST_POSTGRES_URL")
    from db.session import make_engine

    admin = make_engine(base, isolation_level="AUTOCOMMIT")
    yield admin
    admin.dispose()


@pytest.fixture(scope="session")
def postgres_template(postgres_admin) -> str:
    """The name of a PostgreSQL database migrated to head, made once per process."""
    name = f"hoso_tpl_{worker_id()}_{uuid.uuid4().hex[:8]}"
    try:
        _fill(databases.create_database(postgres_admin, name), district=False)
        yield name
    finally:
        databases.drop_database(postgres_admin, name)


@pytest.fixture(scope="session")
def postgres_district_template(postgres_admin, postgres_template):
    """A copy of `postgres_template` holding the district, and the district's snapshot."""
    name = f"hoso_tpd_{worker_id()}_{uuid.uuid4().hex[:8]}"
    try:
        url = databases.create_database(postgres_admin, name, template=postgres_template)
        yield name, _fill(url, district=True)
    finally:
        databases.drop_database(postgres_admin, name)


@pytest.fixture(scope="session")
def postgres_pool(postgres_admin, postgres_template) -> databases.Pool:
    """Copies of `postgres_template`, each reset after its test (see tests/databases.py)."""
    pool = databases.Pool(postgres_admin, postgres_template, f"hoso_t_{worker_id()}")
    yield pool
    pool.close()


@pytest.fixture(scope="session")
def postgres_district_pool(postgres_admin, postgres_district_template) -> databases.Pool:
    """Copies of `postgres_district_template`, each reset after its test."""
    name = postgres_district_template[0]
    pool = databases.Pool(postgres_admin, name, f"hoso_td_{worker_id()}")
    yield pool
    pool.close()


@pytest.fixture
def database_url(request, tmp_path):
    """A fresh database per test, on each backend: empty, unless the test uses `runtime` (then
    migrated to head) or `district` (migrated, district built); those are template copies."""
    backend = getattr(request, "param", "sqlite")
    kind = _template_kind(request)
    if backend == "sqlite":
        path = tmp_path / "hoso.sqlite3"
        if kind == "district":
            shutil.copyfile(request.getfixturevalue("sqlite_district_template")[0], path)
        elif kind == "migrated":
            shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    if kind is None:
        admin = request.getfixturevalue("postgres_admin")
        name = f"hoso_t_{uuid.uuid4().hex[:12]}"
        try:
            yield databases.create_database(admin, name)
        finally:
            databases.drop_database(admin, name)
        return
    pool = request.getfixturevalue(
        "postgres_district_pool" if kind == "district" else "postgres_pool"
    )
    name, url = pool.take()
    try:
        yield url
    finally:
        pool.give_back(name)


def pytest_generate_tests(metafunc):
    """Tests that ask for a database run once per backend."""
    if "database_url" in metafunc.fixturenames and "database_url" not in [
        m.args[0] for m in metafunc.definition.iter_markers("parametrize")
    ]:
        metafunc.parametrize("database_url", BACKENDS, indirect=True)


@pytest.fixture
def runtime(database_url):
    """A Runtime on a fresh database migrated to head (real commits; it is thrown away after)."""
    from db.runtime import Runtime
    from workflow.settings import Settings

    # database_url made it a copy of a migrated template: no Alembic run here.
    rt = Runtime.from_url(database_url, settings=Settings())
    yield rt
    rt.engine.dispose()


@pytest.fixture
def district(request, runtime):
    """A small district of users of every role (see tests/factories.py)."""
    from tests.factories import build_district

    # database_url copied a template that holds the district: reopen its handles on this copy.
    name = "sqlite" if runtime.engine.dialect.name == "sqlite" else "postgres"
    snapshot = request.getfixturevalue(f"{name}_district_template")[1]
    try:
        return snapshot.reopen(runtime)
    except LookupError:  # a runtime that is not database_url's copy: build it here
        return build_district(runtime)
