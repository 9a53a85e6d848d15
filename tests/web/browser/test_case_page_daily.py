"""Issue 12, the case page on the daily path: the dossier checklist and the actions in view at
1280 and 390 px, the bar of the page's parts always at hand, no sideways scroll."""

from __future__ import annotations

import pytest

expect = pytest.importorskip("playwright.sync_api").expect


def _open_case(live_server, state: str = "identified") -> int:
    """The first demo case of the Chu Văn An cell in `state` (the secretary's own cell)."""
    from sqlalchemy import func, select

    from db.models import Case, Organisation

    with live_server.runtime.sessions() as session:
        cell = session.scalar(select(Organisation.id).where(Organisation.name.like("%Chu Văn An%")))
        found = session.scalar(
            select(func.min(Case.id)).where(Case.cell_id == cell, Case.state == state)
        )
    assert found is not None, f"the demo has no {state} case in Chu Văn An"
    return found


def _sideways(page) -> int:
    return page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


@pytest.mark.parametrize("width", [1280, 390])
def test_checklist_and_actions_at_hand(width, new_page, live_server, login, screenshot):
    case_id = _open_case(live_server)
    page = login(new_page(live_server), "bithu.chuvanan")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"/candidates/{case_id}")

    checklist = page.locator("#checklist")
    assert checklist.is_visible()
    items = checklist.locator("li")
    assert items.count() >= 3  # the mentor, the forms, the introducers... at once
    assert "Chưa phân công đảng viên giúp đỡ." in checklist.inner_text()
    assert _sideways(page) <= 0

    # From the bottom of the long page, the bar is still there, and one tap shows the actions.
    page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
    bar = page.locator("nav.case-tabs")
    assert bar.is_visible()
    assert bar.bounding_box()["y"] <= 2  # stuck at the top of the screen
    bar.locator('a[href="#actions"]').click()
    assert page.locator("#actions").is_visible()
    assert page.locator("#actions details.action, #actions .action-blocked").first.is_visible()

    # A checklist link opens the form that fixes the item (the mentor's assignment).
    page.locator('#checklist a[href="#action-transition-assign_mentor"]').click()
    # case.js opens it on "hashchange", dispatched after the click returns: wait for it.
    expect(page.locator("#action-transition-assign_mentor")).to_have_attribute("open", "")
    page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true })")
    assert _sideways(page) <= 0, f"the case page is wider than {width} px"
    screenshot(page, f"case-page-checklist-{width}")


@pytest.mark.parametrize("width", [1280, 390])
def test_disabled_actions_show_their_reason(width, new_page, live_server, login):
    case_id = _open_case(live_server, "trained")
    page = login(new_page(live_server), "bithu.chuvanan")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"/candidates/{case_id}")
    blocked = page.locator(".action-blocked")
    if blocked.count():
        button = blocked.first.locator("button")
        assert button.is_disabled()
        assert blocked.first.locator(".blocked-reason").inner_text().strip()
    assert _sideways(page) <= 0


@pytest.mark.parametrize("width", [390, 360])
def test_a_mentored_case_fits_a_phone(width, new_page, live_server, login):
    # A mentored case lists the most fixes, among them the longest link ("Ghi nhận hoàn thành
    # lớp nhận thức về Đảng"): kept on one line, it pushed the page sideways on a phone.
    case_id = _open_case(live_server, "mentored")
    page = login(new_page(live_server), "bithu.chuvanan")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"/candidates/{case_id}")
    links = page.locator("#checklist a.fix")
    assert links.count() >= 5
    page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true })")
    assert _sideways(page) <= 0, f"the mentored case is wider than {width} px"
    for link in links.all():
        box = link.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, link.inner_text()
