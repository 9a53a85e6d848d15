"""PostgreSQL's write transactions in two messages (db/repositories/round_trips.py): BEGIN with
the load, the carried write with COMMIT; everything else still inside the one transaction."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select, text

from db.models import Case, ChainHead, Event
from db.repositories import round_trips
from tests.db.history_support import assert_intact, statements_of
from workflow.clock import Clock
from workflow.events import new_event

NOW = Clock.at(date(2026, 3, 2))
ON_POSTGRES = pytest.mark.parametrize("database_url", ["postgres"], indirect=True)


def _events(engine) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(Event))


@ON_POSTGRES
def test_a_transition_prepares_once_and_then_sends_two_messages(district):
    engine = district.runtime.engine
    first, second = district.identify(), district.identify(birth_date="1990-02-02")
    warm = statements_of(engine, lambda: district.fire(first.id, "withdraw", reason="chuyển"))
    prepares = sum(s.startswith("PREPARE ") for s in warm)
    seen = statements_of(engine, lambda: district.fire(second.id, "withdraw", reason="chuyển"))
    assert prepares <= 2  # the load and the write, once per connection
    assert [s.split()[0] for s in seen] == ["BEGIN;", "EXECUTE"]
    assert seen[1].endswith("; COMMIT")
    assert_intact(engine, 4)


@ON_POSTGRES
def test_text_is_quoted_as_the_server_reads_it(district):
    """A reason with quotes, backslashes and Vietnamese travels as a literal, stored as typed."""
    case = district.identify()
    reason = "Đ/c nói: 'chuyển công tác' \\ \"hết\" ''; COMMIT; --"
    district.fire(case.id, "withdraw", reason=reason)
    with district.runtime.engine.connect() as conn:
        stored = conn.scalar(select(Event.reason).where(Event.case_id == case.id, Event.id > 1))
    assert stored == reason
    assert_intact(district.runtime.engine, 2)


def test_values_that_are_not_literals_are_sent_the_usual_way():
    assert round_trips._literal("a'b") == "'a''b'"
    assert round_trips._literal(None) == "NULL"
    assert round_trips._literal(7) == "7"
    assert round_trips._literal(True) == "true"
    assert round_trips._literal(date(2026, 1, 2)) == "'2026-01-02'"
    assert round_trips._literal("a\x00b") is None
    assert round_trips._literal(1.5) is None
    assert round_trips._literal(b"x") is None


@ON_POSTGRES
def test_statements_the_server_forgot_are_prepared_again(district):
    """psycopg's ROLLBACK deallocates every prepared statement of the session: the next load
    finds its statement gone, rolls back its own BEGIN and prepares it afresh."""
    engine = district.runtime.engine
    first, second = district.identify(), district.identify(birth_date="1990-02-02")
    district.fire(first.id, "withdraw", reason="một")
    sec = district.actor("sec")
    with district.runtime.uow() as uow:
        driver = uow.connection.connection.dbapi_connection
        driver.execute("DEALLOCATE ALL")  # past hoso's listeners: nothing is begun for it
        assert round_trips._PREPARED.get(driver)  # hoso still believes its statements are there
        row = uow.cases.get(second.id, for_update=True)
        row.state = "withdrawn"
        uow.cases.record(row, [], sec, NOW.today)
        uow.history.append(new_event(sec, "secretary", "withdraw", NOW, "v1", case_id=second.id))
        assert uow.trips.held is not None
        uow.commit()
    with district.runtime.uow(write=False) as uow:
        assert uow.cases.get(second.id).state == "withdrawn"
    assert_intact(engine, 4)


@ON_POSTGRES
def test_a_unit_of_work_that_starts_otherwise_is_one_transaction_too(district):
    """Its first statement is not the load: BEGIN goes on its own first, and a refusal after a
    write leaves nothing."""
    engine = district.runtime.engine
    case = district.identify()
    before = _events(engine)
    with pytest.raises(RuntimeError, match="refused"), district.runtime.uow() as uow:
        mark = text("UPDATE cases SET source_detail = 'x' WHERE id = :id")
        uow.session.execute(mark, {"id": case.id})
        sec = district.actor("sec")
        uow.history.append(new_event(sec, "secretary", "record_note", NOW, "v1", case_id=case.id))
        raise RuntimeError("refused")
    with engine.connect() as conn:
        assert conn.scalar(select(Case.source_detail).where(Case.id == case.id)) != "x"
    assert _events(engine) == before


@ON_POSTGRES
def test_the_held_write_is_seen_by_what_comes_after_it(district):
    """A statement after the append (here a count of the events) is sent after the held write,
    in the same transaction; the commit then sends COMMIT alone."""
    engine = district.runtime.engine
    case = district.identify()
    sec = district.actor("sec")
    with district.runtime.uow() as uow:
        row = uow.cases.get(case.id, for_update=True)
        row.state = "withdrawn"
        uow.cases.record(row, [], sec, NOW.today)
        uow.history.append(new_event(sec, "secretary", "withdraw", NOW, "v1", case_id=case.id))
        assert uow.trips.held is not None
        assert uow.session.scalar(select(func.count()).select_from(Event)) == 2
        assert uow.trips.held is None
        assert uow.session.scalar(select(ChainHead.last_id)) == 2
        uow.commit()
    assert_intact(engine, 2)
    with engine.connect() as conn:
        assert conn.scalar(select(Case.state).where(Case.id == case.id)) == "withdrawn"
