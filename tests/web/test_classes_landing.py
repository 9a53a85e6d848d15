"""The trainer issuing a class's certificates lands on the class page with the message: the
certified cases are trained now, out of the trainer's sight, and are no links to a 404."""

from __future__ import annotations

from sqlalchemy import select, update

from db.models.classes import AttendanceMark, Enrolment
from tests.web.test_classes import EVENING, case_of, class_id, login, saturday  # noqa: F401


def _everyone_attended(runtime, class_pk: int) -> None:
    with runtime.sessions() as session:
        enrolments = select(Enrolment.id).where(Enrolment.class_id == class_pk)
        session.execute(
            update(AttendanceMark)
            .where(AttendanceMark.enrolment_id.in_(enrolments))
            .values(present=True, reason=None)
        )
        session.commit()


def test_the_trainer_lands_on_the_class_page_with_the_message(login, demo_runtime):  # noqa: F811
    evening = class_id(demo_runtime, EVENING)
    _everyone_attended(demo_runtime, evening)
    browser = login("trungtam")
    response = browser.post(
        f"/classes/{evening}/issue",
        {"certificate_date": "2026-11-28"},
        token_from=f"/classes/{evening}",
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/classes/{evening}")
    page = browser.get(response.headers["Location"])
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "giấy chứng nhận" in text.lower() or "certificate" in text.lower()
    assert case_of(demo_runtime, "Võ Hoàng Phúc").state == "trained"
    assert case_of(demo_runtime, "Đặng Thị Thùy Dương").state == "trained"


def test_a_partly_issued_class_lists_the_certified_without_links_to_a_404(login, demo_runtime):  # noqa: F811
    evening = class_id(demo_runtime, EVENING)
    browser = login("trungtam")
    response = browser.post(
        f"/classes/{evening}/issue",
        {"certificate_date": "2026-11-28"},
        token_from=f"/classes/{evening}",
    )
    assert response.status_code == 200  # one did not finish: the page says why
    phuc = case_of(demo_runtime, "Võ Hoàng Phúc")
    assert f'href="/candidates/{phuc.id}"' not in response.get_data(as_text=True)
    assert browser.get(f"/candidates/{phuc.id}").status_code == 404
