"""The case page: what it shows, which actions it offers, and how it answers a POST."""

from __future__ import annotations

import re
from functools import cache
from html import unescape

import pytest
from sqlalchemy import func, select, update
from werkzeug.security import generate_password_hash

from db.models import Case, Event, User
from tests.factories import build_district
from tests.web.conftest import DEMO_PASSWORD


@cache
def _password_hash() -> str:
    return generate_password_hash(DEMO_PASSWORD)


@pytest.fixture
def demo_runtime(tmp_path):
    """The web fixtures' database: here the small test district, not the demo (sqlite only)."""
    from db.migrate import upgrade
    from db.runtime import Runtime
    from workflow.settings import Settings

    rt = Runtime.from_url(f"sqlite:///{tmp_path / 'case.sqlite3'}", settings=Settings())
    upgrade(rt.engine)
    yield rt
    rt.engine.dispose()


@pytest.fixture
def town(demo_runtime):
    """The test district, every user with the demo password."""
    district = build_district(demo_runtime)
    with demo_runtime.sessions() as session:
        session.execute(update(User).values(password_hash=_password_hash()))
        session.commit()
    return district


def stored(town, case_id: int) -> tuple[str, int, int]:
    """The case's state, version and number of history events, as the database holds them."""
    with town.runtime.sessions() as session:
        case = session.get(Case, case_id)
        events = session.scalar(
            select(func.count()).select_from(Event).where(Event.case_id == case_id)
        )
        return case.state, case.version, events


def forms_on(page: str) -> list[str]:
    """The action URLs of the forms on a page."""
    return re.findall(r'<form method="post" action="([^"]*/(?:actions|facts)/[^"]*)"', page)


def action_block(page: str, kind: str, name: str) -> str:
    """The details block of one action."""
    match = re.search(
        rf'<details class="action[^"]*" id="action-{kind}-{name}"[^>]*>.*?</details>', page, re.S
    )
    assert match, f"no {kind} {name} on the page"
    return match.group(0)


def events_on(page: str) -> list[tuple[str, str, str]]:
    """The timeline's entries in page order: (action, markup, text)."""
    found = re.findall(
        r'<li class="event" id="event-\d+" data-action="([^"]+)">(.*?)</li>', page, re.S
    )
    return [(a, body, re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))) for a, body in found]


def span(markup: str, css: str) -> str:
    """The text of the first element of class `css`."""
    return re.search(rf'class="{css}">([^<]*)<', markup).group(1).strip()


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
    assert re.search(
        r'type="date"[^>]*name="certificate_date"|name="certificate_date"[^>]*type="date"', form
    )
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
    response = browser.post(
        f"/candidates/{case.id}/actions/withdraw", {"version": before[1], "reason": "x"}
    )
    assert response.status_code == 404
    response = browser.post(
        f"/candidates/{case.id}/facts/note", {"version": before[1], "text": "x"}
    )
    assert response.status_code == 404
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


# --- the language switch ------------------------------------------------------------------


def lang_link(page: str) -> str:
    """Where the header's language switch leads (entities decoded)."""
    match = re.search(r'<a href="([^"]*)" class="lang">', page)
    assert match, "no language switch on the page"
    return unescape(match.group(1))


def test_the_language_switch_shows_the_same_page_with_its_query(town, login):
    browser = login("sec")
    page = browser.get("/candidates?state=identified&q=an&lang=vi").get_data(as_text=True)
    assert lang_link(page) == "/candidates?state=identified&q=an&lang=en"
    english = browser.get("/candidates?state=identified&q=an&lang=en").get_data(as_text=True)
    assert lang_link(english) == "/candidates?state=identified&q=an&lang=vi"


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("actions/complete_training", {"certificate_number": "CN-1", "certificate_date": "x"}),
        ("facts/note", {"text": ""}),
    ],
)
def test_after_a_refused_post_the_language_switch_reloads_the_page_of_the_form(
    town, login, path, data
):
    """The POST's address takes only POST: the switch leads to the page the form was on."""
    case = town.to_mentored()
    browser = login("mentor")
    response = browser.post(
        f"/candidates/{case.id}/{path}",
        {"version": stored(town, case.id)[1], **data},
        headers={"Referer": f"http://localhost/candidates/{case.id}"},
    )
    assert response.status_code == 422
    link = lang_link(response.get_data(as_text=True))
    assert link == f"/candidates/{case.id}?lang=en"
    english = browser.get(link)
    assert english.status_code == 200
    assert '<html lang="en">' in english.get_data(as_text=True)


@pytest.mark.parametrize(
    "referrer",
    [
        None,
        "http://elsewhere.example/candidates/{id}",
        "http://localhost//elsewhere.example/candidates",
        "http://localhost/candidates/{id}/facts/note",  # itself a POST-only address
        "http://localhost/no/such/page",
    ],
)
def test_after_a_post_without_a_page_of_this_site_to_go_back_to_the_switch_goes_home(
    town, login, referrer
):
    case = town.to_mentored()
    browser = login("mentor")
    headers = {"Referer": referrer.format(id=case.id)} if referrer else {}
    response = browser.post(
        f"/candidates/{case.id}/facts/note",
        {"version": stored(town, case.id)[1], "text": ""},
        headers=headers,
    )
    assert response.status_code == 422
    link = lang_link(response.get_data(as_text=True))
    assert link == "/?lang=en"
    assert browser.get(link).status_code == 200


# --- wording -------------------------------------------------------------------------------


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


# --- what the rules need is marked on the forms ----------------------------------------------


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
    case = town.to_submitted()
    page = login("com").get(f"/candidates/{case.id}").get_data(as_text=True)
    admit = marked(action_block(page, "transition", "admit"))
    assert admit == {"vote_date", "votes_for", "decision_number", "decision_date"}
    assert marked(action_block(page, "transition", "return_dossier")) == {"reason"}
    assert marked(action_block(page, "transition", "reject")) == {"reason"}


def test_the_cell_vote_and_a_withdrawal_reason_are_marked_as_required(town, login):
    trained = town.to_trained()
    page = login("sec").get(f"/candidates/{trained.id}").get_data(as_text=True)
    assert marked(action_block(page, "transition", "submit_dossier")) == {"vote_date", "votes_for"}
    assert marked(action_block(page, "transition", "withdraw")) == {"reason"}


def test_a_recognition_asks_for_the_vote_only_when_none_is_on_file(town, login):
    case = town.to_state("admitted")
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
