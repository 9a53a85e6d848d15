"""Tampering, as someone with the database file or the table owner's password would: caught."""

from __future__ import annotations

from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, func, select, text

from db.models import ChainHead, Event
from db.read.history import verify
from tests.db.history_support import ALL_COLUMNS, assert_intact, events, head
from web.cli import cli
from workflow.history import CANONICAL_COLUMNS, GENESIS, chain_digest


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
