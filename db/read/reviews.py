"""The committee's review queue (``/reviews``), a page at a time: the submitted dossiers its
deciding bodies decide, the longest waiting first (oldest cell vote), 50 a page by keyset; and
per dossier the size of the committee that votes on it as it stood on the meeting's day.

Thousands of dossiers cost one keyset query, one count and one read of the tree of that day:
never a query (nor a unit of work) per row.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, and_, func, select, tuple_
from sqlalchemy.orm import Session

from db.models import Case, Organisation, Person
from db.read.tree import tree_at
from db.read.worklist import CaseRow, case_rows, role_clause
from workflow.facts import Actor
from workflow.states import Role, State
from workflow.tree import placement
from workflow.worklist import role_scope

#: Dossiers a page: a meeting decides a few dozen at most.
PAGE_SIZE = 50
#: How long a dossier has waited: since its cell's vote (the case's opening, should it lack one).
WAITING_FROM = func.coalesce(Case.cell_vote_date, Case.opened_on)


@dataclass(frozen=True)
class Cursor:
    """Where a page starts: after the dossier waiting since `since` with id `case_id`."""

    since: date
    case_id: int

    def token(self) -> str:
        """The cursor as the "more" link carries it."""
        return f"{self.since.isoformat()}.{self.case_id}"

    @classmethod
    def parse(cls, text: str | None) -> Cursor | None:
        """The cursor of a link, or ``None`` for the first page (a mangled one too)."""
        since, _, ident = (text or "").partition(".")
        try:
            return cls(date.fromisoformat(since), int(ident)) if ident.isdigit() else None
        except ValueError:
            return None


@dataclass(frozen=True)
class QueuePage:
    """One page of the queue, in waiting order; the cursor of the next page, if any; how many
    dossiers wait in all."""

    rows: list[CaseRow]
    next: Cursor | None
    total: int


def _waiting(actor: Actor) -> ColumnElement[bool]:
    where = role_clause(Role.committee, role_scope(actor, Role.committee))
    return and_(Case.state == State.dossier_submitted, where)


def queue_page(
    session: Session, actor: Actor, after: Cursor | None = None, size: int | None = None
) -> QueuePage:
    """The page of dossiers after `after` (the first page without), the longest waiting first
    (`size` a page: ``PAGE_SIZE`` unless told)."""
    size = size or PAGE_SIZE
    where = _waiting(actor)
    total = session.scalar(
        select(func.count())
        .select_from(Case)
        .join(Organisation, Organisation.id == Case.cell_id)
        .where(where)
    )
    keyed = where
    if after is not None:
        keyed = and_(where, tuple_(WAITING_FROM, Case.id) > tuple_(after.since, after.case_id))
    found = session.execute(
        select(Case.id, WAITING_FROM)
        .join(Organisation, Organisation.id == Case.cell_id)
        .where(keyed)
        .order_by(WAITING_FROM, Case.id)
        .limit(size + 1)
    ).all()
    shown = found[:size]
    order = {case_id: i for i, (case_id, _since) in enumerate(shown)}
    rows = case_rows(session, Case.id.in_(order)) if order else []
    rows.sort(key=lambda row: order[row.id])
    last = shown[-1] if len(found) > size else None
    return QueuePage(rows, Cursor(last[1], last[0]) if last else None, total or 0)


def committee_sizes(session: Session, cell_ids: Iterable[int], on: date) -> dict[int, int | None]:
    """Per cell, the size of the grassroots committee (đảng ủy cơ sở) that votes on its
    dossiers as the tree stood on `on` (its size then); ``None`` where none sat between the
    cell and its deciding body that day (no committee vote), or the cell did not exist."""
    wanted = set(cell_ids)
    if not wanted:
        return {}
    tree = tree_at(session, on)
    sizes: dict[int, int | None] = {}
    for cell_id in wanted:
        place = placement(tree, cell_id)
        grassroots = place.grassroots if place is not None else None
        sizes[cell_id] = grassroots.committee_size if grassroots is not None else None
    return sizes


def cells_of(session: Session, case_ids: Iterable[int]) -> dict[int, int]:
    """The cell of each of these cases."""
    wanted = sorted(set(case_ids))
    if not wanted:
        return {}
    query = select(Case.id, Case.cell_id).where(Case.id.in_(wanted))
    return {case_id: cell_id for case_id, cell_id in session.execute(query)}


def names_of(session: Session, case_ids: Iterable[int]) -> dict[int, str]:
    """The candidates' names of these cases (what a meeting's outcomes call them)."""
    wanted = sorted(set(case_ids))
    if not wanted:
        return {}
    query = (
        select(Case.id, Person.full_name)
        .join(Person, Person.id == Case.person_id)
        .where(Case.id.in_(wanted))
    )
    return {case_id: name for case_id, name in session.execute(query)}
