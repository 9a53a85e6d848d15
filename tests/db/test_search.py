"""The case list's queries: the name search through its trigram index, and the capped count.

On both backends: the indexed search finds exactly what ``LIKE '%key%'`` over the folded name
finds (Vietnamese diacritics, wildcards and quotes included), the index stays in step with the
people table, the plan uses it, and the count stops at the cap.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import delete, event, func, select, update
from sqlalchemy.dialects import sqlite

import db.read.search
from db.models import Case, Person
from db.read.search import CaseFilters, count_query, page_query, people_named, search_cases
from db.text import fold

NAMES = [
    "Nguyễn Văn An",
    "Nguyễn Thị Ánh",
    "Nguyên Văn Ân",
    "Trần Đức Thắng",
    "Đặng Thùy Dương",
    "Lê Thị Thúy",
    "Phạm Quốc Huy",
    "Hoàng Ngọc Xuyến",
    "Võ Thanh Tùng",
    "Bùi Anh Tuấn",
    "Ngô Bảo Châu",
    "Dương Văn Đức",
    'Trịnh "Út" Hòa',
    "Lý 100% Mai",
    "Hồ_Thị Hương",
]

QUERIES = [
    "nguyen",
    "Nguyễn Văn",
    "van an",
    "nguyen van an",
    "ĐỨC",
    "duc",
    "thuy",
    "thúy",
    "uy",
    "ng",
    "a",
    "n v",
    "an n",
    "ương",
    "xuyen",
    '"ut"',
    '"',
    "%",
    "100%",
    "_",
    "ho_t",
    "o_",
    "an%",
    "nguyen van ann",
    "zzz",
]


def _add(runtime, district, names: list[str]) -> dict[str, int]:
    """A case for each name in the district's cell; the person ids by name."""
    people, cases = Person.__table__, Case.__table__
    ids = {}
    with runtime.engine.begin() as conn:
        for name in names:
            person = conn.execute(
                people.insert().values(
                    full_name=name,
                    search_name=fold(name),
                    birth_date=date(2000, 1, 1),
                    is_doan_member=False,
                )
            ).inserted_primary_key[0]
            conn.execute(
                cases.insert().values(
                    person_id=person,
                    cell_id=district.cell.id,
                    state="identified",
                    version=1,
                    source="cell_review",
                    opened_on=date(2026, 1, 5),
                )
            )
            ids[name] = person
    return ids


def _found(runtime, key: str, dialect: str, among: set[int]) -> set[int]:
    """The people of `among` (the district has members too) whose name matches `key`."""
    with runtime.sessions() as session:
        return set(session.scalars(people_named(key, dialect))) & among


def _expected(ids: dict[str, int], query: str) -> set[int]:
    """The old semantics, in Python: the folded query is a substring of the folded name."""
    return {pid for name, pid in ids.items() if fold(query) in fold(name)}


def test_the_index_finds_what_like_finds(runtime, district):
    ids = _add(runtime, district, NAMES)
    dialect = runtime.engine.dialect.name
    for query in QUERIES:
        key = fold(query)
        expected = _expected(ids, query)
        among = set(ids.values())
        assert _found(runtime, key, "default", among) == expected, query  # LIKE, as before
        assert _found(runtime, key, dialect, among) == expected, query  # through the index
    assert _expected(ids, "nguyen") == {ids["Nguyễn Văn An"], ids["Nguyễn Thị Ánh"], ids[NAMES[2]]}


def test_the_list_search_is_unchanged(runtime, district):
    ids = _add(runtime, district, NAMES)
    actor = district.actor("com")
    dialect = runtime.engine.dialect.name
    with runtime.sessions() as session:
        persons = dict(session.execute(select(Case.id, Case.person_id)).all())
        for query in ("nguyen", "Đức", "thuy", "uy", "%", '"ut"', "ho_t"):
            expected = _expected(ids, query)
            page = search_cases(session, actor, CaseFilters(q=query), page_size=100)
            assert {persons[row["id"]] for row in page.rows} == expected, query
            assert page.total == len(page.rows) and not page.more
            count = count_query(actor, CaseFilters(q=query), limit=1000, dialect=dialect)
            assert session.scalar(count) == len(expected), query
            # The plan for a common name (the count reached its cap): same rows, same order.
            for sort in ("-id", "name"):
                filters = CaseFilters(q=query, sort=sort)
                pages = [
                    [
                        row.id
                        for row in session.execute(page_query(actor, filters, 100, 0, d, dense))
                    ]
                    for d, dense in (("default", False), (dialect, False), (dialect, True))
                ]
                assert pages[0] == pages[1] == pages[2], (query, sort)


