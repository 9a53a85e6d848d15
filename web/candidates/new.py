"""A new candidate (``/candidates/new``): a secretary puts a person on a cell's list (``identify``).

The form is built from the ``identify`` action's FieldSpecs; what the user typed goes to the use
case as raw strings, and the domain parses and judges it. A broken rule or bad input re-shows the
form (422) as it was filled in; a cell outside the secretary's scope is the use case's NotAllowed,
answered 403 like every refusal of that kind.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from wtforms import SelectField

from db.read.cells import cells_of
from web.candidates import bp
from web.candidates.forms import choice_label, field_label, form_class, locale, raw_values
from web.context import actor, db_session, runtime
from workflow import rules, services
from workflow.definition import CATEGORY, PERSON, SPECS, FieldSpec
from workflow.errors import InvalidInput, RuleViolation
from workflow.policy import Purpose
from workflow.states import Role, Source, Trigger

#: The identify action's fields: the person's particulars, then the cell and the source.
FIELDS: tuple[FieldSpec, ...] = SPECS[Trigger.identify].fields
_PERSON_NAMES = {spec.name for spec in PERSON} | {CATEGORY.name}
PERSON_FIELDS = tuple(spec for spec in FIELDS if spec.name in _PERSON_NAMES)
LIST_FIELDS = tuple(spec for spec in FIELDS if spec.name not in _PERSON_NAMES)

#: What a person cannot be put on the list without (the rules say why): marked on the form.
NEEDED = ("full_name", "birth_date", "cell", "source")

#: The sources a secretary may give; ``import_file`` is the importer's.
SOURCES = (Source.cell_review, Source.mass_organisation, Source.commune_application)

#: The form: the FieldSpecs' fields, the cell a choice among the secretary's cells.
NewCandidateForm = type(
    "NewCandidateForm",
    (form_class(FIELDS),),
    {"cell": SelectField("cell", choices=[], validate_choice=False)},
)


def source_label(source: str) -> str:
    """How the form names a source of introduction."""
    return {
        Source.cell_review: _("Found in the cell's own review"),
        Source.mass_organisation: _("Proposed by a mass organisation"),
        Source.commune_application: _("Applied to join the Party through the commune or town"),
    }.get(source, choice_label(source))


def secretary_cells() -> list[tuple[int, str]]:
    """The party cells where the user may add candidates, as ``(id, name)`` by name."""
    return cells_of(db_session(), actor(), Purpose.identify)


def _form(cells: list[tuple[int, str]], formdata: Mapping[str, Any] | None = None):
    """The form, with its choices, filled from `formdata` when re-shown."""
    form = NewCandidateForm(formdata=formdata)
    choose = ("", _("(choose)"))
    form.cell.choices = [(str(i), name) for i, name in cells]
    if len(cells) != 1:
        form.cell.choices.insert(0, choose)
    form.source.choices = [choose, *((s.value, source_label(s)) for s in SOURCES)]
    form.sex.choices = [("", "—"), *((v, choice_label(v)) for v in _spec("sex").choices)]
    # Not recorded ("—") stays possible: the counts then show the person as such.
    form.category.choices = [("", "—"), *((v, choice_label(v)) for v in CATEGORY.choices)]
    return form


def _spec(name: str) -> FieldSpec:
    return next(spec for spec in FIELDS if spec.name == name)


def _fields_to_check(refusal: RuleViolation, raw: Mapping[str, str]) -> list[str]:
    """The inputs a broken rule of ``identify`` is about (the same person elsewhere: none)."""
    named = []
    for failure in refusal.failures:
        if failure.rule == rules.person_valid.__name__:
            named.append("birth_date" if (raw.get("full_name") or "").strip() else "full_name")
        elif failure.rule == rules.source_recorded.__name__:
            detail = raw.get("source") == Source.mass_organisation
            named.append("source_detail" if detail else "source")
    return named


def _problem(bad: InvalidInput) -> str:
    """What is wrong with a field, in the page's language where the problem is a usual one."""
    spec = next((s for s in FIELDS if s.name == bad.field), None)
    label = field_label(spec) if spec else bad.field
    if bad.message == "is required":
        return _("%(field)s: this is required.", field=label)
    if spec is not None and spec.kind == "date" and "is not a date" in bad.message:
        return _("%(field)s: not a date; write it as dd/mm/yyyy.", field=label)
    return _("%(field)s: %(problem)s", field=label, problem=bad.message)


@bp.route("/new", methods=["GET", "POST"], endpoint="new")
@login_required
def new():
    """The form (GET); put the person on the cell's list (POST)."""
    if not actor().grants_for(Role.secretary):
        abort(403)
    cells = secretary_cells()
    if request.method == "GET":
        return _page(_form(cells), cells)
    raw = raw_values(FIELDS, request.form)
    try:
        # NotAllowed (a cell outside the user's scope) goes on to web.errors: the 403 page.
        case = services.identify_candidate(runtime().uow(), actor(), raw)
    except RuleViolation as refusal:
        failures = [failure.text(locale()) for failure in refusal.failures]
        form = _form(cells, request.form)
        for name in _fields_to_check(refusal, raw):
            form[name].errors = [_("Check this value.")]
        return _page(form, cells, failures=failures, status=422)
    except InvalidInput as bad:
        form = _form(cells, request.form)
        if bad.field in form:
            form[bad.field].errors = [_("Check this value.")]
        return _page(form, cells, message=_problem(bad), status=422)
    flash(_("%(name)s is now on the list of candidates.", name=raw.get("full_name")), "success")
    return redirect(url_for("candidates.case", case_id=case.id), code=303)


def _page(
    form,
    cells: list[tuple[int, str]],
    *,
    failures: list[str] | None = None,
    message: str | None = None,
    status: int = 200,
):
    body = render_template(
        "candidates/new.html",
        form=form,
        cells=cells,
        person_fields=PERSON_FIELDS,
        list_fields=LIST_FIELDS,
        needed=NEEDED,
        failures=failures or [],
        message=message,
        field_label=field_label,
    )
    return body, status
