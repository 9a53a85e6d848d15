"""The use cases of a case: identify, fire a transition, record a fact, upload a scan, view."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from workflow import policy
from workflow.case_exceptions import check_exception_fact
from workflow.cell_votes import resolve_vote
from workflow.clock import Clock
from workflow.dates import add_months
from workflow.definition import FACTS, SPECS
from workflow.effects import IssueForm, effects_of
from workflow.errors import (
    Conflict,
    InvalidInput,
    InvalidTransition,
    NotAllowed,
    NotFound,
    RuleViolation,
)
from workflow.events import new_event
from workflow.facts import Actor, CaseFacts
from workflow.fields import parse_fields
from workflow.introductions import form_put_on_file
from workflow.machine import fire, triggers_from
from workflow.ports import CaseRecord, UnitOfWork
from workflow.rules import Attempt, evaluate
from workflow.settings import RuleSettings
from workflow.states import NEW, Trigger, VoteBody
from workflow.uploads import DEFAULT_MAX_BYTES, BlobStore, Upload, check_upload

_VOTE_OF = {
    Trigger.submit_dossier.value: VoteBody.cell,
    Trigger.admit.value: VoteBody.grassroots,
    Trigger.recognize.value: VoteBody.recognition,
    "recognition_vote": VoteBody.recognition,
}


@dataclass
class NewCase:
    """The case before `identify`: only its pseudo-state, for the machine to move."""

    state: str = NEW


def _visible_case(
    uow: UnitOfWork, actor: Actor, case_id: int, action: str | None = None
) -> tuple[CaseRecord, CaseFacts]:
    """The case (locked when `action` will change it) and its facts, if the actor may see it."""
    case = uow.cases.get(case_id, for_update=action is not None)
    if case is None:
        raise NotFound(f"no case {case_id}")
    facts = uow.cases.facts(case, action)
    if not policy.can_see(actor, facts):
        raise NotFound(f"no case {case_id}")
    return case, facts


def view_case(uow: UnitOfWork, actor: Actor, case_id: int) -> CaseFacts:
    """The case's facts, if the actor may see it."""
    with uow:
        return _visible_case(uow, actor, case_id)[1]


def _resolve(
    uow: UnitOfWork, spec_fields: dict[str, Any], facts: CaseFacts, trigger: str
) -> dict[str, Any]:
    """Replace ids by the facts they name, and count the vote against those who may vote."""
    values = dict(spec_fields)
    for name in ("mentor", "member"):
        if values.get(name) is not None:
            member = uow.cases.member(values[name])
            if member is None:
                raise InvalidInput(name, f"no party member with id {values[name]}")
            values[name] = member
    body = _VOTE_OF.get(trigger)
    return resolve_vote(values, facts, body, uow.cases.cell_roll, uow.settings.rules, trigger)


def _event_data(values: dict[str, Any]) -> dict[str, Any]:
    """What an event keeps of the values: plain JSON-able data, references by id and name."""
    data: dict[str, Any] = {}
    for key, value in values.items():
        if key == "reason" or value is None:
            continue
        if hasattr(value, "__dataclass_fields__"):
            if key == "vote":
                data["eligible"] = value.eligible
                continue
            data[f"{key}_id"], data[f"{key}_name"] = value.id, value.name
        else:
            data[key] = value
    return data


def _check_version(case: CaseRecord, expected_version: int | None) -> None:
    if expected_version is not None and case.version != expected_version:
        raise Conflict(
            f"case {case.id} changed since it was loaded (version {expected_version}, "
            f"now {case.version}); reload and try again"
        )


def fire_transition(
    uow: UnitOfWork,
    actor: Actor,
    case_id: int,
    trigger: str,
    raw: dict[str, Any] | None = None,
    *,
    expected_version: int | None = None,
    clock: Clock | None = None,
) -> CaseRecord:
    """Fire `trigger` on a case as `actor`; the state change and its event commit together."""
    with uow:
        case = fire_in(uow, actor, case_id, trigger, raw, expected_version, clock or Clock.system())
        uow.commit()
        return case


