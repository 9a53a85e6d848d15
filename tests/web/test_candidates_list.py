"""The case list (/candidates): scope by role, search, filters, sorting, pages, escaping, scale."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from sqlalchemy import func, select, update
from werkzeug.security import generate_password_hash

from db.actors import actor_by_username
from db.models import Case, Member, Organisation, Person, User
from db.text import fold
from workflow import services
from workflow.clock import Clock
from workflow.states import State

CVA = "Chi bộ trường THPT Chu Văn An"
DONG_THUY = "Chi bộ Công ty TNHH Đồng Thúy"


# --- reading the page ---------------------------------------------------------------------------


@dataclass
class Row:
    id: int
    cells: list[str] = field(default_factory=list)
    state: str = ""
    href: str = ""

    @property
    def name(self) -> str:
        return self.cells[0]

    @property
    def birth_date(self) -> str:
        return self.cells[1]

    @property
    def cell(self) -> str:
        return self.cells[2]

    @property
    def state_label(self) -> str:
        return self.cells[3]

    @property
    def mentor(self) -> str:
        return self.cells[4]

    @property
    def opened(self) -> str:
        return self.cells[5]


class _ListParser(HTMLParser):
    """The rows (``<tr data-case>``), the total (``data-total``) and the pager's links."""

    def __init__(self):
        super().__init__()
        self.rows: list[Row] = []
        self.total: int | None = None
        self.more = False
        self.links: dict[str, str] = {}
        self._row: Row | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "data-total" in a:
            self.total = int(a["data-total"])
            self.more = "data-more" in a
        if tag == "a" and a.get("rel") in ("prev", "next"):
            self.links[a["rel"]] = a["href"]
        if tag == "tr" and "data-case" in a:
            self._row = Row(int(a["data-case"]))
        elif self._row is not None and tag == "td":
            self._cell = []
        elif self._row is not None and tag == "span" and "state" in a.get("class", ""):
            self._row.state = a["class"].split("state-")[1]
        elif self._row is not None and tag == "a" and not self._row.href:
            self._row.href = a["href"]

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag):
        if tag == "td" and self._row is not None and self._cell is not None:
            self._row.cells.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None


@dataclass
class Listing:
    status: int
    html: str
    rows: list[Row]
    total: int | None
    links: dict[str, str]
    #: The count stopped at `total` ("more than 1,000").
    more: bool = False

    @property
    def ids(self) -> list[int]:
        return [row.id for row in self.rows]


def listing(browser, path: str = "/candidates", **args: str) -> Listing:
    """GET the list (`args` become the query string, encoded) and read its rows."""
    response = browser.get(f"{path}?{urlencode(args)}" if args else path)
    html = response.get_data(as_text=True)
    parser = _ListParser()
    parser.feed(html)
    return Listing(response.status_code, html, parser.rows, parser.total, parser.links, parser.more)


# --- the data behind it -------------------------------------------------------------------------


def case_ids(app, *where) -> set[int]:
    """The ids of the cases matching `where` (Organisation is joined as the cell)."""
    with app.extensions["hoso"].sessions() as session:
        query = select(Case.id).join(Organisation, Organisation.id == Case.cell_id).where(*where)
        return set(session.scalars(query))


def cell_id(app, name: str) -> int:
    with app.extensions["hoso"].sessions() as session:
        return session.scalar(select(Organisation.id).where(Organisation.name == name))


def add_candidate(app, full_name: str, birth_date: str = "2007-03-04", cell: str = CVA) -> int:
    """A new case in the Chu Văn An cell, opened through the use case by its secretary."""
    rt = app.extensions["hoso"]
    with rt.sessions() as session:
        secretary = actor_by_username(session, "bithu.chuvanan")
    case = services.identify_candidate(
        rt.uow(),
        secretary,
        {
            "full_name": full_name,
            "birth_date": birth_date,
            "cell": cell_id(app, cell),
            "source": "cell_review",
            "sex": "nam",
        },
        clock=Clock(datetime(2026, 11, 27, 3, 0, tzinfo=UTC)),
    )
    return case.id


