"""``/deadlines/``: missed and near deadlines across the user's scope, per role, with filters."""

from __future__ import annotations

import re
from datetime import date
from html import unescape

import pytest

from tests.db.test_reminders import TODAY, Fixture, add_case, build
from tests.web.test_work import count_queries, make_app, signed_in

# Web tests build their district with the factories, on SQLite only.
pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@pytest.fixture
def fixture(district) -> Fixture:
    return build(district)


@pytest.fixture
def app(fixture, tmp_path, monkeypatch):
    return make_app(fixture.district, tmp_path, monkeypatch, today=TODAY)


def text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def section(html: str, ident: str) -> str:
    found = re.search(rf'<section[^>]*id="{ident}".*?</section>', html, re.S)
    assert found, f"no section {ident}"
    return found.group(0)


def rows(html: str, ident: str) -> list[dict]:
    """The rows of the overdue or due-soon table, each as its cells' texts and classes."""
    found = []
    for attrs, body in re.findall(r"<tr (data-case[^>]*)>(.*?)</tr>", section(html, ident), re.S):
        cells = re.findall(r'<td(?: class="([^"]*)")?[^>]*>(.*?)</td>', body, re.S)
        found.append(
            {
                "class": re.search(r'class="([^"]*)"', attrs).group(1),
                "deadline": re.search(r'data-deadline="([^"]*)"', attrs).group(1),
                "cells": [text(c) for _, c in cells],
                "classes": [k for k, _ in cells],
            }
        )
    return found


def counts(html: str) -> list[tuple[str, str, str]]:
    table = section(html, "cells")
    return [
        tuple(text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S))
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)
        if "<td" in row
    ]


