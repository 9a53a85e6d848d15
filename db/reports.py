"""The targets report's reads, and the admins' use cases that edit targets.

The reads are a handful of GROUP BY aggregates (admissions per cell and year, open cases per cell
and state, introductions per cell, source and year) plus the open cases with the day they entered
their state; ``workflow.targets.build_report`` does the rest in memory. No ORM object is loaded:
every query runs on the session's connection and is unpacked as tuples.

A reader sees the organisations under their committee, secretary, auditor and admin grants; the
command line (no actor) sees the whole tree.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

from sqlalchemy import ColumnElement, and_, extract, false, func, or_, select, true
from sqlalchemy.orm import Session, sessionmaker

from db.admin import admin_paths
from db.enterprises import WithoutParty, without_party
from db.models import Case, Decision, Event, Organisation, Person, Target
from db.read.proposals import accepted_by_cell_and_year, proposal_case_ids
from db.repositories.history import SqlHistory
from db.session import WRITE, instance_path
from workflow import targets as t
from workflow.dates import LOCAL_ZONE
from workflow.errors import InvalidInput, NotAllowed, NotFound
from workflow.facts import Actor
from workflow.ports import NewEvent
from workflow.states import OrgType, Role, Source, UnitKind

#: The roles that read the targets report, each within the scope of its grant.
REPORT_ROLES: tuple[str, ...] = (Role.committee, Role.secretary, Role.auditor, Role.admin)


# --- settings ----------------------------------------------------------------------------------


def load_target_settings(folder: Path | None = None) -> t.TargetSettings:
    """The ``[targets]`` table of the instance's ``hoso.toml`` over the defaults."""
    path = (folder or instance_path()) / "hoso.toml"
    if not path.exists():
        return t.DEFAULT_TARGET_SETTINGS
    return _settings_of(str(path), path.stat().st_mtime_ns)


@lru_cache(maxsize=8)
def _settings_of(path: str, _mtime: int) -> t.TargetSettings:
    with open(path, "rb") as handle:
        try:
            data = tomllib.load(handle)
        except tomllib.TOMLDecodeError as err:
            raise ValueError(f"{path}: {err}") from err
    try:
        return t.TargetSettings.from_mapping(data.get("targets", {}))
    except (TypeError, ValueError) as err:
        raise ValueError(f"{path}: {err}") from err


# --- scope -------------------------------------------------------------------------------------


def report_paths(actor: Actor | None) -> list[str] | None:
    """The scope paths the actor reads the report under (``None``: everything)."""
    if actor is None:
        return None
    return sorted({g.scope_path for g in actor.grants if g.role in REPORT_ROLES})


def may_read_report(actor: Actor) -> bool:
    """Whether the actor sees the targets report at all."""
    return bool(report_paths(actor))


def _under(paths: list[str] | None) -> ColumnElement[bool]:
    if paths is None:
        return true()
    if not paths:
        return false()
    return or_(*(Organisation.path.startswith(p) for p in paths))


# --- the report --------------------------------------------------------------------------------


def organisations(session: Session, paths: list[str] | None) -> list[t.OrgNode]:
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
        .where(_under(paths))
        .order_by(Organisation.path)
    )
    return [t.OrgNode(*row) for row in rows]


def _cells_in_scope(query, paths: list[str] | None):
    """Restrict a query over cases to the cells in scope (no join when everything is)."""
    if paths is None:
        return query
    return query.join(Organisation, Organisation.id == Case.cell_id).where(_under(paths))


def admission_counts(session: Session, paths: list[str] | None) -> list[t.CellYearCount]:
    """Admission decisions per cell and year of signature."""
    year = extract("year", Decision.signed_on)
    query = (
        select(Case.cell_id, year, func.count(func.distinct(Decision.case_id)))
        .select_from(Decision)
        .join(Case, Case.id == Decision.case_id)
        .where(Decision.kind == "admission")
    )
    query = _cells_in_scope(query, paths).group_by(Case.cell_id, year)
    return [t.CellYearCount(c, int(y), n) for c, y, n in session.connection().execute(query).all()]


