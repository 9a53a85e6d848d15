"""The case list: search, filters, scope, sorting, and one page of plain rows.

Two queries make a page: a COUNT over the matching cases (only the cell joined, for the scope),
and the page, whose case ids are picked from the indexes before only those rows are joined to
their person, cell and mentor. Rows are plain dicts: no ORM object, no state machine.

The COUNT stops at ``COUNT_CAP`` rows (or at the current page's end, if further): counting all
100,000 cases of a district cost more than the rest of the page, so the page says "more than
1,000" instead. The name search is a substring match on the folded name, served by a trigram
index (migration 0010): the FTS5 table on SQLite, pg_trgm's GIN index (which serves ``LIKE``
itself) on PostgreSQL. A query under three characters has no trigram and is matched with LIKE.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, column, func, literal_column, select, table
from sqlalchemy.orm import Session, aliased

from db.models import Case, Member, Organisation, Person
from db.models.people import NAME_SEARCH_FTS
from db.paging import Page
from db.read.cases import scope_filter
from db.read.cells import cells_of
from db.text import fold
from workflow.facts import Actor
from workflow.policy import Purpose

#: Sort keys: newest first (the default), oldest first, by name (diacritics folded).
SORTS = ("-id", "id", "name")
DEFAULT_SORT = "-id"

#: The count stops after this many rows: the page then says "more than 1,000".
COUNT_CAP = 1000
#: The trigram tokenizer matches substrings of at least three characters.
TRIGRAM = 3

_MentorPerson = aliased(Person, name="mentor_person")
#: The FTS5 table of migration 0010 (SQLite): its rowid is the person's id.
_NAMES_FTS = table(NAME_SEARCH_FTS, column("rowid"), column("search_name"))


@dataclass(frozen=True)
class CaseFilters:
    """What the user asked for; every field is optional and already validated."""

    q: str = ""
    state: str | None = None
    cell_id: int | None = None
    unit_kind: str | None = None
    year: int | None = None
    sort: str = DEFAULT_SORT


#: One page of the list (kept as a name for its callers).
CasePage = Page


def _phrase(key: str) -> str:
    """`key` as an FTS5 phrase: matches exactly the substrings LIKE would (quotes doubled,
    nothing else is special inside a phrase)."""
    return '"' + key.replace('"', '""') + '"'


def people_named(key: str, dialect: str) -> Select:
    """The ids of the people whose folded name contains `key` (already folded).

    On SQLite a key of three characters or more is looked up in the FTS5 trigram table.
    Elsewhere, ``LIKE`` with its wildcards escaped: on PostgreSQL the pg_trgm GIN index serves it.
    """
    if dialect == "sqlite" and len(key) >= TRIGRAM:
        return select(_NAMES_FTS.c.rowid).where(_NAMES_FTS.c.search_name.match(_phrase(key)))
    return select(Person.id).where(Person.search_name.contains(key, autoescape=True))


def _name_condition(key: str, dialect: str, dense: bool) -> ColumnElement[bool]:
    """The cases whose person's folded name contains `key`.

    A semi-join by default, so that the planner may start from the few people whose name
    matches. When the name is known to be common (`dense`: the count reached its cap) SQLite
    is asked instead to walk the cases in the page's order and test each one's name, which
    finds a page of "nguyen" after a few hundred rows rather than sorting all 10,000 matches.
    """
    if dense and dialect == "sqlite":
        named = aliased(Person, name="named")
        return (
            select(named.id)
            .where(named.id == Case.person_id, named.search_name.contains(key, autoescape=True))
            .exists()
        )
    return Case.person_id.in_(people_named(key, dialect))


def _conditions(
    actor: Actor, filters: CaseFilters, dialect: str, dense: bool = False, name: bool = True
) -> list[ColumnElement[bool]]:
    """The WHERE clauses: the actor's scope, then each filter given (the name unless not
    `name`: the caller joins the name index itself)."""
    conditions = [scope_filter(actor)]
    key = fold(filters.q)
    if key and name:
        conditions.append(_name_condition(key, dialect, dense))
    if filters.state:
        conditions.append(Case.state == filters.state)
    if filters.cell_id is not None:
        conditions.append(Case.cell_id == filters.cell_id)
    if filters.unit_kind:
        conditions.append(Organisation.unit_kind == filters.unit_kind)
    if filters.year is not None:
        # A range, not EXTRACT(YEAR ...), so that the index on opened_on serves it.
        conditions.append(Case.opened_on >= date(filters.year, 1, 1))
        conditions.append(Case.opened_on < date(filters.year + 1, 1, 1))
    return conditions


def _matching(
    actor: Actor, filters: CaseFilters, dialect: str, *columns: Any, dense: bool = False
) -> Select:
    """`columns` over the cases that match: only the cell is joined (the scope needs it)."""
    return (
        select(*columns)
        .select_from(Case)
        .join(Organisation, Organisation.id == Case.cell_id)
        .where(*_conditions(actor, filters, dialect, dense))
    )


def count_query(
    actor: Actor, filters: CaseFilters, limit: int | None = None, dialect: str = "default"
) -> Select:
    """``SELECT count(*)`` over the matching cases, or over the first `limit` of them.

    With a limit the database stops after `limit` rows (``count(*)`` over a ``LIMIT``ed
    subquery) instead of walking every match: on page 1 that is 1,001 rows, not 100,000. On
    SQLite a name is joined to its FTS5 table, which the planner then walks first and stops
    early (a semi-join would first collect every match).
    """
    key = fold(filters.q)
    if dialect == "sqlite" and len(key) >= TRIGRAM:
        matching = (
            select(literal_column("1"))
            .select_from(Case)
            .join(Organisation, Organisation.id == Case.cell_id)
            .join(_NAMES_FTS, _NAMES_FTS.c.rowid == Case.person_id)
            .where(_NAMES_FTS.c.search_name.match(_phrase(key)))
            .where(*_conditions(actor, filters, dialect, name=False))
        )
    else:
        matching = _matching(actor, filters, dialect, literal_column("1"))
    if limit is None:
        return select(func.count()).select_from(matching.subquery("matching"))
    return select(func.count()).select_from(matching.limit(limit).subquery("first"))


def page_query(
    actor: Actor,
    filters: CaseFilters,
    limit: int | None,
    offset: int | None,
    dialect: str = "default",
    dense: bool = False,
) -> Select:
    """One page of rows: case, person, cell and mentor's name, in one query.

    The inner query picks the page's case ids from narrow index scans; only those rows are
    then joined to their person and mentor (a "deferred join": deep pages stay cheap).
    `dialect` picks the name search's index (``people_named``); the default works everywhere.
    `dense` says the name searched for is common (``_name_condition``).
    """
    if filters.sort == "name":
        keys = _matching(actor, filters, dialect, Case.id, Person.search_name, dense=dense)
        keys = keys.join(Person, Person.id == Case.person_id)
        keys = keys.order_by(Person.search_name, Case.id)
    else:
        keys = _matching(actor, filters, dialect, Case.id, dense=dense)
        keys = keys.order_by(Case.id if filters.sort == "id" else Case.id.desc())
    keys = keys.limit(limit).offset(offset).subquery("page")
    if filters.sort == "name":
        order: tuple[ColumnElement[Any], ...] = (keys.c.search_name, keys.c.id)
    else:
        order = (keys.c.id if filters.sort == "id" else keys.c.id.desc(),)
    return (
        select(
            Case.id,
            Person.full_name.label("name"),
            Person.birth_date,
            Case.state,
            Case.cell_id,
            Organisation.name.label("cell"),
            _MentorPerson.full_name.label("mentor"),
            Case.opened_on,
        )
        .select_from(keys)
        .join(Case, Case.id == keys.c.id)
        .join(Person, Person.id == Case.person_id)
        .join(Organisation, Organisation.id == Case.cell_id)
        .outerjoin(Member, Member.id == Case.mentor_id)
        .outerjoin(_MentorPerson, _MentorPerson.id == Member.person_id)
        .order_by(*order)
    )


def search_cases(
    session: Session, actor: Actor, filters: CaseFilters, page: int = 1, page_size: int = 50
) -> CasePage:
    """The page `page` of the cases the actor may see that match `filters`.

    The total is exact up to ``COUNT_CAP`` (or up to the end of page `page`, if further);
    beyond, the page's ``more`` is set and its total is that bound. A page past the end shows
    the last page. An actor with no case list (``policy.has_case_list``) gets no rows.
    """
    dialect = session.get_bind().dialect.name
    page = max(1, page)
    # One row past what the page must know: whether there is more than the cap, and whether
    # the requested page exists (a page past the end is then counted exactly and clamped).
    bound = max(COUNT_CAP, page * page_size)
    counted = session.scalar(count_query(actor, filters, limit=bound + 1, dialect=dialect)) or 0
    more = counted > bound
    total = bound if more else counted
    if not more:
        page = min(page, CasePage([], total, 1, page_size).pages)
    rows: list[dict[str, Any]] = []
    if total:
        offset = (page - 1) * page_size
        query = page_query(actor, filters, page_size, offset, dialect=dialect, dense=more)
        rows = [row._asdict() for row in session.execute(query)]
    return CasePage(rows=rows, total=total, page=page, page_size=page_size, more=more)


def cells_in_scope(session: Session, actor: Actor) -> list[tuple[int, str]]:
    """The party cells of the actor's case list, as ``(id, name)`` by name."""
    return cells_of(session, actor, Purpose.cases)


def opening_years(session: Session, today: date) -> list[int]:
    """The years cases were opened in, newest first (this year included).

    Two single-aggregate queries, each answered from the index on ``opened_on``.
    """
    first = session.scalar(select(func.min(Case.opened_on)))
    last = session.scalar(select(func.max(Case.opened_on)))
    low = first.year if first else today.year
    high = max(last.year if last else today.year, today.year)
    return list(range(high, low - 1, -1))
