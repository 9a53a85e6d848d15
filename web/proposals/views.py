"""The proposals pages: the list (``/proposals/``), a new proposal (``/proposals/new``), one
proposal (``/proposals/<id>``) and the secretary's decisions (``accept``, ``decline``).

The views turn requests into calls of ``workflow.services.proposals`` and map their refusals:
a proposal the user may not see is 404 (the use case's NotFound), a decision someone else took
first is 409, a broken rule or bad input re-shows the page (422) with what went wrong.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from wtforms import SelectField

from db.read.proposals import introducer_organisations, list_proposals
from web.candidates.forms import choice_label, field_label, form_class, locale, pick, raw_values
from web.context import actor, db_session, runtime
from web.proposals import bp
from workflow import proposals as p
from workflow.definition import FieldSpec
from workflow.errors import InvalidInput, RuleViolation
from workflow.services import proposals as use

#: What a proposal cannot be made without (the rules say why): marked on the form.
NEEDED = ("full_name", "birth_date", "reasons")

ProposalForm = type(
    "ProposalForm",
    (form_class(p.FIELDS),),
    {"organisation": SelectField("organisation", choices=[], validate_choice=False)},
)


def status_label(status: str) -> str:
    """A proposal's status in the page's language."""
    labels = p.STATUS_LABELS.get(status)  # the StrEnum keys are their values
    return pick(*labels) if labels else status


def _uow(write: bool = True):
    return runtime().uow(write=write)


def _version(form: Mapping[str, str]) -> int | None:
    try:
        return int(form.get("version", ""))
    except ValueError:
        return None


# --- the list ----------------------------------------------------------------------------------


@bp.get("/", endpoint="index")
@login_required
def index():
    """The introducer's own proposals; the proposals going to the secretary's cells."""
    who = actor()
    if not p.reads_proposals(who):
        abort(403)
    session = db_session()
    lists = list_proposals(session, who)
    held = introducer_organisations(session, who)
    orgs = [o for o in held if o.cell_id is not None]
    rows = [*lists.pending, *lists.decided]
    columns = {
        "organisation": len({r.organisation_id for r in rows}) > 1,
        "cell": len({r.cell_id for r in rows}) > 1,
        # A secretary reads who proposed; an introducer reads only their own proposals.
        "introducer": any(not p.is_own(who, r) for r in rows),
    }
    return render_template(
        "proposals/index.html",
        lists=lists,
        columns=columns,
        can_propose=bool(orgs),
        unattached=[o.name for o in held if o.cell_id is None],
        status_label=status_label,
    )


# --- a new proposal ----------------------------------------------------------------------------


def _form(orgs, formdata: Mapping[str, Any] | None = None):
    form = ProposalForm(formdata=formdata)
    form.organisation.choices = [(str(o.id), o.name) for o in orgs]
    if formdata is None and orgs:
        form.organisation.data = str(orgs[0].id)
    sex = next(spec for spec in p.FIELDS if spec.name == "sex")
    form.sex.choices = [("", "—"), *((v, choice_label(v)) for v in sex.choices)]
    return form


def _problem(bad: InvalidInput) -> str:
    """What is wrong with a field, in the page's language where the problem is a usual one."""
    spec = next((s for s in p.FIELDS if s.name == bad.field), None)
    label = field_label(spec) if spec else bad.field
    if bad.field == "organisation":
        return _("Your organisation is not attached to a party cell.")
    if spec is not None and spec.kind == "date" and "is not a date" in bad.message:
        return _("%(field)s: not a date; write it as dd/mm/yyyy.", field=label)
    if bad.message.startswith("at most"):
        return _("%(field)s: too long.", field=label)
    return _("%(field)s: %(problem)s", field=label, problem=bad.message)


