"""The yearly statistics' reads: the people admitted in a year (one row each, as recorded) and
the outside totals, within the reader's scope; ``workflow.statistics.build_statistics`` counts.

No name leaves this module: the rows carry the person's category, sex, ethnicity, religion,
education and birth date, never who they are.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Case, Decision, Organisation, Person
from db.read.outside import outside_totals
from db.read.reports import ADMITTING_CELL, year_organisations
from db.read.scope import scope_clause
from workflow.clock import Clock
from workflow.policy import Scope
from workflow.statistics import (
    EDUCATION_VALUES,
    AdmittedPerson,
    StatisticsReport,
    build_statistics,
)
from workflow.targets import DEFAULT_TARGET_SETTINGS, TargetSettings


def admitted_people(session: Session, scope: Scope | None, year: int) -> list[AdmittedPerson]:
    """Everyone whose admission decision was signed in `year`, at the cell that admitted them
    (``reports.ADMITTING_CELL``), in cells within `scope`."""
    signed = func.min(Decision.signed_on)
    cell = ADMITTING_CELL  # where they were admitted, also if they moved since
    query = (
        select(
            cell,
            signed,
            Person.category,
            Person.sex,
            Person.ethnicity,
            Person.religion,
            Person.education,
            Person.birth_date,
        )
        .select_from(Decision)
        .join(Case, Case.id == Decision.case_id)
        .join(Person, Person.id == Case.person_id)
        .where(
            Decision.kind == "admission",
            Decision.signed_on.between(date(year, 1, 1), date(year, 12, 31)),
        )
        .group_by(Case.id, cell, Person.id)
    )
    if scope is not None:
        query = query.join(Organisation, Organisation.id == cell).where(
            scope_clause(scope, Organisation.path)
        )
    return [AdmittedPerson(*row) for row in session.connection().execute(query).all()]


def statistics_report(
    session: Session,
    scope: Scope | None,
    year: int,
    settings: TargetSettings = DEFAULT_TARGET_SETTINGS,
    today: date | None = None,
) -> StatisticsReport:
    """The statistics of `year` over `scope` (everything for ``None``), over the organisations
    that existed in that year, as they then stood (a committee dissolved before it is not listed;
    one dissolved during it is, with its year's cells below it)."""
    return build_statistics(
        year,
        year_organisations(session, scope, year, today or Clock.system().today),
        admitted_people(session, scope, year),
        outside_totals(session, scope, (year, year)),
        settings.age_bands,
        EDUCATION_VALUES,
    )
