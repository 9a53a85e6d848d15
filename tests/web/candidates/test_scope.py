"""Who sees the case list and which cases, and what a row shows."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from db.models import Case, Member, Organisation, Person, User
from tests.web.candidates.support import (
    CVA,
    DONG_THUY,
    add_candidate,
    case_ids,
    cell_id,
    listing,
)
from workflow.states import State

# --- who sees the list, and what ----------------------------------------------------------------


def test_not_logged_in_goes_to_login(browser):
    response = browser.get("/candidates?state=trained")
    assert response.status_code == 302
    target = urlsplit(response.headers["Location"])
    assert target.path == "/login"
    assert parse_qs(target.query)["next"] == ["/candidates?state=trained"]


@pytest.mark.parametrize("username", ["admin", "trungtam", "doan.chuvanan", "congdoan.dongthuy"])
def test_roles_without_a_case_list_get_403(login, username):
    page = listing(login(username))
    assert page.status == 403
    assert "data-case" not in page.html


def test_the_list_answers_with_and_without_a_trailing_slash(login):
    browser = login("bantochuc")
    assert listing(browser, "/candidates").ids == listing(browser, "/candidates/").ids != []


def test_secretary_sees_exactly_the_cases_of_their_cell(login, one_page):
    page = listing(login("bithu.chuvanan"))
    assert page.status == 200
    expected = case_ids(one_page, Organisation.name == CVA)
    assert expected and set(page.ids) == expected
    assert page.total == len(expected)
    assert {row.cell for row in page.rows} == {CVA}


def test_a_filter_cannot_widen_the_scope(login, one_page):
    browser = login("bithu.chuvanan")
    other = cell_id(one_page, DONG_THUY)
    page = listing(browser, f"/candidates?cell={other}")
    assert page.status == 200
    assert page.total == 0 and page.rows == []
    assert DONG_THUY not in page.html  # not even as a choice of the cell filter


def test_mentor_sees_only_their_own_mentees(login, one_page):
    with one_page.extensions["hoso"].sessions() as session:
        member_id = session.scalar(select(User.member_id).where(User.username == "giupdo.chuvanan"))
        mentor_name = session.scalar(
            select(Person.full_name)
            .join(Member, Member.person_id == Person.id)
            .where(Member.id == member_id)
        )
    own = case_ids(one_page, Case.mentor_id == member_id)
    whole_cell = case_ids(one_page, Organisation.name == CVA)
    assert own and own < whole_cell  # the demo gives the cell other mentors' cases too

    page = listing(login("giupdo.chuvanan"))
    assert page.status == 200
    assert set(page.ids) == own
    assert page.total == len(own)
    assert {row.mentor for row in page.rows} == {mentor_name}


@pytest.mark.parametrize("username", ["bantochuc", "kiemtra"])
def test_committee_and_auditor_see_the_whole_district(login, one_page, username):
    page = listing(login(username))
    everything = case_ids(one_page)
    assert set(page.ids) == everything
    assert page.total == len(everything)
    assert len({row.cell for row in page.rows}) > 1


# --- what a row shows ---------------------------------------------------------------------------


def test_a_row_shows_name_link_birth_date_cell_state_mentor_and_opening(login, app):
    case_id = add_candidate(app, "Phạm Thị Hồng Gấm", birth_date="2008-02-09")
    row = listing(login("bantochuc")).rows[0]  # newest first
    assert row.id == case_id
    assert row.name == "Phạm Thị Hồng Gấm"
    assert row.href == f"/candidates/{case_id}"
    assert row.birth_date == "09/02/2008"
    assert row.cell == CVA
    assert row.state == "identified"
    assert row.state_label == State.identified.label_vi
    assert row.mentor == ""
    assert row.opened == "27/11/2026"


def test_state_labels_follow_the_language(login):
    browser = login("bantochuc")
    vi = listing(browser, "/candidates?state=admitted")
    en = listing(browser, "/candidates?state=admitted&lang=en")
    assert vi.rows and {r.state_label for r in vi.rows} == {State.admitted.label_vi}
    assert {r.state_label for r in en.rows} == {State.admitted.label_en}
    assert f">{State.trained.label_en}</option>" in en.html  # the state filter's choices too
