"""The history: one event per action in the same transaction, append-only, tamper-evident, and
enough to rebuild a case on any past date."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import DBAPIError

from db.models import Case, Certificate, ChainHead, Decision, Event, MentorAssignment
from db.read.cases import case_detail
from db.read.history import verify
from db.repositories.history import SqlHistory
from tests.factories import TODAY
from web.cli import cli
from workflow.clock import Clock
from workflow.errors import RuleViolation
from workflow.history import CANONICAL_COLUMNS, GENESIS, chain_digest

ALL_COLUMNS = ("id", *CANONICAL_COLUMNS[1:], "prev_digest", "digest")


def at(moment: str) -> Clock:
    """A clock stopped at `moment` (ISO, UTC)."""
    return Clock(datetime.fromisoformat(moment).replace(tzinfo=UTC))


def events(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        rows = conn.execute(text(f"SELECT {', '.join(ALL_COLUMNS)} FROM events ORDER BY id"))
        return [dict(row._mapping) for row in rows]


def head(engine: Engine) -> tuple[int, str, int]:
    with engine.connect() as conn:
        return tuple(conn.execute(text("SELECT last_id, digest, count FROM chain_head")).one())


def case_row(runtime, case_id: int) -> Case:
    with runtime.sessions() as session:
        return session.get(Case, case_id)


def assert_intact(engine: Engine, count: int) -> None:
    report = verify(engine)
    assert report.intact, report.problem
    assert report.checked == count
    assert head(engine) == (count, report.head, count)


# --- one event per action, in the same transaction --------------------------------------------


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
    assert {e["ruleset"] for e in rows} == {district.runtime.settings.version}
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


# --- append-only in the database itself --------------------------------------------------------


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


# --- tampering, as someone with the database file or the table owner's password would ----------


def drop_guard(engine: Engine) -> None:
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.execute(text("DROP TRIGGER events_no_update"))
            conn.execute(text("DROP TRIGGER events_no_delete"))
        else:
            conn.execute(text("ALTER TABLE events DISABLE TRIGGER USER"))


def rewrite(engine: Engine, rows: list[dict[str, Any]]) -> None:
    """Replace the whole table by `rows` (the guard must be down)."""
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM events"))
        columns = ", ".join(ALL_COLUMNS)
        values = ", ".join(f":{c}" for c in ALL_COLUMNS)
        for row in rows:
            conn.execute(text(f"INSERT INTO events ({columns}) VALUES ({values})"), row)


def forged(after: dict[str, Any], event_id: int, prev: str) -> dict[str, Any]:
    """A plausible event, its digest correctly computed over `prev`."""
    row = {
        **after,
        "id": event_id,
        "action": "record_note",
        "from_state": None,
        "to_state": None,
        "reason": None,
        "data": '{"text":"ghi chú giả"}',
    }
    row["prev_digest"] = prev
    row["digest"] = chain_digest(prev, [row[c] for c in CANONICAL_COLUMNS])
    return row


def execute(engine: Engine, *statements: str) -> None:
    with engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement))


def edit_reason(engine, rows):
    execute(engine, "UPDATE events SET reason = 'lý do khác' WHERE id = 4")
    return 4


def edit_data(engine, rows):
    execute(engine, """UPDATE events SET data = '{"text":"nội dung khác"}' WHERE id = 5""")
    return 5


def edit_time(engine, rows):
    execute(engine, "UPDATE events SET at = '2026-11-26T03:00:00.000000Z' WHERE id = 2")
    return 2


def edit_and_rehash(engine, rows):
    # The edited event's own digest is recomputed: the next event no longer links to it.
    row = {**rows[2], "reason": "lý do khác"}
    row["digest"] = chain_digest(row["prev_digest"], [row[c] for c in CANONICAL_COLUMNS])
    rewrite(engine, [*rows[:2], row, *rows[3:]])
    return 4


def delete_middle(engine, rows):
    execute(engine, "DELETE FROM events WHERE id = 3")
    return 4


def insert_over_wrong_prev(engine, rows):
    # An event takes a deleted one's place, hashed over another event's digest.
    rewrite(engine, [*rows[:2], forged(rows[2], 3, rows[0]["digest"]), *rows[3:]])
    return 3


def replace_middle(engine, rows):
    # A forged event takes a deleted one's place, correctly linked to the event before it.
    rewrite(engine, [*rows[:2], forged(rows[2], 3, rows[1]["digest"]), *rows[3:]])
    return 4


def insert_shifting_ids(engine, rows):
    shifted = [{**r, "id": r["id"] + 1} for r in rows[3:]]
    rewrite(engine, [*rows[:3], forged(rows[2], 4, rows[2]["digest"]), *shifted])
    return 5


def append_forged(engine, rows):
    rewrite(engine, [*rows, forged(rows[-1], 7, rows[-1]["digest"])])
    return None


def reorder(engine, rows):
    # Events 3 and 4 swap everything but their ids.
    third, fourth = rows[2], rows[3]
    swapped = [{**fourth, "id": 3}, {**third, "id": 4}]
    rewrite(engine, [*rows[:2], *swapped, *rows[4:]])
    return 3


def reorder_content(engine, rows):
    # Events 3 and 4 swap what they say, each keeping its place in the chain.
    chain = ("id", "prev_digest", "digest")
    third, fourth = rows[2], rows[3]
    swapped = [
        {**fourth, **{c: third[c] for c in chain}},
        {**third, **{c: fourth[c] for c in chain}},
    ]
    rewrite(engine, [*rows[:2], *swapped, *rows[4:]])
    return 3


def delete_last(engine, rows):
    execute(engine, "DELETE FROM events WHERE id = 6")
    return None


def delete_last_and_fix_count(engine, rows):
    execute(
        engine,
        "DELETE FROM events WHERE id = 6",
        "UPDATE chain_head SET last_id = 5, count = 5",
    )
    return None


def delete_head(engine, rows):
    execute(engine, "DELETE FROM chain_head")
    return None


TAMPERING = [
    edit_reason,
    edit_data,
    edit_time,
    edit_and_rehash,
    delete_middle,
    insert_over_wrong_prev,
    replace_middle,
    insert_shifting_ids,
    append_forged,
    reorder,
    reorder_content,
    delete_last,
    delete_last_and_fix_count,
    delete_head,
]


@pytest.fixture
def chain(district):
    """Six events over two cases, with reasons and data; returns the engine."""
    first = district.identify()
    second = district.identify(full_name="Trần Thị Bình", birth_date="1995-02-02")
    district.fire(first.id, "assign_mentor", mentor=district.members[1].id)
    district.fire(second.id, "withdraw", reason="chuyển trường")
    district.record(first.id, "note", text="gặp gỡ lần đầu")
    district.fire(second.id, "reinstate", reason="quay lại")
    engine = district.runtime.engine
    assert_intact(engine, 6)
    return engine


@pytest.fixture
def run_verify(database_url, tmp_path):
    """``hoso audit verify`` on the test's database, as a separate command would run it."""
    env = {"HOSO_DATABASE_URL": database_url, "HOSO_INSTANCE": str(tmp_path)}
    return lambda: CliRunner().invoke(cli, ["audit", "verify"], env=env)


