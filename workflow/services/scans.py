"""Replacing a wrong scan of a form on file ("Thay bản quét"): the new file is the one on file,
the old one stays stored and named in the history, for the auditors."""

from __future__ import annotations

from workflow import policy
from workflow.clock import Clock
from workflow.definition import FACTS
from workflow.errors import InvalidInput, InvalidTransition, NotAllowed, NotFound
from workflow.events import new_event
from workflow.facts import Actor
from workflow.ports import UnitOfWork
from workflow.uploads import DEFAULT_MAX_BYTES, BlobStore, Upload, check_upload

#: The action a scan's replacement is recorded as: its event names the old scan's hash.
REPLACE_SCAN = "replace_scan"


def replace_scan(
    uow: UnitOfWork,
    store: BlobStore,
    actor: Actor,
    case_id: int,
    scan_id: int,
    upload: Upload,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    clock: Clock | None = None,
) -> str:
    """Replace a wrong scan of a form on file ("Thay bản quét"): the new file becomes the one on
    file, the form keeps its date and number, and the ``replace_scan`` event names the old
    scan's hash, whose blob stays stored for the auditors. Who may record documents on the case
    may replace a scan. Returns the old scan's SHA-256."""
    clock = clock or Clock.system()
    scan = check_upload(upload, max_bytes)
    with uow:
        case = uow.cases.get(case_id, for_update=True)
        facts = uow.cases.facts(case, "record_document") if case is not None else None
        if facts is None or not policy.can_see(actor, facts):
            raise NotFound(f"no case {case_id}")
        role = policy.fact_role(actor, facts, "document")
        if role is None:
            if case.state not in FACTS["document"].states:
                raise InvalidTransition(f"no scan can be replaced in state {case.state!r}")
            raise NotAllowed(f"{actor.username} may not replace scans of case {case_id}")
        old = uow.documents.scan_on_file(case_id, scan_id)
        if old is None:
            raise NotFound(f"no scan {scan_id} of case {case_id}")
        if old.sha256 == scan.sha256:
            raise InvalidInput("file", "is the very file already on file")
        store.put(scan.sha256, upload.content)
        uow.documents.replace_scan(scan_id, scan, actor.user_id)
        data = {"code": old.code, "scan_id": scan_id, "replaced_sha256": old.sha256}
        data["replaced_name"] = old.name
        uow.history.append(
            new_event(
                actor,
                role,
                REPLACE_SCAN,
                clock,
                uow.settings.rules.version,
                case_id=case_id,
                data={**data, **scan.fields()},
            )
        )
        uow.commit()
        return old.sha256
