"""A new candidate (``/candidates/new``): a secretary puts a person on a cell's list (identify)."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import func, select

from db.models import Case, Event, Organisation, Person

CVA = "Chi bộ trường THPT Chu Văn An"
DONG_THUY = "Chi bộ Công ty TNHH Đồng Thúy"


def cell_id(runtime, name: str) -> int:
    with runtime.sessions() as session:
        return session.scalar(select(Organisation.id).where(Organisation.name == name))


def counts(runtime) -> tuple[int, int, int]:
    """Cases, people and history events: what a refused POST must leave as it was."""
    with runtime.sessions() as session:
        return tuple(
            session.scalar(select(func.count()).select_from(model))
            for model in (Case, Person, Event)
        )


def person(runtime, cell: int, **changes) -> dict[str, str]:
    """What a secretary types for a new candidate in `cell`."""
    return {
        "full_name": "Hoàng Thị Mai",
        "birth_date": "2006-04-12",
        "sex": "nữ",
        "birth_place": "Lâm Hà, Lâm Đồng",
        "hometown": "Đức Trọng, Lâm Đồng",
        "ethnicity": "Kinh",
        "religion": "Không",
        "education": "12/12",
        "residence": "Liên Nghĩa, Đức Trọng",
        "occupation": "Học sinh",
        "id_number": "068306000999",
        "is_doan_member": "1",
        "cell": str(cell),
        "source": "cell_review",
        "source_detail": "",
    } | changes


def refusal(page: str) -> str:
    match = re.search(r'<div class="refusal".*?</div>', page, re.S)
    assert match, "no refusal on the page"
    return match.group(0)


def text_of(markup: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", markup))


@pytest.fixture
def cva(demo_runtime) -> int:
    return cell_id(demo_runtime, CVA)


def test_the_form_offers_the_secretarys_cells_and_the_sources_in_vietnamese(login, cva):
    page = login("bithu.chuvanan").get("/candidates/new")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    cell = re.search(r'<select[^>]*name="cell".*?</select>', html, re.S).group(0)
    assert re.findall(r"<option[^>]*>([^<]*)</option>", cell) == [CVA]  # their one cell
    source = re.search(r'<select[^>]*name="source".*?</select>', html, re.S).group(0)
    assert re.findall(r'<option[^>]*value="(\w*)"', source) == [
        "",
        "cell_review",
        "mass_organisation",
        "commune_application",
    ]
    labels = re.findall(r"<option[^>]*>([^<]*)</option>", source)
    assert labels[1:] == [
        "Chi bộ rà soát, phát hiện",
        "Đoàn thể giới thiệu",
        "Quần chúng xin vào Đảng qua xã/thị trấn",
    ]
    for name in ("full_name", "birth_date", "id_number", "is_doan_member", "source_detail"):
        assert f'name="{name}"' in html
    box = re.search(r'<input[^>]*name="birth_date"[^>]*>', html).group(0)  # dd/mm/yyyy (issue 12)
    assert 'type="text"' in box and 'placeholder="dd/mm/yyyy"' in box
    assert 'name="csrf_token"' in html


def test_the_secretary_adds_a_candidate(login, demo_runtime, cva):
    browser = login("bithu.chuvanan")
    before = counts(demo_runtime)
    response = browser.post("/candidates/new", person(demo_runtime, cva), "/candidates/new")
    assert response.status_code == 303
    with demo_runtime.sessions() as session:
        case = session.scalars(select(Case).order_by(Case.id.desc()).limit(1)).first()
        assert response.headers["Location"].endswith(f"/candidates/{case.id}")
        assert (case.person.full_name, case.person.id_number) == ("Hoàng Thị Mai", "068306000999")
        assert (case.state, case.cell_id, case.source, case.version) == (
            "identified",
            cva,
            "cell_review",
            1,
        )
        assert case.person.is_doan_member is True
        events = session.scalars(select(Event).where(Event.case_id == case.id)).all()
    assert [(e.action, e.username, e.role, e.from_state, e.to_state) for e in events] == [
        ("identify", "bithu.chuvanan", "secretary", None, "identified")
    ]
    assert json.loads(events[0].data)["source"] == "cell_review"
    assert counts(demo_runtime) == (before[0] + 1, before[1] + 1, before[2] + 1)
    page = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert 'class="flash success"' in page and "Hoàng Thị Mai" in page


def test_a_mass_organisation_source_keeps_its_detail(login, demo_runtime, cva):
    raw = person(
        demo_runtime,
        cva,
        source="mass_organisation",
        source_detail="Đoàn trường THPT Chu Văn An",
        id_number="",
    )
    response = login("bithu.chuvanan").post("/candidates/new", raw, "/candidates/new")
    assert response.status_code == 303
    case_id = int(response.headers["Location"].rsplit("/", 1)[1])
    with demo_runtime.sessions() as session:
        case = session.get(Case, case_id)
        assert (case.source, case.source_detail) == (
            "mass_organisation",
            "Đoàn trường THPT Chu Văn An",
        )


def test_the_same_person_twice_is_refused_by_single_open_case(login, demo_runtime, cva):
    browser = login("bithu.chuvanan")
    first = browser.post("/candidates/new", person(demo_runtime, cva), "/candidates/new")
    assert first.status_code == 303
    before = counts(demo_runtime)
    # The same ID number: the same person, whatever the name is typed as.
    again = person(demo_runtime, cva, full_name="Hoàng T. Mai", birth_place="<b>Lâm Hà</b>")
    response = browser.post("/candidates/new", again, "/candidates/new")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Người này đã có một hồ sơ đang mở." in refusal(page)
    assert 'value="Hoàng T. Mai"' in page and 'value="&lt;b&gt;Lâm Hà&lt;/b&gt;"' in page
    assert counts(demo_runtime) == before
    english = browser.post("/candidates/new?lang=en", again, "/candidates/new")
    assert "This person already has an open case." in refusal(english.get_data(as_text=True))
    assert counts(demo_runtime) == before


def test_a_mass_organisation_without_its_name_is_refused_by_source_recorded(
    login, demo_runtime, cva
):
    before = counts(demo_runtime)
    raw = person(demo_runtime, cva, source="mass_organisation", source_detail="  ")
    response = login("bithu.chuvanan").post("/candidates/new", raw, "/candidates/new")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Chưa ghi tên đoàn thể giới thiệu." in refusal(page)
    source = re.search(r'<select[^>]*name="source".*?</select>', page, re.S).group(0)
    assert re.search(r'<option selected value="mass_organisation"', source)
    invalid = re.findall(r'<div class="field [^"]* invalid">.*?</div>', page, re.S)
    assert len(invalid) == 1 and 'name="source_detail"' in invalid[0]  # the input to fill
    assert counts(demo_runtime) == before


def test_a_bad_date_names_the_field_and_keeps_the_other_values(login, demo_runtime, cva):
    before = counts(demo_runtime)
    raw = person(demo_runtime, cva, birth_date="2006-02-31")
    response = login("bithu.chuvanan").post("/candidates/new", raw, "/candidates/new")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Ngày sinh" in refusal(page)  # the field's label, in the page's language
    field = re.search(r'<div class="field field-date invalid">.*?</div>', page, re.S).group(0)
    assert 'name="birth_date"' in field and 'value="2006-02-31"' in field
    assert 'aria-invalid="true"' in field and 'class="field-error"' in field
    for kept in ('value="Hoàng Thị Mai"', 'value="068306000999"', 'value="Liên Nghĩa, Đức Trọng"'):
        assert kept in page
    assert re.search(r'<input checked[^>]*name="is_doan_member"', page)
    assert re.search(r'<option selected value="nữ"', page)
    assert counts(demo_runtime) == before


def test_a_cell_outside_the_secretarys_scope_is_forbidden(login, demo_runtime):
    """The use case answers NotAllowed for another cell: the 403 page, nothing created."""
    browser = login("bithu.chuvanan")
    page = browser.get("/candidates/new").get_data(as_text=True)
    assert DONG_THUY not in page
    before = counts(demo_runtime)
    other = cell_id(demo_runtime, DONG_THUY)
    response = browser.post("/candidates/new", person(demo_runtime, other), "/candidates/new")
    assert response.status_code == 403
    assert counts(demo_runtime) == before


def test_a_cell_that_does_not_exist_is_named(login, demo_runtime):
    before = counts(demo_runtime)
    raw = person(demo_runtime, 999999)
    response = login("bithu.chuvanan").post("/candidates/new", raw, "/candidates/new")
    assert response.status_code == 422
    assert "Chi bộ" in refusal(response.get_data(as_text=True))
    assert counts(demo_runtime) == before


@pytest.mark.parametrize(
    "username", ["giupdo.chuvanan", "bantochuc", "kiemtra", "admin", "doan.chuvanan", "trungtam"]
)
def test_who_is_no_secretary_may_not_add_candidates(login, demo_runtime, cva, username):
    browser = login(username)
    assert browser.get("/candidates/new").status_code == 403
    before = counts(demo_runtime)
    response = browser.post("/candidates/new", person(demo_runtime, cva))
    assert response.status_code == 403
    assert counts(demo_runtime) == before


@pytest.mark.parametrize(
    ("username", "shown"),
    [("bithu.chuvanan", True), ("giupdo.chuvanan", False), ("bantochuc", False)],
)
def test_the_list_offers_the_button_to_secretaries_only(login, username, shown):
    page = login(username).get("/candidates").get_data(as_text=True)
    assert ('href="/candidates/new"' in page) is shown
    assert ("Thêm quần chúng" in page) is shown


def test_a_name_with_markup_is_escaped_on_the_new_case_page(login, demo_runtime, cva):
    browser = login("bithu.chuvanan")
    raw = person(demo_runtime, cva, full_name="<script>alert(1)</script>", id_number="")
    response = browser.post("/candidates/new", raw, "/candidates/new")
    assert response.status_code == 303
    page = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_post_without_the_csrf_token_is_refused(login, demo_runtime, cva):
    browser = login("bithu.chuvanan")
    before = counts(demo_runtime)
    response = browser.client.post("/candidates/new", data=person(demo_runtime, cva))
    assert response.status_code == 400
    assert counts(demo_runtime) == before


def test_anonymous_users_are_sent_to_log_in(browser):
    response = browser.get("/candidates/new")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
