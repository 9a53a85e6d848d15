"""Who may see and do what: role × trigger × organisation scope, mentors on their own cases only.

Scopes are materialised paths (``/1/4/9/``): a grant covers every organisation whose path starts
with the grant's ``scope_path``. A grant held in a mass organisation or the political centre covers
the party organisation it is attached to (the storage layer computes ``scope_path`` so).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from workflow.definition import FACTS, SPECS
from workflow.facts import Actor, CaseFacts
from workflow.machine import triggers_from
from workflow.states import Role, Trigger

#: Roles that may read a case in their scope (mentors only their own).
READERS = (Role.secretary, Role.committee, Role.auditor)
#: Roles that have a case list: readers see their scope, mentors their own mentees.
LISTERS = (*READERS, Role.mentor)


class Purpose(StrEnum):
    """What a scope is asked for: each purpose names the roles whose grants count for it."""

    cases = "cases"  # read cases (and their history): readers, and mentors their own mentees
    identify = "identify"  # open cases, run a cell's list: secretaries
    decide = "decide"  # decide dossiers: the committee
    audit = "audit"  # the audit log: auditors and committees
    manage = "manage"  # users, organisations, targets, the enterprise registry: admins
    reports = "reports"  # the targets and statistics reports
    enterprises = "enterprises"  # read the enterprise registry
    train = "train"  # awareness classes: the political centre
    introduce = "introduce"  # proposals from mass organisations: introducers


#: Which grants count for each purpose (``Purpose.cases`` adds the mentor's own mentees).
PURPOSE_ROLES: dict[Purpose, tuple[str, ...]] = {
    Purpose.cases: READERS,
    Purpose.identify: (Role.secretary,),
    Purpose.decide: (Role.committee,),
    Purpose.audit: (Role.auditor, Role.committee),
    Purpose.manage: (Role.admin,),
    Purpose.reports: (Role.committee, Role.secretary, Role.auditor, Role.admin),
    Purpose.enterprises: (Role.committee, Role.auditor, Role.admin),
    Purpose.train: (Role.trainer,),
    Purpose.introduce: (Role.introducer,),
}


@dataclass(frozen=True)
class Scope:
    """Where an actor may act for one purpose: whole subtrees, and (for cases) own mentees.

    The one scope rule: an organisation is in scope when its materialised path starts with one
    of ``paths``; a case is also in scope when its mentor is ``member_id`` and its cell lies under
    one of ``mentor_paths``. ``db.read.scope.scope_clause`` says the same in SQL.
    """

    purpose: Purpose
    paths: tuple[str, ...] = ()
    mentor_paths: tuple[str, ...] = ()
    member_id: int | None = None

    def covers(self, path: str) -> bool:
        """Whether the organisation at `path` lies in one of the scope's subtrees."""
        return any(path.startswith(p) for p in self.paths)

    def has_case(self, cell_path: str, mentor_id: int | None) -> bool:
        """Whether a case of the cell at `cell_path` with that mentor is in scope."""
        return self.covers(cell_path) or (
            self.member_id is not None
            and mentor_id == self.member_id
            and any(cell_path.startswith(p) for p in self.mentor_paths)
        )

    def __bool__(self) -> bool:
        return bool(self.paths or (self.member_id is not None and self.mentor_paths))


#: The roles some transition or fact names: the only ones that ever act on a case. The admin
#: role is never one of them (tests/workflow/test_admin_grants.py): administering is not acting.
ACTING_ROLES: frozenset[str] = frozenset(
    role for spec in (*SPECS.values(), *FACTS.values()) for role in spec.roles
) - {Role.admin}


def administers_only(actor: Actor) -> bool:
    """An admin who holds no role that acts: refused every transition and fact on any case.

    Refused as not allowed (403), before the case is looked up, so nothing about it is told.
    """
    roles = actor.roles()
    return Role.admin in roles and not roles & ACTING_ROLES


def names_in_reports(actor: Actor, report: Scope) -> bool:
    """Whether a report over `report` may name candidates: only when the actor's case scope
    covers all of it. An admin (no case scope) sees counts; an admin who is also one cell's
    secretary reads the whole province's report without names."""
    cases = scope(actor, Purpose.cases)
    return all(cases.covers(path) for path in report.paths)


def has_case_list(actor: Actor) -> bool:
    """Whether the actor has a case list at all (introducers, trainers, admins do not)."""
    return bool(actor.roles() & set(LISTERS))


def _outermost(paths: Iterable[str]) -> tuple[str, ...]:
    """The paths that no other path of the set already covers, sorted."""
    unique = sorted(set(paths))
    return tuple(p for p in unique if not any(p != q and p.startswith(q) for q in unique))


def scope(actor: Actor, purpose: Purpose | str) -> Scope:
    """The actor's scope for `purpose`: the one rule every use case and query applies."""
    purpose = Purpose(purpose)
    roles = set(PURPOSE_ROLES[purpose])
    paths = _outermost(g.scope_path for g in actor.grants if g.role in roles)
    if purpose != Purpose.cases or actor.member_id is None:
        return Scope(purpose, paths)
    mentor_paths = _outermost(g.scope_path for g in actor.grants_for(Role.mentor))
    return Scope(purpose, paths, mentor_paths, actor.member_id if mentor_paths else None)


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
        if role not in ACTING_ROLES:
            continue  # the admin role never acts, whatever a definition says
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
        if role not in ACTING_ROLES:
            continue  # the admin role never acts, whatever a definition says
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


def _parent_path(path: str) -> str:
    """The materialised path of the organisation directly above `path` (``/1/4/9/`` → ``/1/4/``)."""
    return path.rstrip("/").rsplit("/", 1)[0] + "/"


def verification_role(actor: Actor, case: CaseFacts) -> str | None:
    """The role under which the actor runs the case's biography verification, or ``None``.

    The grassroots committee verifies: a committee grant covering the case's cell (the đảng ủy
    cơ sở above it, or the deciding body above that). Where the cell is a chi bộ cơ sở directly
    under the deciding body there is no grassroots committee between them: the deciding body's
    committee verifies, or the cell's own secretary (docs/verification.md).
    """
    if _covers(actor, Role.committee, case.cell_path):
        return Role.committee
    directly_under = _parent_path(case.cell_path) == case.deciding_body_path
    if directly_under and _covers(actor, Role.secretary, case.cell_path):
        return Role.secretary
    return None
