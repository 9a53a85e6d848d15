"""The targets report on a real database (db.read.reports, workflow.services.targets): a
hand-computed district built from rows, the 2% share's rounding, a cell with no candidate, stuck
cases, scope, and the admins' edits."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from db.actors import actor_by_username
from db.models import Case, Decision, Event, Organisation, Person, RoleGrant, Target, User
from db.read import reports
from db.read.history import verify
from db.repositories.history import SqlHistory
from db.repositories.organisations import add_organisation
from db.repositories.state_since import fill_state_since
from workflow.errors import InvalidInput, NotAllowed, NotFound
from workflow.ports import NewEvent
from workflow.services.admin import manage_scope
from workflow.services.targets import create_target, delete_target, report_scope, update_target
from workflow.targets import Metric, Status
from workflow.targets import edits as rules

TODAY = date(2026, 7, 29)  # 57.5% of 2026 gone
#: The enterprise's people are its workers: the share counts who was admitted (workflow.people).
WORKER = "enterprise_worker"


class Rows:
    """Cases, their admission decisions and the events that dated their state, added directly."""

    def __init__(self, session):
        self.session = session
        self.history = SqlHistory(session)
        self.n = 0

    def case(
        self, cell, state, opened, *, admitted=None, source="cell_review", detail=None,
        category=None,
    ):  # fmt: skip
        self.n += 1
        person = Person(
            full_name=f"Người thứ {self.n}", search_name=f"nguoi {self.n}", category=category
        )
        self.session.add(person)
        self.session.flush()
        case = Case(
            person_id=person.id,
            cell_id=cell.id,
            state=state,
            source=source,
            source_detail=detail,
            opened_on=opened,
        )
        self.session.add(case)
        self.session.flush()
        if admitted is not None:
            self.session.add(
                Decision(
                    case_id=case.id, kind="admission", number=f"{self.n}-QĐ", signed_on=admitted
                )
            )
        return case

    def event(self, case, day, from_state, to_state):
        self.history.append(
            NewEvent(
                case_id=case.id,
                at=datetime(day.year, day.month, day.day, 2, 0, tzinfo=UTC),
                user_id=1,
                username="sec",
                role="secretary",
                action="test",
                from_state=from_state,
                to_state=to_state,
                reason=None,
                data={},
                ruleset="test",
            )
        )


@pytest.fixture
def world(district):
    """The factories' district, plus an empty school cell and a Công đoàn; then its rows:

    - 2024: 50 admissions in the school cell, 1 in the enterprise: 1/51 = 1.96% (shows 2.0);
    - 2025: 48 in the school cell, 1 in the enterprise: 1/49 = 2.04%;
    - 2026: 1 in the school cell (and one recognition, which is no admission); in the pipeline
      a trained case in the school cell (trained since 10/01, reassigned in June: stuck for 200
      days), a submitted and two mentored cases in the enterprise; two cases opened from the
      Đoàn's introductions, one from another source, one withdrawn.
    """
    rt = district.runtime
    with rt.sessions() as session:
        cell = session.get(Organisation, district.cell.id)
        firm = session.get(Organisation, district.other_cell.id)
        root = session.get(Organisation, district.committee.id)
        empty = add_organisation(
            session, "Chi bộ trường THPT Trống", "cell", root, unit_kind="school"
        )
        add_organisation(session, "Công đoàn Công ty Thử", "mass", firm, mass_kind="congdoan")
        rows = Rows(session)
        for _ in range(50):
            rows.case(cell, "official", date(2023, 9, 1), admitted=date(2024, 5, 1))
        rows.case(firm, "official", date(2023, 9, 1), admitted=date(2024, 6, 1), category=WORKER)
        for _ in range(48):
            rows.case(cell, "official", date(2024, 9, 1), admitted=date(2025, 5, 1))
        rows.case(firm, "admitted", date(2024, 9, 1), admitted=date(2025, 12, 31), category=WORKER)
        rows.case(cell, "admitted", date(2025, 9, 1), admitted=date(2026, 3, 1))
        recognised = rows.case(cell, "official", date(2022, 1, 1), admitted=date(2023, 5, 1))
        session.add(
            Decision(
                case_id=recognised.id, kind="recognition", number="R", signed_on=date(2026, 4, 1)
            )
        )
        trained = rows.case(cell, "trained", date(2025, 10, 1))
        rows.event(trained, date(2025, 10, 1), None, "identified")
        rows.event(trained, date(2026, 1, 10), "mentored", "trained")
        rows.event(trained, date(2026, 6, 1), "trained", "trained")  # a reassignment
        submitted = rows.case(firm, "dossier_submitted", date(2025, 11, 1), category=WORKER)
        rows.event(submitted, date(2026, 6, 15), "trained", "dossier_submitted")
        rows.case(firm, "mentored", date(2026, 2, 1), category=WORKER)
        rows.case(firm, "mentored", date(2026, 3, 1), category=WORKER)
        doan = "Đoàn trường THPT Thử"
        rows.case(cell, "identified", date(2026, 2, 1), source="mass_organisation", detail=doan)
        rows.case(
            cell,
            "withdrawn",
            date(2026, 3, 1),
            source="mass_organisation",
            detail=f"{doan} (đề xuất)",
        )
        rows.case(cell, "identified", date(2026, 4, 1), source="commune_application", detail=doan)
        # The day each case entered its state, from the events above (the write path keeps it).
        fill_state_since(session.connection())
        session.commit()
        district.empty_cell_id = empty.id
    adm = district.actor("adm")
    for year, org, metric, value in [
        (2024, district.committee.id, Metric.enterprise_share, "2"),
        (2025, district.committee.id, Metric.enterprise_share, "2"),
        (2026, district.committee.id, Metric.enterprise_share, "2"),
        (2026, district.cell.id, Metric.admissions, "1"),
        (2026, district.other_cell.id, Metric.admissions, "1"),
        (2026, empty.id, Metric.admissions, "1"),
        (2026, district.committee.id, Metric.admissions, "3"),
    ]:
        create_target(rt.uow(), adm, organisation_id=org, year=year, metric=metric, value=value)
    doan_id = _org_id(rt, "Đoàn trường THPT Thử")
    create_target(
        rt.uow(), adm, organisation_id=doan_id, year=2026, metric="introductions", value="3"
    )
    return district


def _org_id(rt, name: str) -> int:
    with rt.sessions() as session:
        return session.scalar(select(Organisation.id).where(Organisation.name == name))


def _report(district, username: str | None, year: int):
    scope = report_scope(district.actor(username)) if username else None
    with district.runtime.sessions() as session:
        return reports.targets_report(session, scope, year, TODAY)


def _row(report, org_id):
    return next(r for r in report.rows if r.org.id == org_id)


def test_admissions_count_admission_decisions_by_the_year_signed(world):
    r = _report(world, "com", 2026)
    assert _row(r, world.cell.id).admitted == 1  # the recognition of 2026 does not count
    assert _row(r, world.committee.id).admitted == 1
    assert [h.admitted for h in r.history if h.year >= 2024] == [51, 49, 1]


def test_one_of_49_is_met_and_one_of_51_is_missed_though_both_show_2_0_percent(world):
    [share_2025] = _report(world, "com", 2025).shares
    assert (share_2025.enterprise, share_2025.total) == (1, 49)
    assert share_2025.shown == Decimal("2.0")
    assert share_2025.status is Status.met and not share_2025.rounding_hides_miss

    [share_2024] = _report(world, "com", 2024).shares
    assert (share_2024.enterprise, share_2024.total) == (1, 51)
    assert share_2024.shown == Decimal("2.0")
    assert share_2024.status is Status.missed
    assert share_2024.rounding_hides_miss


def test_a_cell_with_no_candidate_is_flagged_and_at_risk(world):
    r = _report(world, "com", 2026)
    empty = _row(r, world.empty_cell_id)
    assert empty.no_pipeline and empty.in_pipeline == 0
    assert empty.status is Status.at_risk
    assert [row.org.id for row in r.cells_without_pipeline] == [world.empty_cell_id]


def test_projection_and_verdicts_in_the_current_year(world):
    r = _report(world, "com", 2026)
    cell, firm = _row(r, world.cell.id), _row(r, world.other_cell.id)
    assert cell.status is Status.met
    # The enterprise: nothing yet; 1 submitted × 1 + 2 mentored × 0.1 = 1.2 by the year's end.
    assert firm.admitted == 0 and float(firm.projection) == pytest.approx(1.2)
    assert firm.status is Status.on_track
    district = _row(r, world.committee.id)
    [check] = district.checks
    # 1 admitted + 1 trained × 0.5 + 1 submitted + 2 × 0.1 = 2.7 < 3.
    assert float(check.projection) == pytest.approx(2.7)
    assert check.status is Status.at_risk
    [share] = r.shares
    assert share.exact == 0 and share.status is Status.on_track  # (0 + 1.2) / (1 + 2.7) ≈ 32%


def test_stuck_counts_from_the_last_entry_into_the_state(world):
    r = _report(world, "com", 2026)
    # The trained case: since its training (the reassignment in June does not count), 200 days
    # > 180. The first introduced case has no event: counted from its opening, 178 days > 120.
    assert [(c.state, c.since, c.days) for c in r.stuck] == [
        ("trained", date(2026, 1, 10), 200),
        ("identified", date(2026, 2, 1), 178),
    ]
    assert (_row(r, world.cell.id).stuck, _row(r, world.cell.id).oldest_days) == (2, 200)
    assert _row(r, world.other_cell.id).stuck == 0  # mentored 178 days < 180; submitted 44


def test_the_pages_report_counts_stuck_cases_in_the_database_as_in_memory(world):
    """``stuck_shown`` (the page): the same counts per row and the same longest cases, listed up
    to that many, the days and local days worked out in SQL (SQLite and PostgreSQL)."""
    full = _report(world, "com", 2026)
    scope = report_scope(world.actor("com"))
    with world.runtime.sessions() as session:
        page = reports.targets_report(session, scope, 2026, TODAY, stuck_shown=1)
        listed = reports.targets_report(session, scope, 2026, TODAY, stuck_shown=50)
    assert listed.stuck == full.stuck and listed.stuck_count == full.stuck_count == 2
    assert page.stuck == full.stuck[:1] and page.stuck_count == 2
    assert [(r.org.id, r.stuck, r.oldest_days) for r in page.rows] == [
        (r.org.id, r.stuck, r.oldest_days) for r in full.rows
    ]


def test_introductions_of_the_doan(world):
    r = _report(world, "com", 2026)
    [doan] = [q for q in r.quotas if q.org.name == "Đoàn trường THPT Thử"]
    assert doan.introduced == 2  # the withdrawn one was accepted too; the commune's is not
    assert doan.status is Status.on_track  # 2 of 3 with 57.5% of the year gone: 2 ≥ 1.73
    [congdoan] = [q for q in r.quotas if q.org.name == "Công đoàn Công ty Thử"]
    assert (congdoan.introduced, congdoan.target) == (0, None)


def test_a_secretary_sees_only_the_rows_of_their_cell(world):
    r = _report(world, "sec", 2026)
    assert [row.org.id for row in r.rows] == [world.cell.id]
    assert r.shares == []
    assert [q.org.name for q in r.quotas] == ["Đoàn trường THPT Thử"]
    assert r.history[-1].admitted == 1
    other = _report(world, "sec_other", 2026)
    assert [row.org.id for row in other.rows] == [world.other_cell.id]
    assert {row.org.id for row in _report(world, "aud", 2026).rows} >= {
        world.cell.id, world.other_cell.id, world.empty_cell_id, world.committee.id
    }  # fmt: skip


def test_mentors_and_introducers_do_not_read_the_report(world):
    for username in ("mentor", "intro", "trainer"):
        with pytest.raises(NotAllowed):
            _report(world, username, 2026)


def test_the_command_line_reads_everything(world):
    assert {row.org.id for row in _report(world, None, 2026).rows} >= {world.committee.id}


# --- the admins' edits ---------------------------------------------------------------------------


def _events(rt, action: str) -> list[Event]:
    with rt.sessions() as session:
        return list(session.scalars(select(Event).where(Event.action == action)))


def test_creating_a_target_is_an_administrative_event(world):
    rt = world.runtime
    created = _events(rt, "admin_create_target")
    assert len(created) == 8
    last = created[-1]
    assert last.case_id is None and last.username == "adm" and last.role == "admin"
    assert last.organisation_id == _org_id(rt, "Đoàn trường THPT Thử")
    assert json.loads(last.data)["metric"] == "introductions"
    assert verify(rt.engine).intact


def test_updating_and_deleting_a_target(world):
    rt, adm = world.runtime, world.actor("adm")
    with rt.sessions() as session:
        target_id = session.scalar(
            select(Target.id).where(Target.organisation_id == world.cell.id, Target.year == 2026)
        )
    update_target(rt.uow(), adm, target_id, value="2", note="  nâng mức  ")
    with rt.sessions() as session:
        target = session.get(Target, target_id)
        assert (target.value, target.note) == (Decimal("2"), "nâng mức")
    cell = _row(_report(world, "com", 2026), world.cell.id)
    assert (cell.checks[0].projection, cell.status) == (Decimal("1.5"), Status.at_risk)
    [updated] = _events(rt, "admin_update_target")
    assert json.loads(updated.data)["value"] == "2"
    delete_target(rt.uow(), adm, target_id)
    with rt.sessions() as session:
        assert session.get(Target, target_id) is None
    [deleted] = _events(rt, "admin_delete_target")
    assert json.loads(deleted.data)["target_id"] == target_id
    assert verify(rt.engine).intact


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"value": "1.5"}, "value", rules.BAD_VALUE),
        ({"value": "-1"}, "value", rules.BAD_VALUE),
        ({"value": "abc"}, "value", rules.BAD_VALUE),
        ({"metric": "enterprise_share", "value": "101"}, "value", rules.BAD_PERCENT),
        ({"metric": "enterprise_share", "value": "2.005"}, "value", rules.BAD_PERCENT),
        ({"metric": "speed"}, "metric", rules.UNKNOWN_CHOICE),
        ({"metric": "introductions"}, "organisation", rules.WRONG_ORGANISATION),
        ({"metric": "enterprise_share"}, "organisation", rules.WRONG_ORGANISATION),
        ({"unit_kind": "farm"}, "unit_kind", rules.UNKNOWN_CHOICE),
        ({"year": 2026}, "metric", rules.TARGET_EXISTS),
        ({"year": 1999}, "year", rules.BAD_YEAR),
    ],
)
def test_refused_targets_name_the_field(world, changes, field, message):
    values = {"organisation_id": world.cell.id, "year": 2027, "metric": "admissions", "value": "1"}
    values.update(changes)
    with pytest.raises(InvalidInput) as refused:
        create_target(world.runtime.uow(), world.actor("adm"), **values)
    assert (refused.value.field, refused.value.message) == (field, message)


def test_a_percentage_keeps_two_decimals(world):
    rt = world.runtime
    target_id = create_target(
        rt.uow(), world.actor("adm"), organisation_id=world.committee.id, year=2027,
        metric="enterprise_share", value="2,5",
    )  # fmt: skip
    with rt.sessions() as session:
        assert session.get(Target, target_id).value == Decimal("2.50")


def test_only_admins_edit_and_only_within_their_scope(world):
    rt = world.runtime
    values = {"organisation_id": world.cell.id, "year": 2027, "metric": "admissions", "value": 1}
    with pytest.raises(NotAllowed):
        create_target(rt.uow(), world.actor("com"), **values)
    with rt.sessions() as session:
        user = User(username="adm_firm", full_name="adm_firm", password_hash="")
        user.grants.append(RoleGrant(role="admin", organisation_id=world.other_cell.id))
        session.add(user)
        session.commit()
        local_admin = actor_by_username(session, "adm_firm")
        cell_target = session.scalar(
            select(Target.id).where(Target.organisation_id == world.cell.id)
        )
    with pytest.raises(NotFound):
        create_target(rt.uow(), local_admin, **values)
    with pytest.raises(NotFound):
        update_target(rt.uow(), local_admin, cell_target, value=3)
    with pytest.raises(NotFound):
        delete_target(rt.uow(), local_admin, cell_target)
    with rt.sessions() as session:
        editable = reports.editable_targets(session, manage_scope(local_admin), 2026)
    assert [row.organisation_id for row, *_ in editable] == [world.other_cell.id]
