"""The case page's language switch: the same page in the other language, after a refusal too."""

from __future__ import annotations

import re
from html import unescape

import pytest

from tests.web.case_page_support import small_runtime, stored, town_in


@pytest.fixture
def demo_runtime(tmp_path):
    """The web fixtures' database: here the small test district, not the demo (sqlite only)."""
    yield from small_runtime(tmp_path)


@pytest.fixture
def town(demo_runtime):
    """The test district, every user with the demo password."""
    return town_in(demo_runtime)


def lang_link(page: str) -> str:
    """Where the header's language switch leads (entities decoded)."""
    match = re.search(r'<a href="([^"]*)" class="lang">', page)
    assert match, "no language switch on the page"
    return unescape(match.group(1))


def test_the_language_switch_shows_the_same_page_with_its_query(town, login):
    browser = login("sec")
    page = browser.get("/candidates?state=identified&q=an&lang=vi").get_data(as_text=True)
    assert lang_link(page) == "/candidates?state=identified&q=an&lang=en"
    english = browser.get("/candidates?state=identified&q=an&lang=en").get_data(as_text=True)
    assert lang_link(english) == "/candidates?state=identified&q=an&lang=vi"


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("actions/complete_training", {"certificate_number": "CN-1", "certificate_date": "x"}),
        ("facts/note", {"text": ""}),
    ],
)
def test_after_a_refused_post_the_language_switch_reloads_the_page_of_the_form(
    town, login, path, data
):
    """The POST's address takes only POST: the switch leads to the page the form was on."""
    case = town.to_mentored()
    browser = login("mentor")
    response = browser.post(
        f"/candidates/{case.id}/{path}",
        {"version": stored(town, case.id)[1], **data},
        headers={"Referer": f"http://localhost/candidates/{case.id}"},
    )
    assert response.status_code == 422
    link = lang_link(response.get_data(as_text=True))
    assert link == f"/candidates/{case.id}?lang=en"
    english = browser.get(link)
    assert english.status_code == 200
    assert '<html lang="en">' in english.get_data(as_text=True)


@pytest.mark.parametrize(
    "referrer",
    [
        None,
        "http://elsewhere.example/candidates/{id}",
        "http://localhost//elsewhere.example/candidates",
        "http://localhost/candidates/{id}/facts/note",  # itself a POST-only address
        "http://localhost/no/such/page",
    ],
)
def test_after_a_post_without_a_page_of_this_site_to_go_back_to_the_switch_goes_home(
    town, login, referrer
):
    case = town.to_mentored()
    browser = login("mentor")
    headers = {"Referer": referrer.format(id=case.id)} if referrer else {}
    response = browser.post(
        f"/candidates/{case.id}/facts/note",
        {"version": stored(town, case.id)[1], "text": ""},
        headers=headers,
    )
    assert response.status_code == 422
    link = lang_link(response.get_data(as_text=True))
    assert link == "/?lang=en"
    assert browser.get(link).status_code == 200
