"""The app under gunicorn with several workers, for tests that need more than one process.

``with gunicorn_server(database_url, instance) as base_url:`` starts
``python -m gunicorn -w 2 -b 127.0.0.1:<free port> "web:create_app()"`` on that database and
instance folder, waits until it answers, yields its base URL (``http://127.0.0.1:<port>``) and
stops it after. The server's own output goes to ``instance/gunicorn.log`` (shown when it fails
to start), with an access line per request naming the worker that answered
(``workers_that_answered``). ``env`` adds variables to the server's environment.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

#: The secret key the servers started here share (several workers must sign alike; outside
#: development at least 32 characters, web/config.py).
SECRET_KEY = "gunicorn-test-secret-key-of-32-characters-or-more"
ROOT = Path(__file__).resolve().parents[2]
#: One access-log line per request: ``<worker pid> <METHOD> <path> <status>``.
ACCESS_FORMAT = "access %(p)s %(m)s %(U)s %(s)s"


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def workers_that_answered(instance: Path, method: str, path: str, status: int) -> set[str]:
    """The pids of the workers that answered `method` `path` with `status` (from the log)."""
    found = set()
    for line in (Path(instance) / "gunicorn.log").read_text(errors="replace").splitlines():
        parts = line.split()
        if len(parts) == 5 and parts[0] == "access" and parts[2:] == [method, path, str(status)]:
            found.add(parts[1])
    return found


def sent_until_both_answered(
    instance: Path,
    method: str,
    path: str,
    status: int,
    send,
    base_url: str,
    first: int = 8,
    at_most: int = 64,
) -> list:
    """`send()` in batches until both workers have answered `method` `path` with `status` (or
    `at_most` were sent): the responses. One request at a time goes to whichever idle worker
    the kernel wakes, which can be the same one every time; so every other batch is sent while
    a connection that sends nothing keeps one (sync) worker busy, and the other must answer."""
    responses: list = []
    batch = 0
    while len(responses) < at_most:
        with _one_worker_held(base_url) if batch % 2 else nullcontext():
            responses += [send() for _ in range(first)]
        batch += 1
        if len(workers_that_answered(instance, method, path, status)) >= 2 and batch >= 2:
            break
    return responses


@contextmanager
def _one_worker_held(base_url: str) -> Iterator[None]:
    """A connection that sends nothing: the worker that accepted it waits on it meanwhile."""
    host, port = base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as idle:
        time.sleep(0.1)  # accepted before the batch's first request
        yield
        idle.close()


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status < 500
    except urllib.error.HTTPError as error:
        return error.code < 500
    except OSError:
        return False


@contextmanager
def gunicorn_server(
    database_url: str,
    instance: Path,
    workers: int = 2,
    *,
    env: dict[str, str] | None = None,
    timeout: float = 60.0,
) -> Iterator[str]:
    """Run the app under gunicorn with `workers` workers; yield its base URL."""
    instance = Path(instance)
    instance.mkdir(parents=True, exist_ok=True)
    port = free_port()
    environment = {
        **os.environ,
        "HOSO_DATABASE_URL": database_url,
        "HOSO_INSTANCE": str(instance),
        "HOSO_SECRET_KEY": SECRET_KEY,
        # Plain http on 127.0.0.1: the clients would keep a Secure cookie to themselves.
        "HOSO_SECURE_COOKIES": "0",
        "PYTHONPATH": str(ROOT),
        **(env or {}),
    }
    log = instance / "gunicorn.log"
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "-w",
        str(workers),
        "-b",
        f"127.0.0.1:{port}",
        "--graceful-timeout",
        "5",
        # Each request's worker (its pid) in the log: tests check that every worker answered.
        "--access-logfile",
        "-",
        "--access-logformat",
        ACCESS_FORMAT,
        "web:create_app()",
    ]
    with log.open("wb") as output:
        # A session of its own, so that stopping it stops its workers too.
        server = subprocess.Popen(
            command,
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while not _answers(f"{base_url}/login"):
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start:\n{log.read_text()[-4000:]}")
            time.sleep(0.2)
        yield base_url
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
