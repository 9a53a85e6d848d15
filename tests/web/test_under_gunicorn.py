"""The access matrix against a live ``hoso serve --workers 2`` on PostgreSQL with the demo loaded.

One server for the module: the demo district is loaded into a new PostgreSQL database, ``hoso
serve`` starts as an operator would start it (production settings, a secret key from the
environment, plain http so ``HOSO_SECURE_COOKIES=0``), and every role × page of access_matrix.py
is asked over HTTP, each account's requests landing on either worker.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from tests.web.access_matrix import ACCOUNTS, PAGE_PATHS, PAGE_ROWS, TRANSITIONS, expected
from tests.web.access_site import Demo, no_problems, version_field
from tests.web.conftest import DEMO_PASSWORD, Browser
from tests.web.gunicorn_support import ROOT, SECRET_KEY, free_port

# One xdist worker runs the module (make test's loadgroup), so the server starts once.
pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.xdist_group("under_gunicorn")]


class Answer:
    """A `requests` response that reads like the Flask test client's."""

    def __init__(self, response: requests.Response):
        self.status_code = response.status_code
        self.headers = response.headers
        self.text = response.text

    def get_data(self, as_text: bool = False):
        return self.text if as_text else self.text.encode()


class HttpClient:
    """What access_site's clients call (``get``, ``post``), over HTTP, redirects not followed."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.session = requests.Session()

    def get(self, path: str, **kw) -> Answer:
        return Answer(self.session.get(self.base_url + path, allow_redirects=False, timeout=30))

    def post(self, path: str, data=None, **kw) -> Answer:
        url = self.base_url + path
        return Answer(self.session.post(url, data=data, allow_redirects=False, timeout=30))


class LiveDemo(Demo):
    """The access site of access_site.py, its clients talking to the live server."""

    base_url: str = ""

    def as_(self, account: str | None):
        if account not in self.clients:
            from tests.web.access_site import Client

            browser = Browser(HttpClient(self.base_url))
            if account is not None:
                response = browser.login(account, DEMO_PASSWORD)
                assert response.status_code == 302, f"login as {account} failed"
            token = browser.csrf("/" if account else "/login")
            self.clients[account] = Client(browser.client, token)
        return self.clients[account]


def _healthy(url: str) -> bool:
    try:
        return requests.get(f"{url}/healthz", timeout=2).status_code == 200
    except requests.RequestException:
        return False


def _start(database_url: str, instance: Path) -> tuple[subprocess.Popen, str, Path]:
    """``hoso serve --workers 2`` on a free port; its output goes to instance/serve.log."""
    port = free_port()
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith("HOSO_")},
        "HOSO_DATABASE_URL": database_url,
        "HOSO_INSTANCE": str(instance),
        "HOSO_SECRET_KEY": SECRET_KEY,
        "HOSO_SECURE_COOKIES": "0",  # plain http on 127.0.0.1
        "PYTHONPATH": str(ROOT),
    }
    hoso = [sys.executable, "-c", "from web.cli import main; main()"]
    log = instance / "serve.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [*hoso, "serve", "--workers", "2", "--threads", "2", "--port", str(port)],
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # stopping its group stops the workers too
        )
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while not _healthy(base_url):
        if server.poll() is not None or time.monotonic() > deadline:
            _stop(server)
            raise RuntimeError(f"hoso serve did not start:\n{log.read_text()[-4000:]}")
        time.sleep(0.2)
    return server, base_url, log


def _stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


@pytest.fixture(scope="module")
def live(postgres_admin, postgres_template, tmp_path_factory):
    """The demo on a new PostgreSQL database, served by ``hoso serve --workers 2``."""
    from db.demo import load_demo
    from db.runtime import Runtime
    from tests import databases
    from workflow.settings import Settings

    name = f"hoso_live_{uuid.uuid4().hex[:10]}"
    url = databases.create_database(postgres_admin, name, template=postgres_template)
    runtime = Runtime.from_url(url, settings=Settings())
    instance = tmp_path_factory.mktemp("serve") / "instance"
    instance.mkdir()
    server = None
    try:
        load_demo(runtime)
        server, base_url, log = _start(url, instance)
        site = LiveDemo(None, runtime)
        site.base_url, site.log = base_url, log
        site.load()
        yield site
    finally:
        for client in site.clients.values() if server is not None else ():
            client.client.session.close()  # no keep-alive connection left for the workers
        if server is not None:
            _stop(server)
        runtime.engine.dispose()
        databases.drop_database(postgres_admin, name)


@pytest.mark.parametrize(
    ("page", "account", "status"), PAGE_ROWS, ids=[f"{a}:{p}" for p, a, _ in PAGE_ROWS]
)
def test_page(live, page, account, status):
    path = live.path(page)
    response = live.as_(account).get(path)
    if path == "/audit/verify" and status == 200:
        # On PostgreSQL the check is queued for `hoso worker` (none runs here): the page answers
        # at once that it is running, with the last stored check (docs/history.md).
        status = 202
    assert response.status_code == status, f"{account} GET {path} ({page})"


@pytest.mark.parametrize("page", PAGE_PATHS)
def test_a_page_needs_a_login(live, page):
    path = live.path(page)
    response = live.as_(None).get(path)
    assert response.status_code == 302, path
    target = urlsplit(response.headers["Location"])
    assert target.path == "/login" and parse_qs(target.query)["next"] == [path]


@pytest.mark.parametrize("account", ACCOUNTS)
def test_transitions_on_the_sample(live, account):
    """Every trigger on the sample cases (the named ones and one per state): 404 out of scope,
    403 not allowed, 422 judged by the rules on an empty form; nothing changes."""
    problems = []
    for trigger, (sources, roles) in TRANSITIONS.items():
        for case in (c for c in live.sample() if c.state in sources):
            path = f"/candidates/{case.id}/actions/{trigger}"
            status = expected(account, roles, case)
            problems.append(live.refused(account, path, version_field(case), status))
    no_problems(problems)


def test_both_workers_answer_the_same_session(live):
    """Both workers serve (gunicorn's log names two), and one cookie works on each."""
    client = live.as_("bantochuc")
    assert all(client.get("/reviews/").status_code == 200 for _ in range(20))
    booted = [line for line in live.log.read_text().splitlines() if "Booting worker" in line]
    assert len(booted) >= 2


def test_health_and_static_under_gunicorn(live):
    health = requests.get(f"{live.base_url}/healthz", timeout=10)
    assert health.json()["migrations"] == "current"
    assert health.headers["Cache-Control"] == "no-store"
    page = live.as_(None).get("/login").text
    css = next(part.split('"')[0] for part in page.split('href="')[1:] if "hoso.css?v=" in part)
    answer = requests.get(live.base_url + css, timeout=10)
    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == "public, max-age=31536000, immutable"


def test_the_logs_go_to_stderr(live):
    """The access log and the security log's JSON lines reach the server's output."""
    live.as_("kiemtra").get("/audit/")
    time.sleep(0.5)
    lines = live.log.read_text().splitlines()
    assert any('"GET /audit/ HTTP/1.1" 200' in line for line in lines)
    events = [json.loads(line) for line in lines if line.startswith("{")]
    assert any(event.get("user") == "kiemtra" for event in events), "no security log line"