@bp.route("/new", methods=["GET", "POST"], endpoint="new")
@login_required
def new():
    """The introducer's form (GET); propose the person to the cell (POST)."""
    who = actor()
    orgs = [o for o in introducer_organisations(db_session(), who) if o.cell_id is not None]
    if not orgs:
        abort(403)
    if request.method == "GET":
        return _new_page(_form(orgs), orgs)
    try:
        organisation_id = int(request.form.get("organisation") or orgs[0].id)
    except ValueError:
        abort(400)
    raw = raw_values(p.FIELDS, request.form)
    try:
        # NotAllowed (an organisation the user does not hold a grant in) is the 403 page.
        proposal = use.propose_candidate(_uow(), who, organisation_id, raw)
    except RuleViolation as refusal:
        form = _form(orgs, request.form)
        for failure in refusal.failures:
            if failure.rule == "reasons_given":
                form.reasons.errors = [_("Check this value.")]
            elif failure.rule == "person_valid":
                name = "birth_date" if "date of birth" in failure.en else "full_name"
                form[name].errors = [_("Check this value.")]
        failures = [failure.text(locale()) for failure in refusal.failures]
        return _new_page(form, orgs, failures=failures, status=422)
    except InvalidInput as bad:
        form = _form(orgs, request.form)
        if bad.field in form:
            form[bad.field].errors = [_("Check this value.")]
        return _new_page(form, orgs, message=_problem(bad), status=422)
    flash(
        _(
            "%(name)s is proposed to %(cell)s.",
            name=proposal.full_name,
            cell=proposal.cell_name,
        ),
        "success",
    )
    return redirect(url_for("proposals.proposal", proposal_id=proposal.id), code=303)


def _new_page(form, orgs, *, failures=None, message=None, status: int = 200):
    body = render_template(
        "proposals/new.html",
        form=form,
        orgs=orgs,
        person_fields=[s for s in p.FIELDS if s.name in p.PERSON_NAMES],
        detail_fields=p.DETAILS,
        needed=NEEDED,
        failures=failures or [],
        message=message,
        field_label=field_label,
    )
    return body, status


# --- one proposal ------------------------------------------------------------------------------


def _shown(spec: FieldSpec, value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if spec.kind == "date":
        return value.strftime("%d/%m/%Y")
    if spec.kind == "choice":
        return choice_label(str(value))
    return str(value)


def _person(proposal: p.ProposalFacts) -> list[tuple[str, str | None]]:
    """The person's particulars as proposed, as ``(label, text)`` in the form's order."""
    return [
        (field_label(spec), _shown(spec, proposal.person.get(spec.name)))
        for spec in p.FIELDS
        if spec.name in p.PERSON_NAMES
    ]


def _proposal_page(
    proposal: p.ProposalFacts,
    *,
    failures: list[str] | None = None,
    message: str | None = None,
    decline_open: bool = False,
    reason: str = "",
    status: int = 200,
):
    who = actor()
    body = render_template(
        "proposals/proposal.html",
        proposal=proposal,
        person=_person(proposal),
        own=p.is_own(who, proposal),
        decide=p.may_decide_now(who, proposal),
        may_open_case=p.can_decide(who, proposal),
        failures=failures or [],
        message=message,
        decline_open=decline_open,
        reason=reason,
        status_label=status_label,
        details=p.DETAILS,
        field_label=field_label,
    )
    return body, status


@bp.get("/<int:proposal_id>", endpoint="proposal")
@login_required
def proposal(proposal_id: int):
    """One proposal: the introducer's own, or one going to the secretary's cell (else 404)."""
    return _proposal_page(use.view_proposal(_uow(write=False), actor(), proposal_id))


@bp.post("/<int:proposal_id>/accept", endpoint="accept")
@login_required
def accept(proposal_id: int):
    """The secretary accepts: the case opens; go to it."""
    who = actor()
    try:
        decided, case = use.accept_proposal(
            _uow(), who, proposal_id, expected_version=_version(request.form)
        )
    except RuleViolation as refusal:
        current = use.view_proposal(_uow(write=False), who, proposal_id)
        failures = [failure.text(locale()) for failure in refusal.failures]
        return _proposal_page(current, failures=failures, status=422)
    flash(
        _(
            "Proposal accepted: %(name)s is now on the list of candidates.",
            name=decided.full_name,
        ),
        "success",
    )
    return redirect(url_for("candidates.case", case_id=case.id), code=303)


@bp.post("/<int:proposal_id>/decline", endpoint="decline")
@login_required
def decline(proposal_id: int):
    """The secretary declines with a reason; the introducer will read it."""
    who = actor()
    raw = {"reason": request.form.get("reason", "")}
    try:
        decided = use.decline_proposal(
            _uow(), who, proposal_id, raw, expected_version=_version(request.form)
        )
    except InvalidInput as bad:
        current = use.view_proposal(_uow(write=False), who, proposal_id)
        if bad.message == "is required":
            text = _("Give the reason: the introducer will read it.")
        else:
            text = _("%(field)s: %(problem)s", field=_("Reason"), problem=bad.message)
        return _proposal_page(
            current, message=text, decline_open=True, reason=raw["reason"], status=422
        )
    flash(_("Proposal declined; the introducer can read your reason."), "success")
    return redirect(url_for("proposals.proposal", proposal_id=decided.id), code=303)
