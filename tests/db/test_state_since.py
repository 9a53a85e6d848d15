"""``cases.state_since``: the day a case entered its state, kept by the write path, is the day the
targets report computed from the events before the column existed (the newest event into the
state from another one, as a local day; else the opening day), on SQLite and PostgreSQL; the
backfill (``fill_state_since``, migration 0024) gives the same, and the replay checks it."""

from __future__ import annotations

import importlib.util
import shutil
from datetime import date
from types import ModuleType
from typing import Any

from sqlalchemy import Engine, text

from db.migrate import MIGRATIONS
from db.read.replay import replay_cases
from db.repositories.state_since import LOCAL_DAY, OFFSET_MINUTES, fill_state_since
from db.runtime import Runtime
from db.session import make_engine
from tests.db.history_support import at
from workflow.replay import local_day as zone_day
from workflow.settings import Settings

#: One case per row: the steps it takes (trigger, UTC moment), each a day or more apart. 17:00
#: UTC is local midnight: a step at 16:59 counts on its UTC day, one at 17:00 on the next.
REASON = {"reason": "Chuyển công tác"}
STEPS: list[list[tuple[str, str]]] = [
    [],  # identified only
    [("assign_mentor", "2026-03-02T16:59")],
    [("assign_mentor", "2026-03-02T17:00"), ("reassign_mentor", "2026-04-10T17:30")],
    [("withdraw", "2026-03-05T23:00")],
    [("withdraw", "2026-03-05T10:00"), ("reinstate", "2026-05-01T17:01")],
    [
        ("assign_mentor", "2026-03-02T03:00"),
        ("withdraw", "2026-03-20T18:00"),
        ("reinstate", "2026-04-01T03:00"),
        ("assign_mentor", "2026-04-15T16:00"),
        ("reassign_mentor", "2026-06-01T20:00"),
        ("complete_training", "2026-07-01T17:15"),
    ],
]


def _walk(district) -> list[int]:
    """The cases of ``STEPS``, each opened on 01/03/2026 at 17:45 UTC (02/03, local)."""
    d, mentors = district, district.members
    ids = []
    for n, steps in enumerate(STEPS):
        case = d.identify(clock=at("2026-03-01T17:45"), full_name=f"Người Thứ {n}")
        for k, (trigger, moment) in enumerate(steps):
            raw: dict[str, Any] = {}
            if trigger in ("assign_mentor", "reassign_mentor"):
                raw["mentor"] = mentors[1 + k % 2].id
            elif trigger in ("withdraw", "reinstate"):
                raw.update(REASON)
            elif trigger == "complete_training":
                raw.update(certificate_number=f"CN-{n}", certificate_date="2026-06-20")
            d.fire(case.id, trigger, clock=at(moment), **raw)
        if not steps or steps[-1][0] != "withdraw":  # a fact keeps the state and its day
            day = "2026-07-20"
            d.record(case.id, "document", clock=at(f"{day}T03:00"), code="1-KNĐ", dated=day)
        ids.append(case.id)
    return ids


def _migration_0024() -> ModuleType:
    path = MIGRATIONS / "versions" / "0024_cases_state_since.py"
    spec = importlib.util.spec_from_file_location("migration_0024", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _stored(engine: Engine) -> dict[int, date]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, state_since FROM cases")).all()
    return {case_id: _day(value) for case_id, value in rows}


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def _as_the_report_computed(engine: Engine) -> dict[int, date]:
    """The old computation, in Python from every event: the local day (by the zone, not the
    fixed offset) of the newest event into the case's state from another one, else the
    opening day."""
    with engine.connect() as conn:
        cases = conn.execute(text("SELECT id, state, opened_on FROM cases")).all()
        events = conn.execute(
            text("SELECT case_id, at, from_state, to_state FROM events WHERE case_id IS NOT NULL")
        ).all()
    newest: dict[tuple[int, str], str] = {}
    for case_id, stamp, from_state, to_state in events:
        if to_state is not None and from_state != to_state:
            key = (case_id, to_state)
            newest[key] = max(stamp, newest.get(key, stamp))
    found = {}
    for case_id, state, opened in cases:
        stamp = newest.get((case_id, state))
        found[case_id] = date.fromisoformat(zone_day(stamp)) if stamp else _day(opened)
    return found


def test_the_stored_day_is_the_one_the_events_give(district):
    engine = district.runtime.engine
    ids = _walk(district)
    stored = _stored(engine)
    assert stored == _as_the_report_computed(engine)
    assert [stored[i] for i in ids] == [
        date(2026, 3, 2),  # opened at 00:45 local
        date(2026, 3, 2),  # 23:59 local
        date(2026, 3, 3),  # 00:00 local; the reassignment keeps the day
        date(2026, 3, 6),
        date(2026, 5, 2),  # reinstated: identified again, from that day
        date(2026, 7, 2),  # trained at 00:15 local
    ]
    with engine.begin() as conn:
        assert fill_state_since(conn) == len(stored)
    assert _stored(engine) == stored
    report = replay_cases(engine)
    assert report.consistent and report.cases == len(stored)


def test_the_replay_names_a_wrong_day(district):
    engine = district.runtime.engine
    [case_id] = _walk(district)[1:2]
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE cases SET state_since = :d WHERE id = :i"),
            {"d": date(2026, 3, 1), "i": case_id},
        )
    report = replay_cases(engine)
    assert [(d.case_id, d.column, d.stored, d.replayed) for d in report.differences] == [
        (case_id, "state_since", "2026-03-01", "2026-03-02")
    ]


def test_the_fixed_offset_is_the_zone_s_day(database_url):
    """The backfill's SQL shifts stamps by a fixed +7:00; the use cases' ``today`` is the zone's
    day: they agree on every hour around local midnight, across years, on both databases."""
    assert OFFSET_MINUTES == 420
    engine = make_engine(database_url)
    day = LOCAL_DAY[engine.dialect.name]
    try:
        with engine.connect() as conn:
            for year in (1976, 2000, 2026, 2049):
                for hour in range(24):
                    stamp = f"{year}-12-31T{hour:02d}:59:59.999999Z"
                    sql = f"SELECT {day} FROM (SELECT CAST(:at AS VARCHAR(32)) AS at) e"
                    shifted = conn.scalar(text(sql), {"at": stamp})
                    assert str(shifted) == zone_day(stamp), stamp
    finally:
        engine.dispose()


def test_the_demo_keeps_the_day_the_events_give(demo_template, tmp_path):
    """The demo's use cases keep it; migration 0024's backfill, run on the demo, gives the same
    days, and the replay finds every row as its events give it."""
    path = tmp_path / "demo.sqlite3"
    shutil.copyfile(demo_template, path)
    rt = Runtime.from_url(f"sqlite:///{path}", settings=Settings())
    try:
        stored = _stored(rt.engine)
        assert len(stored) > 20
        assert stored == _as_the_report_computed(rt.engine)
        migration = _migration_0024()
        with rt.engine.begin() as conn:
            conn.execute(text("UPDATE cases SET state_since = NULL"))
            conn.execute(text(migration._BACKFILL.format(day=migration._DAY["sqlite"])))
        assert _stored(rt.engine) == stored
        assert replay_cases(rt.engine).consistent
    finally:
        rt.engine.dispose()
