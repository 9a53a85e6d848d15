"""The registry's pages: the list with its filters, and the admins' form."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from db.read import enterprises as store
from web.context import actor, db_session, runtime
from web.enterprises.forms import EnterpriseForm, refuse
from workflow.enterprises import SURVEY_STATUSES
from workflow.errors import InvalidInput, NotFound
from workflow.policy import Purpose, scope
from workflow.services import enterprises as use_cases
from workflow.services.admin_scope import manage_scope
from workflow.services.enterprises import registry_scope
from workflow.states import OrgType, Role

bp = Blueprint("enterprises", __name__, url_prefix="/enterprises")


@bp.before_request
@login_required
def _readers_only():
    if not scope(actor(), Purpose.enterprises):
        abort(403)


def _admin() -> bool:
    return Role.admin in actor().roles()


def _require_admin() -> None:
    if not _admin():
        abort(403)


@bp.get("/")
def index():
    """The enterprises in the reader's scope, filtered on a party cell and the survey."""
    cell = request.args.get("cell", "")
    status = request.args.get("status", "")
    if cell not in ("", "yes", "no") or status not in ("", *SURVEY_STATUSES):
        abort(400)
    rows = store.enterprises(
        db_session(),
        registry_scope(actor()),
        has_cell={"yes": True, "no": False}.get(cell),
        status=status or None,
    )
    return render_template(
        "enterprises/index.html",
        rows=rows,
        cell=cell,
        status=status,
        statuses=SURVEY_STATUSES,
        may_edit=_admin(),
    )


def _form(**kw) -> EnterpriseForm:
    session, within = db_session(), manage_scope(actor(), "edit the enterprise registry")
    return EnterpriseForm(**kw).fill(
        store.choices(session, within, OrgType.committee),
        store.choices(session, within, OrgType.cell),
    )


@bp.route("/new", methods=["GET", "POST"])
def new():
    _require_admin()
    form = _form()
    if form.validate_on_submit():
        try:
            use_cases.create_enterprise(runtime().uow(), actor(), **form.values())
        except InvalidInput as err:
            refuse(form, err.field, err.message)
        else:
            flash(_("Enterprise registered."), "success")
            return redirect(url_for("enterprises.index"))
    status = 422 if form.is_submitted() else 200
    return render_template("enterprises/form.html", form=form, row=None), status


@bp.route("/<int:enterprise_id>", methods=["GET", "POST"])
def edit(enterprise_id: int):
    _require_admin()
    row = store.enterprise(db_session(), registry_scope(actor()), enterprise_id)
    if row is None:
        abort(404)
    if request.method == "GET":
        form = _form(
            formdata=None,
            name=row.name,
            tax_code=row.tax_code or "",
            address=row.address or "",
            workforce=row.workforce,
            committee_id=row.committee_id,
            cell_id=row.cell_id or 0,
            has_doan=row.has_doan,
            has_congdoan=row.has_congdoan,
            survey_status=row.survey_status,
            surveyed_on=row.surveyed_on,
            plan=row.plan or "",
        )
    else:
        form = _form()
    if form.validate_on_submit():
        try:
            use_cases.update_enterprise(runtime().uow(), actor(), enterprise_id, **form.values())
        except NotFound:
            abort(404)
        except InvalidInput as err:
            refuse(form, err.field, err.message)
        else:
            flash(_("Enterprise saved."), "success")
            return redirect(url_for("enterprises.index"))
    status = 422 if form.is_submitted() else 200
    return render_template("enterprises/form.html", form=form, row=row), status
