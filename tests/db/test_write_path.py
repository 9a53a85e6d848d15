"""The lean write path: what a transition sends, the chain head read with the case, the case's
UPDATE carried in the event's statement (PostgreSQL), prepared statements that behave like
SQLAlchemy's, and pooled PostgreSQL connections without a ping."""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import date

import pytest
from sqlalchemy import func, select, text, update
from sqlalchemy.exc import IntegrityError

from db.models import Case, ChainHead, Event
from db.repositories.case_rows import (
    LOAD_CASE,
    LOAD_CASE_APART,
    LOAD_CASE_FOR_UPDATE,
    LOAD_CASE_FOR_UPDATE_APART,
)
from db.repositories.prepared import Prepared
from db.session import make_engine
from tests.db.history_support import assert_intact, statements_of
from workflow.clock import Clock
from workflow.errors import Conflict
from workflow.events import new_event

NOW = Clock.at(date(2026, 3, 2))


def test_a_transition_is_one_load_one_update_and_one_append(district):
    case = district.identify()
    engine = district.runtime.engine
    sent = statements_of(engine, lambda: district.fire(case.id, "withdraw", reason="chuyển"))
    if engine.dialect.name == "sqlite":
        # BEGIN IMMEDIATE, the load (with the chain head), the case, the event, the head.
        assert [s.split()[0] for s in sent] == ["BEGIN", "WITH", "UPDATE", "INSERT", "UPDATE"]
    else:
        # Two messages: BEGIN with the load (which locks the head with the case), then the one
        # statement of the case's UPDATE, the event and the head's move, with COMMIT. Both are
        # prepared on the server once per connection (a PREPARE the first time).
        prepared = [s for s in sent if s.startswith("PREPARE ")]
        sent = [s for s in sent if not s.startswith("PREPARE ")]
        assert len(sent) == 2, sent
        assert re.fullmatch(r"BEGIN; EXECUTE hoso_\d+\(\d+\)", sent[0])
        assert re.fullmatch(r"EXECUTE hoso_\d+\(.*\); COMMIT", sent[1], re.S)
        assert all(re.match(r"PREPARE hoso_\d+ AS WITH ", s) for s in prepared)
    assert sum("chain_head" in s and s.startswith("SELECT") for s in sent) == 0
    sent = statements_of(engine, lambda: district.fire(case.id, "reinstate", reason="quay lại"))
    # PostgreSQL looks again for another open case, under the head's lock it already holds.
    sent = [s for s in sent if not s.startswith("PREPARE ")]
    assert len(sent) == (5 if engine.dialect.name == "sqlite" else 3)
    assert_intact(engine, 3)
    with district.runtime.uow(write=False) as uow:
        stored = uow.cases.get(case.id)
    assert (stored.state, stored.version) == ("identified", 3)


@contextmanager
def _carried(district, case_id):
    """A unit of work that loaded `case_id` for update and recorded a withdrawal of it."""
    with district.runtime.uow() as uow:
        row = uow.cases.get(case_id, for_update=True)
        row.state = "withdrawn"
        uow.cases.record(row, [], district.actor("sec"), NOW.today)
        yield uow, row


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
@pytest.mark.parametrize("sent", ["with COMMIT", "before the next statement"])
def test_a_carried_case_write_that_finds_another_version_appends_nothing(district, sent):
    """The version check holds inside the one statement: no row written, a Conflict, no event,
    the head where it was. Only PostgreSQL carries the case's UPDATE in the event's statement
    (SQLite writes the case in ``record``: test_case_repository); the statement waits to be sent
    with COMMIT, or before whatever is sent next, and a miss fails it there (its guard), so that
    nothing of the unit of work is committed."""
    case = district.identify()
    event_ = new_event(district.actor("sec"), "secretary", "withdraw", NOW, "v1", case_id=case.id)
    with _carried(district, case.id) as (uow, row):
        assert uow.history.pending is not None
        bump = update(Case).where(Case.id == case.id).values(version=Case.version + 1)
        uow.session.execute(bump)  # as if another writer had stepped the version
        uow.history.append(event_)
        assert uow.trips.held is not None
        with pytest.raises(Conflict):
            if sent == "with COMMIT":
                uow.commit()
            else:
                uow.session.execute(select(func.count()).select_from(Event))
    with district.runtime.uow(write=False) as reader:
        assert reader.cases.get(case.id).version == 1
    engine = district.runtime.engine
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Event)) == 1
        assert conn.scalar(select(ChainHead.last_id)) == 1
    assert_intact(engine, 1)


def test_a_carried_case_write_is_sent_before_the_case_is_read_or_committed(district):
    """Held by the history, the UPDATE still reaches the database if no event carries it."""
    case = district.identify()
    with _carried(district, case.id) as (uow, row):
        assert uow.cases.get(case.id).state == "withdrawn"  # the load sent it first
        assert uow.history.pending is None and row.version == 2
    with _carried(district, district.identify(birth_date="1991-01-01").id) as (uow, row):
        uow.commit()
    with district.runtime.uow(write=False) as reader:
        assert (reader.cases.get(row.id).state, reader.cases.get(row.id).version) == (
            "withdrawn",
            2,
        )


