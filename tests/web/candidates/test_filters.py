"""The case list's filters, sorting and pages, and its escaping."""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from db.models import Case, Organisation
from db.text import fold
from tests.web.candidates.support import (
    DONG_THUY,
    add_candidate,
    case_ids,
    cell_id,
    listing,
)
from workflow.states import State

# --- filters ------------------------------------------------------------------------------------


def test_state_filter(login, one_page):
    browser = login("bantochuc")
    seen = set()
    for state in State:
        page = listing(browser, f"/candidates?state={state}")
        expected = case_ids(one_page, Case.state == state.value)
        assert set(page.ids) == expected, state
        assert page.total == len(expected)
        seen |= expected
    assert seen == case_ids(one_page)  # every case is in exactly one state's list


def test_cell_filter(login, one_page):
    browser = login("bantochuc")
    other = cell_id(one_page, DONG_THUY)
    page = listing(browser, f"/candidates?cell={other}")
    expected = case_ids(one_page, Case.cell_id == other)
    assert expected and set(page.ids) == expected
    assert {row.cell for row in page.rows} == {DONG_THUY}
    assert f'<option value="{other}" selected>' in page.html


@pytest.mark.parametrize("kind", ["school", "enterprise"])
def test_unit_kind_filter(login, one_page, kind):
    page = listing(login("bantochuc"), f"/candidates?kind={kind}")
    expected = case_ids(one_page, Organisation.unit_kind == kind)
    assert expected and set(page.ids) == expected
    assert page.total < len(case_ids(one_page))


def test_year_filter(login, one_page):
    browser = login("bantochuc")
    with one_page.extensions["hoso"].sessions() as session:
        years = sorted({d.year for d in session.scalars(select(Case.opened_on))})
    assert len(years) > 1  # the demo has a past
    seen = set()
    for year in years:
        page = listing(browser, f"/candidates?year={year}")
        expected = case_ids(
            one_page, Case.opened_on >= date(year, 1, 1), Case.opened_on < date(year + 1, 1, 1)
        )
        assert set(page.ids) == expected, year
        assert {row.opened[-4:] for row in page.rows} == {str(year)}
        seen |= expected
    assert seen == case_ids(one_page)


def test_filters_combine(login, one_page):
    page = listing(login("bantochuc"), "/candidates?state=official&kind=enterprise")
    expected = case_ids(one_page, Case.state == "official", Organisation.unit_kind == "enterprise")
    assert expected and set(page.ids) == expected


@pytest.mark.parametrize(
    "query",
    [
        "state=nonsense",
        "cell=abc",
        "cell=%C2%B2",
        "kind=factory",
        "year=20x4",
        "sort=evil",
        "page=-3",
        "page=%C2%B2",
    ],
)
def test_a_value_that_is_not_a_choice_is_ignored(login, one_page, query):
    page = listing(login("bantochuc"), f"/candidates?{query}")
    assert page.status == 200
    assert page.total == len(case_ids(one_page))


# --- sorting and pages --------------------------------------------------------------------------


def test_sorting(login, one_page):
    browser = login("bantochuc")
    newest = listing(browser, "/candidates").ids
    assert newest == sorted(newest, reverse=True)
    assert listing(browser, "/candidates?sort=id").ids == sorted(newest)
    by_name = listing(browser, "/candidates?sort=name").rows
    keys = [(fold(row.name), row.id) for row in by_name]
    assert keys == sorted(keys) and len(keys) == len(newest)


def test_pages_split_the_list_and_keep_the_query(login, app):
    app.config["PAGE_SIZE"] = 5
    browser = login("bantochuc")
    everything = case_ids(app, Organisation.unit_kind == "school")
    assert len(everything) > 10  # three pages at least

    first = listing(browser, "/candidates?kind=school&q=")
    assert first.total == len(everything)
    assert len(first.rows) == 5 and "prev" not in first.links
    # The next page's link keeps the filters, drops the empty ones.
    args = parse_qs(urlsplit(first.links["next"]).query)
    assert args == {"kind": ["school"], "page": ["2"]}

    seen, page, pages = list(first.ids), first, 1
    while "next" in page.links:
        page = listing(browser, page.links["next"])
        pages += 1
        assert page.total == len(everything)
        assert 1 <= len(page.rows) <= 5
        assert parse_qs(urlsplit(page.links["prev"]).query)["kind"] == ["school"]
        seen += page.ids
    assert pages == -(-len(everything) // 5)
    assert seen == sorted(everything, reverse=True)  # no row twice, none missing, in order
    assert len(page.rows) == len(everything) - 5 * (pages - 1)  # the last page has the rest


def test_a_page_past_the_end_shows_the_last_page(login, app):
    app.config["PAGE_SIZE"] = 5
    browser = login("bantochuc")
    total = len(case_ids(app))
    last = listing(browser, f"/candidates?page={-(-total // 5)}")
    assert listing(browser, "/candidates?page=999").ids == last.ids != []


# --- escaping -----------------------------------------------------------------------------------


def test_names_and_the_query_are_shown_as_text(login, app):
    script = "<script>alert(1)</script>"
    add_candidate(app, script)
    browser = login("bantochuc")
    page = listing(browser, q='"><script>alert(2)</script>')
    assert "<script>alert(2)" not in page.html
    assert "&#34;&gt;&lt;script&gt;alert(2)&lt;/script&gt;" in page.html

    page = listing(browser)
    assert "<script>alert(1)" not in page.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.html
    assert page.rows[0].name == script
