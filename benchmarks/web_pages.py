"""Web pages over 100,000 cases and 1,000,000 events, against a Flask page returning a fixed string.

The database is fresh and filled in bulk: the district of ``benchmarks._data.build_district``
(a committee and its cells; every fourth cell an enterprise, the others schools), a committee user
``com`` and the first cell's secretary ``sec``, both with a password; 100,000 cases with their
people (Core inserts, spread over the cells, the states and five opening years); and 1,000,000
hash-chained events, about ten per case, written in rounds so that one case's events lie far
apart in the table as they do in life, with one case in the secretary's cell carrying 200. Then
``ANALYZE`` (``VACUUM ANALYZE`` on PostgreSQL), as ``hoso init`` does.

The app is ``web.create_app`` on a ``db.runtime.Runtime`` over that engine, with CSRF on. Two
routes are added to the same app before its first request, as baselines: ``/_bench_fixed``
(``login_required``, so it loads the user like every page does) and ``/_bench_bare`` (no login),
both returning a fixed string. Flask test clients log in through the real ``/login`` form with its
CSRF token. Every page and both baselines are then requested in turn, N times each (the order
reversed on every other round), after warm-up requests; medians and 95th percentiles are compared.

For each page, also: the SQL statements one request sends (a ``before_cursor_execute`` listener;
BEGIN included, COMMIT and ROLLBACK are not statements), those same statements replayed with
their parameters on a raw DBAPI cursor (the database's share: no SQLAlchemy, no Flask, no
templates), the time the timed requests spent in Python's garbage collector (and how many full
collections ran), and memory: peak RSS growth and tracemalloc's peak of one request.
``--profile`` adds a cProfile breakdown per page (login user loading, page data, SQL in the
driver, templates).
"""

from __future__ import annotations

import cProfile
import gc
import io
import os
import pstats
import re
import resource
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from flask_login import login_required
from sqlalchemy import Engine, event, func, select, update
from werkzeug.security import generate_password_hash

from benchmarks import _support as s
from benchmarks._data import (
    CASES,
    CHAIN_HEAD,
    EVENTS,
    ORGANISATIONS,
    build_district,
    insert_cases,
    open_assignments,
    person_name,
)
from db.migrate import analyze
from db.models import RoleGrant, User
from db.runtime import Runtime
from db.session import session_factory
from db.text import fold
from workflow.history import CANONICAL_COLUMNS, GENESIS, canonical_data, chain_digest, utc_stamp
from workflow.settings import Settings
from workflow.states import State

NAME = "web_pages"
TITLE = "Web pages over 100,000 cases and 1,000,000 events vs. a fixed-string Flask page"
PASSWORD = "bench"
FIXED = "fixed"
BATCH = 20_000
STATES = [state.value for state in State]
#: One person's folded full name (``_data.person_name``), as a query string value.
ONE = fold(person_name(12_345)).replace(" ", "+")
#: Goals of issue 9: the list page ≤ 5× the login_required fixed page; a search ≤ 2× the list.
LIST_GOAL, SEARCH_GOAL = 5.0, 2.0
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def sizes(quick: bool) -> dict[str, int]:
    if quick:
        return {"cases": 10_000, "events": 100_000, "cells": 10, "heavy": 200, "repeats": 15}
    return {"cases": 100_000, "events": 1_000_000, "cells": 20, "heavy": 200, "repeats": 60}


# --- data -----------------------------------------------------------------------------------

_PERSON = {
    "birth_date": date(2004, 4, 2),
    "birth_place": "thị trấn Liên Nghĩa, Đức Trọng, Lâm Đồng",
    "education": "12/12",
    "ethnicity": "Kinh",
    "hometown": "Điện Bàn, Quảng Nam",
    "id_number": "068204136405",
    "is_doan_member": True,
    "occupation": "Giáo viên, Trường THPT Đức Trọng",
    "religion": "Không",
    "residence": "Tổ dân phố 1, thị trấn Liên Nghĩa, huyện Đức Trọng, tỉnh Lâm Đồng",
    "sex": "nữ",
    "source": "cell_review",
}
_NOTE = "Đã gặp quần chúng, trao đổi về lý lịch gia đình và nguyện vọng phấn đấu vào Đảng."
_REASON = "Quần chúng chuyển công tác tạm thời, có đơn xin tạm dừng; chi bộ thống nhất."


