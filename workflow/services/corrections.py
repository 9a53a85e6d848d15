"""The use cases of corrections: a secretary proposes, the committee approves or refuses.

Each step is an event of the case the correction was proposed on, keeping each field's value
before and after. An approval writes the new values on the person and, in the same unit of work,
re-issues every generated document of the person's cases whose data the correction changed (a
new number and verification code; the old code then answers "superseded"). The new documents'
PDFs are drawn off the request: a ``render_documents`` task per case, handed over only once the
approval has committed (``uow.tasks``).
"""

from __future__ import annotations

from typing import Any

from workflow import policy
from workflow.clock import Clock
from workflow.corrections import (
    Correction,
    CorrectionAction,
    Reissued,
    Status,
    changes_data,
    check_text,
    proposed_changes,
)
from workflow.documents import load_data, still_true
from workflow.errors import Conflict, InvalidInput, InvalidTransition, NotAllowed, NotFound
from workflow.events import new_event
from workflow.facts import Actor, CaseFacts
from workflow.ports import UnitOfWork
from workflow.ports.tasks import RENDER_DOCUMENTS
from workflow.states import Role
from workflow.uploads import DEFAULT_MAX_BYTES, BlobStore, Upload, check_upload

_P = policy.Purpose


def _case(uow: UnitOfWork, actor: Actor, case_id: int) -> CaseFacts:
    case = uow.cases.get(case_id, for_update=True)
    facts = uow.cases.facts(case, "correction") if case is not None else None
    if facts is None or facts.person_id is None or not policy.can_see(actor, facts):
        raise NotFound(f"no case {case_id}")
    return facts


def _event(
    uow: UnitOfWork,
    actor: Actor,
    role: str,
    action: CorrectionAction,
    correction: Correction,
    clock: Clock,
    reason: str | None,
    **extra: Any,
) -> None:
    data = {
        "correction": correction.id,
        "changes": changes_data(correction.changes),
        **{k: v for k, v in extra.items() if v not in (None, [], {})},
    }
    uow.history.append(
        new_event(
            actor,
            role,
            action,
            clock,
            uow.settings.rules.version,
            case_id=correction.case_id,
            reason=reason,
            data=data,
        )
    )


def propose_correction(
    uow: UnitOfWork,
    actor: Actor,
    case_id: int,
    raw: dict[str, Any],
    reason: str | None,
    *,
    evidence_text: str | None = None,
    upload: Upload | None = None,
    store: BlobStore | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    clock: Clock | None = None,
) -> Correction:
    """The cell's secretary proposes new values for the person's particulars, with a reason and
    evidence: a scan (judged by ``workflow.uploads``) or a reference to the paper, or both."""
    clock = clock or Clock.system()
    reason = check_text(reason, "reason", required=True)
    evidence_text = check_text(evidence_text, "evidence", required=False)
    scan = None
    if upload is not None and upload.content:
        scan = check_upload(upload, max_bytes)
    if scan is None and evidence_text is None:
        raise InvalidInput("evidence", "a scan or a reference to the evidence is required")
    with uow:
        facts = _case(uow, actor, case_id)
        if not policy.scope(actor, _P.identify).covers(facts.cell_path):
            raise NotAllowed(f"{actor.username} may not propose corrections on case {case_id}")
        assert facts.person_id is not None
        if uow.corrections.pending_for(facts.person_id) is not None:
            raise InvalidTransition("a correction of this person already awaits the committee")
        current = uow.corrections.particulars(facts.person_id)
        changes = proposed_changes(raw, current, clock.today)
        if scan is not None:
            assert store is not None, "an upload needs a blob store"
            store.put(scan.sha256, upload.content)  # type: ignore[union-attr]
        correction = uow.corrections.add(
            case_id, facts.person_id, changes, reason or "", evidence_text, scan, actor, clock.today
        )
        evidence = {"evidence": evidence_text}
        if scan is not None:
            evidence.update(evidence_file=scan.name, evidence_sha256=scan.sha256)
        _event(
            uow,
            actor,
            Role.secretary,
            CorrectionAction.propose_correction,
            correction,
            clock,
            reason,
            **evidence,
        )
        uow.commit()
        return correction


