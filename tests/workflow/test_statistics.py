"""The yearly statistics (workflow.statistics) on a hand-made district: exact counts per
category, sex, age band and organisation, with the outside totals included or apart."""

from __future__ import annotations

from datetime import date

import pytest

from workflow.education import EDUCATION_LABELS, LEVELS, EducationLevel
from workflow.statistics import (
    EDUCATION_VALUES,
    AdmittedPerson,
    age_on,
    band_keys,
    band_label,
    band_of,
    build_statistics,
    value_label,
)
from workflow.targets import OrgNode, OutsideTotal

# A district (1) with a grassroots committee (2) over a school cell (3) and a firm's cell (4);
# a commune committee (5) that does not use hoso; another district (7) with a cell (8).
DISTRICT = OrgNode(1, None, "Huyện ủy", "committee", "other", "/1/")
GRASSROOTS = OrgNode(2, 1, "Đảng ủy khối", "committee", "other", "/1/2/")
SCHOOL = OrgNode(3, 2, "Chi bộ trường A", "cell", "school", "/1/2/3/")
FIRM = OrgNode(4, 2, "Chi bộ Công ty B", "cell", "enterprise", "/1/2/4/")
COMMUNE = OrgNode(5, 1, "Đảng ủy xã C", "committee", "other", "/1/5/")
OTHER = OrgNode(7, None, "Huyện ủy khác", "committee", "other", "/7/")
OTHER_CELL = OrgNode(8, 7, "Chi bộ khác", "cell", "other", "/7/8/")
ORGS = [DISTRICT, GRASSROOTS, SCHOOL, FIRM, COMMUNE]
ON = date(2026, 5, 20)


def person(cell, category, sex, born, **kw):
    return AdmittedPerson(cell.id, kw.pop("on", ON), category, sex, birth_date=born, **kw)


PEOPLE = [
    # Three students of 18, one teacher of exactly 30 and one of 31 (on the day of admission).
    person(SCHOOL, "student", "nữ", date(2008, 1, 2), ethnicity="Kinh", religion="Không"),
    person(SCHOOL, "student", "nam", date(2008, 3, 4), ethnicity="K'Ho", religion="Công giáo"),
    person(SCHOOL, "student", "nữ", date(2007, 12, 1), ethnicity="Kinh", religion="Không"),
    person(SCHOOL, "teacher", "nữ", date(1996, 5, 20), ethnicity="Kinh", religion="Không"),
    person(SCHOOL, "teacher", "nam", date(1995, 5, 19), ethnicity="Kinh", education="university"),
    # Two workers of 41 and 50, and one person whose category and birth date were never recorded.
    person(FIRM, "enterprise_worker", "nam", date(1985, 1, 1), ethnicity="Kinh"),
    person(FIRM, "enterprise_worker", "nam", date(1975, 12, 31), ethnicity="Kinh"),
    person(FIRM, None, None, None),
    # Not this year, not this district: never counted.
    person(SCHOOL, "student", "nữ", date(2007, 1, 1), on=date(2025, 12, 31)),
    person(OTHER_CELL, "farmer", "nam", date(1970, 1, 1)),
]
OUTSIDE = [
    # The commune: 40 admitted, 2 enterprise workers, no breakdown.
    OutsideTotal(1, COMMUNE.id, 2026, 40, 2),
    # The district's own other organisations: 10, all broken down.
    OutsideTotal(2, DISTRICT.id, 2026, 10, 1, {"farmer": 6, "public_servant": 3,
                                               "enterprise_worker": 1}),
    OutsideTotal(3, COMMUNE.id, 2025, 99, 9),  # another year
]  # fmt: skip


def _report(orgs=ORGS, bands=(30, 40, 50)):
    return build_statistics(2026, orgs, PEOPLE, OUTSIDE, bands)


def _lines(report, dimension):
    return {line.key: line.count for line in report.breakdowns[dimension].lines}


def test_totals_in_hoso_and_outside():
    r = _report()
    assert (r.admitted, r.outside, r.total) == (8, 50, 58)


