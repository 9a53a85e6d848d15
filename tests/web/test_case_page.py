"""The case page: what it shows, which actions it offers, and how it answers a POST."""

from __future__ import annotations

import re

import pytest

from tests.web.case_page_support import (
    action_block,
    events_on,
    forms_on,
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


def test_the_timeline_lists_the_events_newest_first_with_user_and_role(town, login):
    case = town.to_mentored()
    town.fire(
        case.id,
        "complete_training",
        "mentor",
        certificate_number="CN-77",
        certificate_date="2026-03-01",
    )
    browser = login("sec")
    events = events_on(browser.get(f"/candidates/{case.id}").get_data(as_text=True))
    assert [action for action, *_ in events] == ["complete_training", "assign_mentor", "identify"]
    (_, newest, newest_text), _, (_, first, first_text) = events
    assert span(newest, "event-user") == "mentor" and span(first, "event-user") == "sec"
    assert "27/11/2026 10:00" in newest_text  # 03:00 UTC, in local time
    assert span(newest, "event-action") == "Ghi nhận hoàn thành lớp nhận thức về Đảng"
    assert "Được phân công giúp đỡ → Đã học lớp nhận thức về Đảng" in newest_text
    assert "CN-77" in newest_text and "01/03/2026" in newest_text
    assert "→ Cảm tình Đảng" in first_text
    english = events_on(browser.get(f"/candidates/{case.id}?lang=en").get_data(as_text=True))
    # The roles are named as everywhere else (web.labels).
    assert [span(markup, "event-role") for _, markup, _ in english] == [
        "Mentor",
        "Cell secretary",
        "Cell secretary",
    ]
    assert span(english[0][1], "event-action") == "Record the awareness class"
    assert "Mentored → Trained" in english[0][2]


def test_the_diagram_fills_the_current_state(town, login):
    case = town.to_trained()
    page = login("sec").get(f"/candidates/{case.id}").get_data(as_text=True)
    assert len(re.findall(r'class="node current"', page)) == 1
    assert re.search(r'<g class="node current"[^>]*id="wf-trained"', page)


def test_the_secretary_may_withdraw_an_identified_case(town, login):
    case = town.identify()
    page = login("sec").get(f"/candidates/{case.id}").get_data(as_text=True)
    urls = forms_on(page)
    assert f"/candidates/{case.id}/actions/withdraw" in urls
    assert f"/candidates/{case.id}/actions/assign_mentor" in urls
    assert f"/candidates/{case.id}/actions/complete_training" not in urls
    # The mentor is chosen among the cell's official members, by name.
    mentor = action_block(page, "transition", "assign_mentor")
    assert f'<option value="{town.members[1].id}">Đảng viên 1</option>' in mentor
    assert "Đảng viên dự bị" not in mentor and "Đảng viên khác" not in mentor


def test_the_mentor_may_record_the_class_of_their_own_candidate_but_not_withdraw(town, login):
    case = town.to_mentored()  # mentored by member 1, the user "mentor"
    page = login("mentor").get(f"/candidates/{case.id}").get_data(as_text=True)
    urls = forms_on(page)
    assert f"/candidates/{case.id}/actions/complete_training" in urls
    assert f"/candidates/{case.id}/actions/withdraw" not in urls
    assert f"/candidates/{case.id}/actions/reassign_mentor" not in urls
    form = action_block(page, "transition", "complete_training")
    assert re.search(r'<input[^>]*id="transition-complete_training-certificate_date"', form)
    # A text box for dd/mm/yyyy (issue 12), not type="date", whose display follows the locale.
    box = re.search(r'<input[^>]*name="certificate_date"[^>]*>', form).group(0)
    assert 'type="text"' in box and 'placeholder="dd/mm/yyyy"' in box
    assert 'inputmode="numeric"' in box
    assert f'name="version" type="hidden" value="{case.version}"' in form
    assert 'name="csrf_token"' in form


def test_firing_complete_training_moves_the_case_and_adds_an_event(town, login):
    case = town.to_mentored()
    browser = login("mentor")
    state, version, events = stored(town, case.id)
    response = browser.post(
        f"/candidates/{case.id}/actions/complete_training",
        {"version": version, "certificate_number": "CN-9", "certificate_date": "2026-10-02"},
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/candidates/{case.id}")
    assert stored(town, case.id) == ("trained", version + 1, events + 1)
    page = browser.get(f"/candidates/{case.id}").get_data(as_text=True)
    action, markup, text = events_on(page)[0]
    assert action == "complete_training" and "CN-9" in text
    assert span(markup, "event-user") == "mentor"
    assert 'class="flash success"' in page


def test_a_broken_rule_is_explained_and_the_form_keeps_what_was_typed(town, login):
    case = town.to_trained()
    town.ready_dossier(case.id)
    before = stored(town, case.id)
    browser = login("sec")
    response = browser.post(
        f"/candidates/{case.id}/actions/submit_dossier",
        {
            "version": before[1],
            "vote_date": "2026-11-02",
            "votes_for": "2",
            "votes_against": "4",
            "resolution_number": "NQ-<7>",
        },
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    block = action_block(page, "transition", "submit_dossier")
    assert " open>" in block.split("\n", 1)[0]
    refusal = re.search(r'<div class="refusal".*?</div>', block, re.S).group(0)
    assert "2/6" in refusal and "2/3" in refusal  # the vote rule, in the default language
    assert 'value="2026-11-02"' in block and 'value="2"' in block and 'value="4"' in block
    assert 'value="NQ-&lt;7&gt;"' in block
    assert stored(town, case.id) == before
    english = browser.post(
        f"/candidates/{case.id}/actions/submit_dossier?lang=en",
        {"version": before[1], "vote_date": "2026-11-02", "votes_for": "2"},
    )
    assert "The chi bộ vote has 2 of 6 in favour" in english.get_data(as_text=True)


def test_bad_input_names_the_field(town, login):
    case = town.to_mentored()
    before = stored(town, case.id)
    response = login("mentor").post(
        f"/candidates/{case.id}/actions/complete_training",
        {"version": before[1], "certificate_number": "CN-1", "certificate_date": "2026-02-31"},
    )
    assert response.status_code == 422
    block = action_block(response.get_data(as_text=True), "transition", "complete_training")
    refusal = re.search(r'<div class="refusal".*?</div>', block, re.S).group(0)
    assert "Ngày cấp" in refusal  # the field's label, in the page's language
    assert 'value="2026-02-31"' in block and 'aria-invalid="true"' in block
    assert stored(town, case.id) == before


def test_a_stale_version_is_refused_and_nothing_changes(town, login):
    case = town.identify()
    browser = login("sec")
    page = browser.get(f"/candidates/{case.id}?lang=en").get_data(as_text=True)
    shown = int(re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1))
    town.record(case.id, "note", text="someone else was quicker")
    before = stored(town, case.id)
    response = browser.post(
        f"/candidates/{case.id}/actions/withdraw", {"version": shown, "reason": "chuyển trường"}
    )
    assert response.status_code == 409
    block = action_block(response.get_data(as_text=True), "transition", "withdraw")
    assert "changed by someone else" in block and "reload" in block
    assert "chuyển trường" in block
    assert stored(town, case.id) == before


def test_a_post_without_the_csrf_token_is_refused(town, login):
    case = town.identify()
    browser = login("sec")
    before = stored(town, case.id)
    response = browser.client.post(
        f"/candidates/{case.id}/actions/withdraw", data={"version": before[1], "reason": "x"}
    )
    assert response.status_code == 400
    assert stored(town, case.id) == before


def test_a_post_without_the_version_it_was_made_from_is_refused(town, login):
    case = town.identify()
    before = stored(town, case.id)
    response = login("sec").post(f"/candidates/{case.id}/actions/withdraw", {"reason": "x"})
    assert response.status_code == 400
    assert stored(town, case.id) == before


def test_the_auditor_reads_without_forms_and_may_not_act(town, login):
    case = town.identify()
    browser = login("aud")
    page = browser.get(f"/candidates/{case.id}")
    assert page.status_code == 200
    assert forms_on(page.get_data(as_text=True)) == []
    before = stored(town, case.id)
    response = browser.post(
        f"/candidates/{case.id}/actions/withdraw", {"version": before[1], "reason": "x"}
    )
    assert response.status_code == 403
    response = browser.post(
        f"/candidates/{case.id}/facts/note", {"version": before[1], "text": "x"}
    )
    assert response.status_code == 403
    assert stored(town, case.id) == before


@pytest.mark.parametrize("username", ["sec_other", "mentor2", "adm", "intro", "trainer"])
def test_a_case_out_of_scope_does_not_exist(town, login, username):
    case = town.identify()
    browser = login(username)
    before = stored(town, case.id)
    assert browser.get(f"/candidates/{case.id}").status_code == 404
    # The admin acts on no case: refused (403) before any case is looked up, whichever it is.
    refused = 403 if username == "adm" else 404
    response = browser.post(
        f"/candidates/{case.id}/actions/withdraw", {"version": before[1], "reason": "x"}
    )
    assert response.status_code == refused
    response = browser.post(
        f"/candidates/{case.id}/facts/note", {"version": before[1], "text": "x"}
    )
    assert response.status_code == refused
    if username == "adm":
        missing = browser.post("/candidates/999999/facts/note", {"version": 1, "text": "x"})
        assert missing.status_code == 403, "a case that does not exist answers the same"
    assert stored(town, case.id) == before
    assert browser.get("/candidates/999999").status_code == 404


def test_a_mentor_sees_only_their_own_candidates(town, login):
    mine, theirs = town.to_mentored(), town.identify(full_name="Trần Thị Bình")
    town.fire(theirs.id, "assign_mentor", mentor=town.members[2].id)
    browser = login("mentor")
    assert browser.get(f"/candidates/{mine.id}").status_code == 200
    assert browser.get(f"/candidates/{theirs.id}").status_code == 404


def test_a_name_with_markup_is_shown_as_text(town, login):
    case = town.identify(full_name="<script>alert(1)</script>")
    page = login("sec").get(f"/candidates/{case.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
