"""A refused action shows the rules' explanations, keeps what was typed and changes nothing."""

from __future__ import annotations

import re

import pytest

expect = pytest.importorskip("playwright.sync_api").expect

SUBMIT = "Trình hồ sơ đề nghị kết nạp"


def open_case(page, name: str) -> None:
    """From "My work", open the case of `name`."""
    page.goto("/")
    page.locator("main").get_by_role("link", name=name).click()
    expect(page.locator("h1")).to_have_text(name)


def open_action(page, label: str):
    block = page.locator("details.action").filter(
        has=page.locator("summary", has_text=re.compile(f"^{re.escape(label)}$"))
    )
    block.locator("summary").click()
    expect(block).to_have_attribute("open", "")
    return block


def refused_submission(page, block):
    """Press Confirm; the answer is the case page again, 422, with the refusal."""
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        block.locator("button[type=submit]").click()
    page.wait_for_load_state()
    return answer.value


def test_too_few_votes_is_refused_with_the_rule(page, live_server, login, screenshot):
    name = "Lê Minh Triết"
    case_id = live_server.case_id(name)
    login(page, "bithu.chuvanan")
    open_case(page, name)
    state = page.locator("#case-state")
    expect(state).to_have_text("Đã học lớp nhận thức về Đảng")
    events = page.locator("#history li.event").count()

    block = open_action(page, SUBMIT)
    block.get_by_label(re.compile(r"^Ngày biểu quyết")).fill("2026-11-25")
    block.get_by_label("Số tán thành").fill("5")
    block.get_by_label("Số không tán thành").fill("0")
    block.get_by_label("Số nghị quyết chi bộ").fill("05-NQ/CB")
    answer = refused_submission(page, block)

    assert answer.status == 422
    block = page.locator("#action-transition-submit_dossier")
    expect(block).to_have_attribute("open", "")  # the form is still open...
    refusal = block.locator(".refusal[role=alert]")
    expect(refusal).to_be_visible()
    expect(refusal.locator("li")).to_have_count(1)  # ...with only the rule that failed
    expect(refusal).to_contain_text("chưa đạt 2/3")
    expect(refusal).to_contain_text("5/11")
    # ...and what was typed.
    expect(block.get_by_label(re.compile(r"^Ngày biểu quyết"))).to_have_value("2026-11-25")
    expect(block.get_by_label("Số tán thành")).to_have_value("5")
    expect(block.get_by_label("Số không tán thành")).to_have_value("0")
    expect(block.get_by_label("Số nghị quyết chi bộ")).to_have_value("05-NQ/CB")
    # The top of the page says nothing was saved and points at the form.
    expect(page.locator("main > p.flash.error a")).to_have_attribute(
        "href", "#action-transition-submit_dossier"
    )
    # Nothing changed.
    expect(state).to_have_text("Đã học lớp nhận thức về Đảng")
    expect(page.locator("#history li.event")).to_have_count(events)
    assert live_server.case_state(case_id) == "trained"
    block.scroll_into_view_if_needed()
    screenshot(page, "refusal")


def test_a_dossier_not_ready_lists_every_rule_that_fails(page, live_server, login):
    # Trained, but 17 years old and with only some of the dossier's forms on file.
    name = "Trần Ngọc Hân"
    case_id = live_server.case_id(name)
    login(page, "bithu.chuvanan")
    open_case(page, name)
    block = open_action(page, SUBMIT)
    block.get_by_label(re.compile(r"^Ngày biểu quyết")).fill("2026-11-25")
    block.get_by_label("Số tán thành").fill("11")
    block.get_by_label("Số không tán thành").fill("0")
    answer = refused_submission(page, block)

    assert answer.status == 422
    refusal = page.locator("#action-transition-submit_dossier .refusal")
    expect(refusal).to_contain_text("Chưa đủ 18 tuổi vào ngày chi bộ biểu quyết 25/11/2026")
    expect(refusal).to_contain_text("Hồ sơ còn thiếu")
    assert refusal.locator("li").count() >= 2
    expect(refusal).not_to_contain_text("2/3")  # the vote itself was enough
    expect(page.locator("#case-state")).to_have_text("Đã học lớp nhận thức về Đảng")
    assert live_server.case_state(case_id) == "trained"


def test_a_mentor_cannot_act_on_a_case_that_is_not_theirs(page, live_server, login):
    # Lê Minh Triết's mentor is another member: for giupdo.chuvanan the case does not exist.
    login(page, "giupdo.chuvanan")
    answer = page.goto(f"/candidates/{live_server.case_id('Lê Minh Triết')}")
    assert answer.status == 404
    expect(page.locator("#actions")).to_have_count(0)


def test_the_committee_sees_why_an_admission_is_refused(page, live_server, login, screenshot):
    # Phú Hội's cell sits under its company's đảng ủy cơ sở: its committee of 9 votes first.
    name = "Nguyễn Thị Mai Anh"
    case_id = live_server.case_id(name)
    login(page, "bantochuc")
    page.goto("/reviews/")
    row = page.locator("table.queue tbody tr").filter(has_text=name)
    row.locator("select[name^=action-]").select_option("admit")
    row.locator("input[name^=decision_number-]").fill("77-QĐ/ĐU")
    page.locator("#vote_date").fill("27/11/2026")
    page.locator("#votes_for").fill("5")  # of the đảng ủy cơ sở's 9: under 2/3
    page.locator("#votes_against").fill("3")
    page.locator("#decision_date").fill("27/11/2026")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.locator("form.meeting-form button[type=submit]").click()
    page.wait_for_load_state()

    assert answer.value.status == 422  # nothing was decided
    outcome = page.locator("ul.outcomes > li").filter(has_text=name)
    expect(outcome).to_have_class(re.compile(r"\brefused\b"))
    reason = outcome.locator("li[data-rule=grassroots_vote_two_thirds]")
    expect(reason).to_contain_text("5/9")
    expect(reason).to_contain_text("chưa đạt 2/3")
    screenshot(page, "reviews-refused")
    assert live_server.case_state(case_id) == "dossier_submitted"
    page.goto("/reviews/")
    expect(page.locator("table.queue tbody tr").filter(has_text=name)).to_have_count(1)
