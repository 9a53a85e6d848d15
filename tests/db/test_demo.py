"""The demo district (`db.demo.load_demo`): what it holds, that the rules accepted all of it,
that it is the same every time, and that the demo accounts have work to show."""

from __future__ import annotations

import sqlite3
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import extract, func, select

from db import passwords
from db.actors import actor_by_username
from db.demo import LAST_DAY, DemoSummary, load_demo
from db.migrate import upgrade
from db.models import Case, Decision, DocumentRecord, Event, Member, Organisation, Person, User
from db.models.cases import Vote
from db.read.history import verify
from db.read.tree import tree_at
from db.repositories.cases import SqlCases
from db.runtime import Runtime
from db.session import make_engine, session_factory
from workflow import services
from workflow.clock import Clock
from workflow.settings import Settings
from workflow.states import FINAL_STATES, State

DEMO_ACCOUNTS = {
    # The district was dissolved on 01/07/2025: its roles were moved to the province.
    "admin": ("admin", "Tỉnh ủy Lâm Đồng"),
    "bantochuc": ("committee", "Tỉnh ủy Lâm Đồng"),
    "kiemtra": ("auditor", "Tỉnh ủy Lâm Đồng"),
    "bithu.chuvanan": ("secretary", "Chi bộ trường THPT Chu Văn An"),
    "giupdo.chuvanan": ("mentor", "Chi bộ trường THPT Chu Văn An"),
    "bithu.dongthuy": ("secretary", "Chi bộ Công ty TNHH Đồng Thúy"),
    "giupdo.dongthuy": ("mentor", "Chi bộ Công ty TNHH Đồng Thúy"),
    "doan.chuvanan": ("introducer", "Đoàn trường THPT Chu Văn An"),
    "congdoan.dongthuy": ("introducer", "Công đoàn Công ty TNHH Đồng Thúy"),
    "trungtam": ("trainer", "Trung tâm Chính trị huyện Đức Trọng"),
}


def _runtime(path: Path) -> Runtime:
    engine = make_engine(f"sqlite:///{path}")
    return Runtime(engine, session_factory(engine), Settings())


def _fresh(path: Path) -> Runtime:
    rt = _runtime(path)
    upgrade(rt.engine)
    return rt


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("demo") / "hoso.sqlite3"


@pytest.fixture(scope="module")
def loaded(demo_file) -> tuple[Runtime, DemoSummary]:
    rt = _fresh(demo_file)
    summary = load_demo(rt)
    yield rt, summary
    rt.engine.dispose()


@pytest.fixture(scope="module")
def rt(loaded) -> Runtime:
    return loaded[0]


@pytest.fixture(scope="module")
def summary(loaded) -> DemoSummary:
    return loaded[1]


@pytest.fixture
def scratch(loaded, demo_file, tmp_path) -> Runtime:
    """A copy of the loaded demo that a test may change."""
    copy = tmp_path / "copy.sqlite3"
    with sqlite3.connect(demo_file) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    runtime = _runtime(copy)
    yield runtime
    runtime.engine.dispose()


def _dump(runtime: Runtime) -> dict[str, list[tuple]]:
    with runtime.sessions() as session:
        return {
            "organisations": session.execute(
                select(Organisation.id, Organisation.name, Organisation.path).order_by("id")
            ).all(),
            "members": session.execute(
                select(Member.id, Person.full_name, Member.cell_id, Member.status)
                .join(Person)
                .order_by(Member.id)
            ).all(),
            "cases": session.execute(
                select(Case.id, Person.full_name, Case.state, Organisation.name)
                .join(Person, Case.person_id == Person.id)
                .join(Organisation, Case.cell_id == Organisation.id)
                .order_by(Case.id)
            ).all(),
            "events": session.execute(
                select(Event.id, Event.action, Event.digest).order_by(Event.id)
            ).all(),
        }


# --- what the demo holds --------------------------------------------------------------------------


