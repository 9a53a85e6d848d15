"""The biography verification in a real browser: the committee sends two requests, records their
answers and concludes; the cell's vote is refused before the conclusion and goes up after it. At
desk width and at 390 px (a phone), where the requests table becomes cards without horizontal
overflow. On a server of its own, on a case made there (the demo's trained cases are verified).
"""

from __future__ import annotations

import re
from datetime import date

import pytest

expect = pytest.importorskip("playwright.sync_api").expect

#: Trained, every form on file, no verification yet: made on this server (below), beside the demo
#: case Lê Minh Triết, whose verification the demo concludes (required from the reform on).
CASE = "Phan Văn Khôi"
SENT = date(2026, 11, 2)
ANSWERED = date(2026, 11, 16)
CONCLUDED = date(2026, 11, 20)
CELL_VOTE = date(2026, 11, 25)
SUBMIT = "Trình hồ sơ đề nghị kết nạp"
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def server(serve):
    live = serve("verification")
    _trained_case(live.runtime, like="Lê Minh Triết")
    return live


def _trained_case(runtime, like: str) -> None:
    """A case of CASE in the cell of `like`, trained, every dossier form on file, through the use
    cases: two official members of the cell introduce him (the mentor of `like` and another)."""
    from datetime import UTC, datetime

    from sqlalchemy import select

    from db.actors import actor_by_username
    from db.models import Case, Member, Person
    from workflow import services
    from workflow.clock import Clock

    with runtime.sessions() as session:
        model = session.scalars(select(Case).join(Person).where(Person.full_name == like)).one()
        cell_id, mentor_id = model.cell_id, model.mentor_id
        other = session.scalars(
            select(Member.id).where(
                Member.cell_id == cell_id, Member.status == "official", Member.id != mentor_id
            )
        ).first()
        sec, trainer = (actor_by_username(session, u) for u in ("bithu.chuvanan", "trungtam"))
    on = Clock(datetime(2026, 10, 21, 3, 0, tzinfo=UTC))
    person = {"full_name": CASE, "birth_date": "1990-04-12", "cell": cell_id, "sex": "nam"}
    person |= {"source": "cell_review", "education": "12/12"}
    case_id = services.identify_candidate(runtime.uow(), sec, person, clock=on).id

    def fire(actor, trigger: str, **raw) -> None:
        services.fire_transition(runtime.uow(), actor, case_id, trigger, raw, clock=on)

    def record(fact: str, **raw) -> None:
        services.record_fact(runtime.uow(), sec, case_id, fact, raw, clock=on)

    fire(sec, "assign_mentor", mentor=mentor_id)
    fire(trainer, "complete_training", certificate_number="250/GCN-TTCT",
         certificate_date="2026-06-12")  # fmt: skip
    for member_id in (mentor_id, other):
        record("introduction", kind="member", member=member_id, known_since="2020-01-01",
               dated="2026-10-21")  # fmt: skip
    for code in ("1-KNĐ", "2-KNĐ", "3-KNĐ", "5-KNĐ", "6-KNĐ"):
        record("document", code=code, dated="2026-10-21")


def block(page, label: str):
    """The details block whose summary reads `label` (an action of the case page)."""
    return page.locator("details.action").filter(
        has=page.locator("summary", has_text=re.compile(f"^{re.escape(label)}$"))
    )


def confirm(page, details) -> None:
    with page.expect_navigation():
        details.locator("button[type=submit]").click()


#: The innermost elements that reach past the viewport's right edge (what makes it scroll).
_WIDE = """() => {
  const edge = document.documentElement.clientWidth + 1;
  const past = e => e.getBoundingClientRect().right > edge;
  return [...document.querySelectorAll('body *')]
    .filter(e => past(e) && ![...e.children].some(past))
    .slice(0, 10).map(e => `${e.tagName}#${e.id}.${e.className}`);
}"""


def no_horizontal_overflow(page) -> None:
    """The page does not scroll sideways (else: name what sticks out)."""
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    if overflow > 0:
        raise AssertionError(f"the page scrolls sideways by {overflow}px: {page.evaluate(_WIDE)}")


def request(page, addressee: str, subject: str) -> None:
    add = block(page, "Thêm yêu cầu thẩm tra")
    add.locator("summary").click()
    add.get_by_label("Nơi gửi").fill(addressee)
    add.get_by_label("Thẩm tra về").select_option(subject)
    add.get_by_label("Ngày gửi").fill(SENT.isoformat())
    confirm(page, add)
    expect(page.locator(".flash.success")).to_be_visible()


