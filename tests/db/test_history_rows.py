"""Verify replays every case row: an intact database has no difference, a row changed in SQL is
named (case, column, stored, replayed); on SQLite a NULL turned into "\\x00" no longer verifies;
the last check is stored for every process and a later one walks only the new tail."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import text

import db.read.history as history_read
from db.read.history import last_check, verify
from db.read.replay import replay_cases
from db.runtime import Runtime
from tests.db.test_history_tampering import drop_guard, execute
from web.audit.chain import check_now
from workflow.replay import Difference
from workflow.settings import Settings

STATES = (
    "identified",
    "mentored",
    "trained",
    "dossier_submitted",
    "returned",
    "rejected",
    "withdrawn",
    "admitted",
    "official",
    "removed",
)


def test_every_state_replays_to_its_row(district) -> None:
    for number, state in enumerate(STATES):
        district.to_state(state, full_name=f"Người Số {number}")
    report = replay_cases(district.runtime.engine)
    assert report.differences == []
    assert report.cases >= len(STATES)


def test_the_demo_replays_to_its_rows(demo_template, tmp_path) -> None:
    path = tmp_path / "demo.sqlite3"
    shutil.copyfile(demo_template, path)
    rt = Runtime.from_url(f"sqlite:///{path}", settings=Settings())
    try:
        report = replay_cases(rt.engine)
    finally:
        rt.engine.dispose()
    assert report.consistent, [str(d) for d in report.differences]
    assert report.cases > 30


def test_a_row_changed_in_sql_is_named(district) -> None:
    admitted = district.to_state("admitted", full_name="Lê Văn Kết")
    mentored = district.to_state("mentored", full_name="Phạm Thị Giúp")
    with district.runtime.engine.connect() as conn:
        version = conn.execute(
            text("SELECT version FROM cases WHERE id = :id"), {"id": mentored.id}
        ).scalar()
    execute(
        district.runtime.engine,
        f"UPDATE cases SET state = 'official' WHERE id = {admitted.id}",
        f"UPDATE cases SET mentor_id = NULL, version = version + 5 WHERE id = {mentored.id}",
    )
    report = replay_cases(district.runtime.engine)
    mentor = district.members[1].id
    assert set(report.differences) == {
        Difference(admitted.id, "state", "official", "admitted"),
        Difference(mentored.id, "version", version + 5, version),
        Difference(mentored.id, "mentor_id", None, mentor),
    }
    assert "state is 'official' in the row but 'admitted' by its events" in str(
        report.differences[0]
    )


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_null_turned_into_a_nul_breaks_the_chain(district) -> None:
    case = district.to_state("mentored", full_name="Đỗ Văn Rỗng")
    engine = district.runtime.engine
    with engine.connect() as conn:
        victim = conn.execute(
            text("SELECT min(id) FROM events WHERE case_id = :c AND reason IS NULL"),
            {"c": case.id},
        ).scalar()
    assert verify(engine).intact
    drop_guard(engine)
    execute(engine, f"UPDATE events SET reason = char(0) WHERE id = {victim}")
    report = verify(engine)
    assert not report.intact
    assert report.problem.event_id == victim


def test_the_last_check_is_shared_and_resumed(district, monkeypatch) -> None:
    rt = district.runtime
    district.to_state("mentored", full_name="Vũ Văn Đầu")
    first = check_now(rt)
    stored = last_check(rt.engine)
    assert stored is not None and stored.result["resumable"]
    assert (stored.count, stored.digest) == (first.report.checked, first.report.head)

    district.to_state("trained", full_name="Vũ Văn Sau")
    walked_after = []
    real = history_read._raw_rows

    def counting(engine, batch=20_000, after=0):
        walked_after.append(after)
        return real(engine, batch, after)

    monkeypatch.setattr(history_read, "_raw_rows", counting)
    second = check_now(rt, since=stored)
    assert walked_after == [stored.last_id]
    assert second.report.intact and second.report.checked > first.report.checked
    assert second.report == verify(rt.engine)
    assert last_check(rt.engine).count == second.report.checked


def test_a_resumed_check_sees_its_starting_event_rewritten(district) -> None:
    rt = district.runtime
    district.to_state("mentored", full_name="Hà Văn Mốc")
    check_now(rt)
    stored = last_check(rt.engine)
    drop_guard(rt.engine)
    execute(rt.engine, f"UPDATE events SET digest = '{'0' * 64}' WHERE id = {stored.last_id}")
    report = verify(rt.engine, since=stored)
    assert not report.intact and report.problem.event_id == stored.last_id