def test_summary_matches_the_database(rt, summary):
    dump = _dump(rt)
    assert summary.total_cases == len(dump["cases"])
    assert summary.events == len(dump["events"]) > 300
    assert summary.organisations == len(dump["organisations"])
    assert list(summary.cases) == [s.value for s in State]
    assert "cases" in summary.describe()


def test_the_district_tree(rt):
    with rt.sessions() as session:
        orgs = {o.name: o for o in session.scalars(select(Organisation))}
        before = tree_at(session, date(2025, 6, 30))  # the district before the reform
    district = orgs["Đảng bộ huyện Đức Trọng"]
    assert orgs["Tỉnh ủy Lâm Đồng"].parent_id is None
    was = before.nodes[district.id]
    assert was.decides_admissions and was.committee_size == 15
    cells = [o for o in orgs.values() if o.type == "cell"]
    # Phú Hội's cell sits under its company's đảng ủy cơ sở (test_demo_reform.py).
    enterprise = orgs["Đảng ủy Công ty Cổ phần May mặc Phú Hội"].id
    assert all(before.nodes[o.id].parent_id in (district.id, enterprise) for o in cells)
    assert Counter(cell.unit_kind for cell in cells) == {"school": 6, "enterprise": 3}
    for name in (
        "Chi bộ trường THPT Chu Văn An",
        "Chi bộ trường THPT Đức Trọng",
        "Chi bộ Công ty TNHH Đồng Thúy",
    ):
        assert orgs[name].type == "cell"
    assert orgs["Chi bộ Công ty TNHH Đồng Thúy"].has_doan is False
    assert orgs["Trung tâm Chính trị huyện Đức Trọng"].type == "centre"
    doan = orgs["Đoàn trường THPT Chu Văn An"]
    assert (doan.type, doan.mass_kind) == ("mass", "doan")
    assert doan.parent_id == orgs["Chi bộ trường THPT Chu Văn An"].id
    congdoan = orgs["Công đoàn Công ty TNHH Đồng Thúy"]
    assert (congdoan.type, congdoan.mass_kind) == ("mass", "congdoan")
    assert congdoan.parent_id == orgs["Chi bộ Công ty TNHH Đồng Thúy"].id


def test_every_cell_has_its_members(rt):
    with rt.sessions() as session:
        cells = session.scalars(select(Organisation).where(Organisation.type == "cell")).all()
        for cell in cells:
            members = session.scalars(
                select(Member).where(Member.cell_id == cell.id, Member.left_on.is_(None))
            ).all()
            official = [m for m in members if m.status == "official"]
            probationary = [m for m in members if m.status == "probationary"]
            assert 5 <= len(official) <= 12, cell.name
            assert 1 <= len(probationary) <= 2, cell.name
            assert sum(m.excused for m in members) == 1, cell.name
            assert any(m.official_since and m.official_since.year < 2005 for m in official)


def test_every_state_is_represented(summary):
    for state in State:
        assert summary.cases[state.value] >= 2, state


def test_the_seed_history_2020_2023(rt):
    with rt.sessions() as session:
        rows = session.execute(
            select(Organisation.unit_kind, func.count())
            .select_from(Decision)
            .join(Case, Decision.case_id == Case.id)
            .join(Organisation, Case.cell_id == Organisation.id)
            .where(
                Decision.kind == "admission",
                extract("year", Decision.signed_on).between(2020, 2023),
            )
            .group_by(Organisation.unit_kind)
        ).all()
        assert dict(rows) == {"school": 3, "enterprise": 5}
        states = session.scalars(
            select(Case.state)
            .join(Decision, Decision.case_id == Case.id)
            .where(
                Decision.kind == "admission",
                extract("year", Decision.signed_on).between(2020, 2023),
            )
        ).all()
        assert set(states) == {"official"}
        chu_van_an_2023 = session.scalar(
            select(func.count())
            .select_from(Decision)
            .join(Case, Decision.case_id == Case.id)
            .join(Organisation, Case.cell_id == Organisation.id)
            .where(
                Decision.kind == "admission",
                extract("year", Decision.signed_on) == 2023,
                Organisation.name == "Chi bộ trường THPT Chu Văn An",
            )
        )
        assert chu_van_an_2023 == 2


