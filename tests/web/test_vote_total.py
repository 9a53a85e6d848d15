"""The cell's vote form: its numbers and its total (denominator, votes needed) on the page before
anyone submits, the register's count put in, the refusal when the numbers do not add up."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import update

from db.models import Member
from tests.web.case_page_support import action_block, small_runtime, stored, town_in


@pytest.fixture
def demo_runtime(tmp_path):
    """The web fixtures' database: here the small test district, not the demo (sqlite only)."""
    yield from small_runtime(tmp_path)


@pytest.fixture
def town(demo_runtime):
    """The test district (six official members in the cell), every user with the demo password."""
    district = town_in(demo_runtime)
    with demo_runtime.sessions() as session:
        exempted = [m.id for m in district.members[4:6]]
        session.execute(update(Member).where(Member.id.in_(exempted)).values(excused=True))
        session.commit()
    return district


def _total(block: str) -> tuple[int, int]:
    denominator = re.search(r'<output name="denominator">(\d+)</output>', block).group(1)
    needed = re.search(r'<output name="needed">(\d+)</output>', block).group(1)
    return int(denominator), int(needed)


def test_the_vote_form_shows_the_total_before_submitting(town, login):
    case = town.to_trained()
    town.ready_dossier(case.id)  # else the submission is disabled, with the missing items
    page = login("sec").get(f"/candidates/{case.id}").get_data(as_text=True)
    block = action_block(page, "transition", "submit_dossier")
    # The register's count is put in the form, and the total computed from it: 6, 2/3 is 4.
    assert re.search(r'name="official_members"[^>]*value="6"', block)
    assert 'name="excused_absent"' in block and 'name="present"' in block
    assert _total(block) == (6, 4)
    assert "2 miễn sinh hoạt" in block or "2 đảng viên miễn sinh hoạt" in block
    assert "vote-total.js" in page


def test_a_refused_vote_shows_the_total_of_the_numbers_typed(town, login):
    case = town.to_trained()
    town.ready_dossier(case.id)
    before = stored(town, case.id)
    browser = login("sec")
    typed = {"version": before[1], "vote_date": "2026-11-02", "official_members": "6"}
    response = browser.post(
        f"/candidates/{case.id}/actions/submit_dossier?lang=en",
        {**typed, "excused_absent": "3", "votes_for": "3"},
    )
    assert response.status_code == 422
    block = action_block(response.get_data(as_text=True), "transition", "submit_dossier")
    assert "2 members exempted from activity" in block  # cell_vote_counts, in words
    assert _total(block) == (3, 2)  # 6 − 3 typed: recomputed from the numbers as typed
    assert stored(town, case.id) == before
    response = browser.post(
        f"/candidates/{case.id}/actions/submit_dossier",
        {**typed, "excused_absent": "2", "present": "4", "votes_for": "3"},
    )
    assert response.status_code == 303
    assert stored(town, case.id)[0] == "dossier_submitted"


def test_the_record_of_a_recognition_vote_has_the_same_total(town, login):
    case = town.to_state("admitted")
    page = login("sec").get(f"/candidates/{case.id}").get_data(as_text=True)
    assert _total(action_block(page, "fact", "recognition_vote")) == (6, 4)
