"""The enterprise registry's use cases: who reads it, and the admins' registrations and edits.

The committee and the auditors read the enterprises kept by the committees in their scope;
admins also register and edit them within theirs, each change an administrative event naming
the committee that keeps the enterprise. The rules of the values are in ``workflow.enterprises``.
"""

from __future__ import annotations

from typing import Any

from workflow import enterprises as rules
from workflow.clock import Clock
from workflow.errors import InvalidInput, NotAllowed, NotFound
from workflow.facts import Actor
from workflow.policy import Purpose, Scope, scope
from workflow.ports import UnitOfWork
from workflow.services.admin_scope import admin_event, manage_scope
from workflow.states import OrgType

_TASK = "edit the enterprise registry"


def registry_scope(actor: Actor) -> Scope:
    """Where the actor reads the registry; NotAllowed when nowhere."""
    found = scope(actor, Purpose.enterprises)
    if not found:
        raise NotAllowed("only the committee, auditors and admins read the enterprise registry")
    return found


def _check(uow: UnitOfWork, within: Scope, values: dict[str, Any], but: int | None) -> None:
    """The committee and the cell are in the admin's scope and of their kind; the tax code is
    free."""
    for field, kind in (("committee_id", OrgType.committee), ("cell_id", OrgType.cell)):
        org_id = values[field]
        if org_id is None:
            continue
        org = uow.organisations.get(org_id)
        if org is None or org.type != kind or not within.covers(org.path):
            raise InvalidInput(field, rules.UNKNOWN_CHOICE)
    if values["tax_code"] and uow.enterprises.tax_code_taken(values["tax_code"], but):
        raise InvalidInput("tax_code", rules.TAX_CODE_TAKEN)


def create_enterprise(
    uow: UnitOfWork, actor: Actor, *, clock: Clock | None = None, **raw: Any
) -> int:
    """Register an enterprise kept by a committee in the admin's scope; returns its id."""
    within = manage_scope(actor, _TASK)
    values = rules.enterprise_values(**raw)
    with uow:
        _check(uow, within, values, None)
        new_id = uow.enterprises.add(values)
        event = admin_event(
            actor,
            "create_enterprise",
            clock or Clock.system(),
            values["committee_id"],
            enterprise=new_id,
            **rules.logged(values),
        )
        uow.history.append(event)
        uow.commit()
        return new_id


def update_enterprise(
    uow: UnitOfWork, actor: Actor, enterprise_id: int, *, clock: Clock | None = None, **raw: Any
) -> None:
    """Change an enterprise in the admin's scope (NotFound otherwise)."""
    within = manage_scope(actor, _TASK)
    values = rules.enterprise_values(**raw)
    with uow:
        keeper_id = uow.enterprises.committee_of(enterprise_id)
        keeper = uow.organisations.get(keeper_id) if keeper_id is not None else None
        if keeper is None or not within.covers(keeper.path):
            raise NotFound(f"enterprise {enterprise_id}")
        _check(uow, within, values, enterprise_id)
        uow.enterprises.update(enterprise_id, values)
        event = admin_event(
            actor,
            "update_enterprise",
            clock or Clock.system(),
            values["committee_id"],
            enterprise=enterprise_id,
            **rules.logged(values),
        )
        uow.history.append(event)
        uow.commit()