def _kinds(mentor_id: int, mentor_name: str) -> tuple[list[tuple], list[tuple]]:
    """The first ten events of a case, in order, and what a long history repeats after them.

    Each is ``(action, from_state, to_state, role, user, reason, data)``; ``data`` is canonical
    JSON except for identify's, whose cell is filled in per case.
    """
    first = [
        ("identify", None, "identified", "secretary", "sec", None, None),
        (
            "assign_mentor",
            "identified",
            "mentored",
            "secretary",
            "sec",
            None,
            canonical_data(
                {"mentor_id": mentor_id, "mentor_name": mentor_name, "since": date(2022, 3, 16)}
            ),
        ),
        ("record_note", None, None, "secretary", "sec", None, canonical_data({"text": _NOTE})),
        (
            "record_introduction",
            None,
            None,
            "secretary",
            "sec",
            None,
            canonical_data(
                {
                    "dated": date(2022, 7, 20),
                    "kind": "member",
                    "known_since": date(2019, 3, 2),
                    "member_id": mentor_id,
                    "member_name": mentor_name,
                }
            ),
        ),
        (
            "complete_training",
            "mentored",
            "trained",
            "trainer",
            "sec",
            None,
            canonical_data(
                {
                    "certificate_date": date(2022, 6, 12),
                    "certificate_number": "240/GCN-TTCT",
                    "issuer": "Trung tâm Chính trị huyện Đức Trọng",
                }
            ),
        ),
        (
            "record_document",
            None,
            None,
            "secretary",
            "sec",
            None,
            canonical_data({"code": "1-KNĐ", "dated": date(2022, 7, 6)}),
        ),
        (
            "record_document",
            None,
            None,
            "secretary",
            "sec",
            None,
            canonical_data({"code": "2-KNĐ", "dated": date(2022, 7, 8), "number": "12"}),
        ),
        (
            "submit_dossier",
            "trained",
            "dossier_submitted",
            "secretary",
            "sec",
            None,
            canonical_data(
                {
                    "eligible": 8,
                    "resolution_number": "15-NQ/CB",
                    "vote_date": date(2022, 8, 12),
                    "votes_against": 0,
                    "votes_for": 7,
                }
            ),
        ),
        (
            "return_dossier",
            "dossier_submitted",
            "returned",
            "committee",
            "com",
            "Nghị quyết giới thiệu đoàn viên ưu tú ký chưa đúng thẩm quyền; đề nghị ban hành lại.",
            "{}",
        ),
        ("record_note", None, None, "committee", "com", None, canonical_data({"text": _NOTE})),
    ]
    again = [
        ("record_note", None, None, "secretary", "sec", None, canonical_data({"text": _NOTE})),
        ("withdraw", "trained", "withdrawn", "secretary", "sec", _REASON, "{}"),
        ("reinstate", "withdrawn", "trained", "secretary", "sec", _REASON, "{}"),
        (
            "record_document",
            None,
            None,
            "secretary",
            "sec",
            None,
            canonical_data({"code": "5-KNĐ", "dated": date(2023, 1, 9)}),
        ),
    ]
    return first, again


def _counts(cases: int, events: int, heavy_index: int, heavy: int) -> list[int]:
    """Events per case: `heavy` for one, the rest shared out as evenly as possible."""
    base, extra = divmod(events - heavy, cases - 1)
    counts, given = [], 0
    for i in range(cases):
        if i == heavy_index:
            counts.append(heavy)
            continue
        counts.append(base + (1 if given < extra else 0))
        given += 1
    return counts


