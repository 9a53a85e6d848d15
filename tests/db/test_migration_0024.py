"""Migration 0024 on data: each case's ``state_since`` is the local day of its newest event into
its state from another one (or the one that opened it), else its opening day."""

from __future__ import annotations

from datetime import date

from alembic import command
from sqlalchemy import inspect, text

from db.migrate import alembic_config, upgrade
from db.session import make_engine

#: Per case: its state, opening day, its events (UTC stamp, from, to) and the day expected.
CASES = [
    # Opened on the evening of 1 March, UTC: 2 March, local. A note (no state) does not count.
    ("identified", "2026-03-02", [("2026-03-01T17:30:00.000000Z", None, "identified"),
                                  ("2026-04-01T03:00:00.000000Z", None, None)],
     date(2026, 3, 2)),
    # Mentored at 23:59 local; a reassignment (mentored to mentored) keeps the day.
    ("mentored", "2026-03-01", [("2026-03-01T03:00:00.000000Z", None, "identified"),
                                ("2026-03-02T16:59:59.000000Z", "identified", "mentored"),
                                ("2026-05-01T17:00:00.000000Z", "mentored", "mentored")],
     date(2026, 3, 2)),
    # Withdrawn, reinstated at local midnight: identified from that day, not from the opening.
    ("identified", "2026-03-01", [("2026-03-01T03:00:00.000000Z", None, "identified"),
                                  ("2026-03-10T03:00:00.000000Z", "identified", "withdrawn"),
                                  ("2026-04-30T17:00:00.000000Z", "withdrawn", "identified")],
     date(2026, 5, 1)),
    # No event at all (rows made before the history existed): the opening day.
    ("trained", "2024-06-01", [], date(2024, 6, 1)),
]  # fmt: skip


def test_the_day_each_case_entered_its_state_is_backfilled(database_url):
    engine = make_engine(database_url)
    try:
        upgrade(engine, "0023")
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO organisations (id, path, name, type, unit_kind, "
                    "decides_admissions, committee_size, has_doan) "
                    "VALUES (1, '/1/', 'Chi bộ', 'cell', 'school', false, 0, true)"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO users (id, username, full_name, password_hash, active, "
                    "session_version) VALUES (1, 'sec', 'Bí thư', '', true, 1)"
                )
            )
            event_id = 0
            for case_id, (state, opened, events, _) in enumerate(CASES, start=1):
                conn.execute(
                    text(
                        "INSERT INTO people (id, full_name, search_name, is_doan_member) "
                        "VALUES (:id, :name, :name, false)"
                    ),
                    {"id": case_id, "name": f"Người {case_id}"},
                )
                conn.execute(
                    text(
                        "INSERT INTO cases (id, person_id, cell_id, state, version, source, "
                        "opened_on) VALUES (:id, :id, 1, :state, 1, 'cell_review', :opened)"
                    ),
                    {"id": case_id, "state": state, "opened": date.fromisoformat(opened)},
                )
                for at, from_state, to_state in events:
                    event_id += 1
                    conn.execute(
                        text(
                            "INSERT INTO events (id, case_id, at, user_id, username, role, "
                            "action, from_state, to_state, data, ruleset, prev_digest, digest) "
                            "VALUES (:id, :case, :at, 1, 'sec', 'secretary', 'test', :f, :t, "
                            "'{}', 'test', :prev, :digest)"
                        ),
                        {
                            "id": event_id,
                            "case": case_id,
                            "at": at,
                            "f": from_state,
                            "t": to_state,
                            "prev": f"{event_id - 1:064x}",
                            "digest": f"{event_id:064x}",
                        },
                    )
        upgrade(engine)
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT id, state_since FROM cases ORDER BY id")).all()
        days = [d if isinstance(d, date) else date.fromisoformat(d) for _, d in rows]
        assert days == [expected for *_, expected in CASES]
        # And back: the column goes, the cases (that other tables point at) stay.
        _downgrade(engine, "0023")
        with engine.connect() as conn:
            columns = {c["name"] for c in inspect(conn).get_columns("cases")}
            assert "state_since" not in columns
            assert conn.scalar(text("SELECT count(*) FROM cases")) == len(CASES)
        upgrade(engine)
        with engine.connect() as conn:
            assert conn.scalar(text("SELECT count(*) FROM cases WHERE state_since IS NULL")) == 0
    finally:
        engine.dispose()


def _downgrade(engine, revision: str) -> None:
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)
