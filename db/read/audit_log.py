"""The auditors' read side of the history: events across a scope, one case's chain, exports.

Every query joins the event's case and its cell, and keeps only what the reader's auditor or
committee grants cover (``db.read.cases.scope_filter``). Times are compared as the stored UTC text;
the filters' days are local days, turned into UTC bounds here.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Engine, Select, func, select, text
from sqlalchemy.orm import Session

from db.models import Case, Event, Organisation, Person, User
from db.paging import Page
from db.read.cases import scope_filter
from workflow.admin import ADMIN_ACTIONS
from workflow.classes import ACTIONS as CLASS_ACTIONS
from workflow.definition import FACTS, SPECS
from workflow.facts import Actor
from workflow.history import CANONICAL_COLUMNS, day_end_stamp, digest_matches
from workflow.logins import ACCOUNT_ACTIONS
from workflow.policy import Purpose
from workflow.ports.history import ChainCheckpoint
from workflow.proposals import ACTION_LABELS as PROPOSAL_ACTIONS
from workflow.states import Role

#: The roles that read the history of their scope.
AUDIT_ROLES: tuple[str, ...] = (Role.auditor, Role.committee)

#: Every action an event can name: the triggers, then ``record_<fact>``.
ACTIONS: tuple[str, ...] = (
    *SPECS,
    *(f"record_{kind}" for kind in FACTS),
    *ADMIN_ACTIONS,
    *ACCOUNT_ACTIONS,
    *(str(action) for action in PROPOSAL_ACTIONS),
    *CLASS_ACTIONS,
    "generate_document",
)


def may_audit(actor: Actor) -> bool:
    """Whether the actor reads any history at all."""
    return bool(actor.roles() & set(AUDIT_ROLES))


def audit_scope(actor: Actor) -> ColumnElement[bool]:
    """The cases whose history the actor reads: those under an auditor or committee grant.

    Only those grants count: a mentor's own mentees or a secretary's cell are not "audited" by
    them here. The query must join ``Organisation`` as the case's cell.
    """
    reader = Actor(
        user_id=actor.user_id,
        username=actor.username,
        grants=tuple(g for g in actor.grants if g.role in AUDIT_ROLES),
    )
    return scope_filter(reader, Purpose.audit)


@dataclass(frozen=True)
class EventFilters:
    """What the auditor asked for; every field optional and already validated."""

    case_id: int | None = None
    username: str | None = None
    action: str | None = None
    since: date | None = None  # a local day, included
    until: date | None = None  # a local day, included

    @property
    def any(self) -> bool:
        values = (self.case_id, self.username, self.action, self.since, self.until)
        return any(v is not None for v in values)


def _day_start_stamp(day: date) -> str | None:
    """The UTC stamp at which local `day` begins (``None``: the calendar's first day)."""
    return None if day <= date.min else day_end_stamp(day - timedelta(days=1))


def _conditions(actor: Actor, filters: EventFilters) -> list[ColumnElement[bool]]:
    conditions = [audit_scope(actor)]
    if filters.case_id is not None:
        conditions.append(Event.case_id == filters.case_id)
    if filters.username:
        conditions.append(func.lower(Event.username) == filters.username.lower())
    if filters.action:
        conditions.append(Event.action == filters.action)
    if filters.since is not None and (start := _day_start_stamp(filters.since)) is not None:
        conditions.append(Event.at >= start)
    if filters.until is not None and (end := day_end_stamp(filters.until)) is not None:
        conditions.append(Event.at < end)
    return conditions


def _matching(actor: Actor, filters: EventFilters, *columns: Any) -> Select:
    """`columns` over the events that match, with their case and its cell joined.

    An administrative event has no case: its organisation stands in for the cell.
    """
    return (
        select(*columns)
        .select_from(Event)
        .outerjoin(Case, Case.id == Event.case_id)
        .join(Organisation, Organisation.id == func.coalesce(Case.cell_id, Event.organisation_id))
        .where(*_conditions(actor, filters))
    )


#: The columns of a listed or exported event.
_ROW = (
    Event.id,
    Event.case_id,
    Event.at,
    Event.user_id,
    Event.username,
    User.full_name.label("user_name"),
    Event.role,
    Event.action,
    Event.from_state,
    Event.to_state,
    Event.reason,
    Event.data,
    Event.ruleset,
    Event.prev_digest,
    Event.digest,
    Person.full_name.label("candidate"),
    Organisation.name.label("cell"),
)


def events_query(actor: Actor, filters: EventFilters) -> Select:
    """The matching events, newest first, with the candidate's and the cell's names."""
    return (
        _matching(actor, filters, *_ROW)
        .outerjoin(Person, Person.id == Case.person_id)
        .outerjoin(User, User.id == Event.user_id)
        .order_by(Event.id.desc())
    )


#: Events counted at most for a page's total ("more than 10,000 events" beyond).
COUNT_CAP = 10_000

#: One page of the list (kept as a name for its callers).
EventPage = Page


def event_page(
    session: Session, actor: Actor, filters: EventFilters, page: int = 1, page_size: int = 50
) -> EventPage:
    """One page of the events the actor may read, newest first (a page past the end: the last).

    The total is exact up to ``COUNT_CAP`` (or up to the end of page `page`, if further); beyond,
    the page's ``more`` is set and its total is that bound, as on the candidates list.
    """
    page = max(page, 1)
    # One row past what the page must know (counting all 1,000,000 events took 300 ms on three
    # cores per view under load).
    bound = max(COUNT_CAP, page * page_size)
    matching = _matching(actor, filters, Event.id).limit(bound + 1).subquery()
    counted = session.scalar(select(func.count()).select_from(matching)) or 0
    more = counted > bound
    total = bound if more else counted
    if not more:
        page = min(page, max(1, -(-total // page_size)))
    query = events_query(actor, filters).limit(page_size).offset((page - 1) * page_size)
    rows = [dict(row._mapping) for row in session.execute(query)]
    return EventPage(rows, total, page, page_size, more)


def iter_events(
    session: Session, actor: Actor, filters: EventFilters, batch: int = 1000
) -> Iterator[dict[str, Any]]:
    """Every matching event, newest first, fetched `batch` rows at a time (for exports)."""
    query = events_query(actor, filters).execution_options(yield_per=batch)
    for row in session.execute(query):
        yield dict(row._mapping)


# --- one case --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseHistory:
    """One case's events with everything stored about them, oldest first."""

    case_id: int
    candidate: str
    cell_id: int
    cell: str
    state: str
    events: list[dict[str, Any]] = field(default_factory=list)


def case_history(session: Session, actor: Actor, case_id: int) -> CaseHistory | None:
    """A case's full chain of events, or ``None`` when it does not exist for this actor.

    Each event says whether its stored content still hashes to its stored digest (given its
    stored previous digest): an edit shows here at once, while a rewritten chain needs the whole
    walk (``db.history.verify``).
    """
    head = session.execute(
        select(
            Case.id,
            Case.state,
            Person.full_name,
            Organisation.id.label("cell_id"),
            Organisation.name,
        )
        .join(Person, Person.id == Case.person_id)
        .join(Organisation, Organisation.id == Case.cell_id)
        .where(Case.id == case_id, audit_scope(actor))
    ).one_or_none()
    if head is None:
        return None
    names = dict(
        session.execute(
            select(User.id, User.full_name)
            .join(Event, Event.user_id == User.id)
            .where(Event.case_id == case_id)
            .distinct()
        ).all()
    )
    rows = session.execute(
        select(Event).where(Event.case_id == case_id).order_by(Event.id)
    ).scalars()
    events = []
    for event in rows:
        values = [getattr(event, column) for column in CANONICAL_COLUMNS]
        try:
            data = json.loads(event.data)
        except ValueError:
            data = None  # not JSON any more: shown raw, and the digest will not match either
        events.append(
            {
                **{column: getattr(event, column) for column in CANONICAL_COLUMNS},
                "user_name": names.get(event.user_id) or event.username,
                "data_raw": event.data,
                "data_parsed": data,
                "prev_digest": event.prev_digest,
                "digest": event.digest,
                "digest_ok": digest_matches(event.prev_digest, values, event.digest),
            }
        )
    return CaseHistory(head.id, head.full_name, head.cell_id, head.name, head.state, events)


def event_case_in_scope(session: Session, actor: Actor, event_id: int) -> int | None:
    """The case of event `event_id` if the actor reads it, else ``None``."""
    return session.scalar(
        select(Case.id)
        .join(Event, Event.case_id == Case.id)
        .join(Organisation, Organisation.id == Case.cell_id)
        .where(Event.id == event_id, audit_scope(actor))
    )


#: The stored check's result without the replay's buckets (a digest per 64 cases, 1.4 MB of JSON
#: on 100,000 cases), which only the next check reads: parsing them cost 70 ms per /audit/ view.
_SUMMARY = {
    "postgresql": "(result::jsonb #- '{replay,buckets}')::text",
    "sqlite": "json_remove(result, '$.replay.buckets')",
}


def last_check_summary(engine: Engine) -> ChainCheckpoint | None:
    """The last stored chain check as a page shows it: its result without the replay's buckets."""
    result = _SUMMARY.get(engine.dialect.name, "result")
    with engine.connect() as connection:
        row = connection.execute(
            text(
                f"SELECT last_id, count, digest, checked_at, seconds, {result} AS result "
                "FROM chain_checks WHERE id = 1"
            )
        ).one_or_none()
    if row is None:
        return None
    at = datetime.fromisoformat(row.checked_at.replace("Z", "+00:00"))
    return ChainCheckpoint(
        row.last_id, row.count, row.digest, at, row.seconds, json.loads(row.result)
    )
