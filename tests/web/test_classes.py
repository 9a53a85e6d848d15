"""The classes' pages on the demo district: who opens what, scheduling, enrolling, attendance,
issuing the certificates, and the waiting page."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime
from fractions import Fraction

import pytest
from sqlalchemy import select

from db.models import Case, Event, Person
from db.models.classes import AwarenessClass
from tests.web.conftest import Browser
from workflow.classes import ClassSettings
from workflow.clock import Clock

EVENING = "Lớp bồi dưỡng nhận thức về Đảng khóa IV năm 2026 (buổi tối)"
WEEKEND = "Lớp bồi dưỡng nhận thức về Đảng khóa V năm 2026 (cuối tuần)"


@pytest.fixture(autouse=True)
def saturday(monkeypatch):
    """The day after the evening class's last session (Saturday 28/11/2026, 10:00 local)."""
    monkeypatch.setattr(
        "web.classes.views.clock", lambda: Clock(datetime(2026, 11, 28, 3, 0, tzinfo=UTC))
    )


@pytest.fixture
def login(app):
    """``login(username)``: a new client logged in as a demo account (several may coexist)."""

    def _login(username: str) -> Browser:
        browser = Browser(app.test_client())
        assert browser.login(username).status_code == 302, f"login as {username} failed"
        return browser

    return _login


def class_id(runtime, name: str) -> int:
    with runtime.sessions() as session:
        return session.scalar(select(AwarenessClass.id).where(AwarenessClass.name == name))


def case_of(runtime, name: str) -> Case:
    with runtime.sessions() as session:
        return session.scalar(select(Case).join(Person).where(Person.full_name == name))


@pytest.mark.parametrize("username", ["trungtam", "bithu.dongthuy", "giupdo.chuvanan"])
def test_the_pages_open_for_the_centre_and_the_cells(login, demo_runtime, username):
    browser = login(username)
    home = browser.get("/").get_data(as_text=True)
    assert 'href="/classes/"' in home
    evening = class_id(demo_runtime, EVENING)
    for path in ("/classes/", f"/classes/{evening}", "/classes/waiting"):
        assert browser.get(path).status_code == 200, path


@pytest.mark.parametrize("username", ["doan.chuvanan", "admin"])
def test_others_are_refused(login, demo_runtime, username):
    browser = login(username)
    assert browser.get("/classes/").status_code == 403
    assert 'href="/classes/"' not in browser.get("/").get_data(as_text=True)


