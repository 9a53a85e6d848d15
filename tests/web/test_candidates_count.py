"""The candidates list's count stops at a cap: "more than 1,000", pages without a last one."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import db.read.search
from tests.web.candidates.support import case_ids, listing


def test_past_the_cap_the_list_says_more_than(login, app, monkeypatch):
    monkeypatch.setattr(db.read.search, "COUNT_CAP", 3)
    app.config["PAGE_SIZE"] = 2
    browser = login("bantochuc")
    total = len(case_ids(app))
    assert total > 8

    first = listing(browser)
    assert (first.total, first.more, len(first.rows)) == (3, True, 2)
    assert "hơn 3 hồ sơ" in first.html  # the app speaks Vietnamese: "more than 3 cases"
    assert "Trang 1<" in first.html and "Trang 1/" not in first.html  # no last page to name
    assert parse_qs(urlsplit(first.links["next"]).query) == {"page": ["2"]}

    # The last page counts to its end: the exact total, and "page n of n".
    last_page = -(-total // 2)
    last = listing(browser, f"/candidates?page={last_page}")
    assert (last.total, last.more) == (total, False)
    assert f"Trang {last_page}/{last_page}" in last.html and "next" not in last.links


def test_in_english_too(login, app, monkeypatch):
    monkeypatch.setattr(db.read.search, "COUNT_CAP", 3)
    app.config["PAGE_SIZE"] = 2
    browser = login("bantochuc")
    page = listing(browser, "/candidates", lang="en")
    assert page.more and "more than 3 cases" in page.html and "Page 1<" in page.html
