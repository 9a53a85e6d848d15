"""The demo walkthrough in a real browser, in order, on a server of its own.

A mentor records the awareness class of their candidate; the cell's secretary submits a ready
dossier after the chi bộ's vote; the committee admits it from its review queue; the auditor finds
those steps in the history and verifies the chain. This test changes the demo's cases, so it runs
on its own server and no other test depends on what it leaves behind.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest

from workflow.dates import LOCAL_ZONE

expect = pytest.importorskip("playwright.sync_api").expect

SECRETARY_CASE = "Lê Minh Triết"  # trained, every form on file, the chi bộ voted on 25/11/2026
CELL_VOTE = date(2026, 11, 25)
#: The actions' labels, as the case page, the history and the audit page show them.
TRAINING = "Ghi nhận hoàn thành lớp nhận thức về Đảng"
SUBMIT = "Trình hồ sơ đề nghị kết nạp"
ADMIT = "Quyết định kết nạp"


@pytest.fixture(scope="module")
def walkthrough_server(serve):
    return serve("walkthrough")


def action(page, label: str):
    """The case page's action block (a details element) whose summary reads `label`."""
    return page.locator("details.action").filter(
        has=page.locator("summary", has_text=re.compile(f"^{re.escape(label)}$"))
    )


def full_name(server, username: str) -> str:
    """The name the pages show for `username` (the username itself is no longer shown)."""
    from sqlalchemy import select

    from db.models import User

    with server.runtime.sessions() as session:
        name = session.scalar(select(User.full_name).where(User.username == username))
    assert name, f"{username} has no full name in the demo"
    return name


def confirm(page, block) -> None:
    """Press the action's Confirm button and wait for the answer."""
    with page.expect_navigation():
        block.locator("button[type=submit]").click()


