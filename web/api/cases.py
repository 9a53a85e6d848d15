"""``/api/v1/cases``: the case list (keyset pages), one case, its history, and changes to it by
the same use cases as the case page (``web.candidates.case``), with ``If-Match``."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from flask import Response
from flask_smorest import Blueprint

from db.read.case_keyset import KeysetFilters, case_keyset
from db.read.case_page import case_page
from web.api.auth import api_actor
from web.api.common import ETAG, IF_MATCH, body_fields, expected_version, refusals
from web.api.errors import domain_error, error_response
from web.api.schemas import (
    ACTION_BODY,
    MAX_ID,
    CaseListQuery,
    CaseListSchema,
    CaseSchema,
    EventSchema,
)
from web.context import db_session, runtime
from workflow import policy, services
from workflow.definition import FACTS, SPECS
from workflow.errors import Conflict, InvalidInput, NotAllowed, NotFound
from workflow.facts import CaseFacts
from workflow.states import Trigger

bp = Blueprint("api_cases", __name__, url_prefix="/cases", description="Candidates' cases.")

_CASE = f"/<int(max={MAX_ID}):case_id>"
_TRIGGERS = ", ".join(t for t in SPECS if t != Trigger.identify)
_KINDS = ", ".join(FACTS)


@bp.route("", methods=["GET"])
@bp.arguments(CaseListQuery, location="query", as_kwargs=True)
@bp.response(200, CaseListSchema)
@refusals(bp, 403, 422)
def list_cases(q: str, limit: int, state=None, organisation=None, after=None):
    """The cases the token may see, newest first, in pages of `limit`: pass the answer's `next`
    as `after` for the next page. 403 for roles without a case list (as on the site)."""
    actor = api_actor()
    if not policy.has_case_list(actor):
        raise NotAllowed("no role with a case list")
    filters = KeysetFilters(q=q.strip(), state=state, organisation_id=organisation)
    page = case_keyset(db_session(), actor, filters, int(after) if after else None, limit)
    return {"items": page.rows, "next": str(page.next) if page.next is not None else None}


def _visible(case_id: int) -> CaseFacts:
    """The case's facts, if the token may see it (else NotFound: 404)."""
    return services.view_case(runtime().uow(write=False), api_actor(), case_id)


def _case(case_id: int) -> tuple[dict[str, Any], dict[str, str]]:
    """The case as the token may see it, and its version as the ETag."""
    facts = _visible(case_id)
    page = case_page(db_session(), case_id)
    if page is None:
        raise NotFound(f"no case {case_id}")
    actor = api_actor()
    transitions = [
        {"name": t, "fields_": [f.name for f in SPECS[t].fields]}
        for t in policy.allowed_triggers(actor, facts)
    ]
    facts_allowed = [
        {"name": kind, "fields_": [f.name for f in spec.fields]}
        for kind, spec in FACTS.items()
        if policy.fact_role(actor, facts, kind) is not None
    ]
    body = {
        "id": page.id,
        "state": page.state,
        "version": page.version,
        "source": page.source,
        "opened_on": page.opened_on,
        "closed_on": page.closed_on,
        "person": {k: _plain(v) for k, v in page.person.items()},
        "cell_id": page.cell_id,
        "cell": page.cell_name,
        "mentor": page.mentor_name,
        "certificate_number": page.certificate_number,
        "certificate_date": page.certificate_date,
        "decision_date": page.decision_date,
        "ceremony_on": page.ceremony_on,
        "votes": [_plain_dict(v) for v in page.votes],
        "decisions": [_plain_dict(d) for d in page.decisions],
        "documents": [_plain_dict(d) for d in page.documents],
        "transitions": transitions,
        "facts": facts_allowed,
    }
    return body, {"ETag": f'"{page.version}"'}


def _plain(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def _plain_dict(row: dict[str, Any]) -> dict[str, Any]:
    return {k: _plain(v) for k, v in row.items()}


@bp.route(_CASE, methods=["GET"])
@bp.response(200, CaseSchema, headers=ETAG)
@refusals(bp, 404)
def get_case(case_id: int):
    """One case: the person, the paperwork on record, and the transitions and facts the token
    may try now (with the fields each takes)."""
    return _case(case_id)


@bp.route(f"{_CASE}/events", methods=["GET"])
@bp.response(200, EventSchema(many=True))
@refusals(bp, 404)
def case_history(case_id: int):
    """The case's history, oldest first: who did what, as which role, and what was recorded."""
    _visible(case_id)
    page = case_page(db_session(), case_id)
    if page is None:
        raise NotFound(f"no case {case_id}")
    return [asdict(item.event) for item in page.events]


def _change(case_id: int, call) -> Response | tuple[dict[str, Any], dict[str, str]]:
    """Run a change with the version If-Match names: 428 without one, 412 when stale. The use
    case judges in the web's order (an admin 403, a case out of scope 404, then the version)."""
    version = expected_version()
    try:
        call(-1 if version is None else version)
    except Conflict as stale:
        if version is None:
            return error_response(428, "send If-Match with the case's version (its ETag)")
        return domain_error(stale, conflict_status=412)
    return _case(case_id)


def _fields(case_id: int, specs) -> dict[str, Any]:
    """The body's fields; a malformed body is refused after the case's scope (404 first)."""
    try:
        return body_fields(specs)
    except InvalidInput:
        _visible(case_id)
        raise


@bp.route(f"{_CASE}/transitions/<any({_TRIGGERS}):trigger>", methods=["POST"])
@bp.doc(requestBody=ACTION_BODY, parameters=[IF_MATCH])
@bp.response(200, CaseSchema, headers=ETAG)
@refusals(bp, 403, 404, 409, 412, 422, 428)
def fire(case_id: int, trigger: str):
    """Fire a transition with the fields its form on the case page takes (a JSON object); the
    same rules judge it: a broken rule is 422 with its `failures`."""

    def call(version: int) -> None:
        raw = _fields(case_id, SPECS[trigger].fields)
        services.fire_transition(
            runtime().uow(), api_actor(), case_id, trigger, raw, expected_version=version
        )

    return _change(case_id, call)


@bp.route(f"{_CASE}/facts/<any({_KINDS}):kind>", methods=["POST"])
@bp.doc(requestBody=ACTION_BODY, parameters=[IF_MATCH])
@bp.response(200, CaseSchema, headers=ETAG)
@refusals(bp, 403, 404, 409, 412, 422, 428)
def record(case_id: int, kind: str):
    """Record a fact (an introduction, a document on file, the ceremony, a note...) without a
    change of state, with the fields its form takes."""

    def call(version: int) -> None:
        raw = _fields(case_id, FACTS[kind].fields)
        services.record_fact(
            runtime().uow(), api_actor(), case_id, kind, raw, expected_version=version
        )

    return _change(case_id, call)
