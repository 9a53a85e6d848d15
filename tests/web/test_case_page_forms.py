"""The case page's wording (deadlines, table columns, notes), and what the rules need marked."""

from __future__ import annotations

import re

import pytest

from tests.grassroots_support import under_grassroots_committee
from tests.web.case_page_support import (
    action_block,
    events_on,
    small_runtime,
    span,
    stored,
    town_in,
)


@pytest.fixture
def demo_runtime(tmp_path):
    """The web fixtures' database: here the small test district, not the demo (sqlite only)."""
    yield from small_runtime(tmp_path)


@pytest.fixture
def town(demo_runtime):
    """The test district, every user with the demo password."""
    return town_in(demo_runtime)


def test_deadlines_are_worded_as_on_the_work_list(app):
    from web.labels import deadline_left

    with app.test_request_context("/?lang=en"):
        assert deadline_left(1) == "1 working day left"
        assert deadline_left(26) == "26 working days left"
        assert deadline_left(0) == "due today"
        assert deadline_left(-1) == "1 working day overdue"
        assert deadline_left(-3) == "3 working days overdue"
    with app.test_request_context("/?lang=vi"):
        assert deadline_left(3) == "còn 3 ngày làm việc"
        assert deadline_left(-3) == "quá hạn 3 ngày làm việc"


def test_the_case_page_words_its_deadlines_as_the_work_list(town, login):
    case = town.to_submitted()
    page = login("com").get(f"/candidates/{case.id}?lang=en").get_data(as_text=True)
    deadlines = re.search(r'<section class="card" id="deadlines">.*?</section>', page, re.S)
    assert deadlines, "no deadline on the page of a submitted dossier"
    left = re.findall(r'<span class="left">([^<]*)</span>', deadlines.group(0))
    assert left and all(
        re.fullmatch(r"\d+ working days? (left|overdue)|due today", text) for text in left
    ), left


def test_the_dossier_tables_name_their_columns_plainly(town, login):
    case = town.to_admitted()
    page = login("com").get(f"/candidates/{case.id}?lang=en").get_data(as_text=True)
    headers = re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', page)
    for header in (
        "Introducing member or organisation",
        "Introduced by",
        "Voting body",
        "Votes for",
        "Votes against",
        "Members entitled to vote",
        "Issued by",
    ):
        assert header in headers, header
    for vague in ("Kind", "Vote", "For", "Against", "Eligible", "By"):
        assert vague not in headers, vague


def test_a_note_reads_once_in_the_history(town, login):
    case = town.identify()
    town.record(case.id, "note", text="Gặp gia đình ngày 05/11")
    page = login("sec").get(f"/candidates/{case.id}").get_data(as_text=True)
    action, markup, text = events_on(page)[0]
    assert action == "record_note"
    assert span(markup, "event-note") == "Gặp gia đình ngày 05/11"
    assert "event-data" not in markup
    assert text.count("Ghi chú") == 1 and text.count("Gặp gia đình") == 1


def marked(block: str) -> set[str]:
    """The fields of an action's form whose label carries the required mark, checking that
    their input is required too."""
    labels = set(re.findall(r'<label for="[a-z]+-[a-z_]+-(\w+)">[^<]*<abbr class="req"', block))
    inputs = set()
    for tag in re.findall(r"<(?:input|textarea|select)\b[^>]*>", block):
        name = re.search(r'name="(\w+)"', tag).group(1)
        if re.search(r"\srequired(?=[\s>])", tag):
            inputs.add(name)
    assert labels == inputs, (labels, inputs)
    return labels


def test_the_certificate_is_marked_as_required(town, login):
    case = town.to_mentored()
    page = login("mentor").get(f"/candidates/{case.id}").get_data(as_text=True)
    block = action_block(page, "transition", "complete_training")
    assert marked(block) == {"certificate_number", "certificate_date"}


def test_the_committee_vote_decision_and_reasons_are_marked_as_required(town, login):
    under_grassroots_committee(town)  # a đảng ủy cơ sở between the cell and the deciding body
    case = town.to_submitted()
    page = login("com").get(f"/candidates/{case.id}").get_data(as_text=True)
    admit = marked(action_block(page, "transition", "admit"))
    assert admit == {"vote_date", "votes_for", "decision_number", "decision_date"}
    assert marked(action_block(page, "transition", "return_dossier")) == {"reason"}
    assert marked(action_block(page, "transition", "reject")) == {"reason"}


def test_a_chi_bo_co_so_is_admitted_without_a_grassroots_vote(town, login):
    """The test district's cell sits directly under the deciding committee: the admission form
    asks for the decision only, the documents list no 8-KNĐ, and the committee admits."""
    case = town.to_submitted()
    browser = login("com")
    page = browser.get(f"/candidates/{case.id}").get_data(as_text=True)
    admit = action_block(page, "transition", "admit")
    assert marked(admit) == {"decision_number", "decision_date"}
    assert 'name="votes_for"' not in admit and 'name="vote_date"' not in admit
    assert "8-KNĐ" not in page.split('id="documents"')[-1].split("</section>")[0]
    data = {"version": str(case.version), "decision_number": "5-QĐ", "decision_date": "2026-11-20"}
    token = f"/candidates/{case.id}"
    response = browser.post(f"/candidates/{case.id}/actions/admit", data, token_from=token)
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    assert stored(town, case.id)[0] == "admitted"


def test_the_cell_vote_and_a_withdrawal_reason_are_marked_as_required(town, login):
    trained = town.to_trained()
    town.ready_dossier(trained.id)  # else the submission is disabled, with the missing items
    page = login("sec").get(f"/candidates/{trained.id}").get_data(as_text=True)
    assert marked(action_block(page, "transition", "submit_dossier")) == {"vote_date", "votes_for"}
    assert marked(action_block(page, "transition", "withdraw")) == {"reason"}


def test_a_recognition_asks_for_the_vote_only_when_none_is_on_file(town, login):
    case = town.to_state("admitted")
    for code in ("10-KNĐ", "11-KNĐ", "12-KNĐ", "13-KNĐ", "15-KNĐ"):
        town.record(case.id, "document", code=code, dated="2025-06-10")  # else disabled
    browser = login("com")
    page = browser.get(f"/candidates/{case.id}").get_data(as_text=True)
    needed = {"vote_date", "votes_for", "decision_number", "decision_date"}
    assert marked(action_block(page, "transition", "recognize")) == needed
    town.record(case.id, "recognition_vote", vote_date="2025-06-10", votes_for=6)
    page = browser.get(f"/candidates/{case.id}").get_data(as_text=True)
    assert marked(action_block(page, "transition", "recognize")) == {
        "decision_number",
        "decision_date",
    }


def test_every_field_marked_as_needed_is_a_field_of_its_action():
    from web.candidates.forms import NEEDED
    from workflow.definition import FACTS, SPECS

    for action, names in NEEDED.items():
        spec = SPECS.get(action) or FACTS[action.removeprefix("record_")]
        assert names <= {field.name for field in spec.fields}, action
