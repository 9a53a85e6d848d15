"""The yearly statistics and the entry of admissions outside hoso on a phone (390 px): the
tables scroll inside their boxes, the page never sideways. On a server of its own: it enters data.
"""

from __future__ import annotations

import pytest

expect = pytest.importorskip("playwright.sync_api").expect

PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def server(serve):
    return serve("statistics")


def _sideways(page) -> int:
    return page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def test_statistics_and_outside_admissions_on_a_phone(new_page, server, login, screenshot):
    page = login(new_page(server), "admin")
    page.set_viewport_size(PHONE)
    page.goto("/reports/outside?year=2023")
    assert _sideways(page) == 0
    district = page.locator("#organisation option", has_text="Đảng bộ huyện Đức Trọng")
    page.locator("#organisation").select_option(district.get_attribute("value"))
    page.locator("#total").fill("247")
    page.locator("#enterprise_workers").fill("0")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("tr[data-outside]")).to_have_count(1)
    page.goto("/reports/statistics?year=2023")
    expect(page.locator('[data-figure="outside"]')).to_have_text("247")
    assert _sideways(page) == 0
    # The organisations' table is wider than the phone: it scrolls inside its box.
    box = page.locator("#by-organisation .table-scroll")
    assert box.evaluate("e => e.scrollWidth > e.clientWidth")
    screenshot(page, "statistics-390")