def pipeline_counts(session: Session, paths: list[str] | None) -> list[t.CellStateCount]:
    """Open cases per cell and state, now."""
    query = select(Case.cell_id, Case.state, func.count()).where(Case.state.in_(t.PIPELINE_STATES))
    query = _cells_in_scope(query, paths).group_by(Case.cell_id, Case.state)
    return [t.CellStateCount(*row) for row in session.connection().execute(query).all()]


def introduction_counts(session: Session, paths: list[str] | None) -> list[t.IntroducedCount]:
    """Accepted introductions per cell, organisation and year: the accepted proposals (named by
    their organisation, in the year of the decision), and the cases opened without a proposal
    whose recorded source is a mass organisation (in the year they were opened)."""
    year = extract("year", Case.opened_on)
    query = select(Case.cell_id, Case.source_detail, year, func.count()).where(
        Case.source == Source.mass_organisation,
        Case.source_detail.is_not(None),
        Case.id.not_in(proposal_case_ids()),
    )
    query = _cells_in_scope(query, paths).group_by(Case.cell_id, Case.source_detail, year)
    return [
        t.IntroducedCount(c, d, int(y), n)
        for c, d, y, n in session.connection().execute(query).all()
    ] + [t.IntroducedCount(*row) for row in accepted_by_cell_and_year(session, _under(paths))]


def open_cases(session: Session, paths: list[str] | None) -> list[t.OpenCase]:
    """Every open case with the day it last entered its current state (by its events)."""
    entered = (
        select(Event.case_id, func.max(Event.at).label("at"))
        .join(Case, and_(Case.id == Event.case_id, Case.state == Event.to_state))
        .where(
            Case.state.in_(t.PIPELINE_STATES),
            or_(Event.from_state.is_(None), Event.from_state != Event.to_state),
        )
        .group_by(Event.case_id)
    )
    entered = _cells_in_scope(entered, paths).subquery()
    query = (
        select(Case.id, Person.full_name, Case.cell_id, Case.state, entered.c.at, Case.opened_on)
        .join(Person, Person.id == Case.person_id)
        .outerjoin(entered, entered.c.case_id == Case.id)
        .where(Case.state.in_(t.PIPELINE_STATES))
    )
    query = _cells_in_scope(query, paths)
    return [
        t.OpenCase(case_id, name, cell_id, state, _local_day(at) if at else opened)
        for case_id, name, cell_id, state, at, opened in session.connection().execute(query).all()
    ]


#: The local zone's offset from UTC in minutes (Vietnam: +7:00 since 1975, no summer time).
_OFFSET_MINUTES = int(LOCAL_ZONE.utcoffset(datetime(2000, 1, 1)).total_seconds()) // 60


