"""Verifying the history chain: ``db.history.verify`` over 1,000,000 events against hashlib.

The chain is generated fast: rows built in Python, digests computed with
``workflow.history.chain_digest``, bulk-inserted with Core executemany in batches, and the chain
head set to the last event. Then, in the same process and alternately:

- ``verify(engine)``: what ``hoso audit verify`` runs;
- baseline (a), pure hashing: ``hashlib.sha256`` over the same canonical bytes, already in memory;
- baseline (b), I/O included: the rows fetched with the raw driver cursor (server-side on
  PostgreSQL, like verify's streaming), their canonical bytes built, hashed and compared.

Goal recorded in docs/performance.md: verify within 2× of the baseline. Memory: peak RSS growth
and tracemalloc's peak of one verify and one raw-cursor walk (both should stream, not load all).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, update

from benchmarks import _support as s
from benchmarks._data import CHAIN_HEAD, EVENTS, build_district, insert_cases
from db.read.history import verify
from workflow.history import (
    CANONICAL_COLUMNS,
    GENESIS,
    canonical_bytes,
    canonical_data,
    chain_digest,
    utc_stamp,
)

NAME = "audit"
TITLE = "Verifying the hash chain: db.history.verify vs. hashlib"
GOAL = 2.0  # verify time / baseline time, at most
BATCH = 10_000
FETCH = 20_000
COLUMNS = (*CANONICAL_COLUMNS, "prev_digest", "digest")

#: (action, from_state, to_state, reason, data) of the generated events, in turn.
KINDS = (
    ("withdraw", "identified", "withdrawn", "chuyển trường theo gia đình", "{}"),
    ("reinstate", "withdrawn", "identified", "trở lại địa phương sinh hoạt", "{}"),
    (
        "assign_mentor",
        "identified",
        "mentored",
        None,
        canonical_data({"mentor_id": 2, "mentor_name": "Đảng viên 0.1"}),
    ),
    (
        "record_note",
        None,
        None,
        None,
        canonical_data({"text": "Đã gặp, trao đổi về lý lịch gia đình."}),
    ),
    (
        "record_document",
        None,
        None,
        None,
        canonical_data({"code": "2-KNĐ", "dated": date(2026, 3, 1)}),
    ),
)


def sizes(quick: bool) -> dict[str, int]:
    if quick:
        return {"events": 100_000, "cases": 100, "repeats": 3}
    return {"events": 1_000_000, "cases": 300, "repeats": 5}


def generate(engine: Engine, events: int, cases: int) -> list[bytes]:
    """A valid chain of `events` events over `cases` cases; the bytes each digest covers."""
    district = build_district(engine, cells=1, members_per_cell=2, mentor_users_per_cell=0)
    case_ids = insert_cases(engine, [(district.cell_ids[0], "identified", None)] * cases)
    user = district.secretary
    start = datetime(2020, 1, 1, 1, 0, tzinfo=UTC)
    payloads: list[bytes] = []
    previous = GENESIS
    for first in range(1, events + 1, BATCH):
        rows = []
        for event_id in range(first, min(first + BATCH, events + 1)):
            action, from_state, to_state, reason, data = KINDS[event_id % len(KINDS)]
            values = {
                "id": event_id,
                "case_id": case_ids[event_id % cases],
                "at": utc_stamp(start + timedelta(seconds=97 * event_id, microseconds=event_id)),
                "user_id": user.user_id,
                "username": user.username,
                "role": "secretary",
                "action": action,
                "from_state": from_state,
                "to_state": to_state,
                "reason": reason,
                "data": data,
                "ruleset": "2024.1",
            }
            row = tuple(values.get(c) for c in CANONICAL_COLUMNS)
            digest = chain_digest(previous, row)
            payloads.append(previous.encode() + canonical_bytes(row))
            rows.append({**values, "prev_digest": previous, "digest": digest})
            previous = digest
        with engine.begin() as conn:
            conn.execute(EVENTS.insert(), rows)
    with engine.begin() as conn:
        conn.execute(
            update(CHAIN_HEAD)
            .where(CHAIN_HEAD.c.id == 1)
            .values(last_id=events, digest=previous, count=events)
        )
    return payloads


def hash_in_memory(payloads: list[bytes]) -> int:
    """Baseline (a): SHA-256 of each event's bytes, already in memory."""
    sha256 = hashlib.sha256
    for payload in payloads:
        sha256(payload).hexdigest()
    return len(payloads)


