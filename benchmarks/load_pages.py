"""The load scenario's pages, one at a time in-process, on a kept PostgreSQL database.

``python -m benchmarks.load_pages build`` creates ``hoso_perf`` on HOSO_BENCH_POSTGRES_URL's server
(100,000 cases, 1,000,000 events, the load's users) and writes its plan; ``python -m
benchmarks.load_pages run [KEY...]`` times each page as its load user sees it (median ms of n
requests, statements per request) and with ``--profile`` prints cProfile's top functions.
The database is kept between runs so that before and after meet the same data; ``drop`` removes it.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import make_url

from benchmarks import _load_plan
from benchmarks import _support as s
from benchmarks._web_pages_client import bench_app, logged_in, profile_page
from benchmarks._web_pages_data import populate
from benchmarks.load import settings
from db.migrate import upgrade
from db.session import make_engine

NAME = "hoso_perf"
PLAN = Path("/tmp/hoso_perf_plan.json")


def _urls() -> tuple[str, str]:
    base = os.environ[s.POSTGRES_ENV]
    return base, make_url(base).set(database=NAME).render_as_string(hide_password=False)


def build(quick: bool) -> None:
    """The database and the plan, from scratch."""
    base, url = _urls()
    admin = make_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{NAME}"'))
        conn.execute(text(f'CREATE DATABASE "{NAME}"'))
    engine = make_engine(url)
    upgrade(engine)
    size = settings(quick)
    data = populate(engine, size)
    roles = _load_plan.counts(size["users"], size["cells"])
    _load_plan.add_users(engine, roles)
    plan = {**_load_plan.build(engine, roles), "data": data}
    PLAN.write_text(json.dumps(plan))
    print(data)


def pages(plan: dict[str, Any]) -> list[tuple[str, str, str]]:
    """``(key, username, path)``: each page of the scenario as one of its users asks for it."""
    mentor, sec = plan["mentor"][0], plan["secretary"][1]
    com, audit = plan["committee"][0], plan["auditor"][0]
    return [
        ("fixed", mentor["username"], "/_bench_fixed"),
        ("work_mentor", mentor["username"], "/"),
        ("work_sec", sec["username"], "/"),
        ("work_com", com["username"], "/"),
        ("list_mentor", mentor["username"], "/candidates/"),
        ("list_sec", sec["username"], "/candidates/"),
        ("search_sec", sec["username"], "/candidates/?q=nguyen"),
        ("case_mentor", mentor["username"], f"/candidates/{mentor['cases'][0]}"),
        ("case_sec", sec["username"], f"/candidates/{sec['browse'][0]}"),
        ("case_com", com["username"], f"/candidates/{com['cases'][0]}"),
        ("reviews", com["username"], "/reviews/"),
        ("statistics", com["username"], "/reports/statistics"),
        ("targets", com["username"], "/reports/targets"),
        ("audit", audit["username"], "/audit/"),
        ("audit_case", audit["username"], f"/audit/cases/{audit['browse'][0]}"),
        ("verify", audit["username"], "/audit/verify"),
    ]


def run(keys: list[str], n: int, profile: bool) -> None:
    """Median ms and statements per request of each page."""
    _base, url = _urls()
    plan = json.loads(PLAN.read_text())
    engine = make_engine(url)
    clients: dict[str, Any] = {}
    with bench_app(engine) as app:
        for key, user, path in pages(plan):
            if keys and key not in keys:
                continue
            client = clients.get(user) or clients.setdefault(user, logged_in(app, user))
            client.get(path).close()  # warm
            times = []
            with s.count_statements(engine) as seen:
                for _ in range(n):
                    start = time.perf_counter()
                    response = client.get(path)
                    response.get_data()
                    times.append((time.perf_counter() - start) * 1000)
                    assert response.status_code == 200, (path, response.status_code)
                    response.close()
            size = len(response.get_data())
            print(
                f"{key:12} {path[:28]:28} {statistics.median(times):8.1f} ms "
                f"(min {min(times):.1f})  {len(seen) / n:5.1f} stmts  {size:,} B",
                flush=True,
            )
            if profile:
                profile_page(client, path, max(1, n // 2), key, True)


def main(argv: list[str] | None = None) -> int:
    """The command line."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load_pages")
    parser.add_argument("action", choices=("build", "run", "drop"))
    parser.add_argument("keys", nargs="*")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("-n", type=int, default=5)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args(argv)
    if args.action == "build":
        build(args.quick)
    elif args.action == "run":
        run(args.keys, args.n, args.profile)
    else:
        base, _url = _urls()
        with make_engine(base, isolation_level="AUTOCOMMIT").connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{NAME}"'))
    return 0


if __name__ == "__main__":
    sys.exit(main())
