"""Importing 10,000 rows: ``hoso import`` against a bare Core bulk insert of the same rows.

hoso's side is what ``hoso import`` and the upload page run (``parse_sheet``, then the use case
``import_candidates``) on a CSV file of 10,000 people (UTF-8 with a BOM, semicolons, Vietnamese
names, dd/mm/yyyy dates, ID numbers, the cell by name): the file read and checked row by row, the
cells resolved, then ONE unit of work in which every row goes through the case use case's
``identify`` (policy, machine, rules), its person and case are made (inserted 1,000 at a time)
and the rows' hash-chained ``identify`` events appended with ``history.append_many``; one
commit. Its parts are timed too: reading the file (``parse_sheet``), and a dry run (the preview:
the same work, storing nothing).

The baseline is SQLAlchemy Core on the same engine, in one transaction: ``INSERT INTO people``
(``RETURNING id``, batched by SQLAlchemy's "insertmanyvalues") and ``INSERT INTO cases`` as two
executemany calls of the same 10,000 rows, values already parsed (no file, no checks, no
events). Both contenders add new people to the same tables, taking
turns, so each meets the same table sizes. At the end the chain is verified and the import's
events counted.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Engine, func, select

from benchmarks import _support as s
from benchmarks._data import CASES, EVENTS, PEOPLE, build_district, person_name
from db.read.history import verify
from db.runtime import Runtime
from db.session import session_factory
from db.text import fold
from workflow.importing.sheet import parse_sheet
from workflow.services.importing import import_candidates
from workflow.settings import Settings

NAME = "importing"
TITLE = "Importing 10,000 rows: hoso import (one transaction) vs. a bare Core bulk insert"
CELL = "Chi bộ trường THPT số 1"


def sizes(quick: bool) -> dict[str, int]:
    if quick:
        return {"rows": 1_000, "repeats": 2}
    return {"rows": 10_000, "repeats": 3}


def people(first: int, rows: int) -> list[dict[str, Any]]:
    """`rows` different people, numbered from `first` (each run imports new ones)."""
    return [
        {
            "full_name": person_name(i),
            "birth_date": date(1985 + i % 20, 1 + i % 12, 1 + i % 28),
            "sex": "nữ" if i % 2 else "nam",
            "id_number": f"{68_000_000_000 + i:012d}",
            "residence": f"Thôn {i % 9 + 1}, Liên Nghĩa, Đức Trọng",
        }
        for i in range(first, first + rows)
    ]


def csv_file(rows: list[dict[str, Any]]) -> bytes:
    lines = ["Họ và tên;Ngày sinh;Giới tính;Số CCCD;Nơi cư trú;Chi bộ"]
    for p in rows:
        lines.append(
            f"{p['full_name']};{p['birth_date']:%d/%m/%Y};{p['sex']};{p['id_number']};"
            f"{p['residence']};{CELL}"
        )
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def run_import(runtime: Runtime, actor, data: bytes, name: str, **options: Any):
    """What ``hoso import`` does: read the file, then the use case in one unit of work."""
    return import_candidates(runtime.uow(), actor, parse_sheet(data, name), **options)


def _run_on(engine: Engine, quick: bool, profile: bool) -> dict[str, Any]:
    size = sizes(quick)
    rows = size["rows"]
    district = build_district(engine, cells=1, members_per_cell=3, mentor_users_per_cell=1)
    cell_id = district.cell_ids[0]
    runtime = Runtime(engine, session_factory(engine), Settings())
    secretary = district.secretary
    batches = iter(range(0, 10**9, rows))

    def hoso() -> None:
        data = csv_file(people(next(batches), rows))
        result = run_import(runtime, secretary, data, "bench.csv")
        if not result.committed or result.imported != rows:
            raise RuntimeError(f"the import refused rows: {result.as_dict()['results'][:3]}")

    def bare() -> None:
        batch = people(next(batches), rows)
        with engine.begin() as conn:
            person_ids = conn.execute(
                PEOPLE.insert().returning(PEOPLE.c.id, sort_by_parameter_order=True),
                [
                    {**p, "search_name": fold(p["full_name"]), "is_doan_member": False}
                    for p in batch
                ],
            ).scalars()
            conn.execute(
                CASES.insert(),
                [
                    {
                        "person_id": person_id,
                        "cell_id": cell_id,
                        "state": "identified",
                        "version": 1,
                        "source": "import_file",
                        "source_detail": "bench.csv",
                        "opened_on": date(2026, 11, 27),
                        "state_since": date(2026, 11, 27),
                    }
                    for person_id in person_ids
                ],
            )

    # The parts of hoso's import, once each (not interleaved): reading, and the dry run.
    sample = csv_file(people(next(batches), rows))
    _, parse_s = s.timed(lambda: parse_sheet(sample, "bench.csv"))
    dry, dry_s = s.timed(lambda: run_import(runtime, secretary, sample, "bench.csv", dry_run=True))
    if dry.accepted != rows:
        raise RuntimeError("the dry run refused rows")

    timings = {"bare": s.Timings(), "hoso": s.Timings()}
    contenders = {"bare": bare, "hoso": hoso}
    with s.count_statements(engine) as statements:
        hoso()  # warm-up, and the statements one import sends
    sent = len(statements)
    bare()
    for n in range(size["repeats"]):
        order = list(contenders) if n % 2 == 0 else list(reversed(contenders))
        for key in order:
            timings[key].add(s.timed(contenders[key])[1])
    memory = s.measure_memory(hoso, traced=False)
    if profile:
        s.profile(hoso, f"{NAME} / import_candidates ({engine.dialect.name})")
    report = verify(engine)
    with engine.connect() as conn:
        events = conn.scalar(select(func.count()).select_from(EVENTS))
        cases = conn.scalar(select(func.count()).select_from(CASES))
    imports = size["repeats"] + 2 + (1 if profile else 0)
    if not report.intact or events != imports * rows:
        raise RuntimeError(f"chain {report}; {events} events for {imports} imports of {rows}")
    best = {key: rows / t.best for key, t in timings.items()}
    median = {key: rows / t.median for key, t in timings.items()}
    return {
        "server": s.server_version(engine),
        "rows": rows,
        "repeats": size["repeats"],
        "hoso": {
            "best_s": timings["hoso"].best,
            "median_s": timings["hoso"].median,
            "runs_s": timings["hoso"].runs,
            "rows_per_s": best["hoso"],
            "statements": sent,
            "statements_per_row": sent / rows,
            "parse_s": parse_s,
            "dry_run_s": dry_s,
            "rss_growth_kib": memory.rss_growth_kib,
        },
        "bare": {
            "best_s": timings["bare"].best,
            "median_s": timings["bare"].median,
            "runs_s": timings["bare"].runs,
            "rows_per_s": best["bare"],
        },
        "ratio": best["hoso"] / best["bare"],
        "ratio_of_medians": median["hoso"] / median["bare"],
        "events": events,
        "cases_at_end": cases,
        "chain_intact": report.intact,
    }


def run(quick: bool = False, profile: bool = False) -> dict[str, Any]:
    """On every backend; prints a table and returns the numbers."""
    return s.on_every_backend(NAME, _run_on, _print, quick, profile)


def _print(results: dict[str, Any]) -> None:
    rows = []
    for r in results.values():
        h, b = r["hoso"], r["bare"]
        rows.append(
            [
                r["server"],
                "hoso import",
                r["rows"],
                f"{h['best_s']:.2f}",
                f"{h['median_s']:.2f}",
                f"{h['rows_per_s']:,.0f}",
                f"{h['statements']:,}",
                f"{r['ratio']:.3f}× ({r['ratio_of_medians']:.3f}×)",
            ]
        )
        rows.append(
            [
                r["server"],
                "bare Core bulk insert",
                r["rows"],
                f"{b['best_s']:.2f}",
                f"{b['median_s']:.2f}",
                f"{b['rows_per_s']:,.0f}",
                "",
                "",
            ]
        )
    s.table(
        TITLE,
        [
            "database",
            "contender",
            "rows",
            "best s",
            "median s",
            "rows/s (best)",
            "SQL statements",
            "hoso / bare (medians)",
        ],
        rows,
    )
    for r in results.values():
        h = r["hoso"]
        print(
            f"  {r['server']}: reading the file {h['parse_s']:.2f} s, dry run (preview) "
            f"{h['dry_run_s']:.2f} s, peak RSS growth of one import {s.mib(h['rss_growth_kib'])}; "
            f"{r['events']} identify events, chain intact: {r['chain_intact']}"
        )
