"""``/reports/targets``: the page, and the same report as XLSX and CSV."""

from __future__ import annotations

from datetime import date

from flask import Response, abort, current_app, render_template, request
from flask_babel import gettext as _

from db.read.enterprises import without_party
from db.read.reports import report_years, targets_report
from db.read.verification import waiting_cases
from web.context import actor, db_session, runtime
from web.reports import bp
from web.reports.charts import Bar, Series, bars, lines
from web.reports.export import csv_bytes, xlsx_bytes
from workflow.clock import Clock
from workflow.deadlines import calendar_for
from workflow.policy import Scope, names_in_reports
from workflow.services.targets import report_scope
from workflow.states import OrgType, Role
from workflow.targets import PIPELINE_STATES, Phase, Status, TargetReport

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: At most this many stuck cases listed on the page (the XLSX has them all).
STUCK_SHOWN = 50
#: At most this many cells in the bar chart (the table lists them all).
CHART_CELLS = 40
_ORDER = {
    Status.missed: 0,
    Status.at_risk: 1,
    Status.on_track: 2,
    Status.met: 3,
    Status.no_target: 4,
}


def today() -> date:
    """The local date the report counts on (``REPORT_TODAY`` in the config fixes it for tests)."""
    return current_app.config.get("REPORT_TODAY") or Clock.system().today


def _year(on: date) -> int:
    raw = request.args.get("year", "")
    if not raw:
        return on.year
    if not raw.isdigit() or not 1900 <= int(raw) <= 2200:
        abort(400)
    return int(raw)


def _report(stuck_shown: int | None = None) -> TargetReport:
    """The targets report of the asked year; with `stuck_shown` (the page), only the longest
    stuck cases are listed (the exports list them all)."""
    on = today()
    settings = runtime().settings.targets
    scope = report_scope(actor())
    names = names_in_reports(actor(), scope)
    return targets_report(
        db_session(), scope, _year(on), on, settings, names=names, stuck_shown=stuck_shown
    )


def _verifying(where: Scope, on: date) -> dict:
    """The cases waiting on a biography verification, with the working days they have waited
    (names only for those who have a case list: an admin sees the count)."""
    calendar = calendar_for(runtime().settings.rules)
    rows = [
        (row, calendar.working_days_between(row.waiting_since, on) if row.waiting_since else None)
        for row in waiting_cases(db_session(), where)
    ]
    return {"rows": rows, "names": names_in_reports(actor(), where)}


def _short(name: str) -> str:
    """A cell's name without "Chi bộ", capitalised: "Trường THPT Chu Văn An"."""
    short = name.removeprefix("Chi bộ ").removeprefix("Đảng bộ ")
    return short[:1].upper() + short[1:]


def _charts(r: TargetReport) -> dict:
    live = r.phase is not Phase.past
    cells = [row for row in r.rows if row.org.type == OrgType.cell and row.checks]
    hidden = max(0, len(cells) - CHART_CELLS)
    if hidden:  # a large district: the cells furthest behind, in the tree's order
        behind = sorted(cells, key=lambda row: (_ORDER[row.status], row.admitted))[:CHART_CELLS]
        keep = {row.org.id for row in behind}
        cells = [row for row in cells if row.org.id in keep]
    admitted_chart = None
    if cells:
        items = [
            Bar(
                _short(row.org.name),
                row.checks[0].admitted,
                row.checks[0].target.value,
                row.checks[0].projection if live else None,
                row.status.value,
            )
            for row in cells
        ]
        admitted_chart = bars(
            items,
            _("Admitted in %(year)s against the target, per party cell", year=r.year),
            _("For each cell: members admitted, the projection by the year's end, and the target."),
            {
                "met": _("met"),
                "on_track": _("on track"),
                "at_risk": _("at risk"),
                "missed": _("missed"),
                "projection": _("projection by the year's end"),
                "target": _("target"),
            },
        )
    years = [h.year for h in r.history]
    yearly_chart = lines(
        years,
        [
            Series(_("all"), "all", [h.admitted for h in r.history]),
            Series(_("high schools"), "school", [h.by_unit["school"] for h in r.history]),
            Series(_("enterprises"), "enterprise", [h.by_unit["enterprise"] for h in r.history]),
        ],
        _("New members admitted per year"),
        _("Admissions per year from %(first)s to %(last)s, in all and by kind of unit.",
          first=years[0], last=years[-1]),
    )  # fmt: skip
    return {"admitted_chart": admitted_chart, "yearly_chart": yearly_chart, "chart_hidden": hidden}


@bp.get("/targets", endpoint="targets")
def targets():
    """Targets against results for the chosen year, within the reader's scope."""
    r = _report(STUCK_SHOWN)
    scope = report_scope(actor())
    shown_years = report_years(db_session(), scope, r.today)
    if r.year not in shown_years:
        shown_years = sorted({*shown_years, r.year})
    return render_template(
        "reports/targets.html",
        r=r,
        years=shown_years,
        live=r.phase is not Phase.past,
        states=PIPELINE_STATES,
        may_edit=Role.admin in actor().roles(),
        stuck_shown=STUCK_SHOWN,
        without_party=without_party(db_session(), scope),
        verifying=_verifying(scope, r.today),
        **_charts(r),
    )


def _download(body: bytes, mimetype: str, year: int, ext: str) -> Response:
    return Response(
        body,
        mimetype=mimetype,
        headers={
            "Content-Disposition": f'attachment; filename="hoso-chi-tieu-{year}.{ext}"',
            "Cache-Control": "no-store",
        },
    )


@bp.get("/targets.xlsx", endpoint="targets_xlsx")
def targets_xlsx():
    r = _report()
    return _download(xlsx_bytes(r), XLSX, r.year, "xlsx")


@bp.get("/targets.csv", endpoint="targets_csv")
def targets_csv():
    r = _report()
    return _download(csv_bytes(r), "text/csv; charset=utf-8", r.year, "csv")
