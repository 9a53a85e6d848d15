"""Deadlines across a scope: the cases that carry one, in one query; the dates in Python.

The rows are the work lists' (``db.worklist``): the same columns, the same recognition-vote
subquery. A pre-filter in SQL keeps only the cases whose pending deadline may fall on or before a
horizon; ``workflow.reminders.due_items`` then computes each deadline in working days exactly.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from sqlalchemy import ColumnElement, and_, exists, false, or_, select
from sqlalchemy.orm import Session

from db.models import Case, Organisation, Vote
from db.worklist import CaseRow, case_rows
from workflow.dates import add_months
from workflow.deadlines import WorkingCalendar
from workflow.facts import Actor
from workflow.policy import READERS, visible_paths
from workflow.reminders import DueItem, due_items
from workflow.settings import RuleSettings
from workflow.states import OrgType, State, VoteBody

#: Slack for the month arithmetic of the pre-filter (the exact test runs in Python).
_SLACK = timedelta(days=3)


def under(paths: Iterable[str]) -> ColumnElement[bool]:
    """Cases whose cell lies under one of `paths` (the query joins ``Organisation`` as the cell)."""
    clauses = [Organisation.path.startswith(path) for path in paths]
    return or_(*clauses) if clauses else false()


def readable(actor: Actor) -> ColumnElement[bool]:
    """The cases the actor reads as secretary, committee or auditor (mentors' own aside)."""
    return under(visible_paths(actor, READERS))


def horizon(calendar: WorkingCalendar, today: date, within: int) -> date:
    """A day after every deadline due within `within` working days of `today`."""
    return calendar.add_working_days(today, within + 1)


def may_fall_due(by: date, settings: RuleSettings) -> ColumnElement[bool]:
    """Cases with a pending deadline that may be due on or before `by`.

    Never too narrow: n working days after a day end at least n calendar days after it, and a
    probation ends `probation_months` after the ceremony (the recognition vote later still).
    """
    limits = settings.deadlines
    recognition_voted = exists().where(
        Vote.case_id == Case.id,
        Vote.body == VoteBody.recognition,
        Vote.held_on <= by - timedelta(days=limits["recognition_decision"]),
    )
    ceremony_before = add_months(by, -settings.probation_months) + _SLACK
    return or_(
        and_(
            Case.state == State.dossier_submitted,
            Case.cell_vote_date <= by - timedelta(days=limits["decision"]),
        ),
        and_(
            Case.state == State.admitted,
            or_(
                and_(
                    Case.ceremony_on.is_(None),
                    Case.decision_date <= by - timedelta(days=limits["ceremony"]),
                ),
                Case.ceremony_on <= ceremony_before,
                recognition_voted,
            ),
        ),
    )


def deadline_rows(
    session: Session, where: ColumnElement[bool], by: date, settings: RuleSettings
) -> list[CaseRow]:
    """The cases matching `where` that may have a deadline due on or before `by`: one query."""
    return case_rows(session, and_(may_fall_due(by, settings), where))


def overview(
    session: Session,
    actor: Actor,
    calendar: WorkingCalendar,
    settings: RuleSettings,
    today: date,
    within: int,
) -> list[DueItem]:
    """Every deadline in the actor's reading scope that is overdue or due within `within` working
    days, earliest first."""
    rows = deadline_rows(session, readable(actor), horizon(calendar, today, within), settings)
    return due_items(rows, calendar, settings, today, within)


def cells_in_scope(session: Session, actor: Actor) -> list[tuple[int, str]]:
    """The party cells the actor reads, as ``(id, name)`` by name."""
    query = (
        select(Organisation.id, Organisation.name)
        .where(Organisation.type == OrgType.cell, readable(actor))
        .order_by(Organisation.name, Organisation.id)
    )
    return [(org_id, name) for org_id, name in session.execute(query)]
