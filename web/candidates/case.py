"""The case page (``/candidates/<id>``): details, documents, timeline, actions.

The views turn a request into a use case call and map the domain's refusals to answers: a broken
rule or bad input re-shows the page (422) with the form as the user filled it, a stale version
(409) says the case changed meanwhile; nothing here decides what is allowed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import abort, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from db.read.case_page import CasePage, TimelineEvent, case_page, official_members
from web.candidates import bp
from web.candidates.checklist import case_checklist, disable_blocked, lines
from web.candidates.forms import (
    ActionForm,
    build_form,
    choice_label,
    document_codes,
    field_label,
    needed_fields,
    raw_values,
    recorded_data,
    shown_fields,
)
from web.candidates.landing import land_after
from web.candidates.verification import Refused
from web.candidates.verification import panel as verification_panel
from web.candidates.vote_total import VoteTotal, vote_total
from web.context import actor, db_session, runtime
from web.diagram import workflow_svg
from web.i18n import format_day
from web.labels import action_label, deadline_left, locale, pick, role_label
from workflow import policy, services
from workflow.clock import Clock
from workflow.deadlines import DeadlineStatus, WorkingCalendar, calendar_for, case_deadlines
from workflow.definition import FACTS, PERSON, SPECS, FieldSpec
from workflow.errors import (
    Conflict,
    InvalidInput,
    InvalidTransition,
    NotFound,
    RuleViolation,
)
from workflow.facts import CaseFacts


@dataclass
class Action:
    """One action offered on the page: a transition or a fact, with its form."""

    kind: str  # "transition" or "fact"
    name: str
    label: str
    url: str
    fields: tuple[FieldSpec, ...]
    form: ActionForm
    #: The fields marked as required on the form.
    needed: frozenset[str] = frozenset()
    open: bool = False
    #: What went wrong with the last try, shown in the form: rule explanations or a message.
    failures: list[str] = field(default_factory=list)
    message: str | None = None
    #: A cell's vote: its total (denominator, votes needed), shown before submitting.
    total: VoteTotal | None = None
    #: Why the action cannot succeed now (the first unmet rule): shown disabled, with it.
    blocked: str | None = None


@dataclass
class Outcome:
    """Why the page is shown again after a POST, and for which action."""

    status: int
    kind: str
    name: str
    formdata: Mapping[str, Any]
    failures: list[str] = field(default_factory=list)
    message: str | None = None
    field: str | None = None


def _calendar() -> WorkingCalendar:
    """The working-day calendar with the instance's corrections."""
    return calendar_for(runtime().settings.rules)


@bp.get("/<int:case_id>", endpoint="case")
@login_required
def show(case_id: int):
    """The case as this user may see it, with the actions they may take now."""
    return _page(case_id)


@bp.post("/<int:case_id>/actions/<trigger>")
@login_required
def fire(case_id: int, trigger: str):
    """Fire a transition with what the form sent."""
    spec = SPECS.get(trigger)
    raw = raw_values(spec.fields, request.form) if spec else {}
    return _attempt(
        case_id,
        "transition",
        trigger,
        lambda version: services.fire_transition(
            runtime().uow(),
            actor(),
            case_id,
            trigger,
            raw,
            expected_version=version,
        ),
    )


@bp.post("/<int:case_id>/facts/<kind>")
@login_required
def record(case_id: int, kind: str):
    """Record a fact (introduction, document, ceremony, note) with what the form sent."""
    spec = FACTS.get(kind)
    if spec is None:
        abort(404)
    raw = raw_values(spec.fields, request.form)
    return _attempt(
        case_id,
        "fact",
        kind,
        lambda version: services.record_fact(
            runtime().uow(),
            actor(),
            case_id,
            kind,
            raw,
            expected_version=version,
        ),
    )


