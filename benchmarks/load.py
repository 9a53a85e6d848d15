"""Load: 50 users (locust) against the app under gunicorn, on PostgreSQL with 100,000 cases.

PostgreSQL only (``HOSO_BENCH_POSTGRES_URL``): a fresh database is created on that server and
filled by ``benchmarks._web_pages_data.populate`` (100,000 cases and 1,000,000 hash-chained
events; ``--quick``: 10,000 and 100,000); ``benchmarks._load_plan`` adds the users and says which
cases each simulated user acts on. The app then runs under gunicorn in a subprocess (``hoso
serve``, or gunicorn itself), and locust runs the scenario of ``benchmarks/load_locustfile.py``
headless, in a subprocess too (its gevent patches must not touch this process). Its CSV
statistics give, per page: requests, failures, p50, p95, p99; and the errors. Any failed request
makes ``python -m benchmarks load`` exit non-zero.

``python -m benchmarks.load --help`` runs it with other users, duration, workers or threads.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psutil
from sqlalchemy import Engine

from benchmarks import _load_plan
from benchmarks import _support as s
from benchmarks._web_pages_data import populate

NAME = "load"
TITLE = "50 users (locust) against gunicorn on PostgreSQL with 100,000 cases"
ROOT = Path(__file__).resolve().parents[1]
LOCUSTFILE = Path(__file__).with_name("load_locustfile.py")
#: The goal of issue 11: p95 under 500 ms on every page but PDF renders.
P95_GOAL_MS = 500
#: Pages the goal leaves out: none of the scenario's pages is a PDF render.
NOT_IN_GOAL: tuple[str, ...] = ()
#: "hoso" runs ``hoso serve`` (web/cli/serve.py); "gunicorn" runs gunicorn on web:create_app().
SERVERS = ("hoso", "gunicorn")


def settings(quick: bool) -> dict[str, Any]:
    """Sizes of the data and of the run."""
    cores = os.cpu_count() or 2
    run = {"users": 50, "spawn_rate": 10, "workers": 2 * cores + 1, "threads": 4}
    if quick:
        return {"cases": 10_000, "events": 100_000, "cells": 10, "heavy": 200, **run,
                "duration": "60s"}  # fmt: skip
    return {"cases": 100_000, "events": 1_000_000, "cells": 20, "heavy": 200, **run,
            "duration": "5m"}  # fmt: skip


# --- the server -----------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_command(server: str, port: int, workers: int, threads: int) -> list[str]:
    """The command that serves the app on 127.0.0.1:`port`."""
    if server == "hoso":
        hoso = Path(sys.executable).with_name("hoso")
        base = [str(hoso)] if hoso.exists() else [sys.executable, "-m", "web.cli"]
        options = ["--host", "127.0.0.1", "--port", str(port), "--timeout", "120"]
        return [*base, "serve", *options, "--workers", str(workers), "--threads", str(threads)]
    return [sys.executable, "-m", "gunicorn", "-w", str(workers), "-k", "gthread",
            "--threads", str(threads), "-b", f"127.0.0.1:{port}", "--timeout", "120",
            "web:create_app()"]  # fmt: skip


def worker_command() -> list[str]:
    """``hoso worker``: runs the tasks the server queues (the auditor's chain check)."""
    hoso = Path(sys.executable).with_name("hoso")
    return [*([str(hoso)] if hoso.exists() else [sys.executable, "-m", "web.cli"]), "worker"]


def _stop(process: subprocess.Popen) -> None:
    """Stop a process started in a session of its own, and everything it started."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def default_server() -> str:
    """``hoso serve`` where it exists, else gunicorn itself."""
    return "hoso" if (ROOT / "web" / "cli" / "serve.py").exists() else "gunicorn"


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status < 500
    except urllib.error.HTTPError as error:
        return error.code < 500
    except OSError:
        return False


@contextmanager
def serving(
    database_url: str, folder: Path, server: str, workers: int, threads: int
) -> Iterator[tuple[str, list[str], int]]:
    """The app served from `database_url`: its base URL, command and process id (the master's).

    One ``hoso worker`` runs beside it on the same database (stopped with it), so that the tasks
    the pages queue run. The server's output goes to folder/server.log, the worker's to
    folder/worker.log."""
    port = _free_port()
    command = server_command(server, port, workers, threads)
    instance = folder / "instance"
    instance.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "HOSO_DATABASE_URL": database_url,
        "HOSO_INSTANCE": str(instance),
        "HOSO_SECRET_KEY": secrets.token_hex(32),
        "HOSO_SECURE_COOKIES": "0",  # plain http on 127.0.0.1
        "PYTHONPATH": str(ROOT),
    }
    log = folder / "server.log"
    with log.open("wb") as output:
        # A session of its own, so that stopping it stops its workers too.
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    with (folder / "worker.log").open("wb") as output:
        worker = subprocess.Popen(
            worker_command(), cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while not _answers(f"{base_url}/login"):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start:\n{log.read_text()[-4000:]}")
            time.sleep(0.3)
        yield base_url, command, process.pid
    finally:
        _stop(process)
        _stop(worker)


def server_cpu(pid: int) -> float:
    """CPU seconds (user + system) the server's processes have used so far: master and workers."""
    master = psutil.Process(pid)
    total = 0.0
    for process in (master, *master.children(recursive=True)):
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


# --- locust ---------------------------------------------------------------------------------


def run_locust(
    base_url: str, plan: Path, users: int, spawn_rate: int, duration: str, folder: Path
) -> Path:
    """The scenario, headless, in a process of its own; the prefix of its CSV files."""
    prefix = folder / "locust"
    command = [
        sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless",
        "-u", str(users), "-r", str(spawn_rate), "-t", duration, "--host", base_url,
        "--csv", str(prefix), "--hoso-plan", str(plan), "--only-summary",
        "--stop-timeout", "10", "--exit-code-on-error", "0", "--loglevel", "WARNING",
    ]  # fmt: skip
    log = folder / "locust.log"
    with log.open("wb") as output:
        done = subprocess.run(command, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT)
    if done.returncode != 0 or not Path(f"{prefix}_stats.csv").exists():
        raise RuntimeError(f"locust exited with {done.returncode}:\n{log.read_text()[-4000:]}")
    return prefix


def _number(value: str) -> float | None:
    return None if value in ("", "N/A") else float(value)


def read_stats(prefix: Path) -> dict[str, Any]:
    """Locust's CSV files as numbers: per request name, in all, and the errors."""
    pages, total = [], {}
    with open(f"{prefix}_stats.csv", newline="", encoding="utf-8") as file:
        for row in csv.DictReader(file):
            entry = {
                "method": row["Type"],
                "name": row["Name"],
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "p50_ms": _number(row["50%"]),
                "p95_ms": _number(row["95%"]),
                "p99_ms": _number(row["99%"]),
                "max_ms": _number(row["Max Response Time"]),
                "average_ms": _number(row["Average Response Time"]),
                "per_second": _number(row["Requests/s"]),
            }
            if row["Name"] == "Aggregated":
                total = entry
            else:
                pages.append(entry)
    with open(f"{prefix}_failures.csv", newline="", encoding="utf-8") as file:
        errors = [
            {
                "method": row["Method"],
                "name": row["Name"],
                "error": row["Error"],
                "occurrences": int(row["Occurrences"]),
            }
            for row in csv.DictReader(file)
        ]
    # An exception in the scenario's own code is not a request; it is an error all the same.
    with open(f"{prefix}_exceptions.csv", newline="", encoding="utf-8") as file:
        errors += [
            {
                "method": "",
                "name": "(the scenario's code)",
                "error": row["Message"],
                "occurrences": int(row["Count"]),
            }
            for row in csv.DictReader(file)
        ]
    retries = Path(f"{prefix}_retries.json")
    retried = json.loads(retries.read_text()) if retries.exists() else {}
    return {"pages": pages, "total": total, "errors": errors, "retried": retried}


# --- the run --------------------------------------------------------------------------------


def measure(
    engine: Engine,
    size: dict[str, Any],
    server: str | None = None,
    fill: bool = True,
    keep: Path | None = None,
) -> dict[str, Any]:
    """Populate `engine` (unless it is filled already), serve it, run the scenario; the numbers.

    `size` is ``settings()``'s, and may add ``think`` (a factor on every think time) and
    ``tour`` (each user does every task once after logging in): a test's short run. The plan,
    the server's and locust's output and the CSV files go to `keep` when it is given (else to a
    temporary folder, removed after)."""
    data, generated_s = s.timed(lambda: populate(engine, size)) if fill else ({}, 0.0)
    roles = _load_plan.counts(size["users"], size["cells"])
    _load_plan.add_users(engine, roles)
    plan = {
        **_load_plan.build(engine, roles),
        **{k: size[k] for k in ("think", "tour") if k in size},
    }
    url = engine.url.render_as_string(hide_password=False)
    server = server or default_server()
    with tempfile.TemporaryDirectory(prefix="hoso-bench-load-") as tmp:
        folder = Path(keep or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        plan_path = folder / "plan.json"
        plan_path.write_text(json.dumps(plan), encoding="utf-8")
        workers, threads = size["workers"], size["threads"]
        with serving(url, folder, server, workers, threads) as (base_url, command, pid):
            load_before, cpu_before = os.getloadavg(), server_cpu(pid)
            users = sum(roles.values())
            prefix = run_locust(
                base_url, plan_path, users, size["spawn_rate"], size["duration"], folder
            )
            load_after, cpu_after = os.getloadavg(), server_cpu(pid)
        stats = read_stats(prefix)
    failed = sum(e["occurrences"] for e in stats["errors"])
    return {
        "server": s.server_version(engine),
        **data,
        "generated_s": generated_s,
        "command": command,
        "workers": workers,
        "threads": threads,
        "users": roles,
        "duration": size["duration"],
        "load_average_before": load_before,
        "load_average_after": load_after,
        "server_cpu_s": cpu_after - cpu_before,
        **stats,
        "failed_requests": failed,
        "p95_goal_ms": P95_GOAL_MS,
        "p95_goal_missed": [
            f"{p['method']} {p['name']}"
            for p in stats["pages"]
            if p["name"] not in NOT_IN_GOAL and (p["p95_ms"] or 0) >= P95_GOAL_MS
        ],
    }


def run(quick: bool = False, profile: bool = False, **overrides: Any) -> dict[str, Any]:
    """On a fresh PostgreSQL database; prints the table and returns the numbers."""
    if os.environ.get(s.POSTGRES_ENV) is None:
        print(f"  skipped: the load benchmark runs on PostgreSQL only; set {s.POSTGRES_ENV}")
        return {"skipped": f"{s.POSTGRES_ENV} not set"}
    size = {**settings(quick), **{k: v for k, v in overrides.items() if v is not None}}
    server = size.pop("server", None)
    with s.fresh_database("postgresql", NAME) as engine:
        result = measure(engine, size, server)
    show(result)
    return result


def show(result: dict[str, Any]) -> None:
    """The table per page, the errors, the goal."""
    rows = [
        [f"{p['method']} {p['name']}", p["requests"], p["failures"],
         *(f"{p[k]:.0f}" if p[k] is not None else "-" for k in ("p50_ms", "p95_ms", "p99_ms"))]
        for p in [*result["pages"], result["total"]] if p
    ]  # fmt: skip
    s.table(TITLE, ["request", "requests", "failures", "p50 ms", "p95 ms", "p99 ms"], rows)
    users = ", ".join(f"{n} {role}" for role, n in result["users"].items())
    print(
        f"  {result['server']}: {result.get('cases', 0):,} cases, {result.get('events', 0):,} "
        f"events (generated in {result['generated_s']:.0f} s); {users} for "
        f"{result['duration']}; {result['workers']} workers × {result['threads']} threads "
        f"({' '.join(result['command'][:2])} ...); load average "
        f"{result['load_average_before'][0]:.1f} before, "
        f"{result['load_average_after'][0]:.1f} after"
    )
    requests = result["total"].get("requests") or 1
    print(
        f"  the server's processes used {result['server_cpu_s']:.0f} CPU s for "
        f"{requests:,} requests: {result['server_cpu_s'] * 1000 / requests:.0f} ms per request "
        "(the database's own CPU not included)"
    )
    if result["retried"]:
        again = ", ".join(f"{n} after {error}" for error, n in result["retried"].items())
        print(f"  GETs sent again on a new connection (as a browser does): {again}")
    for error in result["errors"]:
        print(
            f"  ERROR {error['method']} {error['name']}: {error['error']} ×{error['occurrences']}"
        )
    missed = result["p95_goal_missed"]
    print(
        f"  errors: {result['failed_requests']} ({s.goal(not result['failed_requests'])}); "
        f"p95 < {P95_GOAL_MS} ms on every page: "
        + (s.goal(True) if not missed else f"{s.goal(False)} on {', '.join(missed)}")
    )


def main(argv: list[str] | None = None) -> int:
    """``python -m benchmarks.load``: the load benchmark with other settings."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load", description=TITLE)
    parser.add_argument("--quick", action="store_true", help="10,000 cases, 60 s")
    parser.add_argument("--users", type=int, help="simulated users (default 50)")
    parser.add_argument("--duration", help="how long locust runs, e.g. 90s, 5m")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default 2 × cores + 1)")
    parser.add_argument("--threads", type=int, help="threads per worker (default 4)")
    parser.add_argument("--server", choices=SERVERS, help=f"default: {default_server()}")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write every number to FILE")
    args = parser.parse_args(argv)
    result = run(
        args.quick,
        users=args.users,
        duration=args.duration,
        workers=args.workers,
        threads=args.threads,
        server=args.server,
    )
    if args.json:
        args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False, default=str))
    return 1 if result.get("failed_requests") else 0


if __name__ == "__main__":
    sys.exit(main())
