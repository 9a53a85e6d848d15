"""The case page's dossier checklist and disabled actions: every missing item in one look, each
linked to its fix; an action that cannot succeed now is a disabled button with its reason."""

from __future__ import annotations

import re

import pytest

from tests.web.case_page_support import forms_on, small_runtime, town_in
from tests.web.conftest import Browser

FORMS = ("1-KNĐ", "2-KNĐ", "5-KNĐ", "6-KNĐ")


@pytest.fixture
def demo_runtime(tmp_path):
    """The web fixtures' database: here the small test district, not the demo (sqlite only)."""
    yield from small_runtime(tmp_path)


@pytest.fixture
def town(demo_runtime):
    return town_in(demo_runtime)


def _section(page: str, section_id: str) -> str:
    match = re.search(rf'<section class="[^"]*" id="{section_id}".*?</section>', page, re.S)
    assert match, f"no section {section_id}"
    return match.group(0)


def _items(page: str) -> list[str]:
    found = re.findall(
        r"<li class=\"(?:blocks|check)\">(.*?)</li>", _section(page, "checklist"), re.S
    )
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", item)).strip() for item in found]


def test_a_case_missing_everything_lists_everything_at_once(town, login):
    case = town.identify(birth_date="2000-04-01", is_doan_member="yes")
    page = login("sec").get(f"/candidates/{case.id}").get_data(as_text=True)
    items = " | ".join(_items(page))
    checklist = _section(page, "checklist")
    assert "Chưa phân công đảng viên giúp đỡ." in items
    assert 'href="#action-transition-assign_mentor"' in checklist
    # The youth's two introducer problems in the same look, each linked to the introduction.
    assert re.search(r"cần nghị quyết giới thiệu của (Đoàn|Công đoàn)", items)
    assert "Cần thêm một đảng viên chính thức giới thiệu" in items
    assert checklist.count('href="#action-fact-introduction"') == 2
    for code in FORMS:
        assert f"Hồ sơ còn thiếu: {code}." in items
        assert f'href="#form-{code}"' in checklist
        assert f'id="form-{code}"' in page  # the link lands on the form's upload
    # The introductions are asked for, not also the forms that evidence them: one fact, once.
    assert "Hồ sơ còn thiếu: 3-KNĐ." not in items and "Hồ sơ còn thiếu: 4-KNĐ." not in items
    assert "Chưa có giấy chứng nhận học lớp nhận thức về Đảng." in items
    assert "Chưa có kết luận thẩm tra lý lịch" in items
    assert 'href="#checklist"' in page  # the bar at the top says how many


def test_a_complete_dossier_has_no_checklist(town, login):
    case = town.to_trained()
    town.ready_dossier(case.id)
    page = login("sec").get(f"/candidates/{case.id}").get_data(as_text=True)
    assert 'id="checklist"' not in page
    assert f"/candidates/{case.id}/actions/submit_dossier" in forms_on(page)


def test_the_submission_without_its_paperwork_is_disabled_with_the_reason(town, login):
    case = town.to_trained()
    page = login("sec").get(f"/candidates/{case.id}").get_data(as_text=True)
    assert f"/candidates/{case.id}/actions/submit_dossier" not in forms_on(page)
    block = re.search(
        r'<div class="action action-transition action-blocked" '
        r'id="action-transition-submit_dossier">.*?</div>',
        page,
        re.S,
    )
    assert block, "the submission is not shown disabled"
    assert "disabled" in block.group(0)
    assert "Cần 2 đảng viên chính thức giới thiệu; mới có 0." in block.group(0)
    # Still live: what can succeed now.
    assert f"/candidates/{case.id}/actions/withdraw" in forms_on(page)


def test_recognition_right_after_admission_is_disabled_with_the_reason(town, login, app):
    case = town.to_admitted()
    town.record(case.id, "ceremony", ceremony_date="2026-11-01")
    committee = login("com").get(f"/candidates/{case.id}").get_data(as_text=True)
    assert f"/candidates/{case.id}/actions/recognize" not in forms_on(committee)
    assert 'id="action-transition-recognize"' in committee
    assert "Chưa đủ 12 tháng dự bị" in committee
    other = Browser(app.test_client())
    assert other.login("sec").status_code == 302
    secretary = other.get(f"/candidates/{case.id}").get_data(as_text=True)
    assert f"/candidates/{case.id}/facts/recognition_vote" not in forms_on(secretary)
    assert 'id="action-fact-recognition_vote"' in secretary
    # A still-live fact keeps its form.
    assert f"/candidates/{case.id}/facts/note" in forms_on(secretary)


def test_a_disabled_action_posted_anyway_is_refused_by_the_rules(town, login):
    case = town.to_trained()
    browser = login("sec")
    response = browser.post(
        f"/candidates/{case.id}/actions/submit_dossier",
        {"version": str(case.version), "vote_date": "2026-11-02", "votes_for": "6"},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    # The refused form is shown open, with every failure, the values kept.
    assert 'id="action-transition-submit_dossier" open' in page
    assert 'value="2026-11-02"' in page or "02/11/2026" in page


def test_the_resolution_number_is_typed_once(town, login):
    case = town.to_trained()
    town.ready_dossier(case.id)
    town.record(case.id, "document", code="6-KNĐ", dated="2026-11-02", number="12-NQ/CB")
    page = login("sec").get(f"/candidates/{case.id}").get_data(as_text=True)
    block = re.search(r'id="action-transition-submit_dossier".*?</details>', page, re.S).group(0)
    assert re.search(r'name="resolution_number"[^>]*value="12-NQ/CB"', block) or re.search(
        r'value="12-NQ/CB"[^>]*name="resolution_number"', block
    )