def _attempt(case_id: int, kind: str, name: str, call):
    """Run the use case; on success back to the page, else the page again with the refusal."""
    version = request.form.get("version", "")
    if not version.isdigit():
        abort(400)  # every form carries the version it was made from: no blind writes
    try:
        call(int(version))  # NotFound and NotAllowed go on to web.errors: 404 and 403 pages
    except RuleViolation as refusal:
        texts = [failure.text(locale()) for failure in refusal.failures]
        return _page(case_id, Outcome(422, kind, name, request.form, failures=texts))
    except InvalidInput as bad:
        message = _(
            "%(field)s: %(problem)s", field=_field_name(kind, name, bad.field), problem=bad.message
        )
        return _page(case_id, Outcome(422, kind, name, request.form, [message], field=bad.field))
    except Conflict:
        message = _(
            "Not saved: this case was changed by someone else since you opened it. The page "
            "now shows the case as it is: reload it to start again, or check what you typed "
            "(kept below) against it before sending it again."
        )
        return _page(case_id, Outcome(409, kind, name, request.form, message=message))
    except InvalidTransition:
        message = _("This action is not possible in the case's current state.")
        return _page(case_id, Outcome(409, kind, name, request.form, message=message))
    flash(_("Done: %(action)s.", action=_label(kind, name)), "success")
    return land_after(case_id)  # the case page, unless the action took the case out of sight


def _label(kind: str, name: str) -> str:
    return action_label(name if kind == "transition" else f"record_{name}")


def _field_name(kind: str, name: str, field_name: str) -> str:
    """The label of the field a refusal names, in the current language."""
    spec = SPECS.get(name) if kind == "transition" else FACTS.get(name)
    for field_spec in spec.fields if spec else ():
        if field_spec.name == field_name:
            return field_label(field_spec)
    return field_name


def _page(case_id: int, outcome: Outcome | None = None, refused: Refused | None = None):
    """Render the case page (after a refused POST: with `outcome`'s status and message; a
    refused verification form's message is `refused`, shown in the verification panel)."""
    try:
        facts = services.view_case(runtime().uow(write=False), actor(), case_id)
    except NotFound:
        abort(404)
    page = case_page(db_session(), case_id)
    if page is None:
        abort(404)
    actions = _actions(facts, page, outcome)
    disable_blocked(facts, actions)
    verification = verification_panel(facts, refused)
    missing = lines(case_checklist(facts), actions, verification["shown"])
    unplaced = None
    if outcome is not None and refused is None and not any(a.open for a in actions):
        # The action is no longer on offer (the state moved on): say so at the top.
        unplaced = outcome.message or "; ".join(outcome.failures)
    body = render_template(
        "candidates/case.html",
        case=page,
        person=_person(page),
        actions=actions,
        unplaced=unplaced,
        outcome=outcome,
        diagram=workflow_svg(page.state, locale()),
        deadlines=_deadlines(page),
        timeline=_timeline(page),
        choice_label=choice_label,
        document_codes=document_codes(runtime().settings.rules),
        verification=verification,
        checklist=missing,
    )
    return body, outcome.status if outcome else 200


def _actions(facts: CaseFacts, page: CasePage, outcome: Outcome | None) -> list[Action]:
    """The transitions and facts this actor may try now, each with its form."""
    who = actor()
    offered: list[tuple[str, str, str, tuple[FieldSpec, ...], str]] = []
    for trigger in policy.allowed_triggers(who, facts):
        spec = SPECS[trigger]
        url = url_for("candidates.fire", case_id=page.id, trigger=trigger)
        fields = shown_fields(trigger, spec.fields, facts.has_grassroots_committee)
        offered.append(("transition", trigger, pick(spec.vi, spec.en), fields, url))
    for kind, spec in FACTS.items():
        if policy.fact_role(who, facts, kind) is not None:
            url = url_for("candidates.record", case_id=page.id, kind=kind)
            offered.append(("fact", kind, pick(spec.vi, spec.en), spec.fields, url))
    needs_members = any(f.kind == "member" for offer in offered for f in offer[3])
    members = official_members(db_session(), page.cell_id) if needs_members else []
    actions = []
    for kind, name, label, fields, url in offered:
        again = outcome is not None and (outcome.kind, outcome.name) == (kind, name)
        form = build_form(fields, page.version, members, outcome.formdata if again else None)
        key = name if kind == "transition" else f"record_{name}"
        needed = needed_fields(key, fields, vote_on_file=page.recognition_vote_date is not None)
        action = Action(kind, name, label, url, fields, form, needed, open=again)
        if not again:
            _prefill(form, kind, name, page)
        if any(spec.name == "official_members" for spec in fields):
            action.total = vote_total(page.cell_id, form, refill=again)
        if again:
            action.failures = outcome.failures
            action.message = outcome.message
            if outcome.field in form:
                form[outcome.field].errors = [_("Check this value.")]
        actions.append(action)
    return actions


