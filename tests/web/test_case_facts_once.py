"""A fact entered once on the case page: the Đoàn's introduction puts 4-KNĐ on file (the
checklist asks for neither again), the uploads are filled with what is on file or the
submission's resolution number; and the page lists only the forms that apply (as the packet)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from db.models import DocumentRecord, Event
from tests.web.case_page_support import small_runtime, town_in
from workflow import services


@pytest.fixture
def demo_runtime(tmp_path):
    """The web fixtures' database: here the small test district, not the demo (sqlite only)."""
    yield from small_runtime(tmp_path)


@pytest.fixture
def town(demo_runtime):
    return town_in(demo_runtime)


def _row(page: str, code: str) -> str:
    match = re.search(rf'<tr id="form-{code}">.*?</tr>', page, re.S)
    assert match, f"no row of {code}"
    return match.group(0)


def _checklist(page: str) -> str:
    match = re.search(r'<section class="[^"]*" id="checklist".*?</section>', page, re.S)
    return match.group(0) if match else ""


def test_the_doan_introduction_puts_4_knd_on_file_once(town, login):
    case = town.to_trained(birth_date="2003-04-01", is_doan_member="yes")
    browser = login("sec")
    before = browser.get(f"/candidates/{case.id}").get_data(as_text=True)
    assert "nghị quyết giới thiệu của Đoàn" in _checklist(before)
    assert "Hồ sơ còn thiếu: 4-KNĐ." not in _checklist(before)  # asked once, as the introduction
    version = re.search(r'name="version" value="(\d+)"', before).group(1)
    form = {
        "version": version,
        "kind": "doan",
        "name": "Đoàn trường THPT Thử",
        "dated": "02/10/2026",
        "number": "12-NQ/ĐTN",
    }

    response = browser.post(f"/candidates/{case.id}/facts/introduction", form)

    assert response.status_code == 303
    with town.runtime.sessions() as session:
        records = session.execute(
            select(DocumentRecord.code, DocumentRecord.number).where(
                DocumentRecord.case_id == case.id
            )
        ).all()
        actions = session.scalars(
            select(Event.action).where(Event.case_id == case.id).order_by(Event.id)
        ).all()
    assert ("4-KNĐ", "12-NQ/ĐTN") in records
    assert actions[-2:] == ["record_introduction", "record_document"]
    page = browser.get(f"/candidates/{case.id}").get_data(as_text=True)
    # Neither the introduction nor 4-KNĐ is asked again (the member introducer still is).
    assert "nghị quyết giới thiệu của Đoàn" not in _checklist(page)
    assert "4-KNĐ" not in _checklist(page)
    assert "Cần thêm một đảng viên chính thức giới thiệu" in _checklist(page)
    row = _row(page, "4-KNĐ")
    assert 'value="02/10/2026"' in row and 'value="12-NQ/ĐTN"' in row  # the upload, filled


def test_the_cell_resolution_upload_takes_the_submissions_number(town, login):
    case = town.to_trained()
    town.ready_dossier(case.id)  # 6-KNĐ on file without its number, no scan yet
    town.fire(
        case.id,
        "submit_dossier",
        vote_date="2026-10-01",
        votes_for=len(town.members),
        resolution_number="05-NQ/CB",
    )
    page = login("sec").get(f"/candidates/{case.id}").get_data(as_text=True)
    row = _row(page, "6-KNĐ")
    assert 'value="01/09/2026"' in row and 'value="05-NQ/CB"' in row  # not typed again


def test_no_4_knd_for_a_youth_who_is_not_a_doan_member(town, login):
    member = town.to_trained(birth_date="2003-04-01", is_doan_member="yes")
    outsider = town.to_trained(birth_date="2003-04-01", is_doan_member="no", full_name="Lê Văn Hai")
    browser = login("sec")
    assert 'id="form-4-KNĐ"' in browser.get(f"/candidates/{member.id}").get_data(as_text=True)
    page = browser.get(f"/candidates/{outsider.id}").get_data(as_text=True)
    assert 'id="form-4-KNĐ"' not in page and 'id="form-4A-KNĐ"' not in page


def test_4a_knd_where_the_unit_has_no_doan(town, login):
    raw = {
        "full_name": "Lê Văn Ba",
        "birth_date": "2003-04-01",
        "cell": town.other_cell.id,
        "source": "cell_review",
        "sex": "nam",
        "education": "12/12",
    }
    case = services.identify_candidate(town.runtime.uow(), town.actor("sec_other"), raw)
    page = login("sec_other").get(f"/candidates/{case.id}").get_data(as_text=True)
    assert 'id="form-4A-KNĐ"' in page and 'id="form-4-KNĐ"' not in page
