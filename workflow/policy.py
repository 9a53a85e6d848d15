"""Who may see and do what: role × trigger × organisation scope, mentors on their own cases only.

Scopes are materialised paths (``/1/4/9/``): a grant covers every organisation whose path starts
with the grant's ``scope_path``. A grant held in a mass organisation or the political centre covers
the party organisation it is attached to (the storage layer computes ``scope_path`` so).
"""

from __future__ import annotations

from collections.abc import Iterable

from workflow.definition import FACTS, SPECS
from workflow.facts import Actor, CaseFacts
from workflow.machine import triggers_from
from workflow.states import Role, Trigger

#: Roles that may read a case in their scope (mentors only their own).
READERS = (Role.secretary, Role.committee, Role.auditor)


def _covers(actor: Actor, role: str, path: str) -> bool:
    return any(path.startswith(g.scope_path) for g in actor.grants_for(role))


def is_own_mentee(actor: Actor, case: CaseFacts) -> bool:
    """The actor is the case's current mentor."""
    return (
        actor.member_id is not None
        and case.mentor is not None
        and case.mentor.id == actor.member_id
        and _covers(actor, Role.mentor, case.cell_path)
    )


def _awaits_trainer(actor: Actor, case: CaseFacts) -> bool:
    """A trainer sees the cases in scope that wait for the class: those it may certify."""
    return case.state in SPECS[Trigger.complete_training].sources and _covers(
        actor, Role.trainer, case.cell_path
    )


def can_see(actor: Actor, case: CaseFacts) -> bool:
    """Whether the case exists for this actor at all (else: 404)."""
    return (
        any(_covers(actor, role, case.cell_path) for role in READERS)
        or is_own_mentee(actor, case)
        or _awaits_trainer(actor, case)
    )


def acting_role(actor: Actor, case: CaseFacts, trigger: str) -> str | None:
    """The role under which the actor may fire `trigger` on `case`, or ``None``."""
    spec = SPECS.get(trigger)
    if spec is None:
        return None
    for role in spec.roles:
        if role == Role.mentor:
            if spec.mentor_own and is_own_mentee(actor, case):
                return role
        elif role == Role.trainer:
            if _covers(actor, Role.trainer, case.cell_path):
                return role
        elif spec.decision:
            if _covers(actor, role, case.deciding_body_path):
                return role
        elif _covers(actor, role, case.cell_path):
            return role
    return None


def fact_role(actor: Actor, case: CaseFacts, kind: str) -> str | None:
    """The role under which the actor may record a fact of `kind`, or ``None``."""
    spec = FACTS.get(kind)
    if spec is None or case.state not in spec.states:
        return None
    for role in spec.roles:
        if role == Role.mentor:
            if is_own_mentee(actor, case):
                return role
        elif _covers(actor, role, case.cell_path):
            return role
    return None


def allowed_triggers(actor: Actor, case: CaseFacts) -> list[str]:
    """The triggers this actor may try now: valid from the state and permitted by the policy."""
    return [t for t in triggers_from(case.state) if acting_role(actor, case, t) is not None]


def can_identify_in(actor: Actor, cell_path: str) -> bool:
    """Whether the actor may open a case in the cell at `cell_path`."""
    return _covers(actor, Role.secretary, cell_path)


def visible_paths(actor: Actor, roles: Iterable[str] = READERS) -> list[str]:
    """The scope paths under which the actor reads every case (mentors' own cases aside)."""
    return sorted({g.scope_path for g in actor.grants if g.role in set(roles)})
