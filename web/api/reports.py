"""``/api/v1/organisations`` and ``/api/v1/reports/...``: the tree the token may see, and the
yearly targets and statistics as ``/reports`` serves them (the JSON of ``hoso report``)."""

from __future__ import annotations

from datetime import date

from flask import Response, current_app, jsonify
from flask_smorest import Blueprint

from db.read.enterprises import without_party
from db.read.reports import organisations, targets_report
from db.read.statistics import statistics_report
from web.api.auth import api_actor
from web.api.common import refusals
from web.api.schemas import OrganisationSchema, ReportSchema, YearQuery
from web.cli.reports import report_json, spare_json
from web.context import db_session, runtime
from web.reports.statistics_export import as_json as statistics_json
from workflow.clock import Clock
from workflow.policy import Purpose, Scope, names_in_reports
from workflow.services.statistics import statistics_scope
from workflow.services.targets import report_scope

bp = Blueprint("api_reports", __name__, description="Organisations, targets and statistics.")


def _today() -> date:
    return current_app.config.get("REPORT_TODAY") or Clock.system().today


@bp.route("/organisations", methods=["GET"])
@bp.response(200, OrganisationSchema(many=True))
@refusals(bp)
def list_organisations():
    """The organisations under the token's grants (each grant's subtree), parents first."""
    paths = tuple(sorted({g.scope_path for g in api_actor().grants}))
    rows = organisations(db_session(), Scope(Purpose.cases, paths=paths))
    return [
        {
            "id": o.id,
            "parent_id": o.parent_id,
            "name": o.name,
            "type": o.type,
            "unit_kind": o.unit_kind,
            "mass_kind": o.mass_kind,
            "path": o.path,
            "depth": o.depth,
        }
        for o in rows
    ]


def _json(body: dict) -> Response:
    response = jsonify(body)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/reports/targets", methods=["GET"])
@bp.arguments(YearQuery, location="query", as_kwargs=True)
@bp.response(200, ReportSchema)
@refusals(bp, 403, 422)
def targets(year: int | None = None):
    """Targets against results for `year` (default: this year) within the token's scope: the
    JSON of ``hoso report targets --json`` (docs/targets.md)."""
    actor = api_actor()
    scope = report_scope(actor)
    today = _today()
    # Names only where the token's case scope covers the whole report, as on the web: an admin
    # (even one who is also a cell's secretary) gets counts; the names are not even read.
    names = names_in_reports(actor, scope)
    report = targets_report(
        db_session(), scope, year or today.year, today, runtime().settings.targets, names=names
    )
    body = report_json(report)
    if not names:
        for stuck in body["stuck"]:
            stuck["name"] = None
    body["enterprises_without_party"] = spare_json(without_party(db_session(), scope))
    return _json(body)


@bp.route("/reports/statistics", methods=["GET"])
@bp.arguments(YearQuery, location="query", as_kwargs=True)
@bp.response(200, ReportSchema)
@refusals(bp, 403, 422)
def statistics(year: int | None = None):
    """Who was admitted in `year` (default: this year), counted by category, sex, ethnicity,
    religion, age band, education and organisation (docs/statistics.md): counts, never names."""
    scope = statistics_scope(api_actor())
    report = statistics_report(
        db_session(), scope, year or _today().year, runtime().settings.targets
    )
    return _json(statistics_json(report))
