"""``/reports/targets/edit``: admins create, change and remove targets within their scope.

Every change goes through a use case of ``workflow.services.targets`` and is an administrative
event in the history; refusals are shown on the field they concern.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from db.read import reports
from web.context import actor, db_session, runtime
from web.labels import pick
from web.reports import bp
from web.reports.views import today
from workflow.errors import InvalidInput, NotAllowed, NotFound
from workflow.people import CATEGORY_LABELS, Category
from workflow.services import targets as use_cases
from workflow.services.admin_scope import manage_scope
from workflow.states import Role
from workflow.targets import ALL_CATEGORIES, ALL_UNITS, Metric, tree_order
from workflow.targets import edits as rules

METRIC_NAMES = {
    Metric.admissions: _l("Members admitted"),
    Metric.enterprise_share: _l("Share of new members from non-state enterprises (%)"),
    Metric.introductions: _l("Introductions by a mass organisation"),
}
UNIT_NAMES = {
    ALL_UNITS: _l("every kind of unit"),
    "school": _l("high-school cells"),
    "enterprise": _l("enterprise cells"),
    "other": _l("other cells"),
}
MESSAGES = {
    rules.TARGET_EXISTS: _l("This organisation already has this target for the year."),
    rules.WRONG_ORGANISATION: _l("This kind of organisation cannot hold this target."),
    rules.BAD_VALUE: _l("Give a whole number from 0 to 9999."),
    rules.BAD_PERCENT: _l("Give a percentage from 0 to 100, with at most two decimals."),
    rules.BAD_YEAR: _l("Give a year from 2000 to 2100."),
    rules.UNKNOWN_CHOICE: _l("Not one of the choices."),
    rules.TOO_LONG: _l("This is too long."),
}


class NewTargetForm(FlaskForm):
    year = HiddenField(validators=[InputRequired()])
    organisation = SelectField(_l("Organisation"), validators=[InputRequired()])
    metric = SelectField(
        _l("Target"), choices=[SelectChoice(k.value, v) for k, v in METRIC_NAMES.items()]
    )
    unit_kind = SelectField(
        _l("Counting"),
        choices=[SelectChoice(k, v) for k, v in UNIT_NAMES.items()],
        default=ALL_UNITS,
    )
    #: Who an admissions target counts (choices in the page's language: ``_category_choices``).
    category = SelectField(_l("Who counts"), default=ALL_CATEGORIES, validate_choice=False)
    value = StringField(_l("Value"), validators=[InputRequired(), Length(max=20)])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=500)])


def _category_choices() -> list[SelectChoice]:
    """Everyone, or one category of person (a student target is not met by a teacher)."""
    return [
        SelectChoice(ALL_CATEGORIES, _("everyone admitted")),
        *(SelectChoice(c.value, pick(c.label_vi, c.label_en)) for c in Category),
    ]


class TargetForm(FlaskForm):
    value = StringField(_l("Value"), validators=[InputRequired(), Length(max=20)])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=500)])


class DeleteForm(FlaskForm):
    """Nothing but the CSRF token."""


def _admin_only() -> None:
    if Role.admin not in actor().roles():
        abort(403)


def _year() -> int:
    raw = request.values.get("year", "")
    if not raw:
        return today().year
    if not raw.isdigit() or not 2000 <= int(raw) <= 2100:
        abort(400)
    return int(raw)


def _page(year: int, form: NewTargetForm | None = None, errors: dict | None = None, status=200):
    holders = reports.target_holders(db_session(), manage_scope(actor()))
    if form is None:
        form = NewTargetForm(formdata=None, year=str(year))
    form.category.choices = _category_choices()
    top = min((o.depth for o in holders), default=0)
    form.organisation.choices = [
        SelectChoice(str(o.id), "\u2003" * (o.depth - top) + o.name)
        for o in sorted(holders, key=tree_order)
    ]
    rows = reports.editable_targets(db_session(), manage_scope(actor()), year)
    return render_template(
        "reports/edit.html",
        year=year,
        form=form,
        rows=rows,
        errors=errors or {},
        metric_names=METRIC_NAMES,
        unit_names=UNIT_NAMES,
        category_label=lambda value: pick(*CATEGORY_LABELS[Category(value)]),
        years=list(range(year - 3, year + 2)),
    ), status


def _message(err: InvalidInput) -> str:
    return str(MESSAGES.get(err.message, err.message))


@bp.get("/targets/edit", endpoint="edit_targets")
def edit_targets():
    """The year's targets in the admin's scope, each editable, and a form for a new one."""
    _admin_only()
    return _page(_year())


@bp.post("/targets/edit", endpoint="create_target")
def create_target():
    _admin_only()
    form = NewTargetForm()
    year = _year()
    holders = reports.target_holders(db_session(), manage_scope(actor()))
    form.organisation.choices = [SelectChoice(str(o.id), o.name) for o in holders]
    if not form.validate_on_submit():
        return _page(year, form, status=422)
    try:
        use_cases.create_target(
            runtime().uow(),
            actor(),
            organisation_id=int(form.organisation.data),
            year=year,
            metric=form.metric.data,
            value=form.value.data,
            unit_kind=form.unit_kind.data,
            note=form.note.data,
            category=form.category.data or ALL_CATEGORIES,
        )
    except NotFound:
        abort(404)
    except InvalidInput as err:
        field = getattr(form, err.field, None)
        if field is not None:
            field.errors = [*field.errors, _message(err)]
        else:
            form.value.errors = [*form.value.errors, _message(err)]
        return _page(year, form, status=422)
    flash(_("Target added."), "success")
    return redirect(url_for("reports.edit_targets", year=year))


@bp.post("/targets/edit/<int:target_id>", endpoint="update_target")
def update_target(target_id: int):
    _admin_only()
    form = TargetForm()
    year = _year()
    if not form.validate_on_submit():
        return _page(year, errors={target_id: _("Give a value.")}, status=422)
    try:
        use_cases.update_target(
            runtime().uow(), actor(), target_id, value=form.value.data, note=form.note.data
        )
    except NotFound:
        abort(404)
    except InvalidInput as err:
        return _page(year, errors={target_id: _message(err)}, status=422)
    flash(_("Target saved."), "success")
    return redirect(url_for("reports.edit_targets", year=year))


@bp.post("/targets/edit/<int:target_id>/delete", endpoint="delete_target")
def delete_target(target_id: int):
    _admin_only()
    if not DeleteForm().validate_on_submit():
        abort(400)
    try:
        use_cases.delete_target(runtime().uow(), actor(), target_id)
    except (NotFound, NotAllowed):
        abort(404)
    flash(_("Target removed."), "success")
    return redirect(url_for("reports.edit_targets", year=_year()))
