"""Listing 10,000 cases: ``db.read.cases.list_cases`` against a bare Core select of the same
columns.

The list must build no state machine and load no ``Case`` object: both are counted (a counting
wrapper around ``transitions.Machine.__init__`` and ``add_model``, and SQLAlchemy's ``load``
event on every mapped class). Its time is compared with ``session.execute(select(...)).all()``
of the same columns and joins written with SQLAlchemy Core, in the same process on the same
database, the two measured alternately. Goal recorded in docs/performance.md: within 2× of the
bare select. Memory: peak RSS growth and tracemalloc's peak for one call of each.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, Select, select

from benchmarks import _support as s
from benchmarks._data import (
    CASES,
    MEMBERS,
    ORGANISATIONS,
    PEOPLE,
    USERS,
    build_district,
    insert_cases,
)
from db.base import Base
from db.models import Case
from db.read.cases import list_cases
from db.session import session_factory
from workflow.states import State

NAME = "listing"
TITLE = "Listing 10,000 cases: db.read.cases.list_cases vs. a bare Core select"
GOAL = 2.0  # list_cases time / bare select time, at most


def sizes(quick: bool) -> dict[str, int]:
    if quick:
        return {"cases": 1_000, "cells": 5, "repeats": 3}
    return {"cases": 10_000, "cells": 20, "repeats": 9}


def bare_query() -> Select:
    """What list_cases reads, as plain Core: case, person, cell, and the mentor's user and name."""
    mentor_person = PEOPLE.alias("mentor_person")
    joined = (
        CASES.join(PEOPLE, PEOPLE.c.id == CASES.c.person_id)
        .join(ORGANISATIONS, ORGANISATIONS.c.id == CASES.c.cell_id)
        .outerjoin(MEMBERS, MEMBERS.c.id == CASES.c.mentor_id)
        .outerjoin(mentor_person, mentor_person.c.id == MEMBERS.c.person_id)
        .outerjoin(USERS, USERS.c.member_id == CASES.c.mentor_id)
    )
    return (
        select(
            CASES.c.id,
            PEOPLE.c.full_name.label("name"),
            CASES.c.state,
            ORGANISATIONS.c.name.label("cell"),
            USERS.c.username.label("mentor"),
            mentor_person.c.full_name.label("mentor_name"),
            CASES.c.version,
        )
        .select_from(joined)
        .order_by(CASES.c.id)
    )


def populate(engine: Engine, cases: int, cells: int) -> None:
    """`cases` cases spread over every state and `cells` cells; most past ``identified`` mentored.

    Each cell has five official members; members 1 and 2 log in (their username is listed),
    members 3 and 4 do not (only their name is).
    """
    district = build_district(engine, cells=cells, members_per_cell=5, mentor_users_per_cell=2)
    states = [state.value for state in State]
    specs = []
    for i in range(cases):
        cell = district.cell_ids[i % cells]
        state = states[i % len(states)]
        mentored = state not in ("identified", "withdrawn")
        mentor = district.members[cell][1 + (i // cells) % 4] if mentored else None
        specs.append((cell, state, mentor))
    insert_cases(engine, specs)


def _run_on(engine: Engine, quick: bool, profile: bool) -> dict[str, Any]:
    size = sizes(quick)
    populate(engine, size["cases"], size["cells"])
    sessions = session_factory(engine)
    query = bare_query()

    def bare() -> list:
        with sessions() as session:
            return session.execute(query).all()

    def engine_list() -> list:
        with sessions() as session:
            rows = list_cases(session)
            rows.append(len(session.identity_map))  # read before the session closes
            return rows

    # Warm up both (statement caches, pool), and check that they read the same cases.
    bare_rows, listed = bare(), engine_list()
    in_identity_map = listed.pop()
    if [r.id for r in bare_rows] != [r["id"] for r in listed] or len(listed) != size["cases"]:
        raise RuntimeError(f"list_cases returned {len(listed)} cases, the select {len(bare_rows)}")
    if [r.mentor for r in bare_rows] != [r["mentor"] for r in listed]:
        raise RuntimeError("list_cases and the select disagree on mentors")
    timings = {"bare": s.Timings(), "list_cases": s.Timings()}
    contenders = {"bare": bare, "list_cases": engine_list}
    with (
        s.count_machines() as machines,
        s.count_loads(Case) as cases_loaded,
        s.count_loads(Base) as orm_loaded,
    ):
        for n in range(size["repeats"]):
            order = list(contenders) if n % 2 == 0 else list(reversed(contenders))
            for key in order:
                timings[key].add(s.timed(contenders[key])[1])
    memory = {key: s.measure_memory(fn) for key, fn in contenders.items()}
    if profile:
        s.profile(engine_list, f"{NAME} / list_cases ({engine.dialect.name})")
    # Best of n, as timeit does: on a shared machine the fastest run is the least disturbed.
    ratio = timings["list_cases"].best / timings["bare"].best
    return {
        "server": s.server_version(engine),
        "cases": size["cases"],
        "repeats": size["repeats"],
        "bare": _numbers(timings["bare"], memory["bare"]),
        "list_cases": _numbers(timings["list_cases"], memory["list_cases"]),
        "ratio": ratio,
        "ratio_of_medians": timings["list_cases"].median / timings["bare"].median,
        "goal_met": ratio <= GOAL,
        "machines_built": machines["machines"],
        "models_added_to_machine": machines["add_model"],
        "case_objects_loaded": cases_loaded["loaded"],
        "orm_objects_loaded": orm_loaded["loaded"],
        "identity_map_after_list": in_identity_map,
    }


def _numbers(timings: s.Timings, memory: s.MemoryUse) -> dict[str, Any]:
    return {
        "median_s": timings.median,
        "best_s": timings.best,
        "runs_s": timings.runs,
        "rss_growth_kib": memory.rss_growth_kib,
        "traced_peak_bytes": memory.traced_peak_bytes,
        "per_call_rss_peak": memory.per_call_peak,
    }


def run(quick: bool = False, profile: bool = False) -> dict[str, Any]:
    """On every backend; prints a table and returns the numbers."""
    return s.on_every_backend(NAME, _run_on, _print, quick, profile)


def _print(results: dict[str, Any]) -> None:
    rows = []
    for r in results.values():
        for key, label in (("bare", "bare Core select"), ("list_cases", "list_cases")):
            n = r[key]
            rows.append(
                [
                    r["server"],
                    label,
                    r["cases"],
                    f"{n['median_s'] * 1000:.1f}",
                    f"{n['best_s'] * 1000:.1f}",
                    s.mib(n["rss_growth_kib"]),
                    s.mib(n["traced_peak_bytes"], "bytes"),
                    f"{r['ratio']:.2f}×  {s.goal(r['goal_met'])}" if key == "list_cases" else "",
                    f"{r['ratio_of_medians']:.2f}×" if key == "list_cases" else "",
                ]
            )
    s.table(
        f"{TITLE} (goal: ratio ≤ {GOAL})",
        [
            "database",
            "contender",
            "rows",
            "median ms",
            "best ms",
            "peak RSS growth",
            "traced peak",
            "list / bare (best)",
            "(medians)",
        ],
        rows,
    )
    for r in results.values():
        print(
            f"  {r['server']}: while listing, {r['machines_built']} transitions.Machine built, "
            f"{r['models_added_to_machine']} models added to a machine, "
            f"{r['case_objects_loaded']} Case and {r['orm_objects_loaded']} ORM objects loaded, "
            f"{r['identity_map_after_list']} objects in the session"
        )
