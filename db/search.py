"""The case list: search, filters, scope, sorting, and one page of plain rows.

Two queries make a page: a COUNT over the matching cases (only the cell joined, for the scope),
and the page, whose case ids are picked from the indexes before only those rows are joined to
their person, cell and mentor. Rows are plain dicts: no ORM object, no state machine.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session, aliased

from db.models import Case, Member, Organisation, Person
from db.paging import Page
from db.queries import scope_filter
from db.text import fold
from workflow.errors import NotAllowed
from workflow.facts import Actor
from workflow.policy import READERS, visible_paths
from workflow.states import OrgType, Role

#: Roles that have a case list: readers see their scope, mentors their own mentees.
LISTERS: tuple[str, ...] = (*READERS, Role.mentor)

#: Sort keys: newest first (the default), oldest first, by name (diacritics folded).
SORTS = ("-id", "id", "name")
DEFAULT_SORT = "-id"

_MentorPerson = aliased(Person, name="mentor_person")


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


def may_list(actor: Actor) -> bool:
    """Whether the actor has a case list at all (introducers, trainers, admins do not)."""
    return bool(actor.roles() & set(LISTERS))


def _conditions(actor: Actor, filters: CaseFilters) -> list[ColumnElement[bool]]:
    """The WHERE clauses: the actor's scope, then each filter given."""
    conditions = [scope_filter(actor)]
    key = fold(filters.q)
    if key:
        # A semi-join, so that the planner may start from the few people whose name matches.
        people = select(Person.id).where(Person.search_name.contains(key, autoescape=True))
        conditions.append(Case.person_id.in_(people))
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


def _matching(actor: Actor, filters: CaseFilters, *columns: Any) -> Select:
    """`columns` over the cases that match: only the cell is joined (the scope needs it)."""
    return (
        select(*columns)
        .select_from(Case)
        .join(Organisation, Organisation.id == Case.cell_id)
        .where(*_conditions(actor, filters))
    )


def count_query(actor: Actor, filters: CaseFilters) -> Select:
    """``SELECT count(*)`` over the matching cases, answered from indexes where possible."""
    return _matching(actor, filters, func.count())


def page_query(actor: Actor, filters: CaseFilters, limit: int, offset: int) -> Select:
    """One page of rows: case, person, cell and mentor's name, in one query.

    The inner query picks the page's case ids from narrow index scans; only those rows are
    then joined to their person and mentor (a "deferred join": deep pages stay cheap).
    """
    if filters.sort == "name":
        keys = _matching(actor, filters, Case.id, Person.search_name).join(
            Person, Person.id == Case.person_id
        )
        keys = keys.order_by(Person.search_name, Case.id)
    else:
        keys = _matching(actor, filters, Case.id)
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

    A page past the end shows the last page. Raises NotAllowed for an actor with no case list.
    """
    if not may_list(actor):
        raise NotAllowed("no role with a case list")
    total = session.scalar(count_query(actor, filters)) or 0
    last = CasePage([], total, 1, page_size).pages
    page = min(max(1, page), last)
    rows: list[dict[str, Any]] = []
    if total:
        query = page_query(actor, filters, limit=page_size, offset=(page - 1) * page_size)
        rows = [row._asdict() for row in session.execute(query)]
    return CasePage(rows=rows, total=total, page=page, page_size=page_size)


def cells_in_scope(session: Session, actor: Actor) -> list[tuple[int, str]]:
    """The party cells under the actor's listing roles, as ``(id, name)`` by name."""
    paths = visible_paths(actor, LISTERS)
    if not paths:
        return []
    query = (
        select(Organisation.id, Organisation.name)
        .where(Organisation.type == OrgType.cell)
        .where(or_(*(Organisation.path.startswith(p) for p in paths)))
        .order_by(Organisation.name)
    )
    return [(row.id, row.name) for row in session.execute(query)]


def opening_years(session: Session, today: date) -> list[int]:
    """The years cases were opened in, newest first (this year included).

    Two single-aggregate queries, each answered from the index on ``opened_on``.
    """
    first = session.scalar(select(func.min(Case.opened_on)))
    last = session.scalar(select(func.max(Case.opened_on)))
    low = first.year if first else today.year
    high = max(last.year if last else today.year, today.year)
    return list(range(high, low - 1, -1))