def fetch_and_hash(engine: Engine) -> int:
    """Baseline (b): the raw driver cursor, the canonical bytes, SHA-256, the two comparisons."""
    sha256 = hashlib.sha256
    connection = engine.raw_connection()
    try:
        if engine.dialect.name == "postgresql":
            cursor = connection.cursor(name="hoso_bench_audit")  # server-side, like verify
        else:
            cursor = connection.cursor()
        cursor.execute(f"SELECT {', '.join(COLUMNS)} FROM events ORDER BY id")
        previous, checked = GENESIS, 0
        while rows := cursor.fetchmany(FETCH):
            for row in rows:
                if row[-2] != previous:
                    raise RuntimeError(f"event {row[0]} does not link")
                digest = sha256(previous.encode() + canonical_bytes(row[:-2])).hexdigest()
                if digest != row[-1]:
                    raise RuntimeError(f"event {row[0]} was edited")
                previous, checked = digest, checked + 1
        cursor.close()
        connection.rollback()
    finally:
        connection.close()
    return checked


def _verify(engine: Engine) -> int:
    report = verify(engine)
    if not report.intact:
        raise RuntimeError(f"the generated chain is broken: {report.problem}")
    return report.checked


def _run_on(engine: Engine, quick: bool, profile: bool) -> dict[str, Any]:
    size = sizes(quick)
    payloads, generated_s = s.timed(lambda: generate(engine, size["events"], size["cases"]))
    contenders = {
        "verify": lambda: _verify(engine),
        "raw_cursor_and_hash": lambda: fetch_and_hash(engine),
        "hash_in_memory": lambda: hash_in_memory(payloads),
    }
    # Warm up (and check): a first walk also reads the freshly written table into the cache.
    for key, fn in contenders.items():
        if fn() != size["events"]:
            raise RuntimeError(f"{key} did not check every event")
    timings = {key: s.Timings() for key in contenders}
    for n in range(size["repeats"]):
        order = list(contenders) if n % 2 == 0 else list(reversed(contenders))
        for key in order:
            timings[key].add(s.timed(contenders[key])[1])
    memory = {key: s.measure_memory(contenders[key]) for key in ("verify", "raw_cursor_and_hash")}
    if profile:
        s.profile(contenders["verify"], f"{NAME} / verify ({engine.dialect.name})")
    payloads.clear()  # free the in-memory bytes before the next backend
    # Best of n, as timeit does: on a shared machine the fastest run is the least disturbed.
    ratios = {
        "pure_hashing": timings["verify"].best / timings["hash_in_memory"].best,
        "io_inclusive": timings["verify"].best / timings["raw_cursor_and_hash"].best,
    }
    ratios_of_medians = {
        "pure_hashing": timings["verify"].median / timings["hash_in_memory"].median,
        "io_inclusive": timings["verify"].median / timings["raw_cursor_and_hash"].median,
    }
    result: dict[str, Any] = {
        "server": s.server_version(engine),
        "events": size["events"],
        "generated_s": generated_s,
        "repeats": size["repeats"],
        "ratios": ratios,
        "ratios_of_medians": ratios_of_medians,
        "goal_met": {k: v <= GOAL for k, v in ratios.items()},
    }
    for key, t in timings.items():
        result[key] = {
            "median_s": t.median,
            "best_s": t.best,
            "runs_s": t.runs,
            "events_per_s": size["events"] / t.median,
        }
        if key in memory:
            result[key].update(
                rss_growth_kib=memory[key].rss_growth_kib,
                traced_peak_bytes=memory[key].traced_peak_bytes,
                per_call_rss_peak=memory[key].per_call_peak,
            )
    return result


def run(quick: bool = False, profile: bool = False) -> dict[str, Any]:
    """On every backend; prints a table and returns the numbers."""
    return s.on_every_backend(NAME, _run_on, _print, quick, profile)


def _print(results: dict[str, Any]) -> None:
    rows = []
    labels = (
        ("verify", "db.history.verify", None),
        ("raw_cursor_and_hash", "(b) raw cursor + hashing", "io_inclusive"),
        ("hash_in_memory", "(a) hashlib on bytes in memory", "pure_hashing"),
    )
    for r in results.values():
        for key, label, ratio in labels:
            n = r[key]
            rows.append(
                [
                    r["server"],
                    label,
                    r["events"],
                    f"{n['median_s']:.2f}",
                    f"{n['best_s']:.2f}",
                    f"{n['events_per_s']:,.0f}",
                    s.mib(n["rss_growth_kib"]) if "rss_growth_kib" in n else "",
                    s.mib(n["traced_peak_bytes"], "bytes") if "traced_peak_bytes" in n else "",
                    f"{r['ratios'][ratio]:.2f}×  {s.goal(r['goal_met'][ratio])}" if ratio else "",
                    f"{r['ratios_of_medians'][ratio]:.2f}×" if ratio else "",
                ]
            )
    s.table(
        f"{TITLE} (goal: verify / baseline ≤ {GOAL})",
        [
            "database",
            "contender",
            "events",
            "median s",
            "best s",
            "events/s",
            "peak RSS growth",
            "traced peak",
            "verify / this (best)",
            "(medians)",
        ],
        rows,
    )
    for r in results.values():
        print(f"  {r['server']}: generating and inserting the chain took {r['generated_s']:.0f} s")