def test_the_first_quarter_of_2024(rt):
    q1 = (date(2024, 1, 1), date(2024, 3, 31))
    with rt.sessions() as session:
        admitted = session.scalars(
            select(Organisation.name)
            .select_from(Decision)
            .join(Case, Decision.case_id == Case.id)
            .join(Organisation, Case.cell_id == Organisation.id)
            .where(Decision.kind == "admission", Decision.signed_on.between(*q1))
        ).all()
        assert admitted == ["Chi bộ Công ty TNHH Đồng Thúy"]
        submitted = session.scalars(
            select(Organisation.name)
            .select_from(Case)
            .join(Organisation, Case.cell_id == Organisation.id)
            .join(Event, Event.case_id == Case.id)
            .where(
                Event.action == "submit_dossier",
                Event.at.between("2024-01-01", "2024-04-01"),
                Organisation.unit_kind == "school",
            )
        ).all()
        assert submitted == ["Chi bộ trường THPT Đức Trọng"]


def test_some_cells_have_no_candidate_in_the_pipeline(rt):
    with rt.sessions() as session:
        cells = session.scalars(select(Organisation).where(Organisation.type == "cell")).all()
        closed = [s.value for s in FINAL_STATES] + [State.withdrawn.value]
        idle = [
            cell.name
            for cell in cells
            if not session.scalar(
                select(func.count())
                .select_from(Case)
                .where(Case.cell_id == cell.id, Case.state.not_in(closed))
            )
        ]
        assert 1 <= len(idle) <= 3
        busy = {
            name: n
            for name, n in session.execute(
                select(Organisation.name, func.count())
                .select_from(Case)
                .join(Organisation, Case.cell_id == Organisation.id)
                .where(Case.state.not_in(closed))
                .group_by(Organisation.name)
            )
        }
        assert busy["Chi bộ trường THPT Chu Văn An"] >= 4
        assert busy["Chi bộ Công ty TNHH Đồng Thúy"] >= 4
        sources = set(session.scalars(select(Case.source)))
        assert {"cell_review", "mass_organisation", "commune_application"} <= sources


def test_dates_are_fixed_and_chronological(rt):
    with rt.sessions() as session:
        stamps = session.scalars(select(Event.at).order_by(Event.id)).all()
        assert stamps == sorted(stamps)
        assert stamps[-1] <= f"{LAST_DAY.isoformat()}T99"
        assert stamps[0] >= "2020-01-01"
        assert session.scalar(select(func.max(DocumentRecord.dated))) <= LAST_DAY


def test_withdrawn_and_returned_cases_carry_their_reason(rt):
    with rt.sessions() as session:
        for action in ("withdraw", "return_dossier", "reject", "remove"):
            reasons = session.scalars(select(Event.reason).where(Event.action == action)).all()
            assert reasons and all(r and len(r) > 20 for r in reasons), action


# --- the accounts -------------------------------------------------------------------------------


def test_the_ten_demo_accounts(rt, summary):
    assert {u: (role, scope) for u, role, scope in summary.accounts} == DEMO_ACCOUNTS
    with rt.sessions() as session:
        for username, (role, scope) in DEMO_ACCOUNTS.items():
            user = session.scalar(select(User).where(User.username == username))
            assert user.active and user.full_name, username
            assert user.password_hash.startswith(passwords.PREFIX), username
            assert passwords.verify(user.password_hash, "demo"), username
            assert [(g.role, g.organisation.name) for g in user.grants] == [(role, scope)]
            if role in ("secretary", "mentor"):
                member = session.get(Member, user.member_id)
                assert member.status == "official" and member.left_on is None
                assert member.cell_id == user.grants[0].organisation_id
                assert member.person.full_name == user.full_name
        others = session.scalars(select(User).where(User.username.not_in(list(DEMO_ACCOUNTS))))
        others = others.all()
        assert others and not any(u.active or u.password_hash for u in others)


