"""The plan's solutions in a real browser: a mass organisation introduces a candidate, the cell
accepts; the political centre issues a finished class's certificates; the mentor sees their
candidate trained. On a server of its own, because it changes the demo's data."""

from __future__ import annotations

import pytest

expect = pytest.importorskip("playwright.sync_api").expect

PROPOSED = "Phạm Thị Thanh Xuân"
CLASS_GRADUATE = "Võ Hoàng Phúc"  # giupdo.chuvanan's mentee, attended every evening session
TRAINED = "Đã học lớp nhận thức về Đảng"


@pytest.fixture(scope="module")
def plan_server(serve):
    return serve("plan")


def _evening_class_id(server) -> int:
    from sqlalchemy import select

    from db.models.classes import AwarenessClass

    with server.runtime.sessions() as session:
        rows = session.execute(
            select(AwarenessClass.id, AwarenessClass.kind, AwarenessClass.issued_on)
        ).all()
    return next(i for i, kind, issued in rows if kind == "evening" and issued is None)


def test_introduce_accept_train_and_the_mentor_sees_it(plan_server, new_page, login):
    # --- the Đoàn proposes an outstanding student ---------------------------------------------
    introducer = login(new_page(plan_server), "doan.chuvanan")
    introducer.goto("/proposals/new")
    introducer.fill("input[name=full_name]", PROPOSED)
    introducer.fill("input[name=birth_date]", "2007-03-14")
    introducer.fill("textarea[name=reasons]", "Lớp trưởng, học sinh giỏi ba năm liền")
    with introducer.expect_navigation():
        introducer.locator("button[type=submit].primary").click()
    expect(introducer.locator("main")).to_contain_text(PROPOSED)
    proposal_url = introducer.url
    assert "/proposals/" in proposal_url

    # --- the cell's secretary accepts it: the case opens, in Cảm tình Đảng ---------------------
    secretary = login(new_page(plan_server), "bithu.chuvanan")
    secretary.goto(proposal_url.removeprefix(plan_server.url))
    with secretary.expect_navigation():
        secretary.locator("#accept-form button[type=submit]").click()
    expect(secretary.locator("main")).to_contain_text(PROPOSED)
    expect(secretary.locator("main")).to_contain_text("Cảm tình Đảng")
    case_id = plan_server.case_id(PROPOSED)
    assert plan_server.case_state(case_id) == "identified"

    # The introducer sees the outcome, not the case itself.
    introducer.goto(proposal_url.removeprefix(plan_server.url))
    expect(introducer.locator("main")).to_contain_text(str(case_id))
    assert introducer.goto(f"/candidates/{case_id}").status == 404

    # --- the political centre issues the finished evening class's certificates ---------------
    graduate = plan_server.case_id(CLASS_GRADUATE)
    assert plan_server.case_state(graduate) == "mentored"
    trainer = login(new_page(plan_server), "trungtam")
    trainer.goto(f"/classes/{_evening_class_id(plan_server)}")
    with trainer.expect_navigation():
        trainer.locator("#issue button[type=submit]").click()
    expect(trainer.locator("main")).to_contain_text(CLASS_GRADUATE)
    assert plan_server.case_state(graduate) == "trained"

    # --- the mentor sees their candidate trained ----------------------------------------------
    mentor = login(new_page(plan_server), "giupdo.chuvanan")
    mentor.goto(f"/candidates/{graduate}")
    expect(mentor.locator("h1")).to_contain_text(CLASS_GRADUATE)
    expect(mentor.locator("main")).to_contain_text(TRAINED)