def test_a_carried_case_write_misses_with_a_head_that_moved(district):
    """The head guard holds with the case's UPDATE in the statement: nothing is kept (on
    PostgreSQL the statement is sent with COMMIT, which the miss keeps from running)."""
    case = district.identify()
    event_ = new_event(district.actor("sec"), "secretary", "withdraw", NOW, "v1", case_id=case.id)
    with (
        pytest.raises(RuntimeError, match="chain head"),
        _carried(district, case.id) as (uow, _),
    ):
        uow.head.saw(uow.head.last_id + 1, uow.head.digest)
        uow.history.append(event_)
        uow.commit()
    with district.runtime.uow(write=False) as reader:
        assert reader.cases.get(case.id).state == "identified"
    assert_intact(district.runtime.engine, 1)


def test_the_load_for_update_hands_the_head_to_the_history(district):
    case = district.identify()
    with district.runtime.uow() as uow:
        uow.cases.get(case.id, for_update=True)
        assert uow.head.locked
        head = uow.session.execute(select(ChainHead.last_id, ChainHead.digest)).one()
        assert (uow.head.last_id, uow.head.digest) == tuple(head)


def test_a_head_that_moved_meanwhile_appends_nothing(district):
    """The head moves only from where this unit of work read it: a stale one is refused."""
    case = district.identify()
    event_ = new_event(
        district.actor("sec"), "secretary", "record_note", NOW, "v1", case_id=case.id
    )
    with district.runtime.uow() as uow:
        uow.cases.get(case.id, for_update=True)
        uow.head.saw(uow.head.last_id - 1, uow.head.digest)  # as if read before the last event
        with pytest.raises((RuntimeError, IntegrityError)):
            uow.history.append(event_)
    with district.runtime.uow() as uow:
        uow.cases.get(case.id, for_update=True)
        uow.head.saw(uow.head.last_id + 1, uow.head.digest)  # an event this head never had
        with pytest.raises(RuntimeError, match="chain head"):
            uow.history.append(event_)
    assert_intact(district.runtime.engine, 1)


def test_two_appends_in_one_unit_of_work_follow_each_other(district):
    case = district.identify()
    sec = district.actor("sec")
    with district.runtime.uow() as uow:
        uow.cases.get(case.id, for_update=True)
        first = uow.history.append(new_event(sec, "secretary", "a", NOW, "v1", case_id=case.id))
        second = uow.history.append(new_event(sec, "secretary", "b", NOW, "v1", case_id=case.id))
        uow.commit()
    assert (first.id, second.id) == (2, 3)
    assert_intact(district.runtime.engine, 3)


def test_prepared_rows_are_what_sqlalchemy_returns(district):
    """Dates, booleans and NULLs come back converted as Core converts them."""
    case = district.to_mentored()
    engine = district.runtime.engine
    with engine.connect() as conn:
        conn.execute(update(Case).where(Case.id == case.id).values(ceremony_on=date(2026, 2, 1)))
        for statement in (
            LOAD_CASE,
            LOAD_CASE_FOR_UPDATE,
            LOAD_CASE_APART,
            LOAD_CASE_FOR_UPDATE_APART,
        ):
            core = list(conn.execute(statement, {"case_id": case.id}).one())
            prepared = Prepared(statement).first(conn, {"case_id": case.id})
            assert prepared == core
            assert [type(v) for v in prepared] == [type(v) for v in core]
        assert Prepared(LOAD_CASE).first(conn, {"case_id": case.id + 1000}) is None
        conn.rollback()


def test_prepared_statements_raise_sqlalchemys_errors(district):
    district.identify()
    engine = district.runtime.engine
    with engine.connect() as conn:
        row = dict(conn.execute(select(Event)).mappings().one())
        with pytest.raises(IntegrityError):
            Prepared(Event.__table__.insert()).execute(conn, row, tuple(row))
        conn.rollback()


def test_a_pooled_connection_the_server_closed_is_replaced(postgres_admin):
    """No ping per checkout: a connection whose server side has gone is dropped at checkout."""
    engine = make_engine(postgres_admin.url.render_as_string(hide_password=False))
    try:
        with engine.connect() as conn:
            pid = conn.scalar(text("SELECT pg_backend_pid()"))
        with postgres_admin.connect() as admin:
            admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            admin.execute(text("SELECT pg_sleep(0.1)"))
        with engine.connect() as conn:
            assert conn.scalar(text("SELECT pg_backend_pid()")) != pid
            assert conn.scalar(select(func.count()).select_from(text("pg_stat_activity"))) > 0
    finally:
        engine.dispose()


def test_a_list_parameter_is_refused_when_prepared(district):
    """An expanding IN is rendered per call by SQLAlchemy: not something to compile once."""
    statement = select(Case.id).where(Case.state.in_(["identified", "mentored"]))
    with district.runtime.engine.connect() as conn, pytest.raises(ValueError, match="list"):
        Prepared(statement).first(conn, {})