@pytest.fixture
def one_page(app):
    """Every case on one page, so that a listing can be compared with the database."""
    app.config["PAGE_SIZE"] = 10_000
    return app


# --- who sees the list, and what ----------------------------------------------------------------


def test_not_logged_in_goes_to_login(browser):
    response = browser.get("/candidates?state=trained")
    assert response.status_code == 302
    target = urlsplit(response.headers["Location"])
    assert target.path == "/login"
    assert parse_qs(target.query)["next"] == ["/candidates?state=trained"]


@pytest.mark.parametrize("username", ["admin", "trungtam", "doan.chuvanan", "congdoan.dongthuy"])
def test_roles_without_a_case_list_get_403(login, username):
    page = listing(login(username))
    assert page.status == 403
    assert "data-case" not in page.html


def test_the_list_answers_with_and_without_a_trailing_slash(login):
    browser = login("bantochuc")
    assert listing(browser, "/candidates").ids == listing(browser, "/candidates/").ids != []


def test_secretary_sees_exactly_the_cases_of_their_cell(login, one_page):
    page = listing(login("bithu.chuvanan"))
    assert page.status == 200
    expected = case_ids(one_page, Organisation.name == CVA)
    assert expected and set(page.ids) == expected
    assert page.total == len(expected)
    assert {row.cell for row in page.rows} == {CVA}


def test_a_filter_cannot_widen_the_scope(login, one_page):
    browser = login("bithu.chuvanan")
    other = cell_id(one_page, DONG_THUY)
    page = listing(browser, f"/candidates?cell={other}")
    assert page.status == 200
    assert page.total == 0 and page.rows == []
    assert DONG_THUY not in page.html  # not even as a choice of the cell filter


def test_mentor_sees_only_their_own_mentees(login, one_page):
    with one_page.extensions["hoso"].sessions() as session:
        member_id = session.scalar(select(User.member_id).where(User.username == "giupdo.chuvanan"))
        mentor_name = session.scalar(
            select(Person.full_name)
            .join(Member, Member.person_id == Person.id)
            .where(Member.id == member_id)
        )
    own = case_ids(one_page, Case.mentor_id == member_id)
    whole_cell = case_ids(one_page, Organisation.name == CVA)
    assert own and own < whole_cell  # the demo gives the cell other mentors' cases too

    page = listing(login("giupdo.chuvanan"))
    assert page.status == 200
    assert set(page.ids) == own
    assert page.total == len(own)
    assert {row.mentor for row in page.rows} == {mentor_name}


@pytest.mark.parametrize("username", ["bantochuc", "kiemtra"])
def test_committee_and_auditor_see_the_whole_district(login, one_page, username):
    page = listing(login(username))
    everything = case_ids(one_page)
    assert set(page.ids) == everything
    assert page.total == len(everything)
    assert len({row.cell for row in page.rows}) > 1


# --- what a row shows ---------------------------------------------------------------------------


def test_a_row_shows_name_link_birth_date_cell_state_mentor_and_opening(login, app):
    case_id = add_candidate(app, "Phạm Thị Hồng Gấm", birth_date="2008-02-09")
    row = listing(login("bantochuc")).rows[0]  # newest first
    assert row.id == case_id
    assert row.name == "Phạm Thị Hồng Gấm"
    assert row.href == f"/candidates/{case_id}"
    assert row.birth_date == "09/02/2008"
    assert row.cell == CVA
    assert row.state == "identified"
    assert row.state_label == State.identified.label_vi
    assert row.mentor == ""
    assert row.opened == "27/11/2026"


def test_state_labels_follow_the_language(login):
    browser = login("bantochuc")
    vi = listing(browser, "/candidates?state=admitted")
    en = listing(browser, "/candidates?state=admitted&lang=en")
    assert vi.rows and {r.state_label for r in vi.rows} == {State.admitted.label_vi}
    assert {r.state_label for r in en.rows} == {State.admitted.label_en}
    assert f">{State.trained.label_en}</option>" in en.html  # the state filter's choices too


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


# --- scale --------------------------------------------------------------------------------------


