"""The targets' arithmetic (workflow.targets): no database, hand-computed numbers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from workflow.targets import (
    DEFAULT_TARGET_SETTINGS,
    CellStateCount,
    CellYearCount,
    IntroducedCount,
    Metric,
    OpenCase,
    OrgNode,
    Phase,
    Status,
    Target,
    TargetSettings,
    build_report,
    expected,
    judge_count,
    judge_pace,
    judge_share,
    percent,
    round_half_up,
    year_elapsed,
)

S = DEFAULT_TARGET_SETTINGS

# A district (1) under a province (9): two school cells (2, 3), an enterprise cell (4), the
# school's Đoàn (5) and the enterprise's Công đoàn (6); a second district (7) with a cell (8).
PROVINCE = OrgNode(9, None, "Tỉnh ủy", "committee", "other", "/9/")
DISTRICT = OrgNode(1, 9, "Huyện ủy", "committee", "other", "/9/1/")
SCHOOL_A = OrgNode(2, 1, "Chi bộ trường A", "cell", "school", "/9/1/2/")
SCHOOL_B = OrgNode(3, 1, "Chi bộ trường B", "cell", "school", "/9/1/3/")
FIRM = OrgNode(4, 1, "Chi bộ Công ty C", "cell", "enterprise", "/9/1/4/")
DOAN = OrgNode(5, 2, "Đoàn trường A", "mass", "other", "/9/1/2/5/", "doan")
CONGDOAN = OrgNode(6, 4, "Công đoàn Công ty C", "mass", "other", "/9/1/4/6/", "congdoan")
OTHER_DISTRICT = OrgNode(7, 9, "Huyện ủy khác", "committee", "other", "/9/7/")
OTHER_CELL = OrgNode(8, 7, "Chi bộ xã", "cell", "other", "/9/7/8/")
ORGS = [PROVINCE, DISTRICT, SCHOOL_A, SCHOOL_B, FIRM, DOAN, CONGDOAN, OTHER_DISTRICT, OTHER_CELL]


def target(n: int, org: OrgNode, year: int, metric: str, value: str, unit: str = "all"):
    kind = "percentage" if metric == Metric.enterprise_share else "count"
    return Target(n, org.id, year, metric, kind, Decimal(value), unit)


# --- rounding and the share ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Fraction(100, 49), "2.0"),  # 2.0408…
        (Fraction(100, 51), "2.0"),  # 1.9607…: displayed as 2.0, yet below 2
        (Fraction(41, 20), "2.1"),  # 2.05 exactly: half rounds up
        (Fraction(199, 100), "2.0"),
        (Fraction(100, 3), "33.3"),
        (Fraction(200, 3), "66.7"),
        (Fraction(0), "0.0"),
        (Fraction(100), "100.0"),
    ],
)
def test_round_half_up_to_one_decimal(value, shown):
    assert round_half_up(value) == Decimal(shown)


def test_percent_of_nothing_is_undefined():
    assert percent(0, 0) is None
    assert percent(1, 49) == Fraction(100, 49)


def test_the_share_compares_the_exact_fraction_not_the_rounded_one():
    goal = Decimal("2")
    one_of_49, one_of_51 = percent(1, 49), percent(1, 51)
    assert round_half_up(one_of_49) == round_half_up(one_of_51) == Decimal("2.0")
    assert judge_share(goal, one_of_49, one_of_49, Phase.past) is Status.met
    assert judge_share(goal, one_of_51, one_of_51, Phase.past) is Status.missed
    assert judge_share(goal, percent(2, 100), None, Phase.past) is Status.met  # exactly 2%


def test_no_admission_leaves_the_share_undefined_and_a_positive_target_unmet():
    assert judge_share(Decimal("2"), None, None, Phase.past) is Status.missed
    assert judge_share(Decimal("2"), None, None, Phase.current) is Status.at_risk
    assert judge_share(Decimal("0"), None, None, Phase.past) is Status.met
    # Nothing admitted yet, but the pipeline is projected to bring the share over 2%.
    assert judge_share(Decimal("2"), None, Fraction(25), Phase.current) is Status.on_track


def test_a_share_met_now_but_projected_to_fall_is_at_risk():
    assert judge_share(Decimal("2"), Fraction(5), Fraction(1), Phase.current) is Status.at_risk
    assert judge_share(Decimal("2"), Fraction(5), Fraction(3), Phase.current) is Status.met


# --- projection and verdicts ---------------------------------------------------------------------


def test_expected_admissions_from_the_pipeline():
    pipeline = {"dossier_submitted": 2, "returned": 1, "trained": 3, "mentored": 4, "identified": 9}
    # 2×1 + 1×½ + 3×½ + 4×⅒ + 9×0 = 4.4
    assert expected(pipeline, S) == Fraction(22, 5)


def test_year_elapsed():
    assert year_elapsed(2025, date(2026, 3, 1)) == 1
    assert year_elapsed(2027, date(2026, 3, 1)) == 0
    assert year_elapsed(2026, date(2026, 12, 31)) == 1
    assert year_elapsed(2026, date(2026, 7, 2)) == Fraction(183, 365)


@pytest.mark.parametrize(
    ("reached", "projection", "ripe", "phase", "elapsed", "status"),
    [
        (1, Fraction(1), 0, Phase.past, Fraction(1), Status.met),
        (0, Fraction(0), 0, Phase.past, Fraction(1), Status.missed),
        (0, Fraction(1), 1, Phase.current, Fraction(1, 3), Status.on_track),
        (0, Fraction(1, 2), 1, Phase.current, Fraction(1, 3), Status.at_risk),
        # Early in the year a mentored pipeline may still do; past the half it may not.
        (0, Fraction(1), 0, Phase.current, Fraction(1, 3), Status.on_track),
        (0, Fraction(1), 0, Phase.current, Fraction(2, 3), Status.at_risk),
        (0, Fraction(1), 1, Phase.current, Fraction(2, 3), Status.on_track),
        (2, Fraction(2), 0, Phase.current, Fraction(2, 3), Status.met),
    ],
)
def test_judge_count(reached, projection, ripe, phase, elapsed, status):
    assert judge_count(Decimal(1), reached, projection, ripe, phase, elapsed, S) is status


def test_judge_pace_for_quotas():
    assert judge_pace(Decimal(2), 2, Phase.current, Fraction(1, 10)) is Status.met
    assert judge_pace(Decimal(2), 1, Phase.current, Fraction(1, 2)) is Status.on_track
    assert judge_pace(Decimal(2), 1, Phase.current, Fraction(3, 4)) is Status.at_risk
    assert judge_pace(Decimal(2), 1, Phase.past, Fraction(1)) is Status.missed


# --- settings ------------------------------------------------------------------------------------


def test_settings_from_a_toml_table():
    settings = TargetSettings.from_mapping(
        {"conversion": {"trained": 0.25}, "stuck_days": {"returned": 30}, "late_in_year": "2/3"}
    )
    assert settings.conversion["trained"] == Fraction(1, 4)
    assert settings.conversion["dossier_submitted"] == 1  # the others stay
    assert settings.stuck_days["returned"] == 30
    assert settings.late_in_year == Fraction(2, 3)


@pytest.mark.parametrize(
    "values",
    [{"speed": 1}, {"conversion": {"admitted": 1}}, {"conversion": {"trained": 1.5}}],
)
def test_settings_refuse_what_does_not_exist_or_cannot_be(values):
    with pytest.raises(ValueError):
        TargetSettings.from_mapping(values)


# --- the whole report on a hand-made district ----------------------------------------------------

TARGETS = [
    target(1, SCHOOL_A, 2026, Metric.admissions, "1"),
    target(2, SCHOOL_B, 2026, Metric.admissions, "1"),
    target(3, FIRM, 2026, Metric.admissions, "1"),
    target(4, DISTRICT, 2026, Metric.enterprise_share, "2"),
    target(5, DISTRICT, 2026, Metric.admissions, "2", "school"),
    target(6, DOAN, 2026, Metric.introductions, "2"),
    target(7, CONGDOAN, 2026, Metric.introductions, "1"),
    target(8, SCHOOL_A, 2025, Metric.admissions, "1"),
    target(9, SCHOOL_B, 2025, Metric.admissions, "1"),
]
# Who was admitted: the school's are students, the firm's its workers (the share counts them).
ADMISSIONS = [
    CellYearCount(2, 2026, 2, "student"),
    CellYearCount(4, 2026, 1, "enterprise_worker"),
    CellYearCount(8, 2026, 5),  # another district: never in this district's numbers
    CellYearCount(2, 2025, 1, "student"),
    CellYearCount(4, 2024, 1, "enterprise_worker"),
]
PIPELINE = [
    CellStateCount(2, "trained", 1, "student"),
    CellStateCount(4, "dossier_submitted", 1, "enterprise_worker"),
    CellStateCount(4, "mentored", 2, "enterprise_worker"),
    CellStateCount(4, "admitted", 3),  # not a pipeline state
    CellStateCount(3, "withdrawn", 1),  # neither: school B has no candidate
]
INTRODUCTIONS = [
    IntroducedCount(2, "Đoàn trường A", 2026, 1),
    IntroducedCount(2, "Đoàn trường A (nghị quyết học kỳ I)", 2026, 1),
    IntroducedCount(2, "Đoàn trường AB", 2026, 4),  # another name
    IntroducedCount(3, "Đoàn trường A", 2026, 4),  # a cell the Đoàn is not attached to
    IntroducedCount(2, "Đoàn trường A", 2025, 1),  # another year
]
OPEN = [
    OpenCase(11, "Nguyễn Văn A", 2, "trained", date(2026, 1, 10)),  # 200 days > 180: stuck
    OpenCase(12, "Trần Thị B", 4, "dossier_submitted", date(2026, 6, 1)),  # 58 days
    OpenCase(13, "Lê Văn C", 4, "mentored", date(2026, 7, 1)),
]
TODAY = date(2026, 7, 29)  # the 210th day: 57.5% of the year gone


def _report(orgs=ORGS, year=2026, today=TODAY):
    return build_report(year, today, orgs, TARGETS, ADMISSIONS, PIPELINE, INTRODUCTIONS, OPEN, S)


def _row(report, org):
    return next(r for r in report.rows if r.org.id == org.id)


def test_per_cell_numbers_and_verdicts():
    r = _report()
    assert r.phase is Phase.current
    a, b, firm = _row(r, SCHOOL_A), _row(r, SCHOOL_B), _row(r, FIRM)
    assert (a.admitted, a.status, a.no_pipeline) == (2, Status.met, False)
    # School B: nothing admitted and nobody on its list, past the middle of the year.
    assert (b.admitted, b.in_pipeline, b.projection, b.status) == (0, 0, 0, Status.at_risk)
    assert b.no_pipeline
    assert (firm.admitted, firm.status) == (1, Status.met)
    assert firm.pipeline == {
        "identified": 0, "mentored": 2, "trained": 0, "dossier_submitted": 1, "returned": 0
    }  # fmt: skip
    assert firm.projection == 1 + 1 + Fraction(2, 10)


def test_committees_roll_up_their_cells_and_a_unit_kind_restriction_counts_only_those():
    r = _report()
    district = _row(r, DISTRICT)
    assert district.admitted == 3
    assert district.by_unit == {"school": 2, "enterprise": 1, "other": 0}
    [check] = district.checks  # ≥ 2 in school cells
    assert (check.admitted, check.pipeline, check.status) == (2, 1, Status.met)
    assert _row(r, PROVINCE).admitted == 8  # both districts
    assert r.totals == {"school": 2, "enterprise": 1, "other": 5, "all": 8}


def test_the_enterprise_share_of_the_district():
    [share] = _report().shares
    assert (share.enterprise, share.total) == (1, 3)
    assert share.shown == Decimal("33.3")
    assert share.status is Status.met


def test_mass_organisations_count_introductions_by_name_within_their_cell():
    quotas = {q.org.id: q for q in _report().quotas}
    assert quotas[DOAN.id].introduced == 2  # the exact name, and the name with details
    assert quotas[DOAN.id].status is Status.met
    assert quotas[DOAN.id].attached_to == "Chi bộ trường A"
    assert quotas[CONGDOAN.id].introduced == 0
    assert quotas[CONGDOAN.id].status is Status.at_risk  # 0 of 1 with 57% of the year gone


def test_stuck_cases_longest_first_and_counted_up_the_tree():
    r = _report()
    assert [(c.case_id, c.days) for c in r.stuck] == [(11, 200)]
    assert _row(r, SCHOOL_A).stuck == 1 and _row(r, SCHOOL_A).oldest_days == 200
    assert _row(r, DISTRICT).stuck == 1 and _row(r, FIRM).stuck == 0


def test_a_closed_year_has_no_projection_and_misses_what_it_missed():
    r = _report(year=2025)
    assert r.phase is Phase.past
    a, b = _row(r, SCHOOL_A), _row(r, SCHOOL_B)
    assert (a.admitted, a.projection, a.status) == (1, 1, Status.met)
    assert (b.admitted, b.projection, b.status) == (0, 0, Status.missed)
    assert r.shares == []  # no share target in 2025


def test_past_years_compared():
    r = _report()
    years = {h.year: h for h in r.history}
    assert list(years) == list(range(2020, 2027))
    assert (years[2026].admitted, years[2026].by_unit["enterprise"]) == (8, 1)
    assert years[2025].targets_met == 1 and years[2025].targets_counted == 2
    assert years[2024].enterprise_share == Decimal("100.0")
    assert years[2023].enterprise_share is None  # nobody admitted: undefined
    assert years[2026].introductions == 2
    assert _row(r, SCHOOL_A).by_year[2025] == (1, Decimal("1"))
    assert _row(r, SCHOOL_B).by_year[2024] == (0, None)


def test_a_reader_of_one_cell_sees_only_that_cell():
    r = _report(orgs=[SCHOOL_A, DOAN])
    assert [row.org.id for row in r.rows] == [SCHOOL_A.id]
    assert r.rows[0].depth == 0
    assert r.shares == []
    assert [q.org.id for q in r.quotas] == [DOAN.id]
    assert r.history[-1].admitted == 2