def test_the_whole_path(new_page, walkthrough_server, login, screenshot):
    server = walkthrough_server
    today = datetime.now(LOCAL_ZONE).date()  # the server's today (Vietnam time)
    # Who did each step, as the case page's history names them.
    names = {u: full_name(server, u) for u in ("giupdo.chuvanan", "bithu.chuvanan", "bantochuc")}

    # --- the mentor records the awareness class -----------------------------------------------
    mentor = login(new_page(server), "giupdo.chuvanan")
    row = mentor.locator("#work-mentor tbody tr").filter(has=mentor.locator(".state-mentored"))
    expect(row).to_have_count(1)
    link = row.locator("td a").first
    mentee = link.inner_text().strip()
    link.click()
    expect(mentor).to_have_url(re.compile(r"/candidates/\d+$"))
    expect(mentor.locator("h1")).to_have_text(mentee)
    state = mentor.locator("#case-state")
    expect(state).to_have_text("Được phân công giúp đỡ")
    events = mentor.locator("#history li.event")
    # Count only once the whole page is there (a busy machine may still be streaming it).
    mentor.wait_for_load_state("load")
    expect(events.first).to_be_attached()
    before = events.count()

    training = action(mentor, TRAINING)
    training.locator("summary").click()
    expect(training).to_have_attribute("open", "")
    certificate_day = today - timedelta(days=3)
    training.get_by_label("Số giấy chứng nhận").fill("CN-2026-1128")
    training.get_by_label("Ngày cấp").fill(certificate_day.strftime("%d/%m/%Y"))
    training.get_by_label("Nơi cấp").fill("Trung tâm Chính trị huyện Đức Trọng")
    screenshot(mentor, "action-complete-training")
    confirm(mentor, training)

    expect(state).to_have_text("Đã học lớp nhận thức về Đảng")
    expect(mentor.locator(".flash.success")).to_be_visible()
    expect(events).to_have_count(before + 1)
    newest = events.first
    expect(newest).to_have_attribute("data-action", "complete_training")
    expect(newest.locator(".event-action")).to_have_text(TRAINING)
    expect(newest.locator(".move")).to_contain_text(
        "Được phân công giúp đỡ → Đã học lớp nhận thức về Đảng"
    )
    expect(newest.locator(".event-user")).to_have_text(names["giupdo.chuvanan"])
    expect(newest).to_contain_text("CN-2026-1128")
    expect(newest).to_contain_text(certificate_day.strftime("%d/%m/%Y"))
    expect(mentor.locator("#case")).to_contain_text("CN-2026-1128")
    screenshot(mentor, "case-trained")

    # --- the secretary submits a ready dossier ------------------------------------------------
    secretary = login(new_page(server), "bithu.chuvanan")
    secretary.locator("#work-secretary").get_by_role("link", name=SECRETARY_CASE).click()
    expect(secretary.locator("h1")).to_have_text(SECRETARY_CASE)
    state = secretary.locator("#case-state")
    expect(state).to_have_text("Đã học lớp nhận thức về Đảng")
    submit = action(secretary, SUBMIT)
    submit.locator("summary").click()
    submit.get_by_label(re.compile(r"^Ngày biểu quyết")).fill(CELL_VOTE.strftime("%d/%m/%Y"))
    submit.get_by_label("Số tán thành").fill("10")
    submit.get_by_label("Số không tán thành").fill("0")
    confirm(secretary, submit)

    expect(state).to_have_text("Hồ sơ đã trình")
    newest = secretary.locator("#history li.event").first
    expect(newest).to_have_attribute("data-action", "submit_dossier")
    expect(newest.locator(".event-user")).to_have_text(names["bithu.chuvanan"])
    expect(secretary.locator("#dossier")).to_contain_text(CELL_VOTE.strftime("%d/%m/%Y"))

    # --- the committee admits it from the review queue ----------------------------------------
    committee = login(new_page(server), "bantochuc")
    expect(committee.locator("#work-committee")).to_contain_text(SECRETARY_CASE)
    committee.goto("/reviews/")
    row = committee.locator("table.queue tbody tr").filter(has_text=SECRETARY_CASE)
    expect(row).to_have_count(1)
    # Submitted by: the secretary's full name, never the username.
    submitter = row.get_by_text(re.compile(r"^Người trình: "))
    expect(submitter).to_have_text(f"Người trình: {names['bithu.chuvanan']}")
    expect(row).not_to_contain_text("bithu.chuvanan")
    expect(row).to_contain_text(CELL_VOTE.strftime("%d/%m/%Y"))  # the chi bộ vote
    row.locator("select[name^=action-]").select_option("admit")
    row.locator("input[name^=decision_number-]").fill("1128-QĐ/HU")
    committee.locator("#vote_date").fill(today.strftime("%d/%m/%Y"))
    committee.locator("#votes_for").fill("13")
    committee.locator("#votes_against").fill("0")
    committee.locator("#decision_date").fill(today.strftime("%d/%m/%Y"))
    screenshot(committee, "reviews-meeting")
    with committee.expect_navigation():
        committee.locator("form.meeting-form button[type=submit]").click()

    outcome = committee.locator("ul.outcomes > li").filter(has_text=SECRETARY_CASE)
    expect(outcome).to_have_class(re.compile(r"\bdone\b"))
    expect(outcome.locator(".state")).to_have_text("Đảng viên dự bị")
    screenshot(committee, "reviews-result")
    outcome.get_by_role("link", name=SECRETARY_CASE).click()
    expect(committee.locator("#case-state")).to_have_text("Đảng viên dự bị")
    newest = committee.locator("#history li.event").first
    expect(newest).to_have_attribute("data-action", "admit")
    expect(newest.locator(".event-user")).to_have_text(names["bantochuc"])
    expect(committee.locator("#dossier")).to_contain_text("1128-QĐ/HU")
    case_id = server.case_id(SECRETARY_CASE)
    assert server.case_state(case_id) == "admitted"
    assert server.case_state(server.case_id(mentee)) == "trained"

    # --- the auditor finds the three steps and verifies the chain -----------------------------
    auditor = login(new_page(server), "kiemtra")
    auditor.goto("/audit/")
    expected = [
        ("complete_training", TRAINING, "giupdo.chuvanan", mentee),
        ("submit_dossier", SUBMIT, "bithu.chuvanan", SECRETARY_CASE),
        ("admit", ADMIT, "bantochuc", SECRETARY_CASE),
    ]
    rows = auditor.locator("table.events tbody tr")
    # Newest first: the admission, the submission, the training.
    for position, (trigger, label, username, name) in zip((2, 1, 0), expected, strict=True):
        row = rows.nth(position)
        expect(row).to_have_attribute("data-action", trigger)
        expect(row.locator("td.action")).to_have_text(label)
        expect(row.locator(".username")).to_have_text(username)
        expect(row.locator("td.case")).to_contain_text(name)
    total = int(auditor.locator("p.total").get_attribute("data-total"))

    with auditor.expect_navigation():
        auditor.locator('#chain a.button[href$="/audit/verify"]').click()
    expect(auditor).to_have_url(re.compile(r"/audit/verify"))
    result = auditor.locator(".chain-result")
    expect(result).to_have_attribute("data-intact", "true")
    assert int(result.get_attribute("data-count")) >= total  # the walk covers the whole chain
    expect(result.locator(".verdict .ok")).to_contain_text("✓")
