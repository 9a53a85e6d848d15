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
    # Count only once the whole page is there (a busy machine may still be streaming it).
    page.wait_for_load_state("load")
    expect(page.locator("#history li.event").first).to_be_attached()
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


def force_submission(page, case_id: int, fields: dict[str, str]):
    """Post the submission the page no longer offers (a page opened before, a crafted request),
    with the CSRF token and version of this page's withdrawal form; the answer is the case
    page, 422, with the form open on its refusal."""
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.evaluate(
            """([url, fields]) => {
                const form = document.createElement("form");
                form.method = "post";
                form.action = url;
                const own = document.querySelector("#action-transition-withdraw form");
                for (const name of ["csrf_token", "version"]) {
                    fields[name] = own.querySelector(`input[name=${name}]`).value;
                }
                for (const [name, value] of Object.entries(fields)) {
                    const input = document.createElement("input");
                    input.type = "hidden";
                    input.name = name;
                    input.value = value;
                    form.append(input);
                }
                document.body.append(form);
                form.submit();
            }""",
            [f"/candidates/{case_id}/actions/submit_dossier", fields],
        )
    page.wait_for_load_state()
    return answer.value


def test_a_dossier_not_ready_lists_every_rule_that_fails(page, live_server, login):
    # Trained, but 17 years old, without the Youth Union's introduction and with only some of
    # the dossier's forms on file.
    name = "Trần Ngọc Hân"
    case_id = live_server.case_id(name)
    login(page, "bithu.chuvanan")
    open_case(page, name)
    # The checklist names every rule that fails, at once, each with where it is put right.
    checklist = page.locator("#checklist .checklist-items > li")
    expect(checklist.filter(has_text="Chưa đủ 18 tuổi vào ngày chi bộ biểu quyết")).to_have_count(1)
    for code in ("5-KNĐ", "6-KNĐ"):
        missing = checklist.filter(has_text=f"Hồ sơ còn thiếu: {code}.")
        expect(missing.locator("a.fix")).to_have_attribute("href", f"#form-{code}")
    introducers = checklist.filter(has_text="nghị quyết giới thiệu của Đoàn")
    expect(introducers.locator("a.fix")).to_have_attribute("href", "#action-fact-introduction")
    assert checklist.count() >= 5
    # Age: nothing on the page puts it right (the over-60s' approval is no fix for a 17-year-old).
    age = checklist.filter(has_text="Chưa đủ 18 tuổi")
    expect(age.locator("a.fix")).to_have_count(0)
    expect(page.locator("#checklist")).not_to_contain_text("2/3")  # no vote is judged yet
    # The submission cannot succeed: its button is disabled, with the first rule as the reason.
    blocked = page.locator("#action-transition-submit_dossier.action-blocked")
    expect(blocked.get_by_role("button", name=SUBMIT)).to_be_disabled()
    expect(blocked.locator(".blocked-reason")).to_contain_text("nghị quyết giới thiệu của Đoàn")

    # Posted anyway, with a vote that is enough: refused, every failing rule named at once.
    answer = force_submission(
        page,
        case_id,
        {"vote_date": "25/11/2026", "votes_for": "11", "votes_against": "0"},
    )
    assert answer.status == 422
    refusal = page.locator("#action-transition-submit_dossier[open] .refusal[role=alert]")
    expect(refusal).to_contain_text("Chưa đủ 18 tuổi vào ngày chi bộ biểu quyết 25/11/2026")
    expect(refusal).to_contain_text("nghị quyết giới thiệu của Đoàn")
    expect(refusal).to_contain_text("Hồ sơ còn thiếu")
    assert refusal.locator("li").count() >= 3
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