def _local_day(stamp: str) -> date:
    """The local date of an event's stamp (``YYYY-MM-DDTHH:MM:SS.ffffffZ``, UTC), from the text:
    this runs once per open case."""
    minutes = int(stamp[11:13]) * 60 + int(stamp[14:16]) + _OFFSET_MINUTES
    return date.fromisoformat(stamp[:10]) + timedelta(days=minutes // 1440)


def target_rows(
    session: Session, paths: list[str] | None, years: tuple[int, int] | None = None
) -> list[t.Target]:
    """The targets of the organisations in scope, within `years` (first, last) if given."""
    query = select(
        Target.id,
        Target.organisation_id,
        Target.year,
        Target.metric,
        Target.kind,
        Target.value,
        Target.unit_kind,
        Target.note,
    ).join(Organisation, Organisation.id == Target.organisation_id)
    query = query.where(_under(paths)).order_by(Organisation.path, Target.year, Target.metric)
    if years is not None:
        query = query.where(Target.year.between(*years))
    return [
        t.Target(i, o, y, m, k, Decimal(v), u, n)
        for i, o, y, m, k, v, u, n in session.connection().execute(query)
    ]


def targets_report(
    session: Session,
    actor: Actor | None,
    year: int,
    today: date,
    settings: t.TargetSettings = t.DEFAULT_TARGET_SETTINGS,
) -> t.TargetReport:
    """The report of `year` on `today`, over the actor's scope (everything for ``None``)."""
    paths = report_paths(actor)
    if paths is not None and not paths:
        raise NotAllowed("only the committee, secretaries, auditors and admins read the targets")
    first = min(settings.first_year, year)
    return t.build_report(
        year,
        today,
        organisations(session, paths),
        target_rows(session, paths, (first, year)),
        admission_counts(session, paths),
        pipeline_counts(session, paths),
        introduction_counts(session, paths),
        open_cases(session, paths),
        settings,
    )


def enterprises_without_party(session: Session, actor: Actor | None) -> WithoutParty:
    """The enterprises without a party cell in the reader's scope, for the targets report."""
    return without_party(session, report_paths(actor))


def report_years(session: Session, actor: Actor | None, today: date) -> list[int]:
    """The years a reader may pick: from the first with a target or an admission to this one."""
    paths = report_paths(actor)
    first_target = session.scalar(
        select(func.min(Target.year))
        .join(Organisation, Organisation.id == Target.organisation_id)
        .where(_under(paths))
    )
    first_decision = session.scalar(
        select(func.min(extract("year", Decision.signed_on))).where(Decision.kind == "admission")
    )
    first = min(y for y in (first_target, first_decision, today.year) if y is not None)
    return list(range(int(first), today.year + 1))


# --- the admins' edits -------------------------------------------------------------------------

# The refusals' texts (the web translates them).
TARGET_EXISTS = "this organisation already has this target for the year"
WRONG_ORGANISATION = "this kind of organisation cannot hold this target"
BAD_VALUE = "a whole number from 0 to 9999"
BAD_PERCENT = "a percentage from 0 to 100, at most two decimals"
BAD_YEAR = "a year from 2000 to 2100"
UNKNOWN_CHOICE = "not one of the choices"
TOO_LONG = "too long"

#: The organisations that may hold each metric.
HOLDERS: dict[str, tuple[str, ...]] = {
    t.Metric.admissions: (OrgType.committee, OrgType.cell),
    t.Metric.enterprise_share: (OrgType.committee,),
    t.Metric.introductions: (OrgType.mass,),
}
UNIT_CHOICES = (t.ALL_UNITS, *(k.value for k in UnitKind))
#: The administrative events these use cases write (as ``db.admin`` writes its own).
TARGET_ACTIONS = ("admin_create_target", "admin_update_target", "admin_delete_target")


def _admin_paths(actor: Actor) -> list[str]:
    paths = admin_paths(actor)
    if not paths:
        raise NotAllowed("only an admin edits targets")
    return paths


def _org_in_scope(session: Session, paths: list[str], org_id: int | None) -> Organisation:
    org = session.get(Organisation, org_id) if org_id is not None else None
    if org is None or not any(org.path.startswith(p) for p in paths):
        raise NotFound(f"organisation {org_id}")
    return org


def _target_in_scope(session: Session, paths: list[str], target_id: int) -> Target:
    target = session.get(Target, target_id)
    if target is None:
        raise NotFound(f"target {target_id}")
    org = session.get(Organisation, target.organisation_id)
    if org is None or not any(org.path.startswith(p) for p in paths):
        raise NotFound(f"target {target_id}")
    return target


def parse_value(metric: str, raw: object) -> Decimal:
    """A target's value: a whole count, or a percentage with at most two decimals."""
    percentage = t.METRIC_KIND.get(metric) == t.TargetKind.percentage
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        value = Decimal("NaN")
    if percentage:
        if (
            not value.is_finite()
            or not 0 <= value <= 100
            or value != value.quantize(Decimal("0.01"))
        ):
            raise InvalidInput("value", BAD_PERCENT)
        return value.quantize(Decimal("0.01"))
    if not value.is_finite() or value != value.to_integral_value() or not 0 <= value <= 9999:
        raise InvalidInput("value", BAD_VALUE)
    return value.quantize(Decimal(1))


def _note(note: str | None) -> str | None:
    text = (note or "").strip()
    if len(text) > 500:
        raise InvalidInput("note", TOO_LONG)
    return text or None


@contextmanager
def _unit(sessions: sessionmaker[Session]) -> Iterator[Session]:
    with sessions() as session:
        session.connection(execution_options=WRITE)
        yield session


def _log(session: Session, actor: Actor, action: str, target: Target, org: Organisation) -> None:
    """The administrative event, in the change's own transaction (as ``db.admin._log``)."""
    assert action in TARGET_ACTIONS, action
    SqlHistory(session).append(
        NewEvent(
            case_id=None,
            organisation_id=org.id,
            at=datetime.now(UTC),
            user_id=actor.user_id,
            username=actor.username,
            role=Role.admin,
            action=action,
            from_state=None,
            to_state=None,
            reason=None,
            data={
                "target_id": target.id,
                "organisation": org.name,
                "year": target.year,
                "metric": target.metric,
                "unit_kind": target.unit_kind,
                "value": str(target.value),
                "note": target.note,
            },
            ruleset="-",
        )
    )


def create_target(
    sessions: sessionmaker[Session],
    actor: Actor,
    *,
    organisation_id: int,
    year: int,
    metric: str,
    value: object,
    unit_kind: str = t.ALL_UNITS,
    note: str | None = None,
) -> int:
    """A new target of an organisation in the admin's scope; returns its id."""
    paths = _admin_paths(actor)
    if metric not in HOLDERS:
        raise InvalidInput("metric", UNKNOWN_CHOICE)
    if not 2000 <= int(year) <= 2100:
        raise InvalidInput("year", BAD_YEAR)
    unit = unit_kind or t.ALL_UNITS
    if unit not in UNIT_CHOICES or (metric != t.Metric.admissions and unit != t.ALL_UNITS):
        raise InvalidInput("unit_kind", UNKNOWN_CHOICE)
    amount = parse_value(metric, value)
    text = _note(note)
    with _unit(sessions) as session:
        org = _org_in_scope(session, paths, organisation_id)
        if org.type not in HOLDERS[metric]:
            raise InvalidInput("organisation", WRONG_ORGANISATION)
        taken = select(Target.id).where(
            Target.organisation_id == org.id,
            Target.year == year,
            Target.metric == metric,
            Target.unit_kind == unit,
        )
        if session.scalar(taken) is not None:
            raise InvalidInput("metric", TARGET_EXISTS)
        target = Target(
            organisation_id=org.id,
            year=int(year),
            metric=metric,
            kind=t.METRIC_KIND[metric],
            value=amount,
            unit_kind=unit,
            note=text,
        )
        session.add(target)
        session.flush()
        _log(session, actor, "admin_create_target", target, org)
        session.commit()
        return target.id


def update_target(
    sessions: sessionmaker[Session],
    actor: Actor,
    target_id: int,
    *,
    value: object,
    note: str | None = None,
) -> None:
    """Change a target's value and note (its organisation, year and metric stay)."""
    paths = _admin_paths(actor)
    text = _note(note)
    with _unit(sessions) as session:
        target = _target_in_scope(session, paths, target_id)
        target.value = parse_value(target.metric, value)
        target.note = text
        session.flush()
        _log(
            session,
            actor,
            "admin_update_target",
            target,
            session.get(Organisation, target.organisation_id),
        )
        session.commit()


def delete_target(sessions: sessionmaker[Session], actor: Actor, target_id: int) -> None:
    """Remove a target (the history keeps what it was)."""
    paths = _admin_paths(actor)
    with _unit(sessions) as session:
        target = _target_in_scope(session, paths, target_id)
        _log(
            session,
            actor,
            "admin_delete_target",
            target,
            session.get(Organisation, target.organisation_id),
        )
        session.delete(target)
        session.commit()


def editable_targets(session: Session, actor: Actor, year: int) -> list[tuple[t.Target, str, str]]:
    """The targets of `year` in the admin's scope, with their organisation's name and type."""
    paths = _admin_paths(actor)
    orgs = {o.id: o for o in organisations(session, paths)}
    rows = target_rows(session, paths, (year, year))
    rows.sort(key=lambda row: (t.tree_order(orgs[row.organisation_id]), row.metric))
    return [(row, orgs[row.organisation_id].name, orgs[row.organisation_id].type) for row in rows]


def target_holders(session: Session, actor: Actor) -> list[t.OrgNode]:
    """The organisations in the admin's scope that may hold a target."""
    kinds = {kind for holders in HOLDERS.values() for kind in holders}
    return [o for o in organisations(session, _admin_paths(actor)) if o.type in kinds]
