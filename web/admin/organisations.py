"""Organisations: the tree, a new organisation, editing one, and the deciding body."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from db.read import admin
from web.admin import bp
from web.admin.forms import (
    MASS_NAMES,
    TYPE_NAMES,
    UNIT_NAMES,
    DecidingForm,
    NewOrganisationForm,
    OrganisationForm,
    message,
    refuse,
)
from web.context import actor, db_session, runtime
from workflow.errors import InvalidInput, NotAllowed, NotFound
from workflow.policy import Purpose, Scope
from workflow.services import admin as use_cases
from workflow.services.admin_scope import manage_scope
from workflow.states import OrgType


@bp.context_processor
def _names() -> dict:
    return {"type_names": TYPE_NAMES, "unit_names": UNIT_NAMES, "mass_names": MASS_NAMES}


def _tree() -> list[admin.OrgRow]:
    return admin.organisation_tree(db_session(), manage_scope(actor()))


def _parents() -> list[tuple[int, str]]:
    """The organisations something may be created under: committees and cells, indented."""
    return [
        (row.id, "\u2003" * row.depth + row.name)
        for row in _tree()
        if row.type in (OrgType.committee, OrgType.cell)
    ]


@bp.get("/organisations")
def organisations():
    session, scope = db_session(), manage_scope(actor())
    deciding = {d.cell.id: d for d in admin.deciding_bodies(session, scope)}
    return render_template(
        "admin/organisations.html",
        tree=admin.organisation_tree(session, scope),
        deciding=deciding,
    )


@bp.route("/organisations/new", methods=["GET", "POST"])
def new_organisation():
    form = NewOrganisationForm().fill(_parents())
    if request.method == "GET" and request.args.get("parent"):
        form.parent.data = request.args["parent"]
        parent = next((row for row in _tree() if str(row.id) == form.parent.data), None)
        if parent is not None and parent.type == OrgType.cell:
            form.type.data = OrgType.mass.value  # the only kind a cell holds
    if form.validate_on_submit():
        try:
            org_id = use_cases.create_organisation(
                runtime().uow(),
                actor(),
                int(form.parent.data),
                name=form.name.data,
                type=form.type.data,
                unit_kind=form.unit_kind.data,
                has_doan=form.has_doan.data,
                committee_size=form.committee_size.data,
                mass_kind=form.mass_kind.data,
            )
        except NotFound:
            abort(404)
        except InvalidInput as err:
            refuse(form, err.field, err.message)
        else:
            flash(_("Organisation created."), "success")
            return redirect(url_for("admin.organisation", org_id=org_id))
    status = 422 if form.is_submitted() else 200
    return render_template("admin/new_organisation.html", form=form), status


def _load(org_id: int) -> admin.OrgRow:
    row = admin.organisation(db_session(), manage_scope(actor()), org_id)
    if row is None:
        abort(404)
    return row


def _page(org_id: int, form: OrganisationForm | None = None, status: int = 200):
    org = _load(org_id)
    if form is None:
        form = OrganisationForm(
            formdata=None,
            name=org.name,
            unit_kind=org.unit_kind,
            mass_kind=org.mass_kind or "",
            has_doan=org.has_doan,
            committee_size=org.committee_size,
        )
    # The cells of the organisation's subtree, or the cell a mass organisation is attached to
    # (nothing else sits under a cell).
    subtree = Scope(Purpose.manage, (org.path,))
    deciding = [
        d
        for d in admin.deciding_bodies(db_session(), manage_scope(actor()))
        if subtree.covers(d.cell.path) or d.cell.id == org.parent_id
    ]
    return render_template(
        "admin/organisation.html",
        org=org,
        form=form,
        decide=DecidingForm(formdata=None, decides="0" if org.decides_admissions else "1"),
        deciding=deciding,
    ), status


@bp.get("/organisations/<int:org_id>")
def organisation(org_id: int):
    return _page(org_id)


@bp.post("/organisations/<int:org_id>")
def edit_organisation(org_id: int):
    _load(org_id)
    form = OrganisationForm()
    if form.validate_on_submit():
        try:
            use_cases.update_organisation(
                runtime().uow(),
                actor(),
                org_id,
                name=form.name.data,
                unit_kind=form.unit_kind.data,
                has_doan=form.has_doan.data,
                committee_size=form.committee_size.data,
                mass_kind=form.mass_kind.data,
            )
        except NotFound:
            abort(404)
        except InvalidInput as err:
            refuse(form, err.field, err.message)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("admin.organisation", org_id=org_id))
    return _page(org_id, form, 422)


@bp.post("/organisations/<int:org_id>/deciding")
def set_deciding(org_id: int):
    """Make the organisation the deciding body for everything below it, or stop it deciding."""
    _load(org_id)
    form = DecidingForm()
    if form.validate_on_submit():
        decides = form.decides.data == "1"
        try:
            use_cases.set_deciding_body(runtime().uow(), actor(), org_id, decides)
        except NotFound:
            abort(404)
        except NotAllowed:
            abort(403)
        except InvalidInput as err:
            flash(message(err.message), "error")
        else:
            if decides:
                flash(_("This body now decides admissions below it."), "success")
            else:
                flash(_("This body no longer decides admissions."), "success")
            return redirect(url_for("admin.organisation", org_id=org_id))
    else:
        flash(_("The request could not be read; try again."), "error")
    return _page(org_id, status=422)
