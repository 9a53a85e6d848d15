"""Moves and corrections in a real browser, on a phone (390 px): a candidate handed over from
THPT Chu Văn An to Đồng Thúy and accepted there; the correction form, the committee's queue and the
transfers page do not scroll sideways. On a server of its own: it changes demo cases."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from db.models import Case, Organisation
from tests.web.browser.test_verification import no_horizontal_overflow

expect = pytest.importorskip("playwright.sync_api").expect

PHONE = {"width": 390, "height": 844}
CVA = "Chi bộ trường THPT Chu Văn An"
DONG_THUY = "Chi bộ Công ty TNHH Đồng Thúy"


@pytest.fixture(scope="module")
def server(serve):
    return serve("moves")


def _mentored_case(server, states=("mentored",)) -> int:
    with server.runtime.sessions() as session:
        return session.scalar(
            select(Case.id)
            .join(Organisation, Organisation.id == Case.cell_id)
            .where(Organisation.name == CVA, Case.state.in_(states))
            .order_by(Case.id)
        )


def test_a_hand_over_on_a_phone(new_page, server, login, screenshot):
    case_id = _mentored_case(server)
    old = login(new_page(server), "bithu.chuvanan")
    old.set_viewport_size(PHONE)
    old.goto(f"/candidates/{case_id}")
    panel = old.locator("#moves")
    expect(panel.locator("h2")).to_have_text("Chuyển hồ sơ sang chi bộ khác")
    no_horizontal_overflow(old)
    panel.get_by_label("Chi bộ nhận").select_option(label=DONG_THUY)
    panel.get_by_label("Lý do").fill("Chuyển nơi làm việc")
    with old.expect_navigation():
        panel.get_by_role("button", name="Chuyển hồ sơ").click()
    expect(old.locator("#moves")).to_contain_text("đang chờ tiếp nhận")

    new = login(new_page(server), "bithu.dongthuy")
    new.set_viewport_size(PHONE)
    new.goto("/candidates/hand-overs")
    card = new.locator(".hand-overs li").first
    expect(card).to_contain_text("Chuyển nơi làm việc")
    no_horizontal_overflow(new)
    screenshot(new, "hand-over-phone")
    card.get_by_label("Đảng viên giúp đỡ").select_option(index=1)
    with new.expect_navigation():
        card.get_by_role("button", name="Tiếp nhận", exact=True).click()
    new.goto(f"/candidates/{case_id}")
    expect(new.locator(".case-head")).to_contain_text(DONG_THUY)
    assert old.goto(f"/candidates/{case_id}").status == 404


def test_the_correction_and_transfer_pages_fit_a_phone(new_page, server, login):
    case_id = _mentored_case(server, ("identified", "trained"))
    secretary = login(new_page(server), "bithu.chuvanan")
    secretary.set_viewport_size(PHONE)
    secretary.goto(f"/candidates/{case_id}/corrections/new")
    no_horizontal_overflow(secretary)
    secretary.get_by_label("Quê quán").fill("Đức Trọng, Lâm Đồng")
    secretary.get_by_label("Lý do").fill("Ghi nhầm quê quán")
    secretary.locator("#evidence").fill("Giấy khai sinh số 12/2008")
    with secretary.expect_navigation():
        secretary.get_by_role("button", name="Đề nghị").click()
    expect(secretary.locator(".refusal")).to_have_count(0)
    panel = secretary.locator("#corrections")
    expect(panel).to_contain_text("Ghi nhầm quê quán")
    # The panel fits (the case page's other sections are not this test's business).
    assert panel.evaluate("e => e.scrollWidth <= e.getBoundingClientRect().width + 1")
    assert panel.evaluate("e => e.getBoundingClientRect().right <= innerWidth")
    committee = login(new_page(server), "bantochuc")
    committee.set_viewport_size(PHONE)
    for url in ("/candidates/corrections", "/candidates/transfers"):
        committee.goto(url)
        no_horizontal_overflow(committee)
