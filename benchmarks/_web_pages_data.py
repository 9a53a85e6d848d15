"""The data of ``benchmarks.web_pages``: 100,000 cases, 1,000,000 hash-chained events, in bulk."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, func, select, update

from benchmarks._data import (
    CASES,
    CHAIN_HEAD,
    EVENTS,
    ORGANISATIONS,
    build_district,
    insert_cases,
    open_assignments,
)
from db.migrate import analyze
from db.models import RoleGrant, User
from db.passwords import hash_password
from db.repositories.state_since import fill_state_since
from db.session import session_factory
from workflow.history import CANONICAL_COLUMNS, GENESIS, canonical_data, chain_digest, utc_stamp
from workflow.states import State

PASSWORD = "bench"
BATCH = 20_000
STATES = [state.value for state in State]


_PERSON = {
    "birth_date": date(2004, 4, 2),
    "birth_place": "thị trấn Liên Nghĩa, Đức Trọng, Lâm Đồng",
    "education": "12/12",
    "ethnicity": "Kinh",
    "hometown": "Điện Bàn, Quảng Nam",
    "id_number": "068204136405",
    "is_doan_member": True,
    "occupation": "Giáo viên, Trường THPT Đức Trọng",
    "religion": "Không",
    "residence": "Tổ dân phố 1, thị trấn Liên Nghĩa, huyện Đức Trọng, tỉnh Lâm Đồng",
    "sex": "nữ",
    "source": "cell_review",
}
_NOTE = "Đã gặp quần chúng, trao đổi về lý lịch gia đình và nguyện vọng phấn đấu vào Đảng."
_REASON = "Quần chúng chuyển công tác tạm thời, có đơn xin tạm dừng; chi bộ thống nhất."


def _kinds(mentor_id: int, mentor_name: str) -> tuple[list[tuple], list[tuple]]:
    """The first ten events of a case, in order, and what a long history repeats after them.

    Each is ``(action, from_state, to_state, role, user, reason, data)``; ``data`` is canonical
    JSON except for identify's, whose cell is filled in per case.
    """
    first = [
        ("identify", None, "identified", "secretary", "sec", None, None),
        (
            "assign_mentor",
            "identified",
            "mentored",
            "secretary",
            "sec",
            None,
            canonical_data(
                {"mentor_id": mentor_id, "mentor_name": mentor_name, "since": date(2022, 3, 16)}
            ),
        ),
        ("record_note", None, None, "secretary", "sec", None, canonical_data({"text": _NOTE})),
        (
            "record_introduction",
            None,
            None,
            "secretary",
            "sec",
            None,
            canonical_data(
                {
                    "dated": date(2022, 7, 20),
                    "kind": "member",
                    "known_since": date(2019, 3, 2),
                    "member_id": mentor_id,
                    "member_name": mentor_name,
                }
            ),
        ),
        (
            "complete_training",
            "mentored",
            "trained",
            "trainer",
            "sec",
            None,
            canonical_data(
                {
                    "certificate_date": date(2022, 6, 12),
                    "certificate_number": "240/GCN-TTCT",
                    "issuer": "Trung tâm Chính trị huyện Đức Trọng",
                }
            ),
        ),
        (
            "record_document",
            None,
            None,
            "secretary",
            "sec",
            None,
            canonical_data({"code": "1-KNĐ", "dated": date(2022, 7, 6)}),
        ),
        (
            "record_document",
            None,
            None,
            "secretary",
            "sec",
            None,
            canonical_data({"code": "2-KNĐ", "dated": date(2022, 7, 8), "number": "12"}),
        ),
        (
            "submit_dossier",
            "trained",
            "dossier_submitted",
            "secretary",
            "sec",
            None,
            canonical_data(
                {
                    "eligible": 8,
                    "resolution_number": "15-NQ/CB",
                    "vote_date": date(2022, 8, 12),
                    "votes_against": 0,
                    "votes_for": 7,
                }
            ),
        ),
        (
            "return_dossier",
            "dossier_submitted",
            "returned",
            "committee",
            "com",
            "Nghị quyết giới thiệu đoàn viên ưu tú ký chưa đúng thẩm quyền; đề nghị ban hành lại.",
            "{}",
        ),
        ("record_note", None, None, "committee", "com", None, canonical_data({"text": _NOTE})),
    ]
    again = [
        ("record_note", None, None, "secretary", "sec", None, canonical_data({"text": _NOTE})),
        ("withdraw", "trained", "withdrawn", "secretary", "sec", _REASON, "{}"),
        ("reinstate", "withdrawn", "trained", "secretary", "sec", _REASON, "{}"),
        (
            "record_document",
            None,
            None,
            "secretary",
            "sec",
            None,
            canonical_data({"code": "5-KNĐ", "dated": date(2023, 1, 9)}),
        ),
    ]
    return first, again


def _counts(cases: int, events: int, heavy_index: int, heavy: int) -> list[int]:
    """Events per case: `heavy` for one, the rest shared out as evenly as possible."""
    base, extra = divmod(events - heavy, cases - 1)
    counts, given = [], 0
    for i in range(cases):
        if i == heavy_index:
            counts.append(heavy)
            continue
        counts.append(base + (1 if given < extra else 0))
        given += 1
    return counts


def populate(engine: Engine, size: dict[str, int]) -> dict[str, Any]:
    """The district, its two users, the cases and the event chain; what the pages will ask for."""
    ncells = size["cells"]
    district = build_district(engine, cells=ncells, members_per_cell=5, mentor_users_per_cell=2)
    cells = district.cell_ids
    password = hash_password(PASSWORD)  # as the app stores one: no upgrade on the first login
    with session_factory(engine)() as session:
        committee = User(username="com", full_name="Ủy viên Ban Thường vụ", password_hash=password)
        committee.grants.append(RoleGrant(role="committee", organisation_id=district.committee_id))
        session.add(committee)
        secretary = session.scalar(select(User).where(User.username == "sec"))
        secretary.password_hash = password
        secretary.full_name = "Bí thư chi bộ"
        session.commit()
        users = {u.username: u.id for u in (committee, secretary)}
    with engine.begin() as conn:  # schools and enterprises, so that kind=school filters
        conn.execute(
            update(ORGANISATIONS)
            .where(ORGANISATIONS.c.id.in_(cells[3::4]))
            .values(unit_kind="enterprise")
        )

    # Cases: cell by cell in turn, and (independently) state by state; five opening years.
    specs = []
    for i in range(size["cases"]):
        cell = cells[i % ncells]
        state = STATES[(i // ncells) % len(STATES)]
        mentor = district.members[cell][1 + (i // ncells) % 4]
        specs.append((cell, state, None if state in ("identified", "withdrawn") else mentor))
    case_ids: list[int] = []
    per_year = -(-len(specs) // 5)
    for k in range(5):
        chunk = specs[k * per_year : (k + 1) * per_year]
        case_ids += insert_cases(engine, chunk, opened_on=date(2022 + k, 3, 2))
    # Two cases of the secretary's cell in state "trained": a typical one and the long history.
    trained = STATES.index("trained")
    typical_index = (10 * 1 + trained) * ncells
    heavy_index = (10 * (size["cases"] // (10 * ncells) // 2) + trained) * ncells
    mentor_member = district.members[cells[0]][1 + (typical_index // ncells) % 4]
    open_assignments(
        engine,
        [(case_ids[typical_index], mentor_member), (case_ids[heavy_index], mentor_member)],
        date(2022, 3, 16),
    )
    counts = _counts(size["cases"], size["events"], heavy_index, size["heavy"])
    _events(engine, case_ids, specs, counts, users, mentor_member)
    with engine.begin() as conn:  # the day each case entered its state, as its events say
        fill_state_since(conn)
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    else:
        analyze(engine)
    with engine.connect() as conn:
        per_case = dict(
            conn.execute(
                select(EVENTS.c.case_id, func.count())
                .where(EVENTS.c.case_id.in_([case_ids[typical_index], case_ids[heavy_index]]))
                .group_by(EVENTS.c.case_id)
            ).all()
        )
        total = conn.scalar(select(func.count()).select_from(EVENTS))
        ncases = conn.scalar(select(func.count()).select_from(CASES))
    return {
        "cases": ncases,
        "events": total,
        "typical_case": case_ids[typical_index],
        "typical_events": per_case[case_ids[typical_index]],
        "heavy_case": case_ids[heavy_index],
        "heavy_events": per_case[case_ids[heavy_index]],
    }


def _events(
    engine: Engine,
    case_ids: list[int],
    specs: list[tuple[int, str, int | None]],
    counts: list[int],
    users: dict[str, int],
    mentor_member: int,
) -> None:
    """A valid chain: round r holds the r-th event of every case that has one, so a case's
    events lie far apart in id order (cases move on in parallel), as in a real history."""
    first, again = _kinds(mentor_member, "Đảng viên 0.1")
    identify = {cell: canonical_data({**_PERSON, "cell": cell}) for cell, _s, _m in specs}
    start = datetime(2022, 1, 4, 1, 30, tzinfo=UTC)
    previous, event_id, rows = GENESIS, 0, []
    for r in range(max(counts)):
        for i, count in enumerate(counts):
            if count <= r:
                continue
            event_id += 1
            action, from_state, to_state, role, user, reason, data = (
                first[r] if r < len(first) else again[(r - len(first)) % len(again)]
            )
            values = {
                "id": event_id,
                "case_id": case_ids[i],
                "organisation_id": None,
                "at": utc_stamp(start + timedelta(seconds=137 * event_id)),
                "user_id": users[user],
                "username": user,
                "role": role,
                "action": action,
                "from_state": from_state,
                "to_state": to_state,
                "reason": reason,
                "data": data if data is not None else identify[specs[i][0]],
                "ruleset": "2024.1",
            }
            digest = chain_digest(previous, tuple(values[c] for c in CANONICAL_COLUMNS))
            rows.append({**values, "prev_digest": previous, "digest": digest})
            previous = digest
            if len(rows) == BATCH:
                with engine.begin() as conn:
                    conn.execute(EVENTS.insert(), rows)
                rows = []
    with engine.begin() as conn:
        if rows:
            conn.execute(EVENTS.insert(), rows)
        conn.execute(
            update(CHAIN_HEAD)
            .where(CHAIN_HEAD.c.id == 1)
            .values(last_id=event_id, digest=previous, count=event_id)
        )