def test_audit_verify_passes_an_intact_chain(chain, run_verify):
    result = run_verify()
    assert result.exit_code == 0, result.output
    assert "intact: 6 events" in result.output


def test_an_empty_history_is_intact(runtime, run_verify):
    with runtime.sessions() as session:
        heads = session.scalars(select(ChainHead)).all()
        assert [(h.id, h.last_id, h.count, h.digest) for h in heads] == [(1, 0, 0, GENESIS)]
        assert session.scalar(select(func.count()).select_from(Event)) == 0
    report = verify(runtime.engine)
    assert report.intact and report.checked == 0 and report.head == GENESIS
    result = run_verify()
    assert result.exit_code == 0, result.output
    assert "intact: 0 events" in result.output


def restore(engine: Engine, rows: list[dict[str, Any]], last: tuple[int, str, int]) -> None:
    rewrite(engine, rows)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM chain_head"))
        conn.execute(
            text("INSERT INTO chain_head (id, last_id, digest, count) VALUES (1, :i, :d, :n)"),
            dict(zip("idn", last, strict=True)),
        )


def test_tampering_is_caught_at_the_first_bad_event(chain, run_verify, subtests):
    rows, last = events(chain), head(chain)
    drop_guard(chain)
    for tamper in TAMPERING:
        with subtests.test(tamper.__name__):
            restore(chain, rows, last)
            assert verify(chain).intact
            first_bad = tamper(chain, rows)

            report = verify(chain)
            assert not report.intact
            assert report.problem.event_id == first_bad, report.problem
            result = run_verify()
            assert result.exit_code != 0
            where = f"event {first_bad}" if first_bad is not None else "the chain's end"
            assert f"BROKEN at {where}" in result.output


# --- a case on a past date is its events replayed ---------------------------------------------


