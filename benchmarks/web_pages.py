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

import os
import resource
from typing import Any

from sqlalchemy import Engine

from benchmarks import _support as s
from benchmarks._web_pages_client import (
    _get,
    bench_app,
    captured,
    gc_time,
    logged_in,
    pages,
    profile_page,
    replay,
)
from benchmarks._web_pages_data import populate

NAME = "web_pages"
TITLE = "Web pages over 100,000 cases and 1,000,000 events vs. a fixed-string Flask page"
#: Goals of issue 9: the list page ≤ 5× the login_required fixed page; a search ≤ 2× the list.
LIST_GOAL, SEARCH_GOAL = 5.0, 2.0


def sizes(quick: bool) -> dict[str, int]:
    if quick:
        return {"cases": 10_000, "events": 100_000, "cells": 10, "heavy": 200, "repeats": 15}
    return {"cases": 100_000, "events": 1_000_000, "cells": 20, "heavy": 200, "repeats": 60}


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
