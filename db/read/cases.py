"""Read-side queries: lists and details as plain dicts, without loading the state machine."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import Session, aliased

from db.models import Case, Member, Organisation, Person, User
from db.read.history import case_events
from db.read.scope import scope_clause
from workflow import policy
from workflow.facts import Actor
from workflow.history import EventView, replay
from workflow.policy import Purpose
from workflow.states import State

_MentorPerson = aliased(Person)
_MENTOR_ACTIONS = ("assign_mentor", "reassign_mentor")


def case_rows_query(state: str | None = None) -> Select:
    """Cases with their person, cell and mentor's username: one query, no ORM objects."""
    query = (
        select(
            Case.id,
            Person.full_name.label("name"),
            Case.state,
            Organisation.name.label("cell"),
            User.username.label("mentor"),
            _MentorPerson.full_name.label("mentor_name"),
            Case.version,
        )
        .join(Person, Person.id == Case.person_id)
        .join(Organisation, Organisation.id == Case.cell_id)
        .outerjoin(Member, Member.id == Case.mentor_id)
        .outerjoin(_MentorPerson, _MentorPerson.id == Member.person_id)
        .outerjoin(User, User.member_id == Case.mentor_id)
        .order_by(Case.id)
    )
    if state is not None:
        query = query.where(Case.state == state)
    return query


_LABELS_VI = {state.value: state.label_vi for state in State}


def list_cases(session: Session, state: str | None = None) -> list[dict[str, Any]]:
    """Every case as ``{id, name, state, organisation, mentor, ...}``.

    Runs on the session's connection and unpacks plain tuples: a list of thousands of cases
    builds no ORM object and no state machine.
    """
    rows = session.connection().execute(case_rows_query(state))
    return [
        {
            "id": case_id,
            "name": name,
            "state": case_state,
            "state_label": _LABELS_VI[case_state],
            "organisation": cell,
            "mentor": mentor,
            "mentor_name": mentor_name,
            "version": version,
        }
        for case_id, name, case_state, cell, mentor, mentor_name, version in rows
    ]


def case_detail(session: Session, case_id: int, at: date | None = None) -> dict[str, Any] | None:
    """One case now, or as its events describe it at the end of `at`."""
    rows = session.execute(case_rows_query().where(Case.id == case_id)).all()
    if not rows:
        return None
    row = rows[0]
    events = case_events(session, case_id)
    snapshot = replay(events, until=at)
    detail: dict[str, Any] = {
        "id": row.id,
        "name": row.name,
        "organisation": row.cell,
        "mentor": row.mentor,
        "version": row.version,
        "state": row.state,
    }
    shown = events[: snapshot.events]
    if at is not None:
        # As it stood then: the mentor of then too, not today's.
        detail.update(at=at.isoformat(), exists=snapshot.state is not None)
        if snapshot.state is None:
            return {**detail, "state": None, "mentor": None, "events": []}
        detail.update(state=snapshot.state, mentor=_mentor_in(session, shown))
    detail.update(
        state_label=State(detail["state"]).label_vi,
        data=snapshot.data,
        facts=snapshot.facts,
        events=[
            {
                "id": e.id,
                "at": e.at,
                "action": e.action,
                "from": e.from_state,
                "to": e.to_state,
                "user": e.username,
                "role": e.role,
                "reason": e.reason,
                "data": e.data,
                "ruleset": e.ruleset,
            }
            for e in shown
        ],
    )
    return detail


def _mentor_in(session: Session, events: list[EventView]) -> str | None:
    """The username of the mentor these events last assigned (``None`` if none yet)."""
    member_id = next(
        (e.data.get("mentor_id") for e in reversed(events) if e.action in _MENTOR_ACTIONS),
        None,
    )
    if member_id is None:
        return None
    return session.scalar(select(User.username).where(User.member_id == member_id).limit(1))


def scope_filter(actor: Actor, purpose: Purpose | str = Purpose.cases) -> ColumnElement[bool]:
    """A WHERE clause for the cases `actor` may see for `purpose` (``workflow.policy.scope``):
    the scope's subtrees, and for ``cases`` the actor's own mentees. The query must join
    ``Organisation`` as the case's cell."""
    return scope_clause(policy.scope(actor, purpose), Organisation.path, Case.mentor_id)
