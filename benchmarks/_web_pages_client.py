"""The app of ``benchmarks.web_pages``, its logged-in clients, and what one request costs."""

from __future__ import annotations

import cProfile
import gc
import io
import os
import pstats
import re
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from flask_login import login_required
from sqlalchemy import Engine, event

from benchmarks._data import (
    person_name,
)
from benchmarks._web_pages_data import PASSWORD
from db.runtime import Runtime
from db.session import session_factory
from db.text import fold
from workflow.settings import Settings

FIXED = "fixed"
#: One person's folded full name (``_data.person_name``), as a query string value.
ONE = fold(person_name(12_345)).replace(" ", "+")
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@contextmanager
def bench_app(engine: Engine) -> Iterator[Flask]:
    """The real app on `engine`, with the two fixed-string routes added before any request."""
    from web import create_app

    saved = os.environ.get("HOSO_INSTANCE")
    with tempfile.TemporaryDirectory(prefix="hoso-bench-web-") as folder:
        os.environ["HOSO_INSTANCE"] = folder
        try:
            runtime = Runtime(engine, session_factory(engine), Settings())
            app = create_app(
                {"SECRET_KEY": "bench", "WTF_CSRF_ENABLED": True, "PROPAGATE_EXCEPTIONS": True},
                runtime=runtime,
            )

            @login_required
            def fixed() -> str:
                return FIXED

            def bare() -> str:
                return FIXED

            app.add_url_rule("/_bench_fixed", "bench_fixed", fixed)
            app.add_url_rule("/_bench_bare", "bench_bare", bare)
            yield app
        finally:
            if saved is None:
                os.environ.pop("HOSO_INSTANCE", None)
            else:
                os.environ["HOSO_INSTANCE"] = saved


def logged_in(app: Flask, username: str) -> FlaskClient:
    """A test client logged in through the real form, CSRF token included."""
    client = app.test_client()
    match = _CSRF.search(client.get("/login").get_data(as_text=True))
    if not match:
        raise RuntimeError("no CSRF token on /login")
    response = client.post(
        "/login", data={"username": username, "password": PASSWORD, "csrf_token": match.group(1)}
    )
    if response.status_code != 302:
        raise RuntimeError(f"logging in as {username} answered {response.status_code}")
    return client


def pages(data: dict[str, Any], quick: bool) -> list[tuple[str, str, str, str]]:
    """``(key, label, username, path)`` of every contender, the two baselines first."""
    middle = 100 if quick else 1000  # the middle page of 50 rows: 5,000 or 50,000 rows deep
    typical, heavy = data["typical_case"], data["heavy_case"]
    typical_events, heavy_events = data["typical_events"], data["heavy_events"]
    return [
        ("bare", "fixed string, no login", "com", "/_bench_bare"),
        ("fixed", "fixed string, login_required", "com", "/_bench_fixed"),
        ("list", "/candidates/", "com", "/candidates/"),
        ("list_deep", f"/candidates/?page={middle}", "com", f"/candidates/?page={middle}"),
        ("list_search", "/candidates/?q=nguyen", "com", "/candidates/?q=nguyen"),
        # One person's full name: what the trigram index is for (a common surname is served
        # by the capped count instead).
        ("list_search_one", f"/candidates/?q={ONE}", "com", f"/candidates/?q={ONE}"),
        (
            "list_filter",
            "/candidates/?state=trained&kind=school",
            "com",
            "/candidates/?state=trained&kind=school",
        ),
        ("list_cell", "/candidates/ (one cell)", "sec", "/candidates/"),
        ("case", f"/candidates/<id> ({typical_events} events)", "sec", f"/candidates/{typical}"),
        ("case_heavy", f"/candidates/<id> ({heavy_events} events)", "sec", f"/candidates/{heavy}"),
        (
            "case_committee",
            f"/candidates/<id> ({typical_events} events)",
            "com",
            f"/candidates/{typical}",
        ),
    ]


def _get(client: FlaskClient, path: str) -> int:
    """One GET, its body read; its size."""
    response = client.get(path)
    try:
        if response.status_code != 200:
            raise RuntimeError(f"GET {path} answered {response.status_code}")
        return len(response.get_data())
    finally:
        response.close()


@contextmanager
def captured(engine: Engine) -> Iterator[list[tuple[str, Any]]]:
    """Every statement and its parameters that `engine` sends while the block runs."""
    seen: list[tuple[str, Any]] = []

    def _before(conn, cursor, statement, parameters, context, executemany):
        seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", _before)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", _before)