def fire_in(
    uow: UnitOfWork,
    actor: Actor,
    case_id: int,
    trigger: str,
    raw: dict[str, Any] | None,
    expected_version: int | None,
    clock: Clock,
) -> CaseRecord:
    """A transition inside a unit of work the caller opened and commits (certificates issued by
    a class): the rules, the change and its event, without the commit."""
    settings = uow.settings.rules
    spec = SPECS.get(trigger)
    if spec is None or spec.trigger == Trigger.identify:
        raise InvalidTransition(f"unknown trigger {trigger!r}")
    if policy.administers_only(actor):
        raise NotAllowed(f"{actor.username} administers: an admin fires no transition")
    case, facts = _visible_case(uow, actor, case_id, trigger)
    _check_version(case, expected_version)
    role = policy.acting_role(actor, facts, trigger)
    if role is None:
        raise NotAllowed(f"{actor.username} may not {trigger} case {case_id}")
    if trigger not in triggers_from(case.state):
        raise InvalidTransition(f"{trigger} cannot fire from state {case.state!r}")
    values = _resolve(uow, parse_fields(spec.fields, raw or {}), facts, trigger)
    from_state = case.state
    fire(case, trigger, Attempt(facts, actor, clock.today, settings, values, trigger))
    _store(uow, case, trigger, values, actor, clock)
    append_event(uow, case, actor, role, trigger, from_state, values, clock, settings)
    return case


def _store(
    uow: UnitOfWork,
    case: CaseRecord,
    action: str,
    values: dict[str, Any],
    actor: Actor,
    clock: Clock,
) -> None:
    """Hand the action's effects to the case repository, then make the forms it produces (from
    what was just stored) and name them in `values` for the action's event."""
    effects = effects_of(action, values, actor, clock.today)
    uow.cases.record(case, effects, actor, clock.today)
    made = [
        uow.documents.generate(case.id, e.code, actor.user_id, clock.today)
        for e in effects
        if isinstance(e, IssueForm)
    ]
    if made:
        values["generated_number"] = ", ".join(m.number for m in made)
        values["generated_data_hash"] = ", ".join(m.data_hash for m in made)


def identify_candidate(
    uow: UnitOfWork,
    actor: Actor,
    raw: dict[str, Any],
    *,
    clock: Clock | None = None,
) -> CaseRecord:
    """Open a case for a person on a cell's list of candidates (``identify``)."""
    with uow:
        case = identify_in(uow, actor, raw, clock or Clock.system())
        uow.commit()
        return case


def identify_in(uow: UnitOfWork, actor: Actor, raw: dict[str, Any], clock: Clock) -> CaseRecord:
    """``identify`` inside a unit of work the caller opened and commits (an import, a proposal
    accepted): the rules, the new case and its event, without the commit."""
    settings = uow.settings.rules
    values = parse_fields(SPECS[Trigger.identify].fields, raw)
    facts = uow.cases.prospective_facts(values)
    if facts is None:
        raise InvalidInput("cell", f"no party cell with id {values['cell']}")
    if not policy.can_identify_in(actor, facts.cell_path):
        raise NotAllowed(f"{actor.username} may not add candidates to cell {values['cell']}")
    attempt = Attempt(facts, actor, clock.today, settings, values, Trigger.identify.value)
    fire(NewCase(), Trigger.identify, attempt)
    case = uow.cases.create(values, actor, clock.today)
    append_event(uow, case, actor, "secretary", Trigger.identify, None, values, clock, settings)
    return case


def record_fact(
    uow: UnitOfWork,
    actor: Actor,
    case_id: int,
    kind: str,
    raw: dict[str, Any],
    *,
    expected_version: int | None = None,
    clock: Clock | None = None,
) -> CaseRecord:
    """Record a fact (introduction, document, ceremony, note) without changing the state; an
    introduction puts the form that evidences it on file too (``workflow.introductions``)."""
    return _record(uow, actor, case_id, kind, raw, None, expected_version, clock)


def upload_document(
    uow: UnitOfWork,
    store: BlobStore,
    actor: Actor,
    case_id: int,
    raw: dict[str, Any],
    upload: Upload,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    expected_version: int | None = None,
    clock: Clock | None = None,
) -> CaseRecord:
    """Put a form on file with its signed scan: one ``record_document`` event naming the scan's
    SHA-256. The bytes are judged before anything else and stored only once the case, the actor
    and the form have passed; a transaction that fails after that leaves at most an unreferenced
    blob (harmless: blobs are named by their content)."""
    scan = check_upload(upload, max_bytes)

    def attach(values: dict[str, Any]) -> None:
        store.put(scan.sha256, upload.content)
        values.update(scan.fields())

    return _record(uow, actor, case_id, "document", raw, attach, expected_version, clock)


