"""/audit/verify's replay resumes from the stored check: only the buckets of cases whose rows
changed (in SQL too) or that have new events are replayed; the others keep what they had. The
CLI's check (no stored check given) replays every case. SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import text

import db.read.replay as replaying
from db.read.history import last_check
from web.audit.chain import check_now

#: Two cases per bucket, so that a handful of cases fill several buckets.
SMALL = 2


@pytest.fixture
def cases(district, monkeypatch):
    """Six fresh cases (identified), in buckets of two, and a full check stored."""
    monkeypatch.setattr(replaying, "BUCKET", SMALL)
    made = [district.to_state("identified", full_name=f"Người Thứ {n}") for n in range(6)]
    first = check_now(district.runtime)
    assert first.replay.consistent and first.replay.replayed == first.replay.cases
    return made


def _resume(rt):
    return check_now(rt, since=last_check(rt.engine))


def _count(rt) -> int:
    with rt.engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM cases")).scalar_one()


def test_nothing_changed_replays_nothing(district, cases) -> None:
    check = _resume(district.runtime)
    assert check.replay.replayed == 0
    assert check.replay.consistent and check.replay.cases == _count(district.runtime)


def test_a_row_changed_in_sql_is_found_by_replaying_its_bucket_only(district, cases) -> None:
    rt = district.runtime
    victim = cases[3]
    with rt.engine.begin() as conn:
        conn.execute(text("UPDATE cases SET state = 'admitted' WHERE id = :i"), {"i": victim.id})
    check = _resume(rt)
    assert check.replay.replayed == SMALL
    assert [(d.case_id, d.column, d.stored) for d in check.replay.differences] == [
        (victim.id, "state", "admitted")
    ]
    # Found again by the next resumed check, which replays nothing: the bucket's finding is kept.
    again = _resume(rt)
    assert again.replay.replayed == 0 and again.replay.count == 1
    # Put back: its bucket's digest moves again, it is replayed and found consistent.
    with rt.engine.begin() as conn:
        conn.execute(text("UPDATE cases SET state = 'identified' WHERE id = :i"), {"i": victim.id})
    back = _resume(rt)
    assert back.replay.replayed == SMALL and back.replay.consistent


def test_a_new_event_replays_its_cases_bucket_only(district, cases) -> None:
    rt = district.runtime
    district.fire(cases[2].id, "assign_mentor", mentor=district.members[1].id)
    check = _resume(rt)
    assert check.replay.replayed == SMALL and check.replay.consistent


def test_a_new_event_whose_row_was_not_changed_is_named(district, cases) -> None:
    rt = district.runtime
    case = cases[5]
    district.fire(case.id, "assign_mentor", mentor=district.members[1].id)
    with rt.engine.begin() as conn:  # the row put back as before the event: only the event moved
        conn.execute(
            text(
                "UPDATE cases SET state = 'identified', mentor_id = NULL, version = 1 WHERE id = :i"
            ),
            {"i": case.id},
        )
    check = _resume(rt)
    assert {(d.case_id, d.column) for d in check.replay.differences} >= {(case.id, "state")}


def test_the_cli_check_replays_every_case(district, cases) -> None:
    rt = district.runtime
    with rt.engine.begin() as conn:
        conn.execute(text("UPDATE cases SET version = 7 WHERE id = :i"), {"i": cases[1].id})
    full = check_now(rt)
    assert full.replay.replayed == _count(rt) and full.replay.count == 1


def test_a_stored_check_of_another_bucket_size_is_replayed_in_full(
    district, cases, monkeypatch
) -> None:
    monkeypatch.setattr(replaying, "BUCKET", 3)
    check = _resume(district.runtime)
    assert check.replay.replayed == _count(district.runtime) and check.replay.consistent