def test_loading_twice_is_refused(rt):
    with pytest.raises(ValueError, match="not empty"):
        load_demo(rt)


def test_the_history_chain_is_intact(rt):
    report = verify(rt.engine)
    assert report.intact, report.problem
    assert report.checked > 300


def test_two_loads_give_the_same_data(rt, tmp_path):
    other = _fresh(tmp_path / "other.sqlite3")
    try:
        load_demo(other)
        first, second = _dump(rt), _dump(other)
        for table in first:
            assert first[table] == second[table], table
    finally:
        other.engine.dispose()


# --- the demo accounts have work ------------------------------------------------------------------

NOW = Clock(datetime(2026, 11, 27, 8, 0, tzinfo=UTC))


def _case_of(runtime: Runtime, name: str) -> Case:
    with runtime.sessions() as session:
        return session.scalar(select(Case).join(Person).where(Person.full_name == name))


def test_the_demo_walkthrough(scratch):
    with scratch.sessions() as session:
        actor = {name: actor_by_username(session, name) for name in DEMO_ACCOUNTS}
        chu_van_an = select(Organisation.id).where(Organisation.name.like("%Chu Văn An"))
        official = SqlCases(session, scratch.settings.rules).official_members(
            session.scalar(chu_van_an.where(Organisation.type == "cell"))
        )

    # The mentor sees their mentee waiting for the class, and may record it.
    mentee = _case_of(scratch, "Võ Hoàng Phúc")
    assert mentee.state == "mentored"
    assert mentee.mentor_id == actor["giupdo.chuvanan"].member_id
    services.view_case(scratch.uow(write=False), actor["giupdo.chuvanan"], mentee.id)

    # The secretary submits the teacher's dossier: every form and introduction is on file.
    ready = _case_of(scratch, "Lê Minh Triết")
    assert ready.state == "trained"
    case = services.fire_transition(
        scratch.uow(),
        actor["bithu.chuvanan"],
        ready.id,
        "submit_dossier",
        {
            "vote_date": "25/11/2026",
            "votes_for": str(official - 1),
            "votes_against": "0",
            "resolution_number": "22-NQ/CB",
        },
        clock=NOW,
    )
    assert case.state == "dossier_submitted"

    # The committee admits the Phú Hội worker: 7 of its đảng ủy cơ sở's 9 voted for.
    waiting = _case_of(scratch, "Nguyễn Thị Mai Anh")
    case = services.fire_transition(
        scratch.uow(),
        actor["bantochuc"],
        waiting.id,
        "admit",
        {
            "vote_date": "26/11/2026",
            "votes_for": "7",
            "votes_against": "0",
            "decision_number": "999-QĐ/ĐU",
            "decision_date": "27/11/2026",
        },
        clock=NOW,
    )
    assert case.state == "admitted"
    with scratch.sessions() as session:
        votes = session.scalars(select(Vote).where(Vote.case_id == waiting.id))
        vote = next(v for v in votes if v.body == "grassroots")
    assert (vote.votes_for, vote.eligible) == (7, 9)

    # The centre certifies the Đồng Thúy candidate who finally attended the class.
    night_shift = _case_of(scratch, "Đặng Thị Thùy Dương")
    case = services.fire_transition(
        scratch.uow(),
        actor["trungtam"],
        night_shift.id,
        "complete_training",
        {"certificate_number": "901/GCN-TTCT", "certificate_date": "27/11/2026"},
        clock=NOW,
    )
    assert case.state == "trained"
