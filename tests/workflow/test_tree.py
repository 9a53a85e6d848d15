"""The tree over time as pure values: versions valid from a date to a date, the tree of a day,
who decides for a cell and whether a grassroots committee sits between; the legal bases of a day."""

from __future__ import annotations

from datetime import date

import pytest

from workflow import legal
from workflow.tree import OrgVersion, placement, tree_on

REFORM = date(2025, 7, 1)
OLD = date(1900, 1, 1)

VERSIONS = (
    OrgVersion(1, OLD, None, None, "Tỉnh ủy Lâm Đồng", "committee"),
    OrgVersion(2, OLD, REFORM, 1, "Huyện ủy Đức Trọng", "committee", decides_admissions=True),
    OrgVersion(3, OLD, REFORM, 2, "Đảng ủy xã Hiệp Thạnh", "committee", committee_size=15),
    OrgVersion(3, REFORM, None, 1, "Đảng ủy xã Hiệp Thạnh", "committee", True, 15),
    OrgVersion(4, OLD, None, 3, "Chi bộ thôn Phú Thạnh", "cell"),
    OrgVersion(5, OLD, REFORM, 2, "Chi bộ trường THPT Đức Trọng", "cell"),
    OrgVersion(5, REFORM, None, 3, "Chi bộ trường THPT Đức Trọng", "cell"),
)


def test_a_version_holds_from_its_first_day_until_the_day_before_its_end():
    v = VERSIONS[1]
    assert v.valid_on(OLD) and v.valid_on(date(2025, 6, 30)) and not v.valid_on(REFORM)
    assert not v.valid_on(date(1899, 12, 31))


def test_the_tree_of_a_day_has_the_organisations_of_that_day():
    before, after = tree_on(VERSIONS, date(2025, 6, 30)), tree_on(VERSIONS, REFORM)
    assert set(before.nodes) == {1, 2, 3, 4, 5} and set(after.nodes) == {1, 3, 4, 5}
    assert before.path(5) == "/1/2/5/" and after.path(5) == "/1/3/5/"
    assert [c.org_id for c in after.children(1)] == [3]
    assert before.below(2) == {2, 3, 4, 5}


def test_a_cell_under_a_grassroots_committee_before_the_reform_and_directly_after():
    before = placement(tree_on(VERSIONS, date(2025, 6, 30)), 4)
    after = placement(tree_on(VERSIONS, REFORM), 4)
    assert before.names == {
        "cell": "Chi bộ thôn Phú Thạnh",
        "deciding": "Huyện ủy Đức Trọng",
        "grassroots": "Đảng ủy xã Hiệp Thạnh",
    }
    assert before.has_grassroots_committee
    assert after.deciding.name == "Đảng ủy xã Hiệp Thạnh" and not after.has_grassroots_committee


def test_a_cell_directly_under_the_deciding_body_has_no_grassroots_committee():
    place = placement(tree_on(VERSIONS, date(2024, 1, 1)), 5)
    assert place.deciding.name == "Huyện ủy Đức Trọng" and place.grassroots is None


def test_with_no_deciding_body_the_root_decides_and_is_no_grassroots_committee():
    versions = [
        OrgVersion(1, OLD, None, None, "Tỉnh ủy", "committee"),
        OrgVersion(2, OLD, None, 1, "Chi bộ", "cell"),
    ]
    place = placement(tree_on(versions, REFORM), 2)
    assert place.deciding.org_id == 1 and place.grassroots is None


def test_a_cell_that_did_not_exist_that_day_has_no_placement():
    assert placement(tree_on(VERSIONS, REFORM), 2) is None


@pytest.mark.parametrize(
    ("day", "codes"),
    [
        (date(2016, 7, 24), []),
        (date(2016, 7, 25), ["29-QĐ/TW"]),
        (date(2020, 5, 1), ["29-QĐ/TW", "01-HD/TW"]),
        (date(2021, 7, 30), ["24-QĐ/TW", "01-HD/TW"]),
        (date(2022, 1, 18), ["24-QĐ/TW", "12-HD/BTCTW"]),
        (date(2025, 6, 30), ["24-QĐ/TW", "12-HD/BTCTW"]),
        (date(2025, 7, 1), ["294-QĐ/TW"]),
        (date(2026, 3, 2), ["294-QĐ/TW"]),
    ],
)
def test_the_bases_in_force_on_a_day(day, codes):
    assert [b.code for b in legal.in_force(legal.KNOWN_BASES, day)] == codes


def test_the_citation_joins_the_bases_and_a_dossier_keeps_them_as_plain_values():
    bases = legal.in_force(legal.KNOWN_BASES, date(2022, 5, 1))
    text = legal.citation(bases)
    assert text.startswith("Quy định số 24-QĐ/TW ngày 30/7/2021")
    assert " và Hướng dẫn số 12-HD/BTCTW ngày 18/01/2022" in text
    assert legal.citation([]) is None
    assert [legal.basis_of(b.as_dict()) for b in bases] == [
        b.__class__(**{**vars(b), "signed_on": None}) for b in bases
    ]
