"""Reading the case list's page, and the data behind it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from urllib.parse import urlencode

from sqlalchemy import select

from db.actors import actor_by_username
from db.models import Case, Organisation
from workflow import services
from workflow.clock import Clock

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