def submit(page):
    page.reload()
    details = block(page, SUBMIT)
    details.locator("summary").click()
    # By name: the vote form's labels are another part's (the vote record may grow).
    details.locator("[name=vote_date]").fill(CELL_VOTE.isoformat())
    details.locator("[name=votes_for]").fill("10")
    details.locator("[name=votes_against]").fill("0")
    confirm(page, details)
    return details


def test_from_request_to_conclusion_then_the_vote(new_page, server, login, screenshot):
    case_id = server.case_id(CASE)
    url = f"/candidates/{case_id}"

    # --- the committee sends two requests (desk width) -----------------------------------------
    committee = login(new_page(server), "bantochuc")
    committee.goto(url)
    panel = committee.locator("#verification")
    expect(panel.locator("h2")).to_have_text("Thẩm tra lý lịch")
    expect(panel.locator("#verification-status")).to_contain_text("Chưa gửi yêu cầu thẩm tra")
    request(committee, "Đảng ủy xã Hiệp Thạnh, huyện Đức Trọng", "father")
    request(committee, "UBND phường 2, thành phố Bảo Lộc", "mother")
    rows = panel.locator("#verification-requests tbody tr")
    expect(rows).to_have_count(2)
    expect(panel.locator("#verification-status")).to_contain_text("còn 2 nơi chưa trả lời")
    no_horizontal_overflow(committee)

    # --- before the conclusion, the cell's vote is refused by the rule ----------------------------
    secretary = login(new_page(server), "bithu.chuvanan")
    secretary.goto(url)
    refused = submit(secretary)
    expect(refused.locator(".refusal")).to_contain_text("Chưa có kết luận thẩm tra lý lịch")
    expect(secretary.locator("#case-state")).to_have_text("Đã học lớp nhận thức về Đảng")

    # --- the answers, on a phone: the requests are cards, nothing scrolls sideways --------------
    committee.set_viewport_size(PHONE)
    committee.reload()
    head = panel.locator("#verification-requests thead")
    assert head.evaluate("e => getComputedStyle(e).display") == "none"
    no_horizontal_overflow(committee)
    screenshot(committee, "verification-phone")
    for index in range(2):
        row = panel.locator("#verification-requests tbody tr").nth(index)
        answer = row.locator("details.action")
        answer.locator("summary").click()
        answer.get_by_label("Ngày trả lời").fill(ANSWERED.isoformat())
        answer.get_by_label("Kết quả thẩm tra").fill(
            "Gia đình chấp hành tốt chủ trương, pháp luật."
        )
        answer.get_by_label("Kết quả tốt").check()
        no_horizontal_overflow(committee)
        confirm(committee, answer)
    expect(panel.locator("#verification-status")).to_contain_text("Các nơi đã trả lời đủ")
    expect(panel.locator("#verification-requests")).to_contain_text("tốt · Gia đình chấp hành")

    # --- the conclusion, back at desk width ---------------------------------------------------
    committee.set_viewport_size({"width": 1280, "height": 900})
    conclude = block(committee, "Kết luận và chứng nhận lý lịch (2-KNĐ)")
    conclude.locator("summary").click()
    conclude.get_by_label("Ngày kết luận").fill(CONCLUDED.isoformat())
    conclude.locator("[name=conclusion]").fill("Lý lịch rõ ràng, đủ điều kiện xem xét kết nạp.")
    conclude.get_by_label("Kết luận tốt").check()
    screenshot(committee, "verification-conclude")
    confirm(committee, conclude)
    status = panel.locator("#verification-status")
    expect(status).to_have_text(f"Đã kết luận: tốt, ngày {CONCLUDED:%d/%m/%Y}.")
    expect(panel).to_contain_text("Ngày cấp ủy chứng nhận lý lịch (2-KNĐ)")
    expect(panel.locator("form")).to_have_count(0)
    newest = committee.locator("#history li.event").first
    expect(newest).to_have_attribute("data-action", "conclude_verification")
    no_horizontal_overflow(committee)

    # --- the cell's vote and the submission go through ----------------------------------------
    secretary.goto(url)
    submit(secretary)
    expect(secretary.locator("#case-state")).to_have_text("Hồ sơ đã trình")
    assert server.case_state(case_id) == "dossier_submitted"
    secretary.set_viewport_size(PHONE)
    secretary.reload()
    no_horizontal_overflow(secretary)
