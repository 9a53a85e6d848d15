"""Faithful to the official forms (Hướng dẫn 12-HD/BTCTW): 2-KNĐ complete with its photo box and
the grandparents, 3-KNĐ with the introducer's particulars, 6-KNĐ with official and probationary
members apart and the meeting's secretary, the Đoàn's and the Công đoàn's own headings, 8-KNĐ
signed by the body that voted, and the person called by the right word on each form."""

from __future__ import annotations

import copy
import html as html_lib
import re

import pytest
from sqlalchemy import select

from db.models import Introduction, Member, Person
from documents.context import form_context
from documents.registry import FORMS
from documents.render import render_html
from tests.documents.conftest import ISSUED_ON, nfc, pdf_text


def text_of(code: str, dossier: dict) -> str:
    """The form's words as printed (its HTML without tags, spaces made one)."""
    markup = render_html(code, form_context(code, dossier, issued_on=ISSUED_ON))
    words = html_lib.unescape(re.sub(r"<[^>]+>", " ", markup))
    return re.sub(r"\s+", " ", nfc(words))


# --- 2-KNĐ --------------------------------------------------------------------------------------


def test_the_biography_has_its_photo_box_and_every_item(rendered):
    text = pdf_text(rendered["2-KNĐ"])
    assert "Ảnh 3 x 4" in text
    for item in range(1, 27):
        assert f"{item})" in text, item
    for heading in ("SƠ LƯỢC LÝ LỊCH", "LỊCH SỬ BẢN THÂN", "ĐI NƯỚC NGOÀI", "HOÀN CẢNH GIA ĐÌNH"):
        assert heading in text
    for relative in ("Ông nội", "Bà nội", "Ông ngoại", "Bà ngoại", "Cha đẻ", "Mẹ đẻ", "Các con"):
        assert relative in text
    assert "Tiếng dân tộc thiểu số" in text and "Nơi tạm trú" in text


def test_the_photo_box_is_three_by_four_centimetres():
    from documents.render import PACKAGE

    css = (PACKAGE / "static" / "forms.css").read_text()
    rule = css[css.index(".photo {") :]
    rule = rule[: rule.index("}")]
    assert "width: 3cm" in rule and "height: 4cm" in rule


def test_the_biography_prints_the_relatives_the_verification_named(official):
    dossier = {
        **official,
        "relatives": [
            {"subject": "father", "name": "Hoàng Văn Nam"},
            {"subject": "mother", "name": "Lê Thị Hoa"},
        ],
    }
    text = text_of("2-KNĐ", dossier)
    assert "Cha đẻ: Hoàng Văn Nam" in text and "Mẹ đẻ: Lê Thị Hoa" in text
    # Unknown to hoso: a dotted line to fill by hand (forms.css draws .fill), never a made-up name.
    markup = render_html("2-KNĐ", form_context("2-KNĐ", dossier, issued_on=ISSUED_ON))
    for unknown in ("Ông nội", "Bà nội", "Ông ngoại", "Bà ngoại", "Vợ (chồng)"):
        assert f'{unknown}: <span class="fill"></span>' in markup, unknown


def test_the_education_level_is_written_in_words(official):
    assert official["person"]["education"] == "lower_secondary"
    text = text_of("2-KNĐ", official)
    assert "Trung học cơ sở (THCS)" in text and "lower_secondary" not in text
    assert "Trung học cơ sở (THCS)" in text_of("1-KNĐ", official)


# --- 3-KNĐ --------------------------------------------------------------------------------------


def test_the_dossier_carries_the_introducers_particulars(demo, official):
    """The introducing member's birth date, hometown and residence come from the people
    register (``db.read.dossier``)."""
    intro = next(i for i in official["introductions"] if i["kind"] == "member")
    with demo.sessions() as session:
        person = session.execute(
            select(Person)
            .join(Member, Member.person_id == Person.id)
            .join(Introduction, Introduction.member_id == Member.id)
            .where(Introduction.case_id == official["case"]["id"], Introduction.kind == "member")
        ).scalar_one()
        assert intro["member"]["birth_date"] == (
            person.birth_date.isoformat() if person.birth_date else None
        )
        assert intro["member"]["hometown"] == person.hometown
        assert intro["member"]["residence"] == person.residence


