"""Benchmark data: a district built with the ORM; cases by the thousand with Core bulk inserts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Connection, Engine, Table, func, select

import db.models  # noqa: F401  (registers every table)
from db.actors import actor_by_username
from db.base import Base
from db.models import Member, Organisation, Person, RoleGrant, User
from db.repositories.organisations import add_organisation
from db.session import session_factory
from db.text import fold
from workflow.facts import Actor

TABLES = Base.metadata.tables
PEOPLE: Table = TABLES["people"]
CASES: Table = TABLES["cases"]
EVENTS: Table = TABLES["events"]
MEMBERS: Table = TABLES["members"]
USERS: Table = TABLES["users"]
ORGANISATIONS: Table = TABLES["organisations"]
MENTOR_ASSIGNMENTS: Table = TABLES["mentor_assignments"]
CHAIN_HEAD: Table = TABLES["chain_head"]

SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng")
MIDDLE = ("Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quốc")
GIVEN = ("An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Khánh", "Lan", "Mai", "Nam", "Phúc", "Thảo")


def person_name(i: int) -> str:
    """A Vietnamese name, different for nearby `i`."""
    return (
        f"{SURNAMES[i % len(SURNAMES)]} {MIDDLE[(i // 10) % len(MIDDLE)]} "
        f"{GIVEN[(i // 80) % len(GIVEN)]} {i}"
    )


@dataclass
class District:
    """A deciding committee and its cells; each cell's official members, some of them users."""

    committee_id: int
    cell_ids: list[int]
    #: cell id → ids of its official members
    members: dict[int, list[int]] = field(default_factory=dict)
    #: The secretary of the first cell (member 0 of that cell), as the use cases see them.
    secretary: Actor | None = None
    user_ids: list[int] = field(default_factory=list)


def build_district(
    engine: Engine, cells: int = 1, members_per_cell: int = 3, mentor_users_per_cell: int = 2
) -> District:
    """A committee (deciding, 15 seats) with `cells` school cells of official members.

    User ``sec`` is secretary of the first cell; the first `mentor_users_per_cell` members of each
    cell after the secretary log in as ``mentor.<cell>.<n>``.
    """
    with session_factory(engine)() as session:
        committee = add_organisation(
            session,
            "Huyện ủy Đo Hiệu Năng",
            "committee",
            decides_admissions=True,
            committee_size=15,
        )
        district = District(committee.id, [])
        for c in range(cells):
            cell = add_organisation(
                session, f"Chi bộ trường THPT số {c + 1}", "cell", committee, unit_kind="school"
            )
            district.cell_ids.append(cell.id)
            ids = []
            for m in range(members_per_cell):
                name = f"Đảng viên {c}.{m}"
                person = Person(full_name=name, search_name=fold(name), birth_date=date(1980, 1, 1))
                session.add(person)
                session.flush()
                member = Member(
                    person_id=person.id,
                    cell_id=cell.id,
                    status="official",
                    admitted_on=date(2010, 1, 1),
                    official_since=date(2011, 1, 1),
                )
                session.add(member)
                session.flush()
                ids.append(member.id)
            district.members[cell.id] = ids
            if c == 0:
                _user(session, "sec", ids[0], [("secretary", cell)])
            for n, member_id in enumerate(ids[1 : 1 + mentor_users_per_cell]):
                _user(session, f"mentor.{c}.{n}", member_id, [("mentor", cell)])
        session.commit()
        district.secretary = actor_by_username(session, "sec")
        district.user_ids = list(session.scalars(select(User.id).order_by(User.id)))
    return district


def _user(session, username: str, member_id: int, grants: list[tuple[str, Organisation]]) -> User:
    user = User(username=username, full_name=username, member_id=member_id, password_hash="")
    for role, org in grants:
        user.grants.append(RoleGrant(role=role, organisation_id=org.id))
    session.add(user)
    session.flush()
    return user


def insert_cases(
    engine: Engine,
    specs: Sequence[tuple[int, str, int | None]],
    opened_on: date = date(2026, 1, 5),
    batch: int = 5_000,
) -> list[int]:
    """Cases (and their people) as ``(cell_id, state, mentor_id)``, bulk-inserted; their ids."""
    with engine.begin() as conn:
        first_person = _next_id(conn, PEOPLE)
        first_case = _next_id(conn, CASES)
        for start in range(0, len(specs), batch):
            chunk = specs[start : start + batch]
            people = []
            cases = []
            for offset, (cell_id, state, mentor_id) in enumerate(chunk, start):
                name = person_name(first_person + offset)
                people.append(
                    {
                        "id": first_person + offset,
                        "full_name": name,
                        "search_name": fold(name),
                        "birth_date": date(2000 + offset % 8, 1 + offset % 12, 1 + offset % 28),
                        "sex": "nam" if offset % 2 else "nữ",
                        "is_doan_member": True,
                    }
                )
                cases.append(
                    {
                        "id": first_case + offset,
                        "person_id": first_person + offset,
                        "cell_id": cell_id,
                        "state": state,
                        "version": 1,
                        "source": "cell_review",
                        "opened_on": opened_on,
                        "state_since": opened_on,  # no event yet: the opening day
                        "mentor_id": mentor_id,
                    }
                )
            conn.execute(PEOPLE.insert(), people)
            conn.execute(CASES.insert(), cases)
        _sync_sequences(conn, (PEOPLE, CASES))
    return list(range(first_case, first_case + len(specs)))


def open_assignments(engine: Engine, cases: Iterable[tuple[int, int]], since: date) -> None:
    """An open mentor assignment for each ``(case_id, member_id)``."""
    rows = [{"case_id": c, "member_id": m, "since": since} for c, m in cases]
    with engine.begin() as conn:
        conn.execute(MENTOR_ASSIGNMENTS.insert(), rows)


def _next_id(conn: Connection, table: Table) -> int:
    return (conn.scalar(select(func.max(table.c.id))) or 0) + 1


def _sync_sequences(conn: Connection, tables: Iterable[Table]) -> None:
    """After inserting explicit ids, move PostgreSQL's sequences past them."""
    if conn.dialect.name != "postgresql":
        return
    for table in tables:
        conn.exec_driver_sql(
            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
            f"(SELECT COALESCE(MAX(id), 1) FROM {table.name}))"
        )