def _record(
    uow: UnitOfWork,
    actor: Actor,
    case_id: int,
    kind: str,
    raw: dict[str, Any],
    attach: Callable[[dict[str, Any]], None] | None,
    expected_version: int | None,
    clock: Clock | None,
) -> CaseRecord:
    clock = clock or Clock.system()
    settings = uow.settings.rules
    spec = FACTS.get(kind)
    if spec is None:
        raise InvalidInput("kind", f"unknown fact {kind!r} (known: {', '.join(FACTS)})")
    if policy.administers_only(actor):
        raise NotAllowed(f"{actor.username} administers: an admin records no fact")
    with uow:
        case, facts = _visible_case(uow, actor, case_id, f"record_{kind}")
        _check_version(case, expected_version)
        role = policy.fact_role(actor, facts, kind)
        if role is None:
            if case.state not in spec.states:
                raise InvalidTransition(f"cannot record {kind} in state {case.state!r}")
            raise NotAllowed(f"{actor.username} may not record {kind} on case {case_id}")
        values = _resolve(uow, parse_fields(spec.fields, raw), facts, kind)
        _check_fact(kind, values, clock.today, settings, facts)
        check_exception_fact(kind, values, clock.today)
        attempt = Attempt(facts, actor, clock.today, settings, values, f"record_{kind}")
        failures = evaluate(spec.rules, attempt)
        if failures:
            raise RuleViolation(failures)
        if attach is not None:
            attach(values)
        action = f"record_{kind}"
        _store(uow, case, action, values, actor, clock)
        append_event(uow, case, actor, role, action, None, values, clock, settings)
        # A fact entered once: an introduction puts its form (4-KNĐ...) on file with it.
        evidence = form_put_on_file(kind, values, facts)
        if evidence:
            role = policy.fact_role(actor, facts, "document") or role
            _store(uow, case, "record_document", evidence, actor, clock)
            append_event(uow, case, actor, role, "record_document", None, evidence, clock, settings)
        uow.commit()
        return case


def _check_fact(
    kind: str, values: dict[str, Any], today: date, settings: RuleSettings, facts: CaseFacts
) -> None:
    for name in ("dated", "known_since", "ceremony_date"):
        if values.get(name) is not None and values[name] > today:
            raise InvalidInput(name, "is in the future")
    held = values.get("ceremony_date")
    if held is not None and facts.decision_date is not None and held < facts.decision_date:
        raise InvalidInput(
            "ceremony_date", f"is before the admission decision of {facts.decision_date:%d/%m/%Y}"
        )
    if kind == "recognition_vote":
        if values.get("vote_date") is None or values.get("votes_for") is None:
            raise InvalidInput("votes_for", "the vote's date and count are required")
        if facts.ceremony_on is None:
            raise InvalidInput("vote_date", "the admission ceremony is not recorded yet")
        ends = add_months(facts.ceremony_on, settings.probation_months)
        if values["vote_date"] < ends:
            raise InvalidInput("vote_date", f"is before the probation ends on {ends:%d/%m/%Y}")
    if kind == "decision_extension":
        limit = settings.deadlines["decision_extension"]
        if not 1 <= values["days"] <= limit:
            raise InvalidInput("days", f"must be between 1 and {limit} working days")
        if facts.decision_extension_days:
            raise InvalidInput("days", "the decision deadline has been extended once already")
        if not values.get("reason"):
            raise InvalidInput("reason", "an extension needs a reason")
    if kind == "introduction":
        if values["kind"] == "member" and values.get("member") is None:
            raise InvalidInput("member", "an introduction by a party member names the member")
        if values["kind"] != "member" and not values.get("name"):
            raise InvalidInput("name", "an introduction by resolution names the organisation")
    if kind == "document":
        known = {
            *settings.dossier_forms,
            *settings.youth_forms,
            *settings.recognition_forms,
            "CN-NTVĐ",
            "7-KNĐ",
            "8-KNĐ",
            "14-KNĐ",
            "9-KNĐ",
            "16-KNĐ",
        }
        if values["code"] not in known:
            raise InvalidInput("code", f"unknown form {values['code']!r}")


def append_event(
    uow: UnitOfWork,
    case: CaseRecord,
    actor: Actor,
    role: str,
    action: str,
    from_state: str | None,
    values: dict[str, Any],
    clock: Clock,
    settings: RuleSettings,
) -> None:
    """Append the event of `action` on `case` (its state after the action) to the history."""
    uow.history.append(
        new_event(
            actor,
            role,
            action,
            clock,
            settings.version,
            case_id=case.id,
            from_state=from_state,
            to_state=case.state if from_state is not None or action == Trigger.identify else None,
            reason=values.get("reason"),
            data=_event_data(values),
        )
    )
