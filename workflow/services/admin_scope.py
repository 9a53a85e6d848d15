"""What every administrative use case shares: the admin's scope, the organisation in it, the
refusal of changes to a dissolved organisation, and the administrative event."""

from __future__ import annotations

from typing import Any

from workflow import admin as rules
from workflow import tree as tree_rules
from workflow.admin import OrgRecord
from workflow.clock import Clock
from workflow.errors import InvalidInput, NotAllowed, NotFound
from workflow.events import new_event
from workflow.facts import Actor
from workflow.policy import Purpose, Scope, scope
from workflow.ports import NewEvent, UnitOfWork
from workflow.states import Role

#: Administrative events are judged by no rule set.
NO_RULESET = "-"


def manage_scope(actor: Actor, task: str = "manage users and organisations") -> Scope:
    """The actor's admin scope; NotAllowed when they hold no admin grant."""
    found = scope(actor, Purpose.manage)
    if not found:
        raise NotAllowed(f"only an admin may {task}")
    return found


def admin_event(
    actor: Actor, action: str, clock: Clock, organisation_id: int | None = None, **data: Any
) -> NewEvent:
    """The administrative event `admin_<action>`, scoped to the organisation it concerns (by
    default the organisation of the actor's first admin grant)."""
    name = f"admin_{action}"
    assert name in rules.ADMIN_ACTIONS, name
    if organisation_id is None:
        organisation_id = actor.grants_for(Role.admin)[0].organisation_id
    return new_event(
        actor, Role.admin, name, clock, NO_RULESET, organisation_id=organisation_id, data=data
    )


def organisation_in_scope(uow: UnitOfWork, within: Scope, org_id: int | None) -> OrgRecord:
    """The organisation if it lies in `within`, else NotFound."""
    org = uow.organisations.get(org_id) if org_id is not None else None
    if org is None or not within.covers(org.path):
        raise NotFound(f"organisation {org_id}")
    return org


def check_not_dissolved(
    uow: UnitOfWork, org: OrgRecord, field: str, reason: str = tree_rules.DISSOLVED
) -> None:
    """Refuse (InvalidInput on `field`) a change to a dissolved organisation: it keeps its past
    (earlier decisions and reports read it) but takes no new role, child, name or flag."""
    version = uow.tree.version(org.id)
    if version is not None and version.valid_until is not None:
        raise InvalidInput(field, reason)