def replay(engine: Engine, statements: list[tuple[str, Any]]) -> int:
    """The statements again on one raw DBAPI cursor, every row fetched: the database's share."""
    raw = engine.raw_connection()
    rows = 0
    try:
        cursor = raw.cursor()
        for statement, parameters in statements:
            if statement.startswith("BEGIN"):
                continue
            cursor.execute(statement, parameters)
            if cursor.description is not None:
                rows += len(cursor.fetchall())
        cursor.close()
        raw.rollback()
    finally:
        raw.close()
    return rows


@contextmanager
def gc_time() -> Iterator[dict[str, Any]]:
    """Seconds spent in Python's cyclic garbage collector, and full (generation 2) collections,
    by the page being requested when they ran (``collected["page"]`` names it)."""
    collected: dict[str, Any] = {"page": None, "seconds": {}, "full": {}}
    started: list[float] = []

    def _callback(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started[:] = [time.perf_counter()]
            return
        key = collected["page"]
        elapsed = time.perf_counter() - started[0] if started else 0.0
        collected["seconds"][key] = collected["seconds"].get(key, 0.0) + elapsed
        if info["generation"] == 2:
            collected["full"][key] = collected["full"].get(key, 0) + 1

    gc.callbacks.append(_callback)
    try:
        yield collected
    finally:
        gc.callbacks.remove(_callback)


# --- profiles -------------------------------------------------------------------------------

#: What a request's time is broken into: (label, file suffix, function).
PARTS = (
    ("user loading (web.auth.users._load_user)", "web/auth/users.py", "_load_user"),
    ("list data (db.read.search.search_cases)", "db/search.py", "search_cases"),
    ("cells in scope (db.read.search.cells_in_scope)", "db/search.py", "cells_in_scope"),
    ("opening years (db.read.search.opening_years)", "db/search.py", "opening_years"),
    ("visibility (services.view_case)", "workflow/services.py", "view_case"),
    ("case data (db.read.case_page.case_page)", "db/case_page.py", "case_page"),
    ("  of which events (db.history.case_events)", "db/history.py", "case_events"),
    ("actions and forms (case._actions)", "web/candidates/case.py", "_actions"),
    ("timeline (case._timeline)", "web/candidates/case.py", "_timeline"),
    ("deadlines (case._deadlines)", "web/candidates/case.py", "_deadlines"),
    ("diagram (web.diagram.workflow_svg)", "web/diagram.py", "workflow_svg"),
    ("templates (flask.templating._render)", "flask/templating.py", "_render"),
    ("SQL in the driver (DefaultDialect.do_execute)", "sqlalchemy/engine/default.py", "do_execute"),
)


def _cumulative(stats: pstats.Stats, suffix: str, function: str) -> float:
    return sum(
        entry[3]
        for (filename, _line, name), entry in stats.stats.items()  # type: ignore[attr-defined]
        if name == function and filename.endswith(suffix)
    )


def _fetch_time(stats: pstats.Stats) -> float:
    """Seconds in the drivers' fetch calls (not under do_execute)."""
    total = 0.0
    for (filename, _line, name), entry in stats.stats.items():  # type: ignore[attr-defined]
        sqlite = "sqlite3.Cursor" in name and "fetch" in name
        psycopg = filename.endswith("psycopg/cursor.py") and name.startswith("fetch")
        if sqlite or psycopg:
            total += entry[3]
    return total


def profile_page(
    client: FlaskClient, path: str, requests: int, title: str, print_top: bool
) -> dict[str, float]:
    """`requests` GETs under cProfile: milliseconds per request in each part of PARTS."""
    profiler = cProfile.Profile()
    profiler.runcall(lambda: [_get(client, path) for _ in range(requests)])
    stats = pstats.Stats(profiler)
    parts = {"total": stats.total_tt / requests * 1000}  # type: ignore[attr-defined]
    for label, suffix, function in PARTS:
        parts[label] = _cumulative(stats, suffix, function) / requests * 1000
    parts["SQL fetch in the driver"] = _fetch_time(stats) / requests * 1000
    if print_top:
        out = io.StringIO()
        stats.stream = out  # type: ignore[attr-defined]
        stats.strip_dirs().sort_stats("cumulative").print_stats(30)
        stats.sort_stats("tottime").print_stats(15)
        print(f"--- profile: {title}, {requests} requests ---\n{out.getvalue()}")
    return parts
