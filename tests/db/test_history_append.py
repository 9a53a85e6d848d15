"""One event per action, in the same transaction as the change; append-only in the database."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import DBAPIError

from db.models import Case, MentorAssignment
from db.repositories.history import SqlHistory
from tests.db.history_support import assert_intact, case_row, events, head
from workflow.errors import RuleViolation


def test_every_transition_and_fact_appends_exactly_one_event(district):
    engine = district.runtime.engine
    case = district.identify()
    assert [e["action"] for e in events(engine)] == ["identify"]
    district.fire(case.id, "assign_mentor", mentor=district.members[1].id)
    district.record(case.id, "note", text="gặp gỡ lần đầu")
    district.fire(case.id, "withdraw", reason="chuyển trường")
    case = district.fire(case.id, "reinstate", reason="quay lại")

    rows = events(engine)
    assert [
        (e["id"], e["case_id"], e["action"], e["from_state"], e["to_state"], e["reason"])
        for e in rows
    ] == [
        (1, case.id, "identify", None, "identified", None),
        (2, case.id, "assign_mentor", "identified", "mentored", None),
        (3, case.id, "record_note", None, None, None),
        (4, case.id, "withdraw", "mentored", "withdrawn", "chuyển trường"),
        (5, case.id, "reinstate", "withdrawn", "identified", "quay lại"),
    ]
    # Who, in which role, when, with what data and under which rule set.
    sec = district.actor("sec")
    assert {(e["user_id"], e["username"], e["role"]) for e in rows} == {
        (sec.user_id, "sec", "secretary")
    }
    assert {e["at"] for e in rows} == {"2026-11-27T03:00:00.000000Z"}
    assert {e["ruleset"] for e in rows} == {district.runtime.settings.rules.version}
    assert json.loads(rows[1]["data"])["mentor_id"] == district.members[1].id
    assert json.loads(rows[2]["data"]) == {"text": "gặp gỡ lần đầu"}
    # Each action stepped the case once: its version counts its events.
    assert case.version == len(rows) == 5
    assert_intact(engine, 5)


def test_a_refused_transition_leaves_no_event_and_no_change(district):
    engine = district.runtime.engine
    case = district.identify()
    before = events(engine), head(engine)

    with pytest.raises(RuleViolation) as refused:
        district.fire(case.id, "assign_mentor", mentor=district.other_members[1].id)
    assert [f.rule for f in refused.value.failures] == ["mentor_official_member_of_cell"]
    with pytest.raises(RuleViolation):
        district.fire(case.id, "withdraw", reason="  ")

    assert (events(engine), head(engine)) == before
    stored = case_row(district.runtime, case.id)
    assert (stored.state, stored.version, stored.mentor_id) == ("identified", 1, None)


def test_a_failure_after_the_state_change_keeps_neither_change_nor_event(district, monkeypatch):
    engine = district.runtime.engine
    case = district.identify()
    before = events(engine), head(engine)
    append = SqlHistory.append

    def append_then_fail(self, new):
        append(self, new)  # the event row and the head are written (flushed), then it fails
        raise RuntimeError("disk full")

    monkeypatch.setattr(SqlHistory, "append", append_then_fail)
    with pytest.raises(RuntimeError, match="disk full"):
        district.fire(case.id, "assign_mentor", mentor=district.members[1].id)
    with pytest.raises(RuntimeError, match="disk full"):
        district.identify(full_name="Trần Thị Bình", birth_date="1995-02-02")

    assert (events(engine), head(engine)) == before
    stored = case_row(district.runtime, case.id)
    assert (stored.state, stored.version, stored.mentor_id) == ("identified", 1, None)
    with district.runtime.sessions() as session:
        assert session.scalar(select(func.count()).select_from(MentorAssignment)) == 0
        assert session.scalar(select(func.count()).select_from(Case)) == 1

    # The chain goes on from where it was.
    monkeypatch.setattr(SqlHistory, "append", append)
    district.fire(case.id, "assign_mentor", mentor=district.members[1].id)
    assert [e["id"] for e in events(engine)] == [1, 2]
    assert_intact(engine, 2)


def assert_refused(engine: Engine, statement: str) -> None:
    before = events(engine), head(engine)
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(text(statement))
    assert (events(engine), head(engine)) == before


def test_the_database_refuses_to_change_or_remove_events(district):
    engine = district.runtime.engine
    district.identify()
    district.identify(full_name="Trần Thị Bình", birth_date="1995-02-02")
    for statement in (
        "UPDATE events SET reason = 'sửa' WHERE id = 1",
        "UPDATE events SET id = id + 10",
        "DELETE FROM events WHERE id = 2",
        "DELETE FROM events",
    ):
        assert_refused(engine, statement)
    assert_intact(engine, 2)


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_postgres_refuses_to_truncate_events(district):
    district.identify()
    assert_refused(district.runtime.engine, "TRUNCATE events")
    assert_intact(district.runtime.engine, 1)