#: The form of the cell's resolution: its number, typed once with the upload, fills the
#: submission's (a fact entered once).
CELL_RESOLUTION = "6-KNĐ"


def _prefill(form: ActionForm, kind: str, name: str, page: CasePage) -> None:
    """Fill what is already on file: the cell's resolution number from its uploaded form."""
    if (kind, name) == ("transition", "submit_dossier") and "resolution_number" in form:
        numbers = [d["number"] for d in page.documents if d["code"] == CELL_RESOLUTION]
        if numbers and numbers[-1] and not form["resolution_number"].data:
            form["resolution_number"].data = numbers[-1]


#: The person's particulars the page shows, in this order.
_PERSON_SHOWN = (
    "full_name",
    "birth_date",
    "birth_place",
    "sex",
    "hometown",
    "residence",
    "occupation",
    "ethnicity",
    "religion",
    "education",
    "is_doan_member",
)


def _person(page: CasePage) -> list[tuple[str, str | None]]:
    """The person's particulars as ``(label, text)``, labelled as the identify form asks them."""
    specs = {spec.name: spec for spec in PERSON}
    shown = []
    for name in _PERSON_SHOWN:
        value = page.person.get(name)
        if name == "birth_date":
            text = format_day(value)
        elif name == "is_doan_member":
            text = _("yes") if value else _("no")
        elif name in ("sex", "education"):
            text = choice_label(value) if value else None
        else:
            text = value
        shown.append((field_label(specs[name]), text))
    return shown


def _deadlines(page: CasePage) -> list[dict[str, Any]]:
    """The deadlines that apply to the case now, with how close each is."""
    today = Clock.system().today
    found = case_deadlines(
        _calendar(),
        runtime().settings.rules,
        state=page.state,
        cell_vote_date=page.cell_vote_date,
        decision_received=page.decision_date,
        extension_days=page.decision_extension_days,
        ceremony_on=page.ceremony_on,
        recognition_vote_date=page.recognition_vote_date,
    )
    shown = []
    for deadline in found:
        left = deadline.days_left(_calendar(), today)
        status = deadline.status(_calendar(), today)
        shown.append(
            {
                "label": pick(deadline.vi, deadline.en),
                "due": deadline.due,
                "basis": deadline.basis,
                "status": "" if status == DeadlineStatus.open else status.value,
                "when": deadline_left(left),
            }
        )
    return shown


def _timeline(page: CasePage) -> list[dict[str, Any]]:
    """The case's history, newest first, ready to show."""
    cells = {page.cell_id: page.cell_name}
    return [_event(item, cells) for item in reversed(page.events)]


def _event(item: TimelineEvent, cells: Mapping[int, str]) -> dict[str, Any]:
    """One event of the timeline; a note's text is shown as itself, not as a labelled value."""
    data = recorded_data(item.event.action, item.event.data, cells)
    note = None
    if item.event.action == "record_note":
        note, data = item.event.data.get("text"), []
    return {
        "id": item.event.id,
        "at": item.event.at,
        "action": item.event.action,
        "label": action_label(item.event.action),
        "username": item.event.username,
        "user_name": item.user_name,
        "role": role_label(item.event.role),
        "from": item.event.from_state,
        "to": item.event.to_state,
        "reason": item.event.reason,
        "data": data,
        "note": note,
    }
