"""The biography verification on the case page: its panel, and the forms' three routes.

Each route turns a form into a ``workflow.services.verification`` call; a refusal re-shows the
case page (422, or 409 when the verification is closed) with the message in the panel and what the
user typed kept in the form that was sent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from db.read.verification import verification_of
from web.candidates import bp
from web.context import actor, db_session, runtime
from web.labels import action_label, pick
from workflow import policy
from workflow.errors import Conflict, InvalidInput, InvalidTransition
from workflow.facts import CaseFacts
from workflow.services import verification as service
from workflow.verification import (
    ANSWER_FIELDS,
    CONCLUSION_FIELDS,
    MAX_ADDRESSEE,
    MAX_CONCLUSION,
    MAX_FINDING,
    MAX_SUBJECT_NAME,
    MAX_UNANSWERED_REASON,
    REQUEST_FIELDS,
    SUBJECT_LABELS,
    VERIFICATION_STATES,
    Subject,
    VerificationAction,
)

#: Each form's fields by name ("favourable" is asked of an answer and of the conclusion).
_FORMS = {
    "request": {spec.name: spec for spec in REQUEST_FIELDS},
    "answer": {spec.name: spec for spec in ANSWER_FIELDS},
    "conclude": {spec.name: spec for spec in CONCLUSION_FIELDS},
}


def _label(form: str, name: str) -> str:
    """The label of field `name` on `form` (``answer-<id>`` is an answer's form)."""
    spec = _FORMS[form.split("-")[0]].get(name)
    return pick(spec.vi, spec.en) if spec else name


#: The longest text each input takes (the domain refuses longer ones, naming the field).
MAXLENGTH = {
    "addressee": MAX_ADDRESSEE,
    "subject_name": MAX_SUBJECT_NAME,
    "finding": MAX_FINDING,
    "conclusion": MAX_CONCLUSION,
    "unanswered_reason": MAX_UNANSWERED_REASON,
}


@dataclass
class Refused:
    """Why the page is shown again after a verification form: which form, what went wrong."""

    form: str  # "request", "answer-<id>" or "conclude"
    message: str
    formdata: dict[str, Any] = field(default_factory=dict)
    field: str | None = None


def panel(facts: CaseFacts, refused: Refused | None = None) -> dict[str, Any]:
    """What the verification panel shows: the requests, the conclusion, the forms on offer."""
    verification = verification_of(db_session(), facts.case_id)
    may = policy.verification_role(actor(), facts) is not None
    open_ = may and not verification.concluded and facts.state in VERIFICATION_STATES
    return {
        "verification": verification,
        "may_request": open_,
        "may_answer": open_,
        "may_conclude": open_ and bool(verification.requests),
        "subjects": [(s.value, pick(*SUBJECT_LABELS[s])) for s in Subject],
        "label": _label,
        "maxlength": MAXLENGTH,
        "refused": refused,
        "shown": facts.state in VERIFICATION_STATES or bool(verification.requests),
    }


def _attempt(case_id: int, form: str, action: VerificationAction, call):
    """Run the use case; on success back to the panel, else the page with the refusal."""
    from web.candidates.case import Outcome, _page  # the case page shows the panel

    data = {k: v for k, v in request.form.items() if k != "csrf_token"}
    try:
        call(data)  # NotFound and NotAllowed go on to web.errors: 404 and 403 pages
    except InvalidInput as bad:
        message = _("%(field)s: %(problem)s", field=_label(form, bad.field), problem=bad.message)
        refused = Refused(form, message, data, bad.field)
        return _page(case_id, Outcome(422, "verification", form, data), refused)
    except (InvalidTransition, Conflict):
        message = _("Not saved: the verification is concluded or the case has moved on.")
        refused = Refused(form, message, data)
        return _page(case_id, Outcome(409, "verification", form, data), refused)
    flash(_("Done: %(action)s.", action=action_label(action.value)), "success")
    return redirect(url_for("candidates.case", case_id=case_id, _anchor="verification"), code=303)


@bp.post("/<int:case_id>/verification/requests", endpoint="verification_request")
@login_required
def add_request(case_id: int):
    """Record a request sent to where the candidate or a relative lives or works."""
    return _attempt(
        case_id,
        "request",
        VerificationAction.request,
        lambda raw: service.request_verification(runtime().uow(), actor(), case_id, raw),
    )


@bp.post("/<int:case_id>/verification/requests/<int:request_id>", endpoint="verification_answer")
@login_required
def answer(case_id: int, request_id: int):
    """Record the answer to one request."""
    return _attempt(
        case_id,
        f"answer-{request_id}",
        VerificationAction.answer,
        lambda raw: service.record_verification_answer(
            runtime().uow(), actor(), case_id, request_id, raw
        ),
    )


@bp.post("/<int:case_id>/verification/conclusion", endpoint="verification_conclude")
@login_required
def conclude(case_id: int):
    """The committee's conclusion, which certifies the biography (2-KNĐ)."""
    return _attempt(
        case_id,
        "conclude",
        VerificationAction.conclude,
        lambda raw: service.conclude_verification(runtime().uow(), actor(), case_id, raw),
    )
