"""Searching the case list by name: diacritics, wildcards, scope."""

from __future__ import annotations

import pytest

from db.text import fold
from tests.web.candidates.support import (
    add_candidate,
    case_ids,
    listing,
)

# --- search -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query", ["nguyen van an", "Nguyễn Văn An", "NGUYEN", "  van   AN ", "NGUYỄN văn"]
)
def test_search_by_name_ignores_diacritics_case_and_spacing(login, app, one_page, query):
    wanted = add_candidate(app, "Nguyễn Văn An")
    page = listing(login("bantochuc"), q=query)
    assert wanted in page.ids
    assert all(fold(query) in fold(row.name) for row in page.rows)
    assert page.total == len(page.rows) < len(case_ids(app))


def test_search_finds_d_with_stroke_from_plain_d(login, app):
    wanted = add_candidate(app, "Đặng Thị Đào")
    assert listing(login("bantochuc"), q="dang thi dao").ids == [wanted]


def test_search_that_matches_nothing(login, app):
    add_candidate(app, "Nguyễn Văn An")
    page = listing(login("bantochuc"), q="an nguyen van")
    assert page.status == 200
    assert page.total == 0 and page.rows == []


@pytest.mark.parametrize("query", ["%", "_", "an%", "\\", "/"])
def test_like_wildcards_in_the_query_are_literal(login, query):
    page = listing(login("bantochuc"), q=query)
    assert page.status == 200
    assert page.total == 0


@pytest.mark.parametrize(
    ("username", "found"), [("bithu.chuvanan", 1), ("giupdo.chuvanan", 0), ("bithu.dongthuy", 0)]
)
def test_search_stays_within_the_scope(login, app, username, found):
    add_candidate(app, "Hoàng Ngọc Xuyến")  # in Chu Văn An, no mentor yet
    assert listing(login(username), q="xuyen").total == found
