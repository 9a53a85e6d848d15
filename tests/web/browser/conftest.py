"""Browser fixtures: a live hoso server on the demo district, Chromium, and a fresh page per test.

The server is the real app (``web.create_app``) on a freshly built instance: the database is a
copy of the demo template (tests/conftest.py: migrated as ``hoso init`` does, filled by
``db.demo.load_demo``), analysed, then served by werkzeug on 127.0.0.1 and a free port (each
xdist worker has its own servers and ports), in a background thread.

Chromium is Debian's (``HOSO_CHROMIUM``, default ``/usr/bin/chromium``), driven by Playwright; the
browsers Playwright downloads are not used. Without it every browser test is skipped with the
reason (and under ``HOSO_REQUIRE_ALL=1`` the suite's guard turns that skip into a failure).

With ``HOSO_SCREENSHOTS=1`` the tests save full-page screenshots to ``docs/screenshots/`` (used by
``docs/user-guide.md``); otherwise they write nothing there.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
SCREENSHOTS = HERE.parents[2] / "docs" / "screenshots"
DEMO_PASSWORD = "demo"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: How long a page or an expectation may take (ms): generous, the machine may be busy.
TIMEOUT_MS = 15_000


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Every test under this folder needs Chromium: mark it ``browser``.

    It is also put in the xdist group ``browser`` (before xdist reads the groups, hence
    tryfirst): under ``--dist loadgroup`` (``make test``) all browser tests run on one worker,
    so Chromium and the live servers start once, not once per worker.
    """
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.xdist_group("browser"))


# --- the live server ----------------------------------------------------------------------------


@dataclass
class LiveServer:
    """A running hoso server on its own instance (demo district loaded)."""

    url: str  # the origin, e.g. http://127.0.0.1:40123
    instance: Path
    runtime: Any  # db.runtime.Runtime

    def case_id(self, full_name: str) -> int:
        """The id of the (only) case of the person named `full_name`."""
        from sqlalchemy import select

        from db.models import Case, Person

        with self.runtime.sessions() as session:
            ids = session.scalars(
                select(Case.id).join(Person).where(Person.full_name == full_name)
            ).all()
        assert len(ids) == 1, f"expected one case of {full_name}, found {ids}"
        return ids[0]

    def case_state(self, case_id: int) -> str:
        """The case's state as stored (to check what the page says against the database)."""
        from db.models import Case

        with self.runtime.sessions() as session:
            return session.get(Case, case_id).state


def _build_instance(folder: Path, demo_template: Path):
    """A new instance folder with a migrated SQLite database holding the demo district.

    The database is a copy of the demo template (tests/conftest.py: migrated, then ``load_demo``,
    as ``hoso init`` and ``hoso demo`` do), analysed as those commands leave it.
    """
    from db.migrate import analyze
    from db.runtime import Runtime, instance_settings

    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(demo_template, folder / "hoso.sqlite3")
    runtime = Runtime.from_url(
        f"sqlite:///{folder / 'hoso.sqlite3'}", settings=instance_settings(folder)
    )
    analyze(runtime.engine)
    return runtime


@pytest.fixture(scope="session")
def serve(tmp_path_factory, demo_template) -> Iterator[Callable[[str], LiveServer]]:
    """``serve(name)`` builds a fresh instance and serves it until the end of the session."""
    from werkzeug.serving import make_server

    from web import create_app

    running: list[tuple[Any, threading.Thread, LiveServer]] = []

    def _serve(name: str) -> LiveServer:
        folder = tmp_path_factory.mktemp(f"instance-{name}")
        # Nothing may come from the developer's ./instance (settings, secret key); the variable
        # is read only while the app is made, so it is set only for that.
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("HOSO_INSTANCE", str(folder))
            runtime = _build_instance(folder, demo_template)
            app = create_app({"SECRET_KEY": f"browser-tests-{name}"}, runtime=runtime)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(
            target=server.serve_forever, name=f"hoso-live-{name}", daemon=True
        )
        thread.start()
        live = LiveServer(f"http://127.0.0.1:{server.server_port}", folder, runtime)
        running.append((server, thread, live))
        return live

    yield _serve

    for server, thread, live in running:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        live.runtime.engine.dispose()


@pytest.fixture(scope="session")
def live_server(serve) -> LiveServer:
    """The shared server. Tests on it must leave the demo cases as they found them."""
    return serve("shared")


# --- the browser ------------------------------------------------------------------------------


def chromium_path() -> str | None:
    """Debian's Chromium (or ``HOSO_CHROMIUM``), if it is there and executable."""
    wanted = os.environ.get("HOSO_CHROMIUM", "/usr/bin/chromium")
    found = shutil.which(wanted)
    return found


@pytest.fixture(scope="session")
def chromium():
    """One Chromium for the session (skipped, with the reason, when it cannot run here)."""
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="the browser tests need Playwright (pip install playwright)"
    )
    path = chromium_path()
    if path is None:
        wanted = os.environ.get("HOSO_CHROMIUM", "/usr/bin/chromium")
        pytest.skip(f"Chromium not found at {wanted} (install it, or set HOSO_CHROMIUM)")
    sync_api.expect.set_options(timeout=TIMEOUT_MS)
    with sync_api.sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        except sync_api.Error as err:
            pytest.skip(f"Chromium at {path} does not start: {err.message.splitlines()[0]}")
        yield browser
        browser.close()


@pytest.fixture
def new_page(chromium) -> Iterator[Callable[[LiveServer], Any]]:
    """``new_page(server)``: a page in a new browser context (a new user session) on `server`.

    Vietnamese locale, 1280×900, relative URLs resolved against the server.
    """
    contexts = []

    def _new_page(server: LiveServer):
        context = chromium.new_context(
            base_url=server.url,
            locale="vi-VN",
            timezone_id="Asia/Ho_Chi_Minh",
            viewport={"width": 1280, "height": 900},
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield _new_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page, live_server):
    """A fresh page (new context, nobody logged in) on the shared server."""
    return new_page(live_server)


# --- helpers ----------------------------------------------------------------------------------


def login(page, username: str, password: str = DEMO_PASSWORD, *, expect_ok: bool = True):
    """Log in through the form at /login; by default, check that it let us in."""
    page.goto("/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.locator("form:has(input[name=password]) button[type=submit]").click()
    if expect_ok:
        assert "/login" not in page.url, f"login as {username} failed: still on {page.url}"
    return page


@pytest.fixture(name="login")
def _login():
    """``login(page, username)``: log `page` in as a demo account (password ``demo``)."""
    return login


def screenshots_wanted() -> bool:
    return os.environ.get("HOSO_SCREENSHOTS", "").strip() == "1"


def screenshot(page, name: str) -> Path | None:
    """A full-page PNG of `page` as docs/screenshots/<name>.png, only with HOSO_SCREENSHOTS=1."""
    if not screenshots_wanted():
        return None
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True, animations="disabled")
    return path


@pytest.fixture(name="screenshot")
def _screenshot():
    """``screenshot(page, "case-mentor")``: saved for the docs when HOSO_SCREENSHOTS=1."""
    return screenshot
