"""The targets report over 100,000 cases and 1,000,000 events, against bare SQL aggregates.

Data, bulk-inserted with Core: a deciding district of 200 cells (100 schools, 60 enterprises, 40
others), each with a mass organisation and yearly targets for 2020–2026; 100,000 cases spread
over every state, opened between 2020 and 2026, a third of them introduced by their cell's mass
organisation; an admission decision for every case that reached ``admitted``; 1,000,000 events
(ten per case: the transitions that led to its state, then recorded facts); each case's
``state_since`` is then set from its events (``db.repositories.state_since``), as the write path
keeps it.

Contenders, measured alternately in the same process on the same database:

- ``db.read.reports.targets_report`` for the district's committee (scope filter included): the four
  aggregates and the open cases with the day they entered their state, then
  ``workflow.targets.build_report`` (roll-up, projections, verdicts, past years, stuck cases);
- the same report as ``/reports/targets`` asks for it (``stuck_shown=50``: the stuck cases
  counted in SQL, the 50 longest listed), timed beside the two (not part of the goal);
- the bare baseline: the same four aggregates as SQL text on the DBAPI cursor, fetched, and
  nothing else done with them.

Goal recorded in docs/performance.md: the report within 2× of the bare aggregates.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, bindparam, insert, update

from benchmarks import _support as s
from benchmarks._data import EVENTS, TABLES, insert_cases
from db.actors import actor_by_username
from db.models import RoleGrant, User
from db.read.reports import targets_report
from db.repositories.organisations import add_organisation
from db.repositories.state_since import fill_state_since
from db.session import session_factory
from workflow.history import utc_stamp
from workflow.services.targets import report_scope
from workflow.states import State

NAME = "targets"
TITLE = "The targets report: db.read.reports.targets_report vs. bare SQL aggregates"
GOAL = 2.0  # report time / bare aggregates time, at most
TODAY = date(2026, 11, 27)
DECISIONS = TABLES["decisions"]
CASES = TABLES["cases"]
TARGETS = TABLES["targets"]
BATCH = 20_000

#: The path to each state, as the events record it: (from, to) pairs after ``identify``.
PATHS: dict[str, list[str]] = {
    "identified": [],
    "mentored": ["mentored"],
    "trained": ["mentored", "trained"],
    "dossier_submitted": ["mentored", "trained", "dossier_submitted"],
    "returned": ["mentored", "trained", "dossier_submitted", "returned"],
    "admitted": ["mentored", "trained", "dossier_submitted", "admitted"],
    "official": ["mentored", "trained", "dossier_submitted", "admitted", "official"],
    "rejected": ["mentored", "trained", "dossier_submitted", "rejected"],
    "withdrawn": ["withdrawn"],
    "removed": ["mentored", "trained", "dossier_submitted", "admitted", "removed"],
}
ADMITTED = {"admitted", "official", "removed"}


def sizes(quick: bool) -> dict[str, int]:
    if quick:
        return {"cases": 10_000, "events_per_case": 10, "cells": 40, "repeats": 3}
    return {"cases": 100_000, "events_per_case": 10, "cells": 200, "repeats": 7}


def populate(engine: Engine, cases: int, per_case: int, cells: int) -> None:
    """The district, its targets, the cases, their decisions and events."""
    kinds = ["school"] * (cells // 2) + ["enterprise"] * (cells * 3 // 10)
    kinds += ["other"] * (cells - len(kinds))
    with session_factory(engine)() as session:
        district = add_organisation(
            session, "Huyện ủy Đo Hiệu Năng", "committee", decides_admissions=True
        )
        cell_ids, mass_names = [], {}
        for n, kind in enumerate(kinds):
            cell = add_organisation(session, f"Chi bộ số {n + 1}", "cell", district, unit_kind=kind)
            mass = add_organisation(session, f"Đoàn số {n + 1}", "mass", cell, mass_kind="doan")
            cell_ids.append(cell.id)
            mass_names[cell.id] = (mass.id, mass.name)
        user = User(username="bantochuc", full_name="Ban Tổ chức", password_hash="")
        user.grants.append(RoleGrant(role="committee", organisation_id=district.id))
        session.add(user)
        session.commit()
        user_id, district_id = user.id, district.id
    targets = []
    for year in range(2020, 2027):
        targets.append(_target(district_id, year, "enterprise_share", "percentage", 2))
        for cell_id in cell_ids:
            targets.append(_target(cell_id, year, "admissions", "count", 1))
            targets.append(_target(mass_names[cell_id][0], year, "introductions", "count", 2))
    states = [state.value for state in State]
    specs = [(cell_ids[i % cells], states[(i * 7) % len(states)], None) for i in range(cases)]
    first = insert_cases(engine, specs)
    with engine.begin() as conn:
        conn.execute(insert(TARGETS), targets)
        # Opening days over 2020–2026; a third introduced by the cell's mass organisation.
        updates, decisions = [], []
        for i, (cell_id, state, _) in enumerate(specs):
            opened = date(2020, 1, 1) + timedelta(days=(i * 37) % 2520)
            mass = i % 3 == 0
            updates.append(
                {
                    "b_id": first[i],
                    "b_opened": opened,
                    "b_source": "mass_organisation" if mass else "cell_review",
                    "b_detail": mass_names[cell_id][1] if mass else None,
                }
            )
            if state in ADMITTED:
                signed = min(opened + timedelta(days=200 + i % 150), TODAY)
                decisions.append(
                    {
                        "case_id": first[i],
                        "kind": "admission",
                        "number": f"{i}",
                        "signed_on": signed,
                    }
                )
        statement = (
            update(CASES)
            .where(CASES.c.id == bindparam("b_id"))
            .values(
                opened_on=bindparam("b_opened"),
                source=bindparam("b_source"),
                source_detail=bindparam("b_detail"),
            )
        )
        for start in range(0, len(updates), BATCH):
            conn.execute(statement, updates[start : start + BATCH])
        for start in range(0, len(decisions), BATCH):
            conn.execute(insert(DECISIONS), decisions[start : start + BATCH])
    _events(engine, first, specs, per_case, user_id)
    with engine.begin() as conn:  # the day each case entered its state, as its events say
        fill_state_since(conn)


def _target(org_id: int, year: int, metric: str, kind: str, value: int) -> dict[str, Any]:
    return {
        "organisation_id": org_id,
        "year": year,
        "metric": metric,
        "kind": kind,
        "value": value,
        "unit_kind": "all",
    }


def _events(engine: Engine, case_ids, specs, per_case: int, user_id: int) -> None:
    """`per_case` events per case: identify, the path to its state, then recorded facts."""
    start = datetime(2020, 1, 1, 1, 0, tzinfo=UTC)
    rows: list[dict[str, Any]] = []
    event_id = 0

    def flush() -> None:
        with engine.begin() as conn:
            conn.execute(EVENTS.insert(), rows)
        rows.clear()

    for n, (case_id, (_, state, _)) in enumerate(zip(case_ids, specs, strict=True)):
        moves = [(None, "identified")]
        previous = "identified"
        for step in PATHS[state]:
            moves.append((previous, step))
            previous = step
        moves += [(None, None)] * (per_case - len(moves))
        for k, (from_state, to_state) in enumerate(moves[:per_case]):
            event_id += 1
            rows.append(
                {
                    "id": event_id,
                    "case_id": case_id,
                    "at": utc_stamp(start + timedelta(hours=(n * 13 + k * 400) % 60_000)),
                    "user_id": user_id,
                    "username": "bantochuc",
                    "role": "secretary",
                    "action": "transition" if to_state else "record_note",
                    "from_state": from_state,
                    "to_state": to_state,
                    "reason": None,
                    "data": "{}",
                    "ruleset": "2024.1",
                    "prev_digest": f"{event_id - 1:064x}",
                    "digest": f"{event_id:064x}",
                }
            )
            if len(rows) >= BATCH:
                flush()
    if rows:
        flush()


#: The bare baseline: the same aggregates as SQL text.
YEAR = {"sqlite": "CAST(strftime('%Y', {}) AS INTEGER)", "postgresql": "EXTRACT(YEAR FROM {})"}
PIPELINE = "('identified', 'mentored', 'trained', 'dossier_submitted', 'returned')"


def bare_statements(dialect: str) -> list[str]:
    year = YEAR[dialect]
    return [
        f"SELECT c.cell_id, {year.format('d.signed_on')}, COUNT(DISTINCT d.case_id) "
        "FROM decisions d JOIN cases c ON c.id = d.case_id WHERE d.kind = 'admission' "
        f"GROUP BY c.cell_id, {year.format('d.signed_on')}",
        f"SELECT cell_id, state, COUNT(*) FROM cases WHERE state IN {PIPELINE} "
        "GROUP BY cell_id, state",
        f"SELECT cell_id, source_detail, {year.format('opened_on')}, COUNT(*) FROM cases "
        "WHERE source = 'mass_organisation' AND source_detail IS NOT NULL "
        f"GROUP BY cell_id, source_detail, {year.format('opened_on')}",
        "SELECT c.id, p.full_name, c.cell_id, c.state, COALESCE(c.state_since, c.opened_on) "
        f"FROM cases c JOIN people p ON p.id = c.person_id WHERE c.state IN {PIPELINE}",
    ]


def bare(engine: Engine) -> int:
    """The four aggregates on the DBAPI cursor; the number of rows fetched."""
    statements = bare_statements(engine.dialect.name)
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        fetched = 0
        for sql in statements:
            cursor.execute(sql)
            fetched += len(cursor.fetchall())
        cursor.close()
        connection.rollback()
    finally:
        connection.close()
    return fetched


def _run_on(engine: Engine, quick: bool, profile: bool) -> dict[str, Any]:
    size = sizes(quick)
    _, generated_s = s.timed(
        lambda: populate(engine, size["cases"], size["events_per_case"], size["cells"])
    )
    with engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    sessions = session_factory(engine)
    with sessions() as session:
        actor = actor_by_username(session, "bantochuc")

    def report():
        with sessions() as session:
            return targets_report(session, report_scope(actor), 2026, TODAY)

    def page():
        with sessions() as session:
            return targets_report(session, report_scope(actor), 2026, TODAY, stuck_shown=50)

    # Warm up and check that both read the same open cases.
    first = report()
    fetched = bare(engine)
    open_rows = sum(row.in_pipeline for row in first.rows if row.org.type == "cell")
    with s.count_statements(engine) as statements:
        report()
    timings = {"bare": s.Timings(), "report": s.Timings(), "page": s.Timings()}
    contenders = {"bare": lambda: bare(engine), "report": report, "page": page}
    for n in range(size["repeats"]):
        order = list(contenders) if n % 2 == 0 else list(reversed(contenders))
        for key in order:
            timings[key].add(s.timed(contenders[key])[1])
    memory = {key: s.measure_memory(fn) for key, fn in contenders.items()}
    if profile:
        s.profile(report, f"{NAME} / targets_report ({engine.dialect.name})")
    ratio = timings["report"].best / timings["bare"].best
    return {
        "server": s.server_version(engine),
        "cases": size["cases"],
        "events": size["cases"] * size["events_per_case"],
        "cells": size["cells"],
        "generated_s": generated_s,
        "repeats": size["repeats"],
        "open_cases": open_rows,
        "rows_fetched_by_bare": fetched,
        "stuck": len(first.stuck),
        "statements": len(statements),
        "bare": _numbers(timings["bare"], memory["bare"]),
        "report": _numbers(timings["report"], memory["report"]),
        "page": _numbers(timings["page"], memory["page"]),
        "ratio": ratio,
        "ratio_of_medians": timings["report"].median / timings["bare"].median,
        "goal_met": ratio <= GOAL,
    }


def _numbers(timings: s.Timings, memory: s.MemoryUse) -> dict[str, Any]:
    return {
        "median_s": timings.median,
        "best_s": timings.best,
        "runs_s": timings.runs,
        "rss_growth_kib": memory.rss_growth_kib,
        "traced_peak_bytes": memory.traced_peak_bytes,
    }


def run(quick: bool = False, profile: bool = False) -> dict[str, Any]:
    """On every backend; prints a table and returns the numbers."""
    return s.on_every_backend(NAME, _run_on, _print, quick, profile)


def _print(results: dict[str, Any]) -> None:
    rows = []
    for r in results.values():
        for key, label in (
            ("bare", "bare SQL aggregates"),
            ("report", "targets_report"),
            ("page", "targets_report, the page's (50 stuck)"),
        ):
            n = r[key]
            rows.append(
                [
                    r["server"],
                    label,
                    f"{r['cases']:,} / {r['events']:,}",
                    f"{n['median_s'] * 1000:.0f}",
                    f"{n['best_s'] * 1000:.0f}",
                    s.mib(n["rss_growth_kib"]),
                    s.mib(n["traced_peak_bytes"], "bytes"),
                    f"{r['ratio']:.2f}×  {s.goal(r['goal_met'])}" if key == "report" else "",
                    f"{r['ratio_of_medians']:.2f}×" if key == "report" else "",
                ]
            )
    s.table(
        f"{TITLE} (goal: ratio ≤ {GOAL})",
        [
            "database",
            "contender",
            "cases / events",
            "median ms",
            "best ms",
            "peak RSS growth",
            "traced peak",
            "report / bare (best)",
            "(medians)",
        ],
        rows,
    )
    for r in results.values():
        print(
            f"  {r['server']}: data generated in {r['generated_s']:.0f} s; {r['cells']} cells, "
            f"{r['open_cases']:,} open cases, {r['stuck']:,} stuck; the report ran "
            f"{r['statements']} SQL statements; the bare aggregates fetched "
            f"{r['rows_fetched_by_bare']:,} rows"
        )