def _bulk_cases(runtime, district, count: int) -> None:
    """`count` cases in the district's two cells, as Core executemany (seconds, not minutes)."""
    people, cases = Person.__table__, Case.__table__
    states = [s.value for s in State]
    prefix = "Ứng Viên Số"
    key = fold(prefix)  # folded once: the names differ only in their number
    with runtime.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # Else autovacuum may be at work on the throwaway database when the fixture drops it,
            # and a non-superuser may not terminate that worker.
            for table in ("people", "cases"):
                conn.exec_driver_sql(f"ALTER TABLE {table} SET (autovacuum_enabled = false)")
        first = (conn.scalar(select(func.max(people.c.id))) or 0) + 1
        person_rows, case_rows = [], []
        for i in range(count):
            person_rows.append(
                {
                    "id": first + i,
                    "full_name": f"{prefix} {i:06d}",
                    "search_name": f"{key} {i:06d}",
                    "birth_date": date(2000, 1, 1),
                    "is_doan_member": False,
                }
            )
            case_rows.append(
                {
                    "id": i + 1,
                    "person_id": first + i,
                    "cell_id": district.cell.id if i % 4 else district.other_cell.id,
                    "state": states[i % 10],
                    "version": 1,
                    "source": "cell_review",
                    "opened_on": date(2020 + i % 5, 1 + i % 12, 1),
                }
            )
        conn.execute(people.insert(), person_rows)
        conn.execute(cases.insert(), case_rows)
        if conn.dialect.name == "postgresql":
            for table in ("people", "cases"):
                conn.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT MAX(id) FROM {table}))"
                )
        conn.execute(
            update(User)
            .where(User.username == "com")
            .values(password_hash=generate_password_hash("pw", method="pbkdf2:sha256:1000"))
        )


@pytest.mark.slow
def test_the_list_over_100000_cases(runtime, district, tmp_path, monkeypatch):
    """Right page and right count on 100,000 cases (the timing lives in the benchmarks)."""
    from web import create_app

    _bulk_cases(runtime, district, 100_000)
    monkeypatch.setenv("HOSO_INSTANCE", str(tmp_path / "instance"))
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "test", "WTF_CSRF_ENABLED": False}, runtime=runtime
    )
    client = app.test_client()
    assert client.post("/login", data={"username": "com", "password": "pw"}).status_code == 302

    def get(path: str) -> Listing:
        page = listing(client, path)
        assert page.status == 200, path
        return page

    # Page 1 counts no further than 1,001 rows: "more than 1,000", and a next page.
    first = get("/candidates")
    assert (first.total, first.more) == (1000, True)
    assert first.ids == list(range(100_000, 99_950, -1))
    assert re.search(r"1[.,]000", first.html)  # the bound, grouped for reading
    assert "next" in first.links

    assert get("/candidates?page=2&sort=id").ids == list(range(51, 101))
    # The last page counts to its end: the exact total, and the clamp past the end.
    last = get("/candidates?page=2000")
    assert (last.total, last.more) == (100_000, False)
    assert re.search(r"100[.,]000", last.html)  # the total, grouped for reading
    assert last.ids == list(range(50, 0, -1)) == get("/candidates?page=2001").ids
    assert "next" not in last.links

    trained = get("/candidates?state=trained&page=3&sort=id")
    assert (trained.total, trained.more) == (1000, True)
    assert trained.ids == [i + 1 for i in range(100_000) if i % 10 == 2][100:150]
    assert get("/candidates?state=trained&page=200").total == 10_000

    year = get(f"/candidates?year=2022&cell={district.other_cell.id}&page=100")
    assert not year.more
    assert year.total == len([i for i in range(100_000) if i % 5 == 2 and i % 4 == 0])
    assert {row.opened[-4:] for row in year.rows} == {"2022"}

    named = get("/candidates?q=ung+vien+so+0999")
    assert named.total == 100 and len(named.rows) == 50
    assert named.ids == list(range(100_000, 99_950, -1))

    by_name = get("/candidates?sort=name&page=3")
    assert [row.name for row in by_name.rows] == [f"Ứng Viên Số {i:06d}" for i in range(100, 150)]
