"""The registry of forms: every code of Hướng dẫn 12-HD/BTCTW in dossier order, consistent with
the rules' settings; which forms belong to a case; the wording helpers. No database."""

from __future__ import annotations

import unicodedata
from datetime import date
from pathlib import Path

import pytest

from documents import wording as w
from documents.errors import MissingData, UnknownForm
from documents.registry import (
    FORMS,
    PACKET_ORDER,
    PRODUCES,
    REQUIRES,
    STAGES,
    YOUTH_REQUIRES,
    check_data,
    form,
    forms_for_case,
    missing_data,
    required_forms,
)
from workflow.definition import SPECS
from workflow.documents import FORM_CODES
from workflow.documents import PRODUCES as DOMAIN_PRODUCES
from workflow.settings import DEFAULT_SETTINGS, RuleSettings

DOMAIN_CODES = [
    "CN-NTVĐ",
    "1-KNĐ",
    "2-KNĐ",
    "3-KNĐ",
    "4-KNĐ",
    "4A-KNĐ",
    "5-KNĐ",
    "6-KNĐ",
    "7-KNĐ",
    "8-KNĐ",
    "9-KNĐ",
    "10-KNĐ",
    "11-KNĐ",
    "12-KNĐ",
    "13-KNĐ",
    "14-KNĐ",
    "15-KNĐ",
    "16-KNĐ",
]
TEMPLATES = Path(__file__).resolve().parents[2] / "documents" / "templates"


def test_every_form_of_the_domain_in_dossier_order():
    assert list(FORMS) == DOMAIN_CODES
    assert list(PACKET_ORDER) == DOMAIN_CODES


@pytest.mark.parametrize("code", DOMAIN_CODES)
def test_each_form_is_complete(code):
    spec = FORMS[code]
    assert spec.code == code
    assert spec.stage in STAGES
    assert (TEMPLATES / spec.template).is_file()
    assert spec.template.isascii() and spec.slug.isascii()
    assert "person.full_name" in spec.needs
    for text in (spec.code, spec.title):
        assert unicodedata.is_normalized("NFC", text)
    assert spec.title[0].isupper() and spec.title_en


def test_titles_are_the_official_ones():
    assert FORMS["1-KNĐ"].title == "Đơn xin vào Đảng"
    assert FORMS["2-KNĐ"].title == "Lý lịch của người xin vào Đảng"
    assert FORMS["3-KNĐ"].title == "Giấy giới thiệu người vào Đảng"
    assert FORMS["9-KNĐ"].title == "Quyết định kết nạp đảng viên"
    assert FORMS["16-KNĐ"].title == "Quyết định công nhận đảng viên chính thức"


def test_generated_forms_and_their_triggers():
    assert PRODUCES == {"admit": "9-KNĐ", "recognize": "16-KNĐ"}
    generated = {code: spec.generated_by for code, spec in FORMS.items() if spec.generated_by}
    assert generated == {"9-KNĐ": "admit", "16-KNĐ": "recognize"}
    assert set(PRODUCES) <= set(SPECS)


def test_required_forms_come_from_the_rules_settings():
    assert REQUIRES["submit_dossier"] == DEFAULT_SETTINGS.dossier_forms
    assert REQUIRES["recognize"] == DEFAULT_SETTINGS.recognition_forms
    assert YOUTH_REQUIRES["submit_dossier"] == DEFAULT_SETTINGS.youth_forms
    assert set(REQUIRES) <= set(SPECS)
    for codes in (*REQUIRES.values(), *YOUTH_REQUIRES.values()):
        assert set(codes) <= set(FORMS)


@pytest.mark.parametrize(
    ("trigger", "has_doan", "is_youth", "expected"),
    [
        ("submit_dossier", True, False, ["1-KNĐ", "2-KNĐ", "3-KNĐ", "5-KNĐ", "6-KNĐ"]),
        ("submit_dossier", True, True, ["1-KNĐ", "2-KNĐ", "3-KNĐ", "4-KNĐ", "5-KNĐ", "6-KNĐ"]),
        ("submit_dossier", False, True, ["1-KNĐ", "2-KNĐ", "3-KNĐ", "4A-KNĐ", "5-KNĐ", "6-KNĐ"]),
        ("recognize", False, True, ["10-KNĐ", "11-KNĐ", "12-KNĐ", "13-KNĐ", "15-KNĐ"]),
        ("admit", True, True, []),
    ],
)
def test_required_forms_of_a_case(trigger, has_doan, is_youth, expected):
    assert list(required_forms(trigger, has_doan=has_doan, is_youth=is_youth)) == expected


def test_required_forms_follow_changed_settings():
    settings = RuleSettings.from_mapping({"dossier_forms": ["1-KNĐ", "2-KNĐ"]})
    assert required_forms("submit_dossier", has_doan=True, is_youth=False, settings=settings) == (
        "1-KNĐ",
        "2-KNĐ",
    )


@pytest.mark.parametrize(
    ("state", "has_doan", "is_youth", "expected"),
    [
        ("identified", True, True, []),
        ("mentored", True, True, []),
        ("withdrawn", True, True, []),
        ("trained", True, False, ["CN-NTVĐ", "1-KNĐ", "2-KNĐ", "3-KNĐ", "5-KNĐ", "6-KNĐ"]),
        (
            "returned",
            False,
            True,
            ["CN-NTVĐ", "1-KNĐ", "2-KNĐ", "3-KNĐ", "4A-KNĐ", "5-KNĐ", "6-KNĐ"],
        ),
        (
            "dossier_submitted",
            True,
            True,
            ["CN-NTVĐ", "1-KNĐ", "2-KNĐ", "3-KNĐ", "4-KNĐ", "5-KNĐ", "6-KNĐ", "8-KNĐ"],
        ),
    ],
)
def test_forms_for_case(state, has_doan, is_youth, expected):
    assert list(forms_for_case(state, has_doan, is_youth)) == expected


