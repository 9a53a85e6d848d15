"""``hoso report targets`` and ``hoso report statistics``: the yearly targets against results,
and the yearly statistics of new members, as text or JSON.

The JSON objects are documented in docs/targets.md ("The JSON of hoso report targets") and
docs/statistics.md.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import click

from db.actors import actor_by_username
from db.read.enterprises import WithoutParty, without_party
from db.read.reports import targets_report
from db.read.statistics import statistics_report
from web.cli.common import domain_errors, echo_json, runtime
from web.reports.statistics_export import as_json as statistics_json
from workflow.clock import Clock
from workflow.errors import InvalidInput, NotFound
from workflow.fields import parse_date
from workflow.policy import names_in_reports
from workflow.services.targets import report_scope
from workflow.statistics import value_label
from workflow.targets import Status, TargetReport


@click.group()
def report() -> None:
    """Reports."""


@report.command("targets")
@click.option("--year", type=int, help="The year (default: this year).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object (docs/targets.md).")
@click.option("--as", "username", help="Only what this user may see (default: everything).")
@click.option("--today", help="Count as on this day (YYYY-MM-DD; default: today).")
@domain_errors
def targets_command(year: int | None, as_json: bool, username: str | None, today: str | None):
    """Targets against results: per organisation, the enterprise share, the quotas."""
    day = parse_date("--today", today) if today else Clock.system().today
    year = year or day.year
    if not 1900 <= year <= 2200:
        raise InvalidInput("--year", "a year from 1900 to 2200")
    rt = runtime()
    with rt.sessions() as session:
        scope, names = _scope_of(session, username), True
        if username:  # the user's case scope decides whether candidates are named
            names = names_in_reports(actor_by_username(session, username), scope)
        result = targets_report(session, scope, year, day, rt.settings.targets, names=names)
        spare = without_party(session, scope)
    if as_json:
        echo_json({**report_json(result), "enterprises_without_party": spare_json(spare)})
    else:
        _print(result)


def _scope_of(session, username: str | None):
    """Everything without ``--as``; else what the user may read (NotFound, NotAllowed)."""
    if not username:
        return None
    actor = actor_by_username(session, username)
    if actor is None:
        raise NotFound(f"no active user {username}")
    return report_scope(actor)


@report.command("statistics")
@click.option("--year", type=int, help="The year (default: this year).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object (docs/statistics.md).")
@click.option("--as", "username", help="Only what this user may see (default: everything).")
@domain_errors
def statistics_command(year: int | None, as_json: bool, username: str | None):
    """Who was admitted in the year: by category, sex, ethnicity, religion, age band,
    education and organisation, with the admissions outside hoso."""
    year = year or Clock.system().today.year
    if not 1900 <= year <= 2200:
        raise InvalidInput("--year", "a year from 1900 to 2200")
    rt = runtime()
    with rt.sessions() as session:
        result = statistics_report(session, _scope_of(session, username), year, rt.settings.targets)
    if as_json:
        echo_json(statistics_json(result))
        return
    click.echo(
        f"statistics {result.year}: {result.total} admitted "
        f"({result.admitted} in hoso, {result.outside} outside)"
    )
    for dimension, b in result.breakdowns.items():
        lines = [f"{value_label(dimension, x.key, 'en')} {x.count}" for x in b.lines]
        if b.outside_apart:
            lines.append(f"outside hoso, no breakdown {b.outside_apart}")
        click.echo(f"{dimension}: " + "; ".join(lines))
    for row in result.organisations:
        click.echo(
            f"{'  ' * row.depth}{row.org.name}: {row.admitted} in hoso, {row.outside} outside"
        )


def _number(value: Decimal | Fraction | int | None, places: int = 1) -> float | int | None:
    """A JSON number: whole values as integers, others rounded to `places` decimals."""
    if value is None:
        return None
    if value == int(value):
        return int(value)
    return round(float(value), places)


def spare_json(w: WithoutParty) -> dict[str, Any]:
    """The enterprises without a party organisation: where the 2% target can grow."""
    return {
        "enterprises": [
            {"name": r.name, "workforce": r.workforce, "survey_status": r.survey_status}
            for r in w.rows
        ],
        "count": w.count,
        "workforce": w.workforce,
    }


def report_json(r: TargetReport) -> dict[str, Any]:
    """The report as plain JSON values."""
    s = r.settings
    return {
        "year": r.year,
        "as_of": r.today.isoformat(),
        "phase": r.phase.value,
        "year_elapsed": round(float(r.elapsed), 3),
        "settings": {
            "conversion": {str(k): float(v) for k, v in s.conversion.items()},
            "late_in_year": float(s.late_in_year),
            "stuck_days": {str(k): v for k, v in s.stuck_days.items()},
        },
        "totals": r.totals,
        "organisations": [
            {
                "id": row.org.id,
                "name": row.org.name,
                "type": row.org.type,
                "unit_kind": row.org.unit_kind,
                "depth": row.depth,
                "admitted": row.admitted,
                "admitted_by_unit": row.by_unit,
                "pipeline": row.pipeline,
                "in_pipeline": row.in_pipeline,
                "expected": _number(row.expected),
                "projection": _number(row.projection),
                "status": row.status.value,
                "no_pipeline": row.no_pipeline,
                "stuck": row.stuck,
                "oldest_stuck_days": row.oldest_days,
                "targets": [
                    {
                        "id": c.target.id,
                        "metric": c.target.metric,
                        "unit_kind": c.target.unit_kind,
                        "category": c.target.category,
                        "value": _number(c.target.value),
                        "admitted": c.admitted,
                        "projection": _number(c.projection),
                        "status": c.status.value,
                        "note": c.target.note,
                    }
                    for c in row.checks
                ],
                "by_year": {
                    str(y): {"admitted": n, "target": _number(goal)}
                    for y, (n, goal) in row.by_year.items()
                },
                "outside": row.outside,
            }
            for row in r.rows
        ],
        "enterprise_share": [
            {
                "organisation": sh.org.name,
                "organisation_id": sh.org.id,
                "target_percent": _number(sh.target.value, 2),
                "enterprise": sh.enterprise,
                "total": sh.total,
                "percent": float(sh.shown) if sh.shown is not None else None,
                "exact_percent": _number(sh.exact, 4),
                "projected_percent": _number(sh.projected, 1),
                "met": sh.exact is not None and sh.exact >= sh.target.value,
                "rounding_hides_miss": sh.rounding_hides_miss,
                "outside_enterprise": sh.outside_enterprise,
                "outside_total": sh.outside_total,
                "status": sh.status.value,
            }
            for sh in r.shares
        ],
        "introductions": [
            {
                "organisation": q.org.name,
                "organisation_id": q.org.id,
                "mass_kind": q.org.mass_kind,
                "attached_to": q.attached_to,
                "quota": _number(q.target.value) if q.target else None,
                "introduced": q.introduced,
                "status": q.status.value,
            }
            for q in r.quotas
        ],
        "history": [
            {
                "year": h.year,
                "admitted": h.admitted,
                **h.by_unit,
                "enterprise_share": float(h.enterprise_share)
                if h.enterprise_share is not None
                else None,
                "targets_met": h.targets_met,
                "targets_counted": h.targets_counted,
                "introductions": h.introductions,
                "enterprise_workers": h.enterprise_workers,
                "outside": h.outside,
            }
            for h in r.history
        ],
        "stuck": [
            {
                "case_id": c.case_id,
                "name": c.name,
                "cell": c.cell,
                "state": c.state,
                "since": c.since.isoformat(),
                "days": c.days,
            }
            for c in r.stuck
        ],
        "cells_without_pipeline": [row.org.name for row in r.cells_without_pipeline],
    }


_MARK = {
    Status.met: "met",
    Status.on_track: "on track",
    Status.at_risk: "AT RISK",
    Status.missed: "MISSED",
    Status.no_target: "",
}


def _print(r: TargetReport) -> None:
    click.echo(f"targets {r.year} as of {r.today.isoformat()} ({r.phase.value})")
    live = r.phase.value != "past"
    for row in r.rows:
        goal = ", ".join(f"≥{_number(c.target.value)}" for c in row.checks) or "-"
        extra = (
            f"  pipeline {row.in_pipeline}, projection {_number(row.projection)}" if live else ""
        )
        flags = "  no candidate in the pipeline" if row.no_pipeline else ""
        click.echo(
            f"{'  ' * row.depth}{row.org.name}: admitted {row.admitted}, target {goal}{extra}"
            f"  {_MARK[row.status]}{flags}"
        )
    for sh in r.shares:
        shown = f"{sh.shown}%" if sh.shown is not None else "—"
        click.echo(
            f"enterprise share of {sh.org.name}: {sh.enterprise}/{sh.total} = {shown} "
            f"(target ≥{_number(sh.target.value, 2)}%)  {_MARK[sh.status]}"
        )
    for q in r.quotas:
        quota = _number(q.target.value) if q.target else "-"
        click.echo(f"introductions of {q.org.name}: {q.introduced}/{quota}  {_MARK[q.status]}")
    click.echo("year  admitted  school  enterprise  share")
    for h in r.history:
        share = f"{h.enterprise_share}%" if h.enterprise_share is not None else "—"
        click.echo(
            f"{h.year}  {h.admitted:>8}  {h.by_unit['school']:>6}  {h.by_unit['enterprise']:>10}"
            f"  {share}"
        )
    for c in r.stuck:
        click.echo(f"stuck: case {c.case_id} {c.name} ({c.cell}) {c.state} for {c.days} days")