def test_the_index_follows_inserts_updates_and_deletes(runtime, district):
    ids = _add(runtime, district, ["Nguyễn Văn An", "Trần Thị Bình"])
    dialect = runtime.engine.dialect.name
    an, binh = ids["Nguyễn Văn An"], ids["Trần Thị Bình"]
    among = {an, binh}
    assert _found(runtime, "binh", dialect, among) == {binh}
    with runtime.engine.begin() as conn:
        conn.execute(
            update(Person).where(Person.id == binh).values(search_name=fold("Trần Thị Bảo"))
        )
    assert _found(runtime, "binh", dialect, among) == set()
    assert _found(runtime, "tran thi bao", dialect, among) == {binh}
    with runtime.engine.begin() as conn:
        conn.execute(delete(Case).where(Case.person_id == an))
        conn.execute(delete(Person).where(Person.id == an))
    assert _found(runtime, "nguyen", dialect, among) == set()
    assert _found(runtime, "tran thi bao", dialect, among) == {binh}
    if dialect == "sqlite":
        with runtime.engine.begin() as conn:
            # FTS5 compares its index with the content table and raises if they differ.
            conn.exec_driver_sql(
                "INSERT INTO people_search(people_search, rank) VALUES ('integrity-check', 1)"
            )


def _statements(runtime, fn) -> list[tuple[str, object]]:
    seen: list[tuple[str, object]] = []

    def _before(conn, cursor, statement, parameters, context, executemany):
        seen.append((statement, parameters))

    event.listen(runtime.engine, "before_cursor_execute", _before)
    try:
        fn()
    finally:
        event.remove(runtime.engine, "before_cursor_execute", _before)
    return [(st, p) for st, p in seen if "people" in st.lower()]


def test_the_search_uses_the_index(runtime, district):
    _add(runtime, district, NAMES)
    actor = district.actor("com")

    def search() -> None:
        with runtime.sessions() as session:
            search_cases(session, actor, CaseFilters(q="Nguyễn"))

    statements = _statements(runtime, search)
    assert len(statements) == 2  # the count and the page
    with runtime.engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        cursor = raw.cursor()
        for statement, parameters in statements:
            if runtime.engine.dialect.name == "sqlite":
                cursor.execute(f"EXPLAIN QUERY PLAN {statement}", parameters)
                plan = " ".join(str(row[-1]) for row in cursor.fetchall())
                assert "VIRTUAL TABLE INDEX" in plan and "people_search" in plan, plan
            else:
                # A handful of rows: without this the planner rightly prefers a scan.
                cursor.execute("SET LOCAL enable_seqscan = off")
                cursor.execute(f"EXPLAIN {statement}", parameters)
                plan = " ".join(row[0] for row in cursor.fetchall())
                assert "ix_people_search_name_trgm" in plan, plan
        cursor.close()
        raw.rollback()


def test_the_count_stops_at_the_cap(runtime, district, monkeypatch):
    monkeypatch.setattr(db.read.search, "COUNT_CAP", 3)
    _add(runtime, district, [f"Ứng Viên {i}" for i in range(7)])
    actor = district.actor("com")
    with runtime.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Case)) == 7

        def page(number: int, **filters):
            return search_cases(session, actor, CaseFilters(**filters), number, page_size=2)

        first = page(1)
        assert (first.total, first.more, len(first.rows)) == (3, True, 2)
        assert first.has_next and not first.has_previous
        # Page 2 must know whether page 3 exists: the count reaches past its end.
        second = page(2)
        assert (second.total, second.more, second.has_next) == (4, True, True)
        # From page 4 on the count reaches the end: exact, and a page past it is the last one.
        for number in (4, 5, 99):
            last = page(number)
            assert (last.total, last.more, last.page, last.pages) == (7, False, 4, 4)
            assert len(last.rows) == 1 and not last.has_next
        # Under the cap, the count is exact from page 1.
        few = page(1, q="ung vien 1")
        assert (few.total, few.more, few.has_next) == (1, False, False)


@pytest.mark.parametrize("query", ["ab", "a", "đ"])
def test_short_queries_fall_back_to_like(query):
    """Under three characters there is no trigram to look up: LIKE, on every backend."""
    compiled = str(people_named(fold(query), "sqlite").compile(dialect=sqlite.dialect()))
    assert "LIKE" in compiled.upper() and "people_search" not in compiled
    assert "people_search" in str(people_named("abc", "sqlite").compile(dialect=sqlite.dialect()))
