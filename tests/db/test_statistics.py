"""Who was admitted, on SQLite and PostgreSQL: the category stored by identify and the import,
the outside totals' storage, the statistics' reads and the 2% share with the outside totals."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from db.models import Case, Decision, Person
from db.read import reports
from db.read.statistics import statistics_report
from tests.db.test_importing import csv_file, load
from tests.factories import NOW
from workflow import services
from workflow.errors import InvalidInput
from workflow.services.statistics import set_outside_admissions, statistics_scope
from workflow.services.targets import create_target, report_scope
from workflow.targets import Status

TODAY = date(2026, 3, 1)


def _admit(district, case_id: int, signed: date) -> None:
    """An admission decision signed on `signed` (the statistics count decisions)."""
    with district.runtime.sessions() as session:
        session.add(Decision(case_id=case_id, kind="admission", number="1-QĐ", signed_on=signed))
        session.commit()


@pytest.fixture
def world(district):
    """2025: in the cell two students (a woman born 2007, a man born 2008) and a teacher born
    1994; in the other cell one enterprise worker born 1980 and one person with nothing
    recorded; a student of 2024. Outside hoso, the committee entered 240, 2 of them workers."""
    people = [
        (district.cell, "student", "nữ", "2007-02-01", "Kinh", date(2025, 4, 1)),
        (district.cell, "student", "nam", "2008-01-01", "K'Ho", date(2025, 5, 1)),
        (district.cell, "teacher", "nam", "1994-06-01", "Kinh", date(2025, 6, 1)),
        (district.other_cell, "enterprise_worker", "nam", "1980-01-01", "Kinh", date(2025, 7, 1)),
        (district.other_cell, None, None, "1990-01-01", None, date(2025, 8, 1)),
        (district.cell, "student", "nữ", "2006-01-01", "Kinh", date(2024, 9, 1)),
    ]
    for n, (cell, category, sex, born, ethnicity, signed) in enumerate(people):
        raw = {"full_name": f"Người {n}", "birth_date": born, "cell": cell.id}
        raw |= {"category": category, "sex": sex, "ethnicity": ethnicity}
        raw = {k: v for k, v in raw.items() if v is not None} | {"source": "cell_review"}
        user = "sec" if cell.id == district.cell.id else "sec_other"
        case = services.identify_candidate(
            district.runtime.uow(), district.actor(user), raw, clock=NOW
        )
        _admit(district, case.id, signed)
    set_outside_admissions(
        district.runtime.uow(), district.actor("adm"), organisation_id=district.committee.id,
        year=2025, total=240, enterprise_workers=2, clock=NOW,
    )  # fmt: skip
    return district


def _stats(district, username: str | None, year: int = 2025):
    scope = statistics_scope(district.actor(username)) if username else None
    with district.runtime.sessions() as session:
        return statistics_report(session, scope, year)


def _lines(report, dimension):
    return {line.key: line.count for line in report.breakdowns[dimension].lines}


def test_identify_stores_the_category_and_refuses_an_unknown_one(district):
    case = district.identify(category="student")
    with district.runtime.sessions() as session:
        person = session.scalar(select(Person).join(Case).where(Case.id == case.id))
        assert person.category == "student"
    with pytest.raises(InvalidInput) as refused:
        district.identify(full_name="Trần Văn Bình", category="astronaut")
    assert refused.value.field == "category"


def test_the_statistics_of_a_year(world):
    r = _stats(world, None)
    assert (r.admitted, r.outside, r.total) == (5, 240, 245)
    assert _lines(r, "category") == {
        "student": 2, "teacher": 1, "enterprise_worker": 1 + 2, "enterprise_owner": 0,
        "farmer": 0, "public_servant": 0, "other": 0, "not_recorded": 1,
    }  # fmt: skip
    assert r.breakdowns["category"].outside_apart == 238
    assert _lines(r, "sex") == {"nam": 3, "nữ": 1, "not_recorded": 1}
    assert r.breakdowns["sex"].outside_apart == 240
    # Ages on the day of the decision: 18, 17, 31, 45, 35.
    assert _lines(r, "age_band") == {"0-30": 2, "31-40": 2, "41-50": 1, "51+": 0}
    assert _lines(r, "ethnicity") == {"Kinh": 3, "K'Ho": 1, "not_recorded": 1}
    rows = {row.org.id: row for row in r.organisations}
    assert (rows[world.cell.id].admitted, rows[world.cell.id].women) == (3, 1)
    assert rows[world.other_cell.id].by_category == {"enterprise_worker": 1, "not_recorded": 1}
    assert (rows[world.committee.id].admitted, rows[world.committee.id].outside) == (5, 240)


def test_a_secretary_counts_their_cell_only(world):
    r = _stats(world, "sec")
    assert (r.admitted, r.outside) == (3, 0)
    assert [row.org.id for row in r.organisations] == [world.cell.id]


def test_another_year(world):
    r = _stats(world, None, 2024)
    assert (r.admitted, r.outside, _lines(r, "category")["student"]) == (1, 0, 1)


def test_the_share_with_the_outside_totals_and_the_student_target(world):
    adm = world.actor("adm")
    create_target(world.runtime.uow(), adm, organisation_id=world.committee.id, year=2025,
                  metric="enterprise_share", value="2", clock=NOW)  # fmt: skip
    create_target(world.runtime.uow(), adm, organisation_id=world.other_cell.id, year=2025,
                  metric="admissions", value="1", category="student", clock=NOW)  # fmt: skip
    with world.runtime.sessions() as session:
        r = reports.targets_report(session, report_scope(world.actor("com")), 2025, TODAY)
    [share] = r.shares
    # 1 worker in hoso + 2 outside = 3 of 5 + 240 = 245: 1.22% < 2%.
    assert (share.enterprise, share.total, share.outside_total) == (3, 245, 240)
    assert share.status is Status.missed
    [check] = next(row for row in r.rows if row.org.id == world.other_cell.id).checks
    assert (check.admitted, check.status) == (0, Status.missed)  # a worker is no student
    set_outside_admissions(
        world.runtime.uow(), adm, organisation_id=world.committee.id, year=2025, total=245,
        enterprise_workers=9, clock=NOW,
    )  # fmt: skip
    with world.runtime.sessions() as session:
        [share] = reports.targets_report(session, None, 2025, TODAY).shares
    assert (share.enterprise, share.total, share.status) == (10, 250, Status.met)  # 4%


def test_the_outside_breakdown_is_kept_as_entered(district):
    split = {"farmer": 6, "public_servant": 3, "enterprise_worker": 1}
    set_outside_admissions(
        district.runtime.uow(), district.actor("adm"), organisation_id=district.committee.id,
        year=2025, total=10, by_category=split, note="Báo cáo", clock=NOW,
    )  # fmt: skip
    r = _stats(district, None)
    [entry] = r.outside_entries
    assert entry.by_category["farmer"] == 6 and entry.enterprise_workers == 1
    assert (_lines(r, "category")["farmer"], r.breakdowns["category"].outside_apart) == (6, 0)


CATEGORY_HEADER = "Họ và tên;Ngày sinh;Đối tượng;Chi bộ"


def test_an_import_with_the_category_column(district):
    cell = district.cell.name
    data = csv_file(
        f"Lê Thị Hoa;01/02/2008;Học sinh;{cell}",
        f"Phạm Văn Lâm;03/04/1990;công nhân;{cell}",
        f"Vũ Văn Kiên;05/06/1991;;{cell}",
        header=CATEGORY_HEADER,
    )
    assert load(district, data).imported == 3
    with district.runtime.sessions() as session:
        found = dict(session.execute(select(Person.full_name, Person.category)).all())
    assert found["Lê Thị Hoa"] == "student" and found["Phạm Văn Lâm"] == "enterprise_worker"
    assert found["Vũ Văn Kiên"] is None


def test_an_import_without_the_column_records_no_category(district):
    data = csv_file(f"Lê Thị Hoa;01/02/2008;nữ;;{district.cell.name}")
    assert load(district, data).imported == 1
    with district.runtime.sessions() as session:
        assert session.scalar(select(Person.category)) is None


def test_an_unknown_category_in_a_file_is_the_rows_problem(district):
    data = csv_file(f"Lê Thị Hoa;01/02/2008;phi hành gia;{district.cell.name}",
                    header=CATEGORY_HEADER)  # fmt: skip
    result = load(district, data)
    assert result.imported == 0 and result.refused == 1
    [row] = result.rows
    assert [p.field for p in row.problems] == ["category"]
