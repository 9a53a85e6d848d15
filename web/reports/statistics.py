"""``/reports/statistics``: the yearly statistics of new members (page and XLSX), and
``/reports/outside``: the admins' entry of admissions decided outside hoso.

The statistics are counts only; they are read where the targets are read. The outside totals
go through ``workflow.services.statistics`` (each entry an administrative event).
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from db.read.outside import outside_totals
from db.read.reports import organisations
from db.read.statistics import statistics_report
from web.context import actor, db_session, runtime
from web.labels import locale
from web.reports import bp
from web.reports.statistics_export import xlsx_bytes
from web.reports.views import XLSX, _download, today
from workflow.errors import InvalidInput, NotAllowed, NotFound
from workflow.outside import (
    BAD_COUNT,
    BREAKDOWN_SUM,
    BREAKDOWN_WORKERS,
    MORE_WORKERS_THAN_TOTAL,
    NOT_A_COMMITTEE,
    TOO_LONG,
    UNKNOWN_CATEGORY,
)
from workflow.people import Category
from workflow.services import statistics as use_cases
from workflow.services.admin_scope import manage_scope
from workflow.states import OrgType, Role
from workflow.statistics import DIMENSION_LABELS, DIMENSIONS, StatisticsReport, value_label
from workflow.targets import tree_order
from workflow.targets.edits import BAD_YEAR

MESSAGES = {
    BAD_COUNT: _l("Give a whole number from 0 to 99999."),
    MORE_WORKERS_THAN_TOTAL: _l("More enterprise workers than admitted in all."),
    BREAKDOWN_SUM: _l("The categories do not add up to the total."),
    BREAKDOWN_WORKERS: _l("The categories' enterprise workers differ from the number given."),
    NOT_A_COMMITTEE: _l("Only a party committee enters admissions outside hoso."),
    UNKNOWN_CATEGORY: _l("Not one of the choices."),
    TOO_LONG: _l("This is too long."),
    BAD_YEAR: _l("Give a year from 2000 to 2100."),
}


def _year() -> int:
    raw = request.values.get("year", "")
    if not raw:
        return today().year
    if not raw.isdigit() or not 2000 <= int(raw) <= 2100:
        abort(400)
    return int(raw)


def _report(year: int) -> StatisticsReport:
    scope = use_cases.statistics_scope(actor())
    return statistics_report(db_session(), scope, year, runtime().settings.targets)


def _label(dimension: str, key: str) -> str:
    return value_label(dimension, key, "en" if locale() == "en" else "vi")


@bp.get("/statistics", endpoint="statistics")
def statistics():
    """Who was admitted in the year, by category, sex, ethnicity, religion, age and education."""
    year = _year()
    r = _report(year)
    lang = 0 if locale() != "en" else 1
    return render_template(
        "reports/statistics.html",
        r=r,
        year=year,
        years=list(range(today().year - 6, today().year + 1)),
        dimensions=DIMENSIONS,
        dimension_names={d: DIMENSION_LABELS[d][lang] for d in DIMENSIONS},
        label=_label,
        categories=list(Category),
        category_name=lambda c: (c.label_vi, c.label_en)[lang],
        may_enter=Role.admin in actor().roles(),
    )


@bp.get("/statistics.xlsx", endpoint="statistics_xlsx")
def statistics_xlsx():
    year = _year()
    body = xlsx_bytes(_report(year))
    response = _download(body, XLSX, year, "xlsx")
    response.headers["Content-Disposition"] = f'attachment; filename="hoso-thong-ke-{year}.xlsx"'
    return response


# --- admissions outside hoso (admins) --------------------------------------------------------


def _admin_only() -> None:
    if Role.admin not in actor().roles():
        abort(403)


def _outside_page(year: int, values: dict | None = None, error: str | None = None, status=200):
    within = manage_scope(actor())
    committees = sorted(
        (o for o in organisations(db_session(), within) if o.type == OrgType.committee),
        key=tree_order,
    )
    top = min((o.depth for o in committees), default=0)
    names = {o.id: o.name for o in committees}
    entries = outside_totals(db_session(), within, (year, year))
    lang = 0 if locale() != "en" else 1
    return render_template(
        "reports/outside.html",
        year=year,
        years=list(range(today().year - 6, today().year + 1)),
        committees=[(o.id, "\u2003" * (o.depth - top) + o.name) for o in committees],
        names=names,
        entries=entries,
        categories=[(c.value, (c.label_vi, c.label_en)[lang]) for c in Category],
        values=values or {},
        error=error,
    ), status


@bp.get("/outside", endpoint="outside")
def outside():
    """The committees' admissions outside hoso in the year, and the form to enter one."""
    _admin_only()
    return _outside_page(_year())


@bp.post("/outside", endpoint="set_outside")
def set_outside():
    _admin_only()
    year = _year()
    form = request.form
    split = {c.value: form.get(f"category_{c.value}", "") for c in Category}
    try:
        org_id = int(form.get("organisation", ""))
    except ValueError:
        return _outside_page(year, dict(form), _("Choose a party committee."), 422)
    try:
        use_cases.set_outside_admissions(
            runtime().uow(),
            actor(),
            organisation_id=org_id,
            year=year,
            total=form.get("total"),
            enterprise_workers=form.get("enterprise_workers"),
            by_category=split,
            note=form.get("note"),
        )
    except NotFound:
        abort(404)
    except InvalidInput as err:
        message = str(MESSAGES.get(err.message, err.message))
        return _outside_page(year, dict(form), f"{err.field}: {message}", 422)
    flash(_("Admissions outside hoso saved."), "success")
    return redirect(url_for("reports.outside", year=year), code=303)


@bp.post("/outside/<int:outside_id>/delete", endpoint="delete_outside")
def delete_outside(outside_id: int):
    _admin_only()
    try:
        use_cases.delete_outside_admissions(runtime().uow(), actor(), outside_id)
    except (NotFound, NotAllowed):
        abort(404)
    flash(_("Admissions outside hoso removed."), "success")
    return redirect(url_for("reports.outside", year=_year()), code=303)
