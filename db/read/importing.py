"""The rows of an export: the case list's rows (same filters, scope and order,
``db.read.search``) with the person's particulars, under names the import reads back."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Select
from sqlalchemy.orm import Session

from db.models import Person
from db.read.search import CaseFilters, page_query
from workflow.facts import Actor

#: The person's particulars an export adds to the list's columns.
_PARTICULARS = (
    Person.sex,
    Person.birth_place,
    Person.hometown,
    Person.ethnicity,
    Person.religion,
    Person.education,
    Person.residence,
    Person.occupation,
    Person.id_number,
    Person.is_doan_member,
)


def export_rows(
    session: Session, actor: Actor, filters: CaseFilters, batch: int = 1000
) -> Iterator[dict[str, Any]]:
    """Every case of the list `filters` select, in the list's scope and order, with the person's
    particulars: plain dicts, streamed `batch` rows at a time. (Whether the actor has a list at
    all, ``workflow.policy.has_case_list``, is the view's question: outside the scope there are
    no rows.)"""
    query = page_query(actor, filters, limit=None, offset=None).add_columns(*_PARTICULARS)
    return _stream(session, query, batch)


def _stream(session: Session, query: Select, batch: int) -> Iterator[dict[str, Any]]:
    result = session.execute(query.execution_options(yield_per=batch))
    for row in result:
        yield row._asdict()
