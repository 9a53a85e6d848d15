"""The case list over 100,000 cases."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import func, select, update
from werkzeug.security import generate_password_hash

from db.models import Case, Person, User
from db.text import fold
from tests.web.candidates.support import (
    Listing,
    listing,
)
from workflow.states import State

# --- scale --------------------------------------------------------------------------------------


def _bulk_cases(runtime, district, count: int) -> None:
    """`count` cases in the district's two cells, as Core executemany (seconds, not minutes)."""
    people, cases = Person.__table__, Case.__table__
    states = [s.value for s in State]
    prefix = "Ứng Viên Số"
    key = fold(prefix)  # folded once: the names differ only in their number
    with runtime.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # Else autovacuum may be at work on the throwaway database when the fixture drops it,
            # and a non-superuser may not terminate that worker.
            for table in ("people", "cases"):
                conn.exec_driver_sql(f"ALTER TABLE {table} SET (autovacuum_enabled = false)")
        first = (conn.scalar(select(func.max(people.c.id))) or 0) + 1
        person_rows, case_rows = [], []
        for i in range(count):
            person_rows.append(
                {
                    "id": first + i,
                    "full_name": f"{prefix} {i:06d}",
                    "search_name": f"{key} {i:06d}",
                    "birth_date": date(2000, 1, 1),
                    "is_doan_member": False,
                }
            )
            case_rows.append(
                {
                    "id": i + 1,
                    "person_id": first + i,
                    "cell_id": district.cell.id if i % 4 else district.other_cell.id,
                    "state": states[i % 10],
                    "version": 1,
                    "source": "cell_review",
                    "opened_on": date(2020 + i % 5, 1 + i % 12, 1),
                }
            )
        conn.execute(people.insert(), person_rows)
        conn.execute(cases.insert(), case_rows)
        if conn.dialect.name == "postgresql":
            for table in ("people", "cases"):
                conn.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT MAX(id) FROM {table}))"
                )
        conn.execute(
            update(User)
            .where(User.username == "com")
            .values(password_hash=generate_password_hash("pw", method="pbkdf2:sha256:1000"))
        )


@pytest.mark.slow
def test_the_list_over_100000_cases(runtime, district, tmp_path, monkeypatch):
    """Right page and right count on 100,000 cases (the timing lives in the benchmarks)."""
    from web import create_app

    _bulk_cases(runtime, district, 100_000)
    monkeypatch.setenv("HOSO_INSTANCE", str(tmp_path / "instance"))
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "test", "WTF_CSRF_ENABLED": False}, runtime=runtime
    )
    client = app.test_client()
    assert client.post("/login", data={"username": "com", "password": "pw"}).status_code == 302

    def get(path: str) -> Listing:
        page = listing(client, path)
        assert page.status == 200, path
        return page

    # Page 1 counts no further than 1,001 rows: "more than 1,000", and a next page.
    first = get("/candidates")
    assert (first.total, first.more) == (1000, True)
    assert first.ids == list(range(100_000, 99_950, -1))
    assert re.search(r"1[.,]000", first.html)  # the bound, grouped for reading
    assert "next" in first.links

    assert get("/candidates?page=2&sort=id").ids == list(range(51, 101))
    # The last page counts to its end: the exact total, and the clamp past the end.
    last = get("/candidates?page=2000")
    assert (last.total, last.more) == (100_000, False)
    assert re.search(r"100[.,]000", last.html)  # the total, grouped for reading
    assert last.ids == list(range(50, 0, -1)) == get("/candidates?page=2001").ids
    assert "next" not in last.links

    trained = get("/candidates?state=trained&page=3&sort=id")
    assert (trained.total, trained.more) == (1000, True)
    assert trained.ids == [i + 1 for i in range(100_000) if i % 10 == 2][100:150]
    assert get("/candidates?state=trained&page=200").total == 10_000

    year = get(f"/candidates?year=2022&cell={district.other_cell.id}&page=100")
    assert not year.more
    assert year.total == len([i for i in range(100_000) if i % 5 == 2 and i % 4 == 0])
    assert {row.opened[-4:] for row in year.rows} == {"2022"}

    named = get("/candidates?q=ung+vien+so+0999")
    assert named.total == 100 and len(named.rows) == 50
    assert named.ids == list(range(100_000, 99_950, -1))

    by_name = get("/candidates?sort=name&page=3")
    assert [row.name for row in by_name.rows] == [f"Ứng Viên Số {i:06d}" for i in range(100, 150)]
