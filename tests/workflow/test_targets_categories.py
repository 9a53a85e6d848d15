"""The targets count who was admitted (workflow.targets): a student target is not met by a
teacher, and the 2% share is measured against the whole district, outside hoso included."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

from workflow.targets import (
    CellStateCount,
    CellYearCount,
    Metric,
    OrgNode,
    OutsideTotal,
    Status,
    Target,
    build_report,
)

DISTRICT = OrgNode(1, None, "Huyện ủy", "committee", "other", "/1/")
SCHOOL = OrgNode(2, 1, "Chi bộ trường A", "cell", "school", "/1/2/")
FIRM = OrgNode(3, 1, "Chi bộ Công ty B", "cell", "enterprise", "/1/3/")
COMMUNE = OrgNode(4, 1, "Đảng ủy xã C", "committee", "other", "/1/4/")
ORGS = [DISTRICT, SCHOOL, FIRM, COMMUNE]
PAST = date(2026, 3, 1)  # 2025 is closed

STUDENT_TARGET = Target(1, SCHOOL.id, 2025, Metric.admissions, "count", Decimal(1),
                        "all", "≥ 1 học sinh", "student")  # fmt: skip
SHARE = Target(2, DISTRICT.id, 2025, Metric.enterprise_share, "percentage", Decimal(2))


def _report(admissions, outside=(), targets=(STUDENT_TARGET, SHARE), pipeline=(), today=PAST):
    return build_report(
        2025, today, ORGS, list(targets), list(admissions), list(pipeline), [], [],
        outside=list(outside),
    )  # fmt: skip


def _row(report, org):
    return next(r for r in report.rows if r.org.id == org.id)


def test_a_teacher_does_not_meet_the_student_target():
    r = _report([CellYearCount(SCHOOL.id, 2025, 1, "teacher")])
    [check] = _row(r, SCHOOL).checks
    assert (check.admitted, check.status) == (0, Status.missed)
    assert _row(r, SCHOOL).admitted == 1  # the teacher was admitted all the same


def test_a_student_meets_it_and_an_unrecorded_category_does_not():
    met = _report([CellYearCount(SCHOOL.id, 2025, 1, "student")])
    assert _row(met, SCHOOL).checks[0].status is Status.met
    unknown = _report([CellYearCount(SCHOOL.id, 2025, 1, None)])
    assert _row(unknown, SCHOOL).checks[0].status is Status.missed
    assert _row(unknown, SCHOOL).by_year[2025] == (0, Decimal(1))


def test_the_projection_of_a_student_target_counts_only_students_in_the_pipeline():
    today = date(2025, 3, 1)
    pipeline = [CellStateCount(SCHOOL.id, "dossier_submitted", 1, "teacher")]
    r = _report([], pipeline=pipeline, today=today)
    [check] = _row(r, SCHOOL).checks
    assert (check.pipeline, check.projection, check.status) == (0, 0, Status.at_risk)
    pipeline = [CellStateCount(SCHOOL.id, "dossier_submitted", 1, "student")]
    assert _row(_report([], pipeline=pipeline, today=today), SCHOOL).checks[0].projection == 1


def _district(workers_in_hoso: int, outside_workers: int):
    """10 admitted in hoso (`workers_in_hoso` of them at the firm), 240 outside."""
    admissions = [
        CellYearCount(FIRM.id, 2025, workers_in_hoso, "enterprise_worker"),
        CellYearCount(SCHOOL.id, 2025, 10 - workers_in_hoso, "student"),
    ]
    return _report(admissions, [OutsideTotal(9, COMMUNE.id, 2025, 240, outside_workers)])


def test_five_workers_of_250_meet_two_percent():
    [share] = _district(3, 2).shares
    assert (share.enterprise, share.total) == (5, 250)
    assert (share.outside_enterprise, share.outside_total) == (2, 240)
    assert share.exact == Fraction(2) and share.status is Status.met


def test_four_workers_of_250_miss_it():
    [share] = _district(3, 1).shares
    assert (share.enterprise, share.total, share.exact) == (4, 250, Fraction(8, 5))
    assert share.shown == Decimal("1.6") and share.status is Status.missed


def test_the_share_counts_workers_not_enterprise_cells():
    # A student admitted by the firm's cell is no enterprise worker; a worker admitted by the
    # school's cell (a canteen worker of a private contractor, say) is one.
    r = _report([
        CellYearCount(FIRM.id, 2025, 1, "student"),
        CellYearCount(SCHOOL.id, 2025, 1, "enterprise_worker"),
    ])  # fmt: skip
    [share] = r.shares
    assert (share.enterprise, share.total) == (1, 2)


def test_the_years_compared_include_the_outside_totals():
    r = _district(3, 2)
    [year] = [h for h in r.history if h.year == 2025]
    assert (year.admitted, year.outside, year.enterprise_workers) == (10, 240, 5)
    assert year.enterprise_share == Decimal("2.0")
    assert _row(r, DISTRICT).outside == 240 and _row(r, COMMUNE).outside == 240
    assert _row(r, SCHOOL).outside == 0


def test_a_reader_below_the_committee_does_not_see_its_outside_total():
    r = build_report(2025, PAST, [SCHOOL], [], [], [], [], [],
                     outside=[OutsideTotal(9, COMMUNE.id, 2025, 240, 2)])  # fmt: skip
    assert r.history[-1].outside == 0
