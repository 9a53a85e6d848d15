"""The targets report's reads, and the admins' list of targets to edit.

The reads are a handful of GROUP BY aggregates (admissions per cell and year, open cases per cell
and state, introductions per cell, source and year) plus the open cases with the day they entered
their state; ``workflow.targets.build_report`` does the rest in memory. No ORM object is loaded:
every query runs on the session's connection and is unpacked as tuples.

Each read takes the reader's scope (``workflow.services.targets.report_scope``, or the admin's
``manage_scope`` for the edits); ``None`` (the command line without ``--as``) reads everything.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import (
    Date,
    Integer,
    Select,
    String,
    case,
    cast,
    extract,
    func,
    literal,
    null,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import Session

from db.models import Case, Decision, Organisation, Person
from db.models import Target as TargetRow
from db.read.outside import outside_totals
from db.read.proposals import accepted_by_cell_and_year, proposal_case_ids
from db.read.scope import scope_clause
from db.read.tree import tree_of_year
from db.repositories.targets import COLUMNS, target_of
from workflow import targets as t
from workflow.policy import Scope
from workflow.states import Source
from workflow.targets.edits import HOLDER_TYPES


def _in(scope: Scope | None):
    return scope_clause(scope, Organisation.path)


def organisations(session: Session, scope: Scope | None) -> list[t.OrgNode]:
    """The organisations in scope, as plain nodes."""
    rows = session.connection().execute(
        select(
            Organisation.id,
            Organisation.parent_id,
            Organisation.name,
            Organisation.type,
            Organisation.unit_kind,
            Organisation.path,
            Organisation.mass_kind,
        )
        .where(_in(scope))
        .order_by(Organisation.path)
    )
    return [t.OrgNode(*row) for row in rows]


def year_organisations(
    session: Session, scope: Scope | None, year: int, today: date
) -> list[t.OrgNode]:
    """The organisations of `year` in scope: those that existed at some time that year, each as
    it stood on its last day in it (``db.read.tree.tree_of_year``), with that year's paths.
    Whether one is in scope is the current tree's question (scopes follow the tree as it is)."""
    tree = tree_of_year(session, year, today)
    kinds = {
        org_id: (unit_kind, mass_kind)
        for org_id, unit_kind, mass_kind in session.connection().execute(
            select(Organisation.id, Organisation.unit_kind, Organisation.mass_kind).where(
                _in(scope)
            )
        )
    }
    nodes = []
    for v in tree.nodes.values():
        if v.org_id in kinds:
            unit_kind, mass_kind = kinds[v.org_id]
            path = tree.path(v.org_id)
            nodes.append(
                t.OrgNode(v.org_id, v.parent_id, v.name, v.type, unit_kind, path, mass_kind)
            )
    return sorted(nodes, key=t.tree_order)


#: The cell an admission counts at: the cell that admitted (``decisions.cell_id``, kept when the
#: member later moves), else the case's cell (decisions recorded before moves existed).
ADMITTING_CELL = func.coalesce(Decision.cell_id, Case.cell_id)


def _cells_in_scope(query: Select, scope: Scope | None, cell: Any = Case.cell_id) -> Select:
    """Restrict a query over cases to the cells in scope, `cell` being the column that names the
    cell (no join when everything is in scope)."""
    if scope is None:
        return query
    return query.join(Organisation, Organisation.id == cell).where(_in(scope))


def admission_counts(session: Session, scope: Scope | None) -> list[t.CellYearCount]:
    """Admission decisions per admitting cell, year of signature and category of the person
    admitted (a member transferred after admission still counts where they were admitted)."""
    year = extract("year", Decision.signed_on)
    cell = ADMITTING_CELL
    query = (
        select(cell, year, func.count(func.distinct(Decision.case_id)), Person.category)
        .select_from(Decision)
        .join(Case, Case.id == Decision.case_id)
        .join(Person, Person.id == Case.person_id)
        .where(Decision.kind == "admission")
    )
    query = _cells_in_scope(query, scope, cell).group_by(cell, year, Person.category)
    return [
        t.CellYearCount(c, int(y), n, cat)
        for c, y, n, cat in session.connection().execute(query).all()
    ]


