"""No success followed by an error: an action that takes the case out of the user's sight lands
on the page they came from (or their list) with the message, never on a 404."""

from __future__ import annotations

import pytest

from tests.web.case_page_support import small_runtime, stored, town_in


@pytest.fixture
def demo_runtime(tmp_path):
    """The web fixtures' database: here the small test district, not the demo (sqlite only)."""
    yield from small_runtime(tmp_path)


@pytest.fixture
def town(demo_runtime):
    return town_in(demo_runtime)


def _record_class(browser, case, **headers):
    return browser.post(
        f"/candidates/{case.id}/actions/complete_training",
        {
            "version": str(case.version),
            "certificate_number": "CN-77",
            "certificate_date": "2026-11-20",
            "issuer": "Trung tâm chính trị",
        },
        **headers,
    )


def test_the_trainer_recording_the_class_lands_on_their_home_with_the_message(town, login):
    case = town.to_mentored()
    browser = login("trainer")
    assert browser.get(f"/candidates/{case.id}").status_code == 200  # awaits the class
    response = _record_class(browser, case)
    assert response.status_code == 303
    assert stored(town, case.id)[0] == "trained"
    landed = browser.get(response.headers["Location"])
    assert landed.status_code == 200, response.headers["Location"]
    page = landed.get_data(as_text=True)
    assert "Ghi nhận hoàn thành lớp nhận thức về Đảng" in page  # "Done: ..." with the action
    # The case page it came from would now be a 404: that is where it must not land.
    assert browser.get(f"/candidates/{case.id}").status_code == 404
    assert response.headers["Location"] != f"/candidates/{case.id}"


def test_it_goes_back_to_the_page_it_came_from_when_that_is_ours(town, login):
    case = town.to_mentored()
    browser = login("trainer")
    response = _record_class(browser, case, headers={"Referer": "http://localhost/classes/waiting"})
    assert response.headers["Location"].endswith("/classes/waiting")
    other = town.to_mentored(full_name="Trần Thị Bé")
    response = _record_class(browser, other, headers={"Referer": "https://evil.example/x"})
    assert "evil.example" not in response.headers["Location"]


def test_a_case_still_in_sight_lands_on_its_page(town, login):
    case = town.to_mentored()
    response = _record_class(login("sec"), case)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/candidates/{case.id}")
