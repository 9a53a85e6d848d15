"""Building history events: every use case describes what happened with ``new_event``."""

from __future__ import annotations

from typing import Any

from workflow.clock import Clock
from workflow.facts import Actor
from workflow.history import check_event_text
from workflow.ports.history import NewEvent


def new_event(
    actor: Actor,
    role: str,
    action: str,
    clock: Clock,
    ruleset: str,
    *,
    case_id: int | None = None,
    organisation_id: int | None = None,
    from_state: str | None = None,
    to_state: str | None = None,
    reason: str | None = None,
    data: dict[str, Any] | None = None,
) -> NewEvent:
    """The event of `actor` doing `action` as `role` at `clock.now`, judged under `ruleset`.

    A case event names its case; an administrative event (users, organisations, targets,
    classes, proposals) names the organisation it concerns, which scopes it on the audit log.
    """
    data = dict(data or {})
    check_event_text(reason, data)
    return NewEvent(
        case_id=case_id,
        at=clock.now,
        user_id=actor.user_id,
        username=actor.username,
        role=str(role),
        action=str(action),
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        data=data,
        ruleset=ruleset,
        organisation_id=organisation_id,
    )