def pipeline_counts(session: Session, scope: Scope | None) -> list[t.CellStateCount]:
    """Open cases per cell, state and category of the person, now."""
    query = (
        select(Case.cell_id, Case.state, func.count(), Person.category)
        .join(Person, Person.id == Case.person_id)
        .where(Case.state.in_(t.PIPELINE_STATES))
    )
    query = _cells_in_scope(query, scope).group_by(Case.cell_id, Case.state, Person.category)
    return [t.CellStateCount(*row) for row in session.connection().execute(query).all()]


def introduction_counts(session: Session, scope: Scope | None) -> list[t.IntroducedCount]:
    """Accepted introductions per cell, organisation and year: the accepted proposals (named by
    their organisation, in the year of the decision), and the cases opened without a proposal
    whose recorded source is a mass organisation (in the year they were opened)."""
    year = extract("year", Case.opened_on)
    query = select(Case.cell_id, Case.source_detail, year, func.count()).where(
        Case.source == Source.mass_organisation,
        Case.source_detail.is_not(None),
        Case.id.not_in(proposal_case_ids()),
    )
    query = _cells_in_scope(query, scope).group_by(Case.cell_id, Case.source_detail, year)
    return [
        t.IntroducedCount(c, d, int(y), n)
        for c, d, y, n in session.connection().execute(query).all()
    ] + [t.IntroducedCount(*row) for row in accepted_by_cell_and_year(session, _in(scope))]


#: The day a case entered its state (``cases.state_since``, kept by the write path; the opening
#: day for a row without it). Reading it walks no events: the page's stuck cases used to cost one
#: walk back through each open case's events, 130 ms of its 190 over 50,000 open cases.
SINCE = func.coalesce(Case.state_since, Case.opened_on)


def open_cases(session: Session, scope: Scope | None, names: bool = True) -> list[t.OpenCase]:
    """Every open case with the day it last entered its current state (``SINCE``); without
    `names`, the candidates' names are not even read (``policy.names_in_reports``)."""
    query = (
        select(
            Case.id,
            Person.full_name if names else literal(""),
            Case.cell_id,
            Case.state,
            SINCE,
        )
        .join(Person, Person.id == Case.person_id)
        .where(Case.state.in_(t.PIPELINE_STATES))
    )
    query = _cells_in_scope(query, scope)
    return [t.OpenCase(*row) for row in session.connection().execute(query).all()]


def stuck_cases(
    session: Session,
    scope: Scope | None,
    today: date,
    stuck_days: Mapping[str, int],
    shown: int,
    names: bool = True,
) -> tuple[dict[int, tuple[int, int]], list[t.OpenCase]]:
    """Per cell, its open cases stuck on `today` (how many, the longest in days), and the `shown`
    longest of them, as ``build_report``'s `stuck_counts` and `open_cases`: one statement,
    counted in the database (50,000 open cases made a page's report cost 0.5 s in Python)."""
    limits = {state: days for state, days in stuck_days.items() if state in t.PIPELINE_STATES}
    if not limits:
        return {}, []
    dialect = session.get_bind().dialect.name
    base = select(
        Case.id.label("id"),
        Case.cell_id.label("cell_id"),
        Case.state.label("state"),
        SINCE.label("since"),
    ).where(Case.state.in_(sorted(limits)))
    base = _cells_in_scope(base, scope).subquery()
    if dialect == "postgresql":
        days = type_coerce(literal(today, Date) - base.c.since, Integer)
    else:
        days = cast(func.julianday(today.isoformat()) - func.julianday(base.c.since), Integer)
    stuck = (
        select(base.c.id, base.c.cell_id, base.c.state, base.c.since, days.label("days"))
        .where(days > case(limits, value=base.c.state))
        .cte("stuck")
    )
    counts = select(
        stuck.c.cell_id,
        func.count(),
        func.max(stuck.c.days),
        *(cast(null(), kind) for kind in (Integer, String, String, Date)),
    ).group_by(stuck.c.cell_id)
    longest = (
        select(stuck.c.id, stuck.c.days)
        .order_by(stuck.c.days.desc(), stuck.c.id)
        .limit(shown)
        .subquery()
    )
    listed = (
        select(
            stuck.c.cell_id,
            cast(null(), Integer),
            stuck.c.days,
            stuck.c.id,
            Person.full_name if names else literal(""),
            stuck.c.state,
            stuck.c.since,
        )
        .join(longest, longest.c.id == stuck.c.id)
        .join(Case, Case.id == stuck.c.id)
        .join(Person, Person.id == Case.person_id)
    )
    per_cell: dict[int, tuple[int, int]] = {}
    rows = []
    for cell_id, n, days, case_id, name, state, since in session.connection().execute(
        union_all(counts, listed)
    ):
        if case_id is None:
            per_cell[cell_id] = (n, days)
        else:
            since = since if isinstance(since, date) else date.fromisoformat(since)
            rows.append(t.OpenCase(case_id, name, cell_id, state, since))
    return per_cell, rows


