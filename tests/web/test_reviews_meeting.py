"""The committee's meeting on /reviews: the committee's size and the votes needed shown before
anyone types; a refused decision shows the queue again with every value typed; names, never
usernames."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import update

from db.models import User
from tests.grassroots_support import under_grassroots_committee
from tests.web.test_reviews import admit_form, outcomes, state_of
from tests.web.test_work import make_app, signed_in

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@pytest.fixture
def app(district, tmp_path, monkeypatch):
    return make_app(district, tmp_path, monkeypatch)


def _committee_cell(page: str, case_id: int) -> str:
    row = re.search(rf'<tr data-case="{case_id}".*?</tr>', page, re.S)
    assert row, f"no row for case {case_id}"
    cell = re.search(r'<td class="committee"[^>]*>.*?</td>', row.group(0), re.S)
    assert cell, "no committee column"
    return cell.group(0)


def test_the_queue_shows_the_committee_size_and_votes_needed(app, district):
    under_grassroots_committee(district)  # 15 members: 2/3 is 10
    case = district.to_submitted(full_name="Lê Thị Mai")
    page = signed_in(app, "com").get("/reviews/?lang=en").get_data(as_text=True)
    cell = _committee_cell(page, case.id)
    assert 'data-size="15"' in cell and 'data-needed="10"' in cell
    assert "15 members" in cell and "10 votes for needed (2/3)" in cell


def test_without_a_grassroots_committee_no_vote_is_asked(app, district):
    case = district.to_submitted(full_name="Lê Thị Mai")
    page = signed_in(app, "com").get("/reviews/?lang=en").get_data(as_text=True)
    assert 'data-size=""' in _committee_cell(page, case.id)


def test_a_refused_decision_keeps_every_value_typed(app, district):
    under_grassroots_committee(district)
    case = district.to_submitted(full_name="Lê Thị Mai")
    typed = {
        f"decision_number-{case.id}": "77-QĐ/HU",
        f"votes_for-{case.id}": "9",  # 9 of 15 < 2/3
        f"reason-{case.id}": "ghi chú của hội nghị",
    }
    form = admit_form(case, **typed)
    response = signed_in(app, "com").post("/reviews/decide?lang=en", form)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    verdict, reasons = outcomes(page)[case.id]
    assert verdict == "refused" and [r for r, _ in reasons] == ["grassroots_vote_two_thirds"]
    # The queue again, the dossier still in it, with everything typed.
    row = re.search(rf'<tr data-case="{case.id}".*?</tr>', page, re.S).group(0)
    assert '<option value="admit" selected>' in row
    assert 'value="77-QĐ/HU"' in row and 'value="9"' in row
    assert "ghi chú của hội nghị</textarea>" in row
    assert 'name="vote_date" class="date" placeholder="dd/mm/yyyy" inputmode="numeric" ' in page
    assert 'value="20/11/2026"' in page and 'value="21/11/2026"' in page
    assert state_of(district, case.id) == "dossier_submitted"


def test_the_queue_names_people_not_usernames(app, district):
    with district.runtime.sessions() as session:
        session.execute(update(User).where(User.username == "sec").values(full_name="Trần Thư"))
        session.commit()
    case = district.to_submitted(full_name="Lê Thị Mai")
    page = signed_in(app, "com").get("/reviews/").get_data(as_text=True)
    row = re.search(rf'<tr data-case="{case.id}".*?</tr>', page, re.S).group(0)
    assert "Trần Thư" in row
    assert not re.search(r"\bsec\b", row)  # not even in a title