def test_the_state_on_a_past_date_is_rebuilt_from_the_events(district):
    d, sec = district, "sec"
    case = d.identify(clock=at("2024-01-05T03:00"))
    d.fire(case.id, "assign_mentor", clock=at("2024-01-08T03:00"), mentor=d.members[1].id)
    d.fire(case.id, "reassign_mentor", clock=at("2024-02-01T03:00"), mentor=d.members[2].id)
    d.fire(
        case.id,
        "complete_training",
        clock=at("2024-03-01T03:00"),
        certificate_number="CN-07",
        certificate_date="2024-02-20",
    )
    for member in d.members[1:3]:
        d.record(
            case.id,
            "introduction",
            sec,
            at("2024-04-01T03:00"),
            kind="member",
            member=member.id,
            known_since="2020-01-01",
            dated="2024-04-01",
        )
    for code in ("1-KNĐ", "2-KNĐ", "3-KNĐ", "5-KNĐ", "6-KNĐ"):
        d.record(case.id, "document", sec, at("2024-04-01T03:00"), code=code, dated="2024-04-01")
    d.fire(
        case.id,
        "submit_dossier",
        clock=at("2024-04-10T03:00"),
        vote_date="2024-04-10",
        votes_for=len(d.members),
    )
    d.fire(
        case.id,
        "admit",
        "com",
        at("2024-05-20T03:00"),
        vote_date="2024-05-10",
        votes_for=10,
        decision_number="45-QĐ/HU",
        decision_date="2024-05-20",
    )

    with d.runtime.sessions() as session:

        def on(day: str) -> dict[str, Any]:
            return case_detail(session, case.id, date.fromisoformat(day))

        before = on("2024-01-04")
        assert (before["exists"], before["state"], before["events"]) == (False, None, [])
        expected = {
            "2024-01-05": "identified",
            "2024-01-07": "identified",
            "2024-01-08": "mentored",
            "2024-02-01": "mentored",
            "2024-02-29": "mentored",
            "2024-03-01": "trained",
            "2024-04-01": "trained",
            "2024-04-09": "trained",
            "2024-04-10": "dossier_submitted",
            "2024-05-19": "dossier_submitted",
            "2024-05-20": "admitted",
            "2025-01-01": "admitted",
        }
        assert {day: on(day)["state"] for day in expected} == expected
        assert on("2024-01-05")["exists"] is True
        # The mentor of that day, not today's.
        mentors = {day: on(day)["mentor"] for day in ("2024-01-07", "2024-01-08", "2024-02-01")}
        assert mentors == {"2024-01-07": None, "2024-01-08": "mentor", "2024-02-01": "mentor2"}
        assert len(on("2024-01-31")["events"]) == 2
        assert on("2024-01-31")["data"]["assign_mentor"]["mentor_id"] == d.members[1].id
        assert "complete_training" not in on("2024-02-29")["data"]
        assert len(on("2024-04-01")["facts"]["document"]) == 5
        assert len(on("2024-04-01")["facts"]["introduction"]) == 2

        stored = session.get(Case, case.id)
        now, today = case_detail(session, case.id), on(TODAY.isoformat())
        assert today["state"] == now["state"] == stored.state == "admitted"
        assert today["events"] == now["events"]
        assert len(now["events"]) == stored.version == 13
        assert today["mentor"] == now["mentor"] == "mentor2"
        # What the events recorded is what the tables hold.
        data = now["data"]
        assert data["reassign_mentor"]["mentor_id"] == stored.mentor_id == d.members[2].id
        certificate = session.scalars(select(Certificate).where(Certificate.case_id == case.id))
        assert [c.number for c in certificate] == ["CN-07"]
        assert data["complete_training"]["certificate_number"] == stored.certificate_number
        assert data["complete_training"]["certificate_date"] == "2024-02-20"
        assert stored.certificate_date == date(2024, 2, 20)
        decision = session.scalars(select(Decision).where(Decision.case_id == case.id)).one()
        assert data["admit"]["decision_number"] == stored.decision_number == decision.number
        assert data["admit"]["decision_date"] == decision.signed_on.isoformat()
        assert data["submit_dossier"]["vote_date"] == stored.cell_vote_date.isoformat()


def test_a_past_date_is_a_day_of_the_local_calendar(district):
    # The rules count days in Vietnam (UTC+7); so do opened_on and the dates asked for.
    case = district.identify(clock=at("2024-01-05T20:00"))  # 6 January, 03:00 local
    district.fire(
        case.id,
        "assign_mentor",
        clock=at("2024-01-06T16:59:59.999999"),
        mentor=district.members[1].id,
    )
    district.fire(case.id, "withdraw", clock=at("2024-01-06T17:00"), reason="chuyển trường")
    with district.runtime.sessions() as session:
        assert session.get(Case, case.id).opened_on == date(2024, 1, 6)
        states = {
            day: case_detail(session, case.id, date.fromisoformat(day))["state"]
            for day in ("2024-01-05", "2024-01-06", "2024-01-07")
        }
    assert states == {"2024-01-05": None, "2024-01-06": "mentored", "2024-01-07": "withdrawn"}