def test_by_category_outside_totals_included_where_known():
    r = _report()
    assert _lines(r, "category") == {
        "student": 3, "teacher": 2, "enterprise_worker": 2 + 2 + 1, "enterprise_owner": 0,
        "farmer": 6, "public_servant": 3, "other": 0, "not_recorded": 1,
    }  # fmt: skip
    b = r.breakdowns["category"]
    # The commune's 38 non-workers have no category: apart, and the whole still adds up.
    assert (b.outside_included, b.outside_apart) == (12, 38)
    assert b.counted + b.outside_apart == r.total


def test_by_sex_and_the_outside_apart():
    r = _report()
    assert _lines(r, "sex") == {"nam": 4, "nữ": 3, "not_recorded": 1}
    b = r.breakdowns["sex"]
    assert (b.outside_included, b.outside_apart) == (0, 50)


def test_by_age_band_at_admission_boundaries_included_in_the_lower_band():
    r = _report()
    # 18, 18, 18, 30 | 31 | 41 | 50 ... the one without a birth date is not recorded.
    assert _lines(r, "age_band") == {
        "0-30": 4, "31-40": 1, "41-50": 2, "51+": 0, "not_recorded": 1
    }  # fmt: skip


def test_age_bands_are_a_setting():
    r = _report(bands=(25, 35))
    assert _lines(r, "age_band") == {"0-25": 3, "26-35": 2, "36+": 2, "not_recorded": 1}


def test_free_text_dimensions_by_count_then_name():
    r = _report()
    assert [(x.key, x.count) for x in r.breakdowns["ethnicity"].lines] == [
        ("Kinh", 6), ("K'Ho", 1), ("not_recorded", 1)
    ]  # fmt: skip
    assert _lines(r, "religion") == {"Không": 3, "Công giáo": 1, "not_recorded": 4}
    education = _lines(r, "education")
    assert education["university"] == 1 and education["not_recorded"] == 7


def test_education_lists_every_level_in_order_with_its_label():
    """The levels of ``workflow.education``, lowest first, each line named by its label; a
    level nobody reached is listed with 0; not recorded last."""
    lines = _report().breakdowns["education"].lines
    assert [x.key for x in lines] == [level.value for level in LEVELS] + ["not_recorded"]
    assert [x.count for x in lines if x.key == "university"] == [1]
    assert EDUCATION_VALUES[:2] == ("primary", "lower_secondary")
    assert value_label("education", "lower_secondary") == "Trung học cơ sở (THCS)"
    assert value_label("education", "upper_secondary", "en") == "Upper secondary"
    assert value_label("education", "university") == EDUCATION_LABELS[EducationLevel.university][0]


def test_per_organisation_rolled_up_the_tree():
    rows = {row.org.id: row for row in _report().organisations}
    school, firm = rows[SCHOOL.id], rows[FIRM.id]
    assert (school.admitted, school.women, school.by_category) == (
        5, 3, {"student": 3, "teacher": 2}
    )  # fmt: skip
    assert firm.by_category == {"enterprise_worker": 2, "not_recorded": 1}
    assert (rows[GRASSROOTS.id].admitted, rows[GRASSROOTS.id].outside) == (8, 0)
    assert (rows[COMMUNE.id].admitted, rows[COMMUNE.id].outside) == (0, 40)
    district = rows[DISTRICT.id]
    assert (district.admitted, district.outside, district.outside_workers) == (8, 50, 3)
    assert [row.depth for row in _report().organisations] == [0, 1, 2, 2, 1]


def test_a_cell_reader_sees_only_their_cell():
    r = _report(orgs=[SCHOOL])
    assert (r.admitted, r.outside) == (5, 0)
    assert [row.org.id for row in r.organisations] == [SCHOOL.id]
    assert r.organisations[0].depth == 0


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [(date(1996, 5, 20), date(2026, 5, 20), 30), (date(1996, 5, 21), date(2026, 5, 20), 29)],
)
def test_age_in_full_years(born, on, age):
    assert age_on(born, on) == age


def test_band_names():
    assert band_keys((30, 40, 50)) == ["0-30", "31-40", "41-50", "51+"]
    assert [band_label(k) for k in band_keys((30, 40, 50))] == ["≤ 30", "31–40", "41–50", "> 50"]
    assert band_of(30, (30, 40)) == "0-30" and band_of(41, (30, 40)) == "41+"
    assert value_label("category", "student") == "Học sinh, sinh viên"
    assert value_label("category", "student", "en") == "Student"
    assert value_label("sex", "not_recorded", "en") == "Not recorded"
