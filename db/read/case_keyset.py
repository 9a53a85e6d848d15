"""The case list of the API: the same scope and filters as the site's list, in keyset pages.

A page is the cases after a cursor (the last id of the previous page), newest first: each page
costs one index range scan however deep it lies, and a case added meanwhile never shifts the
pages (an OFFSET would show a row twice or skip one).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from db.models import Case, Member, Organisation, Person
from db.read.cases import scope_filter
from db.read.scope import under
from db.read.search import people_named
from db.text import fold
from workflow.facts import Actor

_Mentor = aliased(Person, name="mentor_person")


@dataclass(frozen=True)
class KeysetFilters:
    """What the caller asked for, already validated; every field is optional."""

    q: str = ""
    state: str | None = None
    #: Only the cases of cells under this organisation (itself included).
    organisation_id: int | None = None


@dataclass(frozen=True)
class KeysetPage:
    """Rows newest first, and the cursor of the next page (``None`` on the last one)."""

    rows: list[dict[str, Any]]
    next: int | None


def case_keyset(
    session: Session, actor: Actor, filters: KeysetFilters, after: int | None, limit: int
) -> KeysetPage:
    """Up to `limit` cases the actor may see, matching `filters`, with ids below `after`."""
    dialect = session.get_bind().dialect.name
    ids = (
        select(Case.id)
        .join(Organisation, Organisation.id == Case.cell_id)
        .where(scope_filter(actor))
    )
    key = fold(filters.q)
    if key:
        ids = ids.where(Case.person_id.in_(people_named(key, dialect)))
    if filters.state:
        ids = ids.where(Case.state == filters.state)
    if filters.organisation_id is not None:
        found = session.scalar(
            select(Organisation.path).where(Organisation.id == filters.organisation_id)
        )
        # Its subtree, by the one scope rule's test (an unknown organisation: no case).
        ids = ids.where(under(Organisation.path, (found,) if found else ()))
    if after is not None:
        ids = ids.where(Case.id < after)
    # One row more than asked: whether a next page exists, without counting.
    page = ids.order_by(Case.id.desc()).limit(limit + 1).subquery("page")
    query = (
        select(
            Case.id,
            Person.full_name.label("name"),
            Person.birth_date,
            Case.state,
            Case.version,
            Case.cell_id,
            Organisation.name.label("cell"),
            _Mentor.full_name.label("mentor"),
            Case.opened_on,
        )
        .select_from(page)
        .join(Case, Case.id == page.c.id)
        .join(Person, Person.id == Case.person_id)
        .join(Organisation, Organisation.id == Case.cell_id)
        .outerjoin(Member, Member.id == Case.mentor_id)
        .outerjoin(_Mentor, _Mentor.id == Member.person_id)
        .order_by(Case.id.desc())
    )
    rows = [row._asdict() for row in session.execute(query)]
    more = len(rows) > limit
    rows = rows[:limit]
    return KeysetPage(rows, rows[-1]["id"] if more and rows else None)