def test_forms_of_admitted_and_official_cases():
    admitted = forms_for_case("admitted", True, False)
    assert "9-KNĐ" in admitted and "13-KNĐ" in admitted and "16-KNĐ" not in admitted
    official = forms_for_case("official", True, True)
    assert list(official) == [c for c in DOMAIN_CODES if c not in ("4A-KNĐ", "7-KNĐ", "14-KNĐ")]
    with_branch = forms_for_case("official", True, True, has_partial_committee=True)
    assert "7-KNĐ" in with_branch and "14-KNĐ" in with_branch
    # 14-KNĐ exists where 7-KNĐ does: on recognition, where a đảng ủy bộ phận exists.
    assert "14-KNĐ" in forms_for_case("admitted", True, False, has_partial_committee=True)
    assert "14-KNĐ" not in forms_for_case("admitted", True, False)


def test_unknown_code():
    with pytest.raises(UnknownForm, match="99-KNĐ"):
        form("99-KNĐ")
    with pytest.raises(UnknownForm):
        missing_data("17-KNĐ", {})


def test_missing_data_names_the_keys_and_their_meaning():
    dossier = {"person": {"full_name": "Trần Ngọc Hân"}, "cell": {"name": "Chi bộ X"}}
    assert missing_data("9-KNĐ", dossier) == [
        "deciding.name",
        "decisions.admission.number",
        "decisions.admission.signed_on",
    ]
    with pytest.raises(MissingData) as caught:
        check_data("9-KNĐ", dossier)
    assert caught.value.code == "9-KNĐ"
    assert "decisions.admission.number" in caught.value.keys
    assert "số quyết định kết nạp" in str(caught.value)
    assert check_data("1-KNĐ", dossier) is FORMS["1-KNĐ"]


# --- wording ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (date(2025, 2, 5), "ngày 05 tháng 02 năm 2025"),
        (date(2026, 11, 25), "ngày 25 tháng 11 năm 2026"),
        (date(2025, 3, 19), "ngày 19 tháng 3 năm 2025"),
        (None, "ngày …… tháng …… năm ………"),
    ],
)
def test_dates_in_words(day, text):
    assert w.words(day) == text


@pytest.mark.parametrize(
    ("part", "whole", "text"), [(5, 6, "83,33"), (13, 15, "86,67"), (6, 6, "100"), (0, 0, "0")]
)
def test_vote_shares(part, whole, text):
    assert w.share(part, whole) == text


@pytest.mark.parametrize(
    ("name", "committee", "organisation", "place", "letters"),
    [
        (
            "Đảng bộ huyện Đức Trọng",
            "Huyện ủy Đức Trọng",
            "Đảng bộ huyện Đức Trọng",
            "Đức Trọng",
            "HU",
        ),
        ("Tỉnh ủy Lâm Đồng", "Tỉnh ủy Lâm Đồng", "Đảng bộ tỉnh Lâm Đồng", "Lâm Đồng", "TU"),
        (
            "Đảng bộ xã Hiệp Thạnh",
            "Đảng ủy xã Hiệp Thạnh",
            "Đảng bộ xã Hiệp Thạnh",
            "Hiệp Thạnh",
            "ĐU",
        ),
        ("Huyện uỷ Đức Trọng", "Huyện uỷ Đức Trọng", "Đảng bộ huyện Đức Trọng", "Đức Trọng", "HU"),
        ("Chi bộ Công ty TNHH Đồng Thúy", "Chi bộ Công ty TNHH Đồng Thúy", None, None, "CB"),
    ],
)
def test_names_of_party_bodies(name, committee, organisation, place, letters):
    assert w.committee_name(name) == committee
    assert w.organisation_name(name) == (organisation or name)
    assert w.locality(name) == place
    assert w.abbreviation(name) == letters


def test_capitals_keep_every_diacritic():
    decomposed = unicodedata.normalize("NFD", "Chi bộ trường THPT Chu Văn An")
    assert w.upper(decomposed) == "CHI BỘ TRƯỜNG THPT CHU VĂN AN"
    assert w.cell_committee("Chi bộ trường THPT Đức Trọng") == "Chi ủy chi bộ trường THPT Đức Trọng"


def test_templates_and_stylesheet_are_nfc():
    """One code point per accented letter: what PDF text search and comparisons expect."""
    folder = TEMPLATES.parent
    files = [*TEMPLATES.glob("*.html"), *(folder / "static").glob("*.css")]
    # every form, the frame, the macros, the packet's cover, the forms' and packet's stylesheets
    assert len(files) == len(FORMS) + 5
    for path in files:
        assert unicodedata.is_normalized("NFC", path.read_text(encoding="utf-8")), path.name


def test_the_domain_knows_the_forms_the_registry_draws_in_the_same_order():
    assert tuple(FORMS) == FORM_CODES
    assert PRODUCES is DOMAIN_PRODUCES
    assert dict(PRODUCES) == {"admit": "9-KNĐ", "recognize": "16-KNĐ"}
    assert all(FORMS[code].generated_by == action for action, code in PRODUCES.items())