def populate(engine: Engine, size: dict[str, int]) -> dict[str, Any]:
    """The district, its two users, the cases and the event chain; what the pages will ask for."""
    ncells = size["cells"]
    district = build_district(engine, cells=ncells, members_per_cell=5, mentor_users_per_cell=2)
    cells = district.cell_ids
    password = generate_password_hash(PASSWORD)
    with session_factory(engine)() as session:
        committee = User(username="com", full_name="Ủy viên Ban Thường vụ", password_hash=password)
        committee.grants.append(RoleGrant(role="committee", organisation_id=district.committee_id))
        session.add(committee)
        secretary = session.scalar(select(User).where(User.username == "sec"))
        secretary.password_hash = password
        secretary.full_name = "Bí thư chi bộ"
        session.commit()
        users = {u.username: u.id for u in (committee, secretary)}
    with engine.begin() as conn:  # schools and enterprises, so that kind=school filters
        conn.execute(
            update(ORGANISATIONS)
            .where(ORGANISATIONS.c.id.in_(cells[3::4]))
            .values(unit_kind="enterprise")
        )

    # Cases: cell by cell in turn, and (independently) state by state; five opening years.
    specs = []
    for i in range(size["cases"]):
        cell = cells[i % ncells]
        state = STATES[(i // ncells) % len(STATES)]
        mentor = district.members[cell][1 + (i // ncells) % 4]
        specs.append((cell, state, None if state in ("identified", "withdrawn") else mentor))
    case_ids: list[int] = []
    per_year = -(-len(specs) // 5)
    for k in range(5):
        chunk = specs[k * per_year : (k + 1) * per_year]
        case_ids += insert_cases(engine, chunk, opened_on=date(2022 + k, 3, 2))
    # Two cases of the secretary's cell in state "trained": a typical one and the long history.
    trained = STATES.index("trained")
    typical_index = (10 * 1 + trained) * ncells
    heavy_index = (10 * (size["cases"] // (10 * ncells) // 2) + trained) * ncells
    mentor_member = district.members[cells[0]][1 + (typical_index // ncells) % 4]
    open_assignments(
        engine,
        [(case_ids[typical_index], mentor_member), (case_ids[heavy_index], mentor_member)],
        date(2022, 3, 16),
    )
    counts = _counts(size["cases"], size["events"], heavy_index, size["heavy"])
    _events(engine, case_ids, specs, counts, users, mentor_member)
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    else:
        analyze(engine)
    with engine.connect() as conn:
        per_case = dict(
            conn.execute(
                select(EVENTS.c.case_id, func.count())
                .where(EVENTS.c.case_id.in_([case_ids[typical_index], case_ids[heavy_index]]))
                .group_by(EVENTS.c.case_id)
            ).all()
        )
        total = conn.scalar(select(func.count()).select_from(EVENTS))
        ncases = conn.scalar(select(func.count()).select_from(CASES))
    return {
        "cases": ncases,
        "events": total,
        "typical_case": case_ids[typical_index],
        "typical_events": per_case[case_ids[typical_index]],
        "heavy_case": case_ids[heavy_index],
        "heavy_events": per_case[case_ids[heavy_index]],
    }


def _events(
    engine: Engine,
    case_ids: list[int],
    specs: list[tuple[int, str, int | None]],
    counts: list[int],
    users: dict[str, int],
    mentor_member: int,
) -> None:
    """A valid chain: round r holds the r-th event of every case that has one, so a case's
    events lie far apart in id order (cases move on in parallel), as in a real history."""
    first, again = _kinds(mentor_member, "Đảng viên 0.1")
    identify = {cell: canonical_data({**_PERSON, "cell": cell}) for cell, _s, _m in specs}
    start = datetime(2022, 1, 4, 1, 30, tzinfo=UTC)
    previous, event_id, rows = GENESIS, 0, []
    for r in range(max(counts)):
        for i, count in enumerate(counts):
            if count <= r:
                continue
            event_id += 1
            action, from_state, to_state, role, user, reason, data = (
                first[r] if r < len(first) else again[(r - len(first)) % len(again)]
            )
            values = {
                "id": event_id,
                "case_id": case_ids[i],
                "organisation_id": None,
                "at": utc_stamp(start + timedelta(seconds=137 * event_id)),
                "user_id": users[user],
                "username": user,
                "role": role,
                "action": action,
                "from_state": from_state,
                "to_state": to_state,
                "reason": reason,
                "data": data if data is not None else identify[specs[i][0]],
                "ruleset": "2024.1",
            }
            digest = chain_digest(previous, tuple(values[c] for c in CANONICAL_COLUMNS))
            rows.append({**values, "prev_digest": previous, "digest": digest})
            previous = digest
            if len(rows) == BATCH:
                with engine.begin() as conn:
                    conn.execute(EVENTS.insert(), rows)
                rows = []
    with engine.begin() as conn:
        if rows:
            conn.execute(EVENTS.insert(), rows)
        conn.execute(
            update(CHAIN_HEAD)
            .where(CHAIN_HEAD.c.id == 1)
            .values(last_id=event_id, digest=previous, count=event_id)
        )


# --- the app and its clients ----------------------------------------------------------------


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
    ("user loading (web.auth._load_user)", "web/auth.py", "_load_user"),
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


# --- the run --------------------------------------------------------------------------------


def _run_on(engine: Engine, quick: bool, profile: bool) -> dict[str, Any]:
    size = sizes(quick)
    data, generated_s = s.timed(lambda: populate(engine, size))
    peak_while_loading = s._status_kib("VmHWM") or resource.getrusage(resource.RUSAGE_SELF)[2]
    rss_after_load = s.rss_kib()
    contenders = pages(data, quick)
    with bench_app(engine) as app:
        clients = {user: logged_in(app, user) for user in ("com", "sec")}
        get = {
            key: (lambda c=clients[user], p=path: _get(c, p)) for key, _l, user, path in contenders
        }
        sizes_bytes = {}
        for _ in range(3):  # warm up: templates compiled, statement caches and the pool filled
            for key, fn in get.items():
                sizes_bytes[key] = fn()
        statements = {}
        for key, fn in get.items():
            with captured(engine) as seen:
                fn()
            statements[key] = list(seen)
        rss_serving = s.rss_kib()  # the app built and warm
        serving_peak_reset = s._reset_peak()
        load_before = os.getloadavg()
        timings = {key: s.Timings() for key in get}
        replays = {key: s.Timings() for key in get}
        order = list(get)
        with gc_time() as collected:
            for n in range(size["repeats"]):
                for key in order if n % 2 == 0 else reversed(order):
                    collected["page"] = key
                    timings[key].add(s.timed(get[key])[1])
        for n in range(size["repeats"]):
            for key in order if n % 2 == 0 else reversed(order):
                replays[key].add(s.timed(lambda k=key: replay(engine, statements[k]))[1])
        peak_while_serving = s._status_kib("VmHWM") if serving_peak_reset else None
        load_after = os.getloadavg()
        memory = {key: s.measure_memory(fn) for key, fn in get.items()}
        breakdown = {}
        if profile:
            for key, label, user, path in contenders:
                top = key in ("fixed", "list", "case_heavy")
                breakdown[key] = profile_page(
                    clients[user],
                    path,
                    10 if quick else 20,
                    f"{NAME} / {label} as {user} ({engine.dialect.name})",
                    top,
                )
    fixed, bare = timings["fixed"], timings["bare"]
    result: dict[str, Any] = {
        "server": s.server_version(engine),
        **data,
        "generated_s": generated_s,
        "repeats": size["repeats"],
        "peak_rss_while_loading_kib": peak_while_loading,
        "rss_after_load_kib": rss_after_load,
        "rss_app_warm_kib": rss_serving,
        "peak_rss_while_serving_kib": peak_while_serving,
        "load_average_before": load_before,
        "load_average_after": load_after,
        "pages": {},
    }
    for key, label, user, path in contenders:
        t = timings[key]
        result["pages"][key] = {
            "label": label,
            "user": user,
            "path": path,
            "median_s": t.median,
            "p95_s": s.percentile(t.runs, 0.95),
            "best_s": t.best,
            "runs_s": t.runs,
            "per_fixed": t.median / fixed.median,
            "p95_per_fixed": s.percentile(t.runs, 0.95) / s.percentile(fixed.runs, 0.95),
            "best_per_fixed": t.best / fixed.best,
            "per_bare": t.median / bare.median,
            "sql_statements": len(statements[key]),
            "statements": [st for st, _p in statements[key]],
            "replay_median_s": replays[key].median,
            "gc_ms_per_request": collected["seconds"].get(key, 0.0) * 1000 / size["repeats"],
            "full_gc": collected["full"].get(key, 0),
            "bytes": sizes_bytes[key],
            "rss_growth_kib": memory[key].rss_growth_kib,
            "traced_peak_bytes": memory[key].traced_peak_bytes,
            "per_call_rss_peak": memory[key].per_call_peak,
            "profile_ms": breakdown.get(key),
        }
    return result


def run(quick: bool = False, profile: bool = False) -> dict[str, Any]:
    """On every backend; prints tables and returns the numbers."""
    return s.on_every_backend(NAME, _run_on, _print, quick, profile)


def _print(results: dict[str, Any]) -> None:
    rows = []
    for r in results.values():
        for p in r["pages"].values():
            rows.append(
                [
                    r["server"],
                    p["label"],
                    p["user"],
                    p["sql_statements"],
                    f"{p['median_s'] * 1000:.2f}",
                    f"{p['p95_s'] * 1000:.2f}",
                    f"{p['best_s'] * 1000:.2f}",
                    f"{p['per_fixed']:.1f}×",
                    f"{p['p95_per_fixed']:.1f}×",
                    f"{p['best_per_fixed']:.1f}×",
                    f"{p['per_bare']:.1f}×",
                    f"{p['replay_median_s'] * 1000:.2f}",
                    f"{p['gc_ms_per_request']:.2f} ({p['full_gc']})",
                    f"{p['bytes'] / 1024:.1f}",
                    s.mib(p["traced_peak_bytes"], "bytes"),
                ]
            )
    s.table(
        TITLE,
        [
            "database",
            "page",
            "as",
            "SQL",
            "median ms",
            "p95 ms",
            "best ms",
            "/ fixed: median",
            "p95",
            "best",
            "/ bare",
            "SQL replay ms",
            "GC ms (full)",
            "KiB",
            "traced peak",
        ],
        rows,
    )
    for r in results.values():
        print(
            f"  {r['server']}: {r['cases']:,} cases, {r['events']:,} events (case "
            f"{r['typical_case']}: {r['typical_events']}, case {r['heavy_case']}: "
            f"{r['heavy_events']}), generated in {r['generated_s']:.0f} s; {r['repeats']} requests "
            f"per page, load average {r['load_average_before'][0]:.1f} before the requests and "
            f"{r['load_average_after'][0]:.1f} after; process RSS: peak "
            f"{s.mib(r['peak_rss_while_loading_kib'])} while generating, "
            f"{s.mib(r['rss_after_load_kib'])} after, {s.mib(r['rss_app_warm_kib'])} with the "
            f"app warm, peak {s.mib(r['peak_rss_while_serving_kib'] or 0)} during the timed "
            "requests; largest peak RSS growth of one request "
            f"{s.mib(max(p['rss_growth_kib'] for p in r['pages'].values()))}"
        )
    _print_goals(results)
    for r in results.values():
        profiled = {k: p for k, p in r["pages"].items() if p["profile_ms"]}
        if not profiled:
            continue
        labels = list(next(iter(profiled.values()))["profile_ms"])
        s.table(
            f"{r['server']}: cProfile, ms per request (cumulative; profiling inflates Python time)",
            ["part", *profiled],
            [
                [label, *(f"{p['profile_ms'][label]:.2f}" for p in profiled.values())]
                for label in labels
            ],
        )


def _print_goals(results: dict[str, Any]) -> None:
    """The ratios issue 9 sets goals for: of medians, and of best runs."""
    rows = []
    for r in results.values():
        pages = r["pages"]
        for key, base, goal in (
            ("list", "fixed", LIST_GOAL),
            ("list_search", "list", SEARCH_GOAL),
            ("list_search_one", "list", SEARCH_GOAL),
        ):
            median = pages[key]["median_s"] / pages[base]["median_s"]
            best = pages[key]["best_s"] / pages[base]["best_s"]
            label = f"{pages[key]['label']} / {pages[base]['label']}"
            verdict = s.goal(median <= goal)
            rows.append(
                [r["server"], label, f"≤ {goal:g}×", f"{median:.2f}×", f"{best:.2f}×", verdict]
            )
    s.table("Goals (issue 9)", ["database", "ratio", "goal", "median", "best", "verdict"], rows)
