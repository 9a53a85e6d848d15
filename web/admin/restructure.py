"""Restructuring the tree as of a date (``/admin/tree``): the tree as it stood on a day, the
changes (rename, move, merge, split, dissolve, the deciding flag) and the grants left on
dissolved organisations, which the admin moves. Every change is a use case of
``workflow.services.restructure``; the page reads ``db.read.tree``.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField
from wtforms.validators import InputRequired, Length, Optional

from db.read import tree as read_tree
from web.admin import bp
from web.admin.forms import message, options
from web.context import actor, db_session, runtime
from web.forms_dates import DayField
from workflow import tree as rules
from workflow.errors import InvalidInput, NotAllowed, NotFound
from workflow.fields import parse_date
from workflow.services import restructure
from workflow.services.admin_scope import manage_scope

ACTIONS = {
    "rename": _l("Rename"),
    "move": _l("Move under another organisation"),
    "merge": _l("Merge into another organisation"),
    "split": _l("Split: a new organisation takes some of those below"),
    "dissolve": _l("Dissolve"),
    "decide": _l("Decides admissions from this date"),
    "stop": _l("Stops deciding admissions from this date"),
}
#: The refusals of ``workflow.tree``, in words (the others are ``web.admin.forms``').
MESSAGES = {
    rules.BEFORE_CURRENT: _l("The organisation's current version began after this date."),
    rules.IN_FUTURE: _l("A change cannot take effect after today."),
    rules.NOT_A_DATE: _l("Not a date."),
    rules.CYCLE: _l("An organisation cannot be placed under itself or under one of its own."),
    rules.DISSOLVED: _l("This organisation is dissolved."),
    rules.NOT_YET: _l("This organisation did not exist yet on that date."),
    rules.NO_ROOT_CHANGE: _l("The root of the tree cannot be moved, merged or dissolved."),
    rules.SAME_ORGANISATION: _l("An organisation cannot be merged into itself."),
    rules.KIND_DIFFERS: _l("Only organisations of the same kind can be merged."),
    rules.HAS_CHILDREN: _l("Organisations still sit under it: move or merge them first."),
    rules.OPEN_CASES: _l("Cases are still open in its cells: hand them over first."),
    rules.ACTIVE_MEMBERS: _l("Party members still belong to it: transfer them first."),
    rules.NOT_A_CHILD: _l("Not an organisation directly under the one being split."),
    rules.NO_CHILDREN: _l("Choose at least one organisation to take over."),
    rules.UNCHANGED: _l("Nothing would change."),
    rules.GRANT_DISSOLVED: _l("A role cannot be granted on a dissolved organisation."),
}


def refusal(err: InvalidInput) -> str:
    """A refusal in the user's language."""
    return str(MESSAGES.get(err.message, message(err.message)))


class RestructureForm(FlaskForm):
    action = SelectField(_l("Change"), choices=options(ACTIONS.items()))
    organisation = SelectField(
        _l("Organisation"), validators=[InputRequired()], validate_choice=False
    )
    target = SelectField(_l("Under / into"), validators=[Optional()], validate_choice=False)
    name = StringField(_l("New name"), validators=[Optional(), Length(max=rules.NAME_MAX)])
    children = SelectMultipleField(
        _l("Organisations it takes over"), validators=[Optional()], validate_choice=False
    )
    as_of = DayField(_l("Takes effect on"), validators=[InputRequired()])


class MoveGrantForm(FlaskForm):
    organisation = SelectField(_l("Move to"), validators=[InputRequired()], validate_choice=False)


def _choices(rows: list[read_tree.TreeRow]) -> list:
    return options((r.id, "\u2003" * r.depth + r.name) for r in rows)


def _page(form: RestructureForm | None = None, status: int = 200):
    session, scope = db_session(), manage_scope(actor())
    try:
        on = parse_date("on", request.args.get("on", ""))
    except InvalidInput:
        on = None
    now = read_tree.tree_rows(session, scope, None)
    form = form or RestructureForm(formdata=None)
    choices = _choices(now)
    form.organisation.choices = choices
    form.target.choices = [*options([("", "—")]), *choices]
    form.children.choices = choices
    grants = read_tree.grants_on_dissolved(session, scope)
    move = MoveGrantForm(formdata=None)
    move.organisation.choices = choices
    return render_template(
        "admin/restructure.html",
        form=form,
        on=on,
        rows=read_tree.tree_rows(session, scope, on) if on else now,
        grants=grants,
        move=move,
    ), status


@bp.get("/tree")
def tree():
    """The tree as it stands now, or on ``?on=YYYY-MM-DD``; the restructuring form."""
    return _page()


def _apply(form: RestructureForm) -> None:
    """Run the chosen change through its use case."""
    uow, who, org, day = runtime().uow(), actor(), int(form.organisation.data), form.as_of.data
    target = int(form.target.data) if form.target.data else None
    action = form.action.data
    if action == "rename":
        restructure.rename_organisation(uow, who, org, form.name.data or "", day)
    elif action in ("move", "merge"):
        if target is None:
            raise InvalidInput("target", "required")
        call = (
            restructure.move_organisation if action == "move" else restructure.merge_organisations
        )
        call(uow, who, org, target, day)
    elif action == "split":
        children = [int(c) for c in form.children.data or []]
        restructure.split_organisation(
            uow, who, org, name=form.name.data or "", children=children, as_of=day, parent_id=target
        )
    elif action == "dissolve":
        restructure.dissolve_organisation(uow, who, org, day)
    else:
        restructure.set_decides_admissions(uow, who, org, action == "decide", day)


@bp.post("/tree")
def restructure_tree():
    form = RestructureForm()
    if form.validate_on_submit():
        try:
            _apply(form)
        except NotFound:
            abort(404)
        except NotAllowed:
            abort(403)
        except InvalidInput as err:
            field = {"parent": "target", "into": "target", "organisation": "organisation"}
            target = getattr(form, field.get(err.field, err.field), None)
            if target is not None and hasattr(target, "errors"):
                target.errors = [*target.errors, refusal(err)]
            else:
                form.form_errors.append(refusal(err))
        else:
            flash(
                _("The tree was changed as of %(day)s.", day=form.as_of.data.strftime("%d/%m/%Y")),
                "success",
            )
            return redirect(url_for("admin.tree"))
    return _page(form, 422)


@bp.post("/grants/<int:grant_id>/move")
def move_grant(grant_id: int):
    """Move a role held on a dissolved organisation to one that exists."""
    form = MoveGrantForm()
    if form.validate_on_submit():
        try:
            restructure.move_grant(runtime().uow(), actor(), grant_id, int(form.organisation.data))
        except NotFound:
            abort(404)
        except InvalidInput as err:
            flash(refusal(err), "error")
            return _page(status=422)
        flash(_("The role was moved."), "success")
        return redirect(url_for("admin.tree"))
    flash(_("The request could not be read; try again."), "error")
    return _page(status=422)