def target_rows(
    session: Session, scope: Scope | None, years: tuple[int, int] | None = None
) -> list[t.Target]:
    """The targets of the organisations in scope, within `years` (first, last) if given."""
    query = (
        select(*COLUMNS)
        .join(Organisation, Organisation.id == TargetRow.organisation_id)
        .where(_in(scope))
        .order_by(Organisation.path, TargetRow.year, TargetRow.metric)
    )
    if years is not None:
        query = query.where(TargetRow.year.between(*years))
    return [target_of(row) for row in session.connection().execute(query)]


def targets_report(
    session: Session,
    scope: Scope | None,
    year: int,
    today: date,
    settings: t.TargetSettings = t.DEFAULT_TARGET_SETTINGS,
    *,
    names: bool = True,
    stuck_shown: int | None = None,
) -> t.TargetReport:
    """The report of `year` on `today`, over `scope` (everything for ``None``); the stuck cases
    unnamed without `names` (``policy.names_in_reports``). With `stuck_shown` (a page), the stuck
    cases are counted in the database and only the longest `stuck_shown` are listed."""
    first = min(settings.first_year, year)
    stuck_counts = None
    if stuck_shown is None:
        cases = open_cases(session, scope, names)
    else:
        stuck_counts, cases = stuck_cases(
            session, scope, today, settings.stuck_days, stuck_shown, names
        )
    return t.build_report(
        year,
        today,
        year_organisations(session, scope, year, today),
        target_rows(session, scope, (first, year)),
        admission_counts(session, scope),
        pipeline_counts(session, scope),
        introduction_counts(session, scope),
        cases,
        settings,
        outside_totals(session, scope, (first, year)),
        stuck_counts,
    )


def report_years(session: Session, scope: Scope | None, today: date) -> list[int]:
    """The years a reader may pick: from the first with a target or an admission to this one."""
    first_target = session.scalar(
        select(func.min(TargetRow.year))
        .join(Organisation, Organisation.id == TargetRow.organisation_id)
        .where(_in(scope))
    )
    first_decision = session.scalar(
        select(func.min(extract("year", Decision.signed_on))).where(Decision.kind == "admission")
    )
    first = min(y for y in (first_target, first_decision, today.year) if y is not None)
    return list(range(int(first), today.year + 1))


def editable_targets(session: Session, scope: Scope, year: int) -> list[tuple[t.Target, str, str]]:
    """The targets of `year` in the admin's scope, with their organisation's name and type."""
    orgs = {o.id: o for o in organisations(session, scope)}
    rows = target_rows(session, scope, (year, year))
    rows.sort(key=lambda row: (t.tree_order(orgs[row.organisation_id]), row.metric))
    return [(row, orgs[row.organisation_id].name, orgs[row.organisation_id].type) for row in rows]


def target_holders(session: Session, scope: Scope) -> list[t.OrgNode]:
    """The organisations in the admin's scope that may hold a target."""
    current = set(
        session.scalars(select(Organisation.id).where(Organisation.dissolved_on.is_(None)))
    )
    return [o for o in organisations(session, scope) if o.type in HOLDER_TYPES and o.id in current]
