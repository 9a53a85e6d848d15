"""The worklist's read model on SQLite and PostgreSQL: each role's list is one query whose
pre-filter (states, ceremony dates) never drops a case that waits on the role, and whose scope is
the role's own (a mentor's candidates, a secretary's cells, a committee's deciding body)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import event, update

from db.models import Case
from db.read.worklist import case_rows, role_clause, work_rows
from tests.db.test_reminders import Fixture, add_case, build
from workflow.states import Role
from workflow.worklist import role_scope, work_items


@pytest.fixture
def fixture(district) -> Fixture:
    fixture = build(district)
    with district.runtime.sessions() as session:
        add = lambda name, **v: add_case(session, district, name, **v)  # noqa: E731
        fixture.ids.update(
            identified=add("Lý Văn Tám", state="identified"),
            mentored=add("Mai Thị Chín", state="mentored"),
            returned=add("Tô Văn Mười", state="returned", other=True),
            running=add("Kiều Thị Một", state="admitted", decision_date=date(2025, 12, 1),
                        ceremony_on=date(2025, 12, 20)),
            withdrawn=add("Phan Văn Hai", state="withdrawn"),
        )  # fmt: skip
        session.execute(
            update(Case).where(Case.id == fixture.ids["identified"]).values(mentor_id=None)
        )
        session.commit()
    return fixture


#: Who holds which role in the factories' district.
HOLDERS = {
    Role.mentor: ("mentor", "mentor2", "mentor_other"),
    Role.secretary: ("sec", "sec_other"),
    Role.committee: ("com", "com2"),
}
DAYS = [date(2025, 6, 1), date(2026, 2, 11), date(2026, 11, 20), date(2026, 12, 21)]


@pytest.mark.parametrize("on", DAYS)
@pytest.mark.parametrize("role", list(HOLDERS))
def test_the_pre_filter_never_drops_a_case_that_waits(fixture, role, on):
    rt = fixture.district.runtime
    rules = rt.settings.rules
    with rt.sessions() as session:
        for username in HOLDERS[role]:
            actor = fixture.district.actor(username)
            listed = work_rows(session, actor, role, on, rules)
            every = case_rows(session, role_clause(role, role_scope(actor, role)))
            assert len(listed) <= len(every)
            assert work_items(listed, role, rules, on) == work_items(every, role, rules, on)


def test_each_list_in_its_scope(fixture):
    rt = fixture.district.runtime
    ids = {v: k for k, v in fixture.ids.items()}
    on = date(2026, 2, 11)

    def listed(username: str, role: Role) -> set[str]:
        with rt.sessions() as session:
            rows = work_rows(session, fixture.district.actor(username), role, on, rt.settings.rules)
        return {ids[i.case.id] for i in work_items(rows, role, rt.settings.rules, on)}

    # members[1] mentors the cell's hand-made cases; nobody mentors "identified".
    assert listed("mentor", Role.mentor) == {
        "mai", "binh", "ha", "khoa", "lan", "son", "mentored", "running"
    }  # fmt: skip
    assert listed("mentor2", Role.mentor) == set()
    assert listed("mentor_other", Role.mentor) == {"tuan", "nam", "returned"}
    # The cell: to assign, to submit, the ceremony, the vote coming (probation ends 12/2).
    assert listed("sec", Role.secretary) == {"identified", "son", "binh", "ha"}
    assert listed("sec_other", Role.secretary) == {"returned", "tuan"}
    # The deciding body: dossiers, and recognitions voted or due.
    assert listed("com", Role.committee) == {"mai", "lan", "nam", "khoa", "tuan"}
    assert listed("aud", Role.committee) == set()


def test_one_query_per_list(fixture):
    rt = fixture.district.runtime
    seen: list[str] = []

    def count(conn, cursor, statement, *args):
        seen.append(statement)

    with rt.sessions() as session:
        session.connection()
        event.listen(rt.engine, "before_cursor_execute", count)
        try:
            for role, names in HOLDERS.items():
                work_rows(session, fixture.district.actor(names[0]), role, date(2026, 2, 11),
                          rt.settings.rules)  # fmt: skip
        finally:
            event.remove(rt.engine, "before_cursor_execute", count)
    assert len(seen) == 3
