"""/audit/verify's check over 100,000 cases and 1,000,000 events: a full replay (what every
check ran before) against a check resumed from the stored one (``web.audit.chain.check_now``
with ``since``), with nothing, one row and twenty rows changed since.

The data is ``web_pages``' (``populate``); its bulk rows are then set to what their events give
(a real database's rows are), so that the replay finds no difference. Each timing is a median
of a few runs; ``before`` is the chain walked from the stored check plus every case replayed.

    python -m benchmarks.audit_resume [--quick]      # SQLite; PostgreSQL too with
                                                     # HOSO_BENCH_POSTGRES_URL
"""

from __future__ import annotations

import argparse
from typing import Any

from sqlalchemy import Engine, text

from benchmarks import _support as s
from benchmarks._web_pages_data import populate
from benchmarks.web_pages import sizes
from db.read import replay as replaying
from db.read.history import last_check, verify
from db.runtime import Runtime
from web.audit.chain import check_now
from workflow.replay import REPLAYED_COLUMNS, replay_case
from workflow.settings import Settings

NAME = "audit_resume"
TITLE = "/audit/verify after a change: the stored check resumed vs every case replayed"


def _rows_as_events_say(engine: Engine) -> None:
    """Set every case row to the replay of its events (the bulk data does not)."""
    events = replaying._Ahead(
        replaying._grouped(replaying._stream(engine, replaying._EVENTS, "bench_events"))
    )
    ids = [r[0] for r in replaying._stream(engine, "SELECT id FROM cases ORDER BY id", "bench")]
    rows = [{"i": case_id, **replay_case(events.of(case_id))} for case_id in ids]
    sets = ", ".join(f"{c} = :{c}" for c in REPLAYED_COLUMNS)
    with engine.begin() as conn:
        conn.execute(text(f"UPDATE cases SET {sets} WHERE id = :i"), rows)


def _median_ms(fn, n: int) -> float:
    timings = s.Timings()
    for _ in range(n):
        timings.add(s.timed(fn)[1])
    return timings.median * 1000


def _run_on(engine: Engine, quick: bool, profile: bool) -> dict[str, Any]:
    populate(engine, sizes(quick))
    _rows_as_events_say(engine)
    rt = _runtime(engine)
    full = check_now(rt)
    assert full.replay.consistent, full.replay.count

    def before() -> None:
        verify(engine, since=last_check(engine))
        replaying.replay_cases(engine)

    with engine.connect() as conn:
        every = list(conn.execute(text("SELECT id FROM cases ORDER BY id")).scalars())
    ids = every[:: len(every) // 20][:20]  # twenty cases far apart: twenty buckets

    def changed(n: int):
        def run() -> None:
            with engine.begin() as conn:
                conn.execute(
                    text("UPDATE cases SET version = version + 1 WHERE id = :i"),
                    [{"i": i} for i in ids[:n]],
                )
            check = check_now(rt, last_check(engine))
            assert check.replay.count >= n, (check.replay.count, n)

        return run

    result = {
        "server": s.server_version(engine),
        "cases": full.replay.cases,
        "events": full.report.checked,
        "cli_full_ms": _median_ms(lambda: check_now(rt), 1),
        "before_ms": _median_ms(before, 3),
        "after_nothing_ms": _median_ms(lambda: check_now(rt, last_check(engine)), 7),
        "after_one_row_ms": _median_ms(changed(1), 5),
        "after_twenty_rows_ms": _median_ms(changed(20), 5),
    }
    return result


def _runtime(engine: Engine) -> Runtime:
    url = engine.url.render_as_string(hide_password=False)
    return Runtime.from_url(url, settings=Settings())


def _print(results: dict[str, Any]) -> None:
    rows = [
        [
            r["server"],
            f"{r['cases']:,}",
            f"{r['events']:,}",
            f"{r['before_ms']:.0f}",
            f"{r['after_nothing_ms']:.0f}",
            f"{r['after_one_row_ms']:.0f}",
            f"{r['after_twenty_rows_ms']:.0f}",
            f"{r['cli_full_ms']:.0f}",
        ]
        for r in results.values()
    ]
    s.table(
        "/audit/verify: a check resumed from the stored one (median ms)",
        [
            "database",
            "cases",
            "events",
            "before: full replay",
            "after: nothing changed",
            "1 row changed",
            "20 rows changed",
            "hoso audit verify (all)",
        ],
        rows,
    )


def run(quick: bool = False, profile: bool = False) -> dict[str, Any]:
    """On every backend; prints the table and returns the numbers."""
    return s.on_every_backend(NAME, _run_on, _print, quick, profile)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m benchmarks.audit_resume")
    parser.add_argument("--quick", action="store_true", help="10,000 cases")
    run(parser.parse_args().quick)