def _pending(
    uow: UnitOfWork, actor: Actor, correction_id: int, expected_version: int | None
) -> tuple[Correction, CaseFacts]:
    """The correction, locked, if the actor may decide it now."""
    correction = uow.corrections.get(correction_id, for_update=True)
    if correction is None:
        raise NotFound(f"no correction {correction_id}")
    case = uow.cases.get(correction.case_id)
    facts = uow.cases.facts(case, "correction") if case is not None else None
    if facts is None or not policy.can_see(actor, facts):
        raise NotFound(f"no correction {correction_id}")
    if not policy.scope(actor, _P.decide).covers(facts.cell_path):
        raise NotAllowed(f"{actor.username} may not decide correction {correction_id}")
    if correction.status != Status.proposed:
        raise InvalidTransition(f"correction {correction_id} is already {correction.status}")
    if expected_version is not None and correction.version != expected_version:
        raise Conflict(f"correction {correction_id} changed since it was loaded; reload")
    return correction, facts


def approve_correction(
    uow: UnitOfWork,
    actor: Actor,
    correction_id: int,
    *,
    note: str | None = None,
    expected_version: int | None = None,
    clock: Clock | None = None,
) -> tuple[Correction, list[Reissued]]:
    """The committee approves: the person's row takes the new values, and every generated
    document of the person's cases that no longer says what the person's data say is re-issued
    under a new number and verification code (the old one answers "superseded")."""
    clock = clock or Clock.system()
    note = check_text(note, "answer", required=False)
    with uow:
        correction, _facts = _pending(uow, actor, correction_id, expected_version)
        now = uow.corrections.particulars(correction.person_id)
        if any(now.get(name) != old for name, (old, _new) in correction.changes.items()):
            # The person was corrected by another way meanwhile: the "before" no longer holds.
            raise Conflict(f"the person's data changed since correction {correction_id}")
        correction = uow.corrections.decide(correction, Status.approved, actor, clock.today, note)
        uow.corrections.apply(correction.person_id, correction.changes)
        reissued, made = _reissue(uow, actor, correction, clock)
        data = [
            {"code": r.code, "old_number": r.old_number, "new_number": r.new_number}
            for r in reissued
        ]
        _event(
            uow,
            actor,
            Role.committee,
            CorrectionAction.approve_correction,
            correction,
            clock,
            note,
            reissued=data,
        )
        for case_id, doc_ids in made.items():
            # Drawn after the commit, from what it committed (never for a rolled-back approval).
            uow.tasks.defer(RENDER_DOCUMENTS, case_id=case_id, doc_ids=doc_ids)
        uow.commit()
        return correction, reissued


def _reissue(
    uow: UnitOfWork, actor: Actor, correction: Correction, clock: Clock
) -> tuple[list[Reissued], dict[int, list[int]]]:
    """Re-issue the person's documents in force whose data the correction changed: what was
    re-issued, and the new documents' ids by case."""
    done: list[Reissued] = []
    made_ids: dict[int, list[int]] = {}
    dossiers: dict[int, dict[str, Any]] = {}
    for doc in uow.corrections.issued(correction.person_id):
        if doc.case_id not in dossiers:
            dossiers[doc.case_id] = uow.documents.dossier(doc.case_id)
        # Only what the correction touched outdates a document here: its person's particulars.
        if still_true(load_data(doc.data).get("person"), dossiers[doc.case_id].get("person")):
            continue
        made = uow.documents.generate(doc.case_id, doc.code, actor.user_id, clock.today)
        uow.corrections.supersede(doc.id, made.id, correction.id, clock.today)
        done.append(Reissued(doc.code, doc.number, made.number, made.verify_code))
        made_ids.setdefault(doc.case_id, []).append(made.id)
    return done, made_ids


def refuse_correction(
    uow: UnitOfWork,
    actor: Actor,
    correction_id: int,
    reason: str | None,
    *,
    expected_version: int | None = None,
    clock: Clock | None = None,
) -> Correction:
    """The committee refuses, with a reason: the person's data stay as they are."""
    clock = clock or Clock.system()
    reason = check_text(reason, "reason", required=True)
    with uow:
        correction, _facts = _pending(uow, actor, correction_id, expected_version)
        correction = uow.corrections.decide(correction, Status.refused, actor, clock.today, reason)
        _event(
            uow,
            actor,
            Role.committee,
            CorrectionAction.refuse_correction,
            correction,
            clock,
            reason,
        )
        uow.commit()
        return correction


def view_correction(uow: UnitOfWork, actor: Actor, correction_id: int) -> Correction:
    """The correction, if the actor sees its case."""
    with uow:
        correction = uow.corrections.get(correction_id)
        case = uow.cases.get(correction.case_id) if correction is not None else None
        facts = uow.cases.facts(case, "correction") if case is not None else None
        if correction is None or facts is None or not policy.can_see(actor, facts):
            raise NotFound(f"no correction {correction_id}")
        return correction