def test_anonymous_is_sent_to_login(browser):
    response = browser.get("/classes/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_list_in_vietnamese(login):
    page = login("trungtam").get("/classes/").get_data(as_text=True)
    assert EVENING in page and WEEKEND in page
    assert "Buổi tối" in page and "Cuối tuần" in page and "Lên lịch lớp học" in page


def test_the_centre_sees_the_whole_register_and_the_cells_their_own(login, demo_runtime):
    evening = class_id(demo_runtime, EVENING)
    page = login("trungtam").get(f"/classes/{evening}").get_data(as_text=True)
    assert "Võ Hoàng Phúc" in page and "Đặng Thị Thùy Dương" in page
    assert "Trực ca đêm tại tổng đài điều hành Lado Taxi" in page  # the absence's note
    assert f'action="/classes/{evening}/issue"' in page
    mine = login("giupdo.chuvanan").get(f"/classes/{evening}").get_data(as_text=True)
    assert "Võ Hoàng Phúc" in mine and "Đặng Thị Thùy Dương" not in mine
    assert "/issue" not in mine


def test_the_trainer_schedules_a_class(login, demo_runtime):
    browser = login("trungtam")
    form = {
        "name": "Lớp khóa II năm 2027 (buổi tối)",
        "place": "Nhà văn hóa thị trấn Liên Nghĩa",
        "kind": "evening",
        "capacity": "30",
        "session_date-1": "2027-03-01",
        "session_start-1": "18:30",
        "session_end-1": "21:00",
        "session_date-2": "2027-03-03",
        "session_start-2": "18:30",
        "session_end-2": "21:00",
    }
    response = browser.post("/classes/new", form, token_from="/classes/new")
    assert response.status_code == 303
    page = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "Lớp khóa II năm 2027 (buổi tối)" in page and "01/03/2027" in page
    with demo_runtime.sessions() as session:
        event = session.scalars(select(Event).order_by(Event.id.desc())).first()
    assert (event.action, event.username, event.case_id) == ("class_schedule", "trungtam", None)


def test_a_weekend_class_on_a_weekday_is_refused_with_the_reason(login):
    browser = login("trungtam")
    form = {
        "name": "Lớp cuối tuần",
        "place": "Hội trường",
        "kind": "weekend",
        "capacity": "30",
        "session_date-1": "2027-03-01",  # a Monday
        "session_start-1": "07:30",
        "session_end-1": "11:00",
    }
    response = browser.post("/classes/new", form, token_from="/classes/new")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "thứ Bảy và Chủ nhật" in page and 'value="Lớp cuối tuần"' in page


def test_only_the_trainer_schedules(login):
    assert login("bithu.dongthuy").get("/classes/new").status_code == 403


def test_the_trainer_issues_and_the_mentor_sees_the_candidate_trained(login, demo_runtime):
    evening = class_id(demo_runtime, EVENING)
    browser = login("trungtam")
    response = browser.post(
        f"/classes/{evening}/issue",
        {"certificate_date": "2026-11-28"},
        token_from=f"/classes/{evening}",
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "CN-2026-0001" in page and "Đã học lớp nhận thức về Đảng" in page
    unfinished = re.search(r'<li class="unfinished".*?</li>\s*</ul>', page, re.S).group(0)
    assert "Đặng Thị Thùy Dương" in unfinished and "Trùng ca làm việc" in unfinished
    assert case_of(demo_runtime, "Võ Hoàng Phúc").state == "trained"
    assert case_of(demo_runtime, "Đặng Thị Thùy Dương").state == "mentored"

    phuc = case_of(demo_runtime, "Võ Hoàng Phúc")
    mentor = login("giupdo.chuvanan")
    case_page = mentor.get(f"/candidates/{phuc.id}").get_data(as_text=True)
    assert "Đã học lớp nhận thức về Đảng" in case_page and "CN-2026-0001" in case_page

    # The one who did not finish waits again, and her cell enrols her in the weekend class.
    waiting = login("trungtam").get("/classes/waiting").get_data(as_text=True)
    assert "Đặng Thị Thùy Dương" in waiting.split('id="cells"')[0]
    weekend = class_id(demo_runtime, WEEKEND)
    duong = case_of(demo_runtime, "Đặng Thị Thùy Dương")
    secretary = login("bithu.dongthuy")
    assert "Đặng Thị Thùy Dương" in secretary.get(f"/classes/{weekend}").get_data(as_text=True)
    response = secretary.post(
        f"/classes/{weekend}/enrol", {"case_id": str(duong.id)}, token_from=f"/classes/{weekend}"
    )
    assert response.status_code == 303


def test_the_trainer_cannot_enrol(login, demo_runtime):
    weekend = class_id(demo_runtime, WEEKEND)
    w3 = case_of(demo_runtime, "Lý Thị Thu Hiền")
    response = login("trungtam").post(
        f"/classes/{weekend}/enrol", {"case_id": str(w3.id)}, token_from=f"/classes/{weekend}"
    )
    assert response.status_code == 403


def test_a_candidate_already_in_an_open_class_is_refused_with_the_rule(login, demo_runtime):
    weekend = class_id(demo_runtime, WEEKEND)
    duong = case_of(demo_runtime, "Đặng Thị Thùy Dương")
    response = login("bithu.dongthuy").post(
        f"/classes/{weekend}/enrol", {"case_id": str(duong.id)}, token_from=f"/classes/{weekend}"
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'data-rule="one_class_at_a_time"' in page and EVENING in page


def test_a_cell_cannot_issue_nor_record_attendance(login, demo_runtime):
    evening = class_id(demo_runtime, EVENING)
    browser = login("bithu.dongthuy")
    page = browser.get(f"/classes/{evening}").get_data(as_text=True)
    assert "/sessions/" not in page
    response = browser.post(f"/classes/{evening}/issue", {}, token_from=f"/classes/{evening}")
    assert response.status_code == 403
    trainer = login("trungtam")
    session_link = re.search(
        r'href="(/classes/\d+/sessions/\d+)"',
        trainer.get(f"/classes/{evening}").get_data(as_text=True),
    ).group(1)
    assert trainer.get(session_link).status_code == 200
    assert login("bithu.dongthuy").get(session_link).status_code == 403


def test_the_trainer_records_a_session(login, demo_runtime):
    evening = class_id(demo_runtime, EVENING)
    browser = login("trungtam")
    class_page = browser.get(f"/classes/{evening}").get_data(as_text=True)
    link = re.findall(r'href="(/classes/\d+/sessions/\d+)"', class_page)[-1]
    form_page = browser.get(link).get_data(as_text=True)
    marks = re.findall(r'name="(mark-\d+)"', form_page)
    data = {name: "present" for name in marks}
    data[marks[0]] = "other"
    response = browser.post(link, data, token_from=link)
    assert response.status_code == 422  # "other" needs a note
    assert "Lý do khác" in response.get_data(as_text=True) or "vài chữ" in response.get_data(
        as_text=True
    )
    data[f"note-{marks[0].removeprefix('mark-')}"] = "Đưa con đi khám bệnh"
    assert browser.post(link, data, token_from=link).status_code == 303


def test_the_waiting_page_shows_who_waits_and_who_missed_why(login, demo_runtime):
    page = login("trungtam").get("/classes/waiting").get_data(as_text=True)
    waiting, rest = page.split('id="cells"')
    assert "Lý Thị Thu Hiền" in waiting and "24/08/2026" in waiting
    cells, missed = rest.split('id="missed"')
    assert "Chi bộ Công ty Cổ phần May mặc Phú Hội" in cells
    assert "Đặng Thị Thùy Dương" in missed and "Đổi ca đêm thay đồng nghiệp nghỉ ốm" in missed
    english = login("trungtam").get("/classes/waiting?lang=en").get_data(as_text=True)
    assert "Who waits for a class" in english and "Work shift" in english


def test_a_secretary_sees_only_the_waiting_of_their_cell(login):
    page = login("bithu.chuvanan").get("/classes/waiting").get_data(as_text=True)
    assert "Lý Thị Thu Hiền" not in page and "Đặng Thị Thùy Dương" not in page


def test_an_unknown_class_is_not_found(login):
    browser = login("trungtam")
    assert browser.get("/classes/999999").status_code == 404
    assert browser.get("/classes/999999/sessions/1").status_code == 404


def test_the_instances_class_settings_judge_the_pages_and_the_certificates(login, demo_runtime):
    """``[classes]`` of hoso.toml, held by the runtime: 4 of the 6 evenings are enough."""
    demo_runtime.settings = replace(
        demo_runtime.settings,
        classes=ClassSettings(
            certificate_pattern="{seq}/GCN-TTCT-{year}", attendance_share=Fraction(2, 3)
        ),
    )
    evening = class_id(demo_runtime, EVENING)
    browser = login("trungtam")
    response = browser.post(
        f"/classes/{evening}/issue",
        {"certificate_date": "2026-11-28"},
        token_from=f"/classes/{evening}",
    )
    # Every candidate certified: back on the class page with the message (issue 12).
    assert response.status_code == 303
    page = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "1/GCN-TTCT-2026" in page and "2/GCN-TTCT-2026" in page
    assert case_of(demo_runtime, "Đặng Thị Thùy Dương").state == "trained"
