"""/reviews at scale: 50 dossiers a page, the longest waiting first, a "more" link; the batch
decision on the page shown; the committee's size as of the meeting's day; a partly refused
meeting answers 422 with every value kept and what became of each dossier."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import func, select, update

from db.models import Case, Organisation, OrganisationVersion, Person
from db.read import reviews
from db.text import fold
from tests.grassroots_support import under_grassroots_committee
from tests.web.test_reviews import admit_form, outcomes, state_of
from tests.web.test_work import count_queries, make_app, signed_in, submit_on
from workflow.states import State

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@pytest.fixture
def app(district, tmp_path, monkeypatch):
    return make_app(district, tmp_path, monkeypatch)


def _rows(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'<tr data-case="(\d+)"', page)]


def _more(page: str) -> str | None:
    found = re.search(r'<a href="([^"]+)" rel="next" class="more">', page)
    return found.group(1).replace("&amp;", "&") if found else None


def test_the_queue_is_paged_the_longest_waiting_first(app, district, monkeypatch):
    monkeypatch.setattr(reviews, "PAGE_SIZE", 2)
    third = submit_on(district, "2026-10-09", "Lê Thị Mai")
    first = submit_on(district, "2026-09-20", "Trần Văn Bình")
    second = submit_on(district, "2026-10-01", "Phạm Thu Hà")
    browser = signed_in(app, "com")

    page = browser.get("/reviews/").get_data(as_text=True)
    assert _rows(page) == [first.id, second.id]
    assert "2 of the 3 dossiers waiting" in page
    more = _more(page)
    assert more is not None
    rest = browser.get(more).get_data(as_text=True)
    assert _rows(rest) == [third.id]
    assert _more(rest) is None and ">First page</a>" in rest
    assert browser.get("/reviews/?after=nonsense").status_code == 200  # a mangled link: page 1


def test_the_batch_decision_works_on_the_page_shown(app, district, monkeypatch):
    monkeypatch.setattr(reviews, "PAGE_SIZE", 1)
    first = submit_on(district, "2026-09-20", "Trần Văn Bình")
    second = submit_on(district, "2026-10-01", "Phạm Thu Hà")
    browser = signed_in(app, "com")
    more = _more(browser.get("/reviews/").get_data(as_text=True))
    page = browser.get(more).get_data(as_text=True)
    assert _rows(page) == [second.id]
    after = re.search(r'name="after" value="([^"]+)"', page).group(1)
    form = {
        f"action-{second.id}": "return",
        f"version-{second.id}": str(second.version),
        f"reason-{second.id}": "",  # refused: the same page again, the value kept
        "after": after,
    }
    refused = browser.post("/reviews/decide", form)
    assert refused.status_code == 422
    assert _rows(refused.get_data(as_text=True)) == [second.id]  # the page shown, not page 1
    form[f"reason-{second.id}"] = "Thiếu lý lịch"
    assert browser.post("/reviews/decide", form).status_code == 200
    assert state_of(district, second.id) == "returned"
    assert state_of(district, first.id) == "dossier_submitted"


def test_a_partly_refused_meeting_answers_422_keeping_every_value(app, district):
    under_grassroots_committee(district)
    done = district.to_submitted(full_name="Lê Thị Mai")
    refused = district.to_submitted(full_name="Trần Văn Bình")
    form = admit_form(done, refused, **{f"decision_number-{done.id}": "101-QĐ/HU"})
    form[f"reason-{refused.id}"] = "ghi chú"

    response = signed_in(app, "com").post("/reviews/decide", form)

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    result = outcomes(page)
    assert result[done.id] == ("done", []) and result[refused.id][0] == "refused"
    assert _rows(page) == [refused.id]  # the decided one has left the queue
    assert 'value="20/11/2026"' in page and "ghi chú</textarea>" in page
    assert state_of(district, done.id) == "admitted"


def _sizes_over_time(district, grassroots_id: int) -> None:
    """The đảng ủy cơ sở had 9 members until 01/06/2026, 15 since."""
    with district.runtime.sessions() as session:
        org = session.get(Organisation, grassroots_id)
        session.add(
            OrganisationVersion(
                organisation_id=org.id,
                valid_from=org.valid_from,
                valid_until=date(2026, 6, 1),
                parent_id=org.parent_id,
                name=org.name,
                type=org.type,
                decides_admissions=org.decides_admissions,
                committee_size=9,
            )
        )
        org.valid_from = date(2026, 6, 1)
        session.commit()


def _committee(page: str, case_id: int) -> str:
    row = re.search(rf'<tr data-case="{case_id}".*?</tr>', page, re.S).group(0)
    return re.search(r'<td class="committee"[^>]*>', row).group(0)


def test_the_committee_size_is_the_one_of_the_meetings_day(app, district):
    grassroots = under_grassroots_committee(district)
    _sizes_over_time(district, grassroots)
    case = district.to_submitted(full_name="Lê Thị Mai")
    browser = signed_in(app, "com")
    today = browser.get("/reviews/").get_data(as_text=True)  # the meeting today: 15
    assert 'data-size="15" data-needed="10"' in _committee(today, case.id)
    then = browser.get("/reviews/?vote_date=15/05/2026").get_data(as_text=True)
    assert 'data-size="9" data-needed="6"' in _committee(then, case.id)
    assert 'value="15/05/2026"' in then  # the meeting's vote date, typed once
    typed = admit_form(case, vote_date="15/05/2026", **{f"votes_for-{case.id}": "x"})
    again = browser.post("/reviews/decide", typed).get_data(as_text=True)
    assert 'data-size="9"' in _committee(again, case.id)  # the day in the form


def _bulk_submitted(district, count: int) -> None:
    """`count` submitted dossiers in the district's cell, as Core executemany."""
    people, cases = Person.__table__, Case.__table__
    key = fold("Ứng Viên Số")
    with district.runtime.engine.begin() as conn:
        first = (conn.scalar(select(func.max(people.c.id))) or 0) + 1
        start = (conn.scalar(select(func.max(cases.c.id))) or 0) + 1
        conn.execute(
            people.insert(),
            [
                {
                    "id": first + i,
                    "full_name": f"Ứng Viên Số {i:05d}",
                    "search_name": f"{key} {i:05d}",
                    "birth_date": date(1990, 1, 1),
                    "is_doan_member": False,
                }
                for i in range(count)
            ],
        )
        conn.execute(
            cases.insert(),
            [
                {
                    "id": start + i,
                    "person_id": first + i,
                    "cell_id": district.cell.id,
                    "state": State.dossier_submitted.value,
                    "version": 1,
                    "source": "cell_review",
                    "opened_on": date(2025, 1, 1),
                    "cell_vote_date": date(2025, 1 + i % 12, 1 + i % 28),
                }
                for i in range(count)
            ],
        )
        conn.execute(update(Case).values(submitted_by_user_id=None))


def test_ten_thousand_dossiers_cost_what_sixty_do(app, district):
    """A page of the queue reads a page of it: as many statements for 10,000 waiting dossiers
    as for 60 (its speed is measured by the load benchmark, not asserted here)."""
    browser = signed_in(app, "com")
    _bulk_submitted(district, 60)
    few = count_queries(app, browser, "/reviews/")
    _bulk_submitted(district, 9_940)
    many = count_queries(app, browser, "/reviews/")
    page = browser.get("/reviews/").get_data(as_text=True)
    rows = _rows(page)
    assert len(rows) == 50 and "50 of the 10000 dossiers waiting" in page
    assert "01/01/2025" in page  # the longest waiting first
    assert _more(page) is not None
    assert many == few, f"{many} statements for 10,000 dossiers, {few} for 60"
