"""Logging in, a refused login, and the switch between Vietnamese and English."""

from __future__ import annotations

import re

import pytest

expect = pytest.importorskip("playwright.sync_api").expect


def nav_links(page) -> list[str]:
    return [text.strip() for text in page.locator("nav.main a").all_inner_texts()]


def test_a_wrong_password_is_refused_and_stays_on_the_login_page(page, login, screenshot):
    page.goto("/login")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    screenshot(page, "login")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        login(page, "bithu.chuvanan", "not-the-password", expect_ok=False)
    assert answer.value.status == 401
    expect(page).to_have_url(re.compile(r"/login$"))
    error = page.locator("p.flash.error[role=alert]")
    expect(error).to_be_visible()
    expect(error).not_to_be_empty()
    # The username is kept, the password is not; nobody is logged in.
    expect(page.locator("input[name=username]")).to_have_value("bithu.chuvanan")
    expect(page.locator("input[name=password]")).to_have_value("")
    expect(page.locator("nav.main")).to_have_count(0)
    # Going elsewhere leads back to the login page.
    page.goto("/candidates/")
    expect(page).to_have_url(re.compile(r"/login\?next="))


def test_the_right_password_opens_my_work(page, login):
    login(page, "bithu.chuvanan")
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("#work-secretary")).to_be_visible()
    expect(page.locator("header .who")).to_have_text("Nguyễn Thị Thanh Hà")


def test_the_language_switch_changes_the_navigation(page, login):
    login(page, "bantochuc")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    vietnamese = nav_links(page)
    assert (
        len(vietnamese) == 7
    )  # my work, candidates, deadlines, reviews, audit, targets, enterprises
    switch = page.locator("header a.lang")
    expect(switch).to_have_text("English")

    switch.click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert nav_links(page) == [
        "My work",
        "Candidates",
        "Deadlines",
        "Reviews",
        "Audit",
        "Targets",
        "Enterprises",
    ]
    expect(switch).to_have_text("Tiếng Việt")
    assert vietnamese != nav_links(page), "the Vietnamese navigation shows the English words"
    for english, native in zip(nav_links(page), vietnamese, strict=True):
        assert english != native, f"{english!r} is not translated into Vietnamese"

    # The choice is remembered from page to page, until switched back.
    page.locator("nav.main a").nth(1).click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Candidates")
    switch.click()
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    assert nav_links(page) == vietnamese