def test_the_introducers_letter_gives_their_birth_date_hometown_and_residence(official):
    dossier = copy.deepcopy(official)
    member = next(i for i in dossier["introductions"] if i["kind"] == "member")["member"]
    member.update(
        birth_date="1980-05-12", hometown="Di Linh, Lâm Đồng", residence="Thôn 2, xã Ninh Gia"
    )
    text = text_of("3-KNĐ", dossier)
    assert "Sinh ngày 12 tháng 5 năm 1980; quê quán: Di Linh, Lâm Đồng" in text
    assert "Nơi cư trú: Thôn 2, xã Ninh Gia" in text
    member.update(birth_date=None, hometown=None, residence=None)
    blank = text_of("3-KNĐ", dossier)
    assert "Sinh ngày …… tháng …… năm ………; quê quán: …" in blank


# --- 6-KNĐ and 13-KNĐ ---------------------------------------------------------------------------


def test_the_cell_resolution_counts_official_and_probationary_members_apart(official):
    dossier = copy.deepcopy(official)
    dossier["votes"]["cell"].update(official_members=7, present=5, excused_absent=1)
    text = text_of("6-KNĐ", dossier)
    assert "đảng viên chính thức: 7, đảng viên dự bị: ……" in text
    assert "có mặt: …… đồng chí (chính thức: 5, dự bị: ……)" in text
    assert "vắng mặt: …… đồng chí (chính thức: 2, trong đó 1 đồng chí được miễn sinh hoạt" in text
    assert "Chủ trì hội nghị: đồng chí …" in text and "thư ký hội nghị: đồng chí …" in text


def test_a_vote_without_its_roll_leaves_the_counts_blank(trained, rendered):
    text = text_of("6-KNĐ", {**trained, "votes": {}})
    assert "đảng viên chính thức: ……, đảng viên dự bị: ……" in text
    assert "thư ký hội nghị" in pdf_text(rendered["13-KNĐ"])


# --- headings -----------------------------------------------------------------------------------


def test_the_doan_resolution_has_the_doans_heading_not_the_partys(rendered):
    text = pdf_text(rendered["4-KNĐ"])
    assert "ĐOÀN TNCS HỒ CHÍ MINH" in text and "***" in text
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" not in text
    assert "-NQ/ĐTN" in text


def test_the_union_resolution_has_the_states_heading_not_the_partys(rendered, official_union):
    text = pdf_text(rendered["4A-KNĐ"])
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" not in text and "ĐOÀN TNCS" not in text
    markup = render_html("4A-KNĐ", form_context("4A-KNĐ", official_union, issued_on=ISSUED_ON))
    assert 'class="star"' not in markup


# --- 8-KNĐ --------------------------------------------------------------------------------------


def test_the_grassroots_resolution_is_signed_by_the_committee_that_voted(official_grassroots):
    text = text_of("8-KNĐ", official_grassroots)
    committee = official_grassroots["grassroots"]["name"]  # Đảng ủy Công ty …
    assert f"{committee} đã họp" in text and "Tổng số cấp ủy viên" in text
    assert "T/M ĐẢNG ỦY" in text and "T/M BAN THƯỜNG VỤ" not in text


def test_a_district_standing_committee_signs_as_what_it_is(official):
    """Where the committee above the cell is a district's, its standing committee meets, counts
    its own members and signs for itself."""
    text = text_of("8-KNĐ", official)
    assert "Ban Thường vụ Huyện ủy Đức Trọng đã họp" in text
    assert "Tổng số ủy viên Ban Thường vụ" in text and "T/M BAN THƯỜNG VỤ" in text


# --- the person's name for each form --------------------------------------------------------------

BEFORE = [c for c, f in FORMS.items() if f.stage in ("dossier", "vote", "review", "decision")]
DURING = [c for c, f in FORMS.items() if f.stage == "recognition"]


@pytest.mark.parametrize("code", BEFORE + DURING)
def test_the_person_is_called_by_the_forms_word(
    code, official, official_grassroots, official_union
):
    dossier = {"4A-KNĐ": official_union, "8-KNĐ": official_grassroots}.get(code, official)
    name = nfc(dossier["person"]["full_name"])
    text = text_of(code, dossier)
    right, wrong = (
        ("quần chúng", "đảng viên dự bị") if code in BEFORE else ("đảng viên dự bị", "quần chúng")
    )
    if code != "9-KNĐ":  # the decision admits a quần chúng, whom a đảng viên dự bị then helps
        assert f"{wrong} {name}" not in text
    if code not in ("1-KNĐ", "4-KNĐ", "4A-KNĐ", "10-KNĐ"):  # these say "tôi" or "đoàn viên"
        assert f"{right} {name}" in text