def page(app, username: str, query: str = "") -> str:
    response = signed_in(app, username).get(f"/deadlines/{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_committee_sees_the_district_overdue_first_in_red(app):
    html = page(app, "com")
    overdue = rows(html, "overdue")
    assert [r["cells"] for r in overdue] == [
        ["Lê Thị Mai", "Chi bộ trường THPT Thử", "Admission decision", "24/12/2025",
         "34 working days overdue", "Committee"],
        ["Đỗ Minh Tuấn", "Chi bộ Công ty Thử", "Cell vote on full membership", "14/01/2026",
         "20 working days overdue", "Cell secretary"],
    ]  # fmt: skip
    for row in overdue:
        assert row["class"] == "row-overdue"
        assert "overdue" in row["classes"][3].split() and "overdue" in row["classes"][4].split()
    soon = rows(html, "due-soon")
    assert [r["cells"] for r in soon] == [
        ["Phạm Thu Hà", "Chi bộ trường THPT Thử", "End of probation", "12/02/2026",
         "1 working day left", "Cell secretary"],
        ["Trần Văn Bình", "Chi bộ trường THPT Thử", "Admission ceremony", "23/02/2026",
         "3 working days left", "Cell secretary"],
        ["Vũ Hoàng Nam", "Chi bộ Công ty Thử", "Decision on full membership", "23/02/2026",
         "3 working days left", "Committee"],
    ]  # fmt: skip
    assert all("overdue" not in " ".join(r["classes"]) for r in soon)
    assert html.index('id="overdue"') < html.index('id="due-soon"')
    # The cells at the top, the most stuck first.
    assert counts(html) == [("Chi bộ trường THPT Thử", "1", "2"), ("Chi bộ Công ty Thử", "1", "1")]
    assert "Today: 11/02/2026" in text(html)


def test_a_secretary_sees_only_their_cell(app):
    html = page(app, "sec")
    assert [r["cells"][0] for r in rows(html, "overdue")] == ["Lê Thị Mai"]
    assert [r["cells"][0] for r in rows(html, "due-soon")] == ["Phạm Thu Hà", "Trần Văn Bình"]
    assert "Chi bộ Công ty Thử" not in html
    assert "Đỗ Minh Tuấn" not in html and "Vũ Hoàng Nam" not in html
    assert counts(html) == [("Chi bộ trường THPT Thử", "1", "2")]
    # A secretary of one cell gets no cell filter.
    assert 'name="cell"' not in html

    other = page(app, "sec_other")
    assert [r["cells"][0] for r in rows(other, "overdue")] == ["Đỗ Minh Tuấn"]
    assert "Lê Thị Mai" not in other


def test_the_auditor_reads_the_district(app):
    html = page(app, "aud")
    names = [r["cells"][0] for r in rows(html, "overdue") + rows(html, "due-soon")]
    assert sorted(names) == sorted(
        ["Lê Thị Mai", "Đỗ Minh Tuấn", "Phạm Thu Hà", "Trần Văn Bình", "Vũ Hoàng Nam"]
    )


@pytest.mark.parametrize("username", ["mentor", "trainer", "intro", "adm"])
def test_roles_without_the_page_are_refused(app, username):
    browser = signed_in(app, username)
    assert browser.get("/deadlines/").status_code == 403
    assert "/deadlines/" not in browser.get("/").get_data(as_text=True)


def test_anonymous_users_are_sent_to_the_login(app):
    response = app.test_client().get("/deadlines/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("username", ["com", "sec", "aud"])
def test_the_menu_links_the_page(app, username):
    html = signed_in(app, username).get("/").get_data(as_text=True)
    assert re.search(r'<nav class="main">.*href="/deadlines/".*</nav>', html, re.S)


def test_the_look_ahead_filter(app):
    wider = page(app, "com", "?within=14")
    assert "Hồ Văn Khoa" in [r["cells"][0] for r in rows(wider, "due-soon")]
    assert 'value="14"' in wider
    assert "Hồ Văn Khoa" not in page(app, "com")
    none_soon = page(app, "com", "?within=0")
    assert rows(none_soon, "due-soon") == []
    assert "Nothing is due within 0 working days." in text(none_soon)
    assert len(rows(none_soon, "overdue")) == 2


@pytest.mark.parametrize("bad", ["abc", "-1", "999", "1e3", "²"])
def test_a_bad_look_ahead_falls_back_to_ten_and_says_so(app, bad):
    html = page(app, "com", f"?within={bad}")
    assert "The look-ahead must be a whole number of working days from 0 to 120" in text(html)
    assert len(rows(html, "due-soon")) == 3


def test_sorted_by_due_date_both_ways(app):
    html = page(app, "com")
    assert [r["cells"][3] for r in rows(html, "due-soon")] == [
        "12/02/2026", "23/02/2026", "23/02/2026"
    ]  # fmt: skip
    assert 'aria-sort="ascending"' in html and 'href="/deadlines/?sort=-due"' in html
    desc = page(app, "com", "?sort=-due")
    assert [r["cells"][3] for r in rows(desc, "overdue")] == ["14/01/2026", "24/12/2025"]
    assert [r["cells"][3] for r in rows(desc, "due-soon")][-1] == "12/02/2026"
    assert 'aria-sort="descending"' in desc


def test_the_cell_filter_narrows_the_lists_not_the_counts(app, fixture):
    cell = fixture.district.other_cell
    html = page(app, "com", f"?cell={cell.id}")
    names = [r["cells"][0] for r in rows(html, "overdue") + rows(html, "due-soon")]
    assert names == ["Đỗ Minh Tuấn", "Vũ Hoàng Nam"]
    assert len(counts(html)) == 2
    assert f'<option value="{cell.id}" selected>' in html
    # A cell outside the scope, or no number, is ignored.
    own = page(app, "sec", f"?cell={cell.id}")
    assert [r["cells"][0] for r in rows(own, "overdue")] == ["Lê Thị Mai"]
    assert len(rows(page(app, "com", "?cell=x"), "overdue")) == 2


def test_vietnamese_by_default(app):
    browser = signed_in(app, "com")
    html = browser.get("/deadlines/?lang=vi").get_data(as_text=True)
    first = rows(html, "overdue")[0]["cells"]
    assert first[2:] == ["Quyết định kết nạp", "24/12/2025", "quá hạn 34 ngày làm việc", "Cấp ủy"]


def test_nothing_missed_or_near(fixture, tmp_path, monkeypatch):
    app = make_app(fixture.district, tmp_path, monkeypatch, today=date(2024, 6, 3))
    html = page(app, "com")
    assert rows(html, "overdue") == [] and rows(html, "due-soon") == []
    assert "Nothing is overdue." in text(html)
    assert "Nothing is due within 10 working days." in text(html)
    assert "No cell has a deadline missed or near." in text(html)


def test_one_query_for_the_cases_however_many(app, fixture):
    browser = signed_in(app, "com")
    before = count_queries(app, browser, "/deadlines/")
    d = fixture.district
    with d.runtime.sessions() as session:
        for i in range(12):
            add_case(session, d, f"Ứng viên {i}", state="dossier_submitted",
                     cell_vote_date=TODAY.replace(year=2025), other=bool(i % 2))  # fmt: skip
        session.commit()
    html = browser.get("/deadlines/").get_data(as_text=True)
    assert len(rows(html, "overdue")) == 14
    assert count_queries(app, browser, "/deadlines/") == before
