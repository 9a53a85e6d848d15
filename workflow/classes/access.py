"""Who may do what with a class: the centre runs it, the cells in its area see it and enrol."""

from __future__ import annotations

from workflow import policy
from workflow.facts import Actor, CaseFacts
from workflow.policy import Purpose, Scope
from workflow.states import Role

#: Roles that see the classes of the centres serving their scope.
VIEWERS = (Role.secretary, Role.mentor, Role.committee, Role.auditor)
#: Roles that enrol candidates (a mentor only their own mentees).
ENROLLERS = (Role.secretary, Role.mentor)


def catchment(path: str) -> Scope:
    """The area a centre serves (everything below the party committee it is attached to)."""
    return Scope(Purpose.train, (path,))


def runs_centre(actor: Actor, centre_id: int) -> bool:
    """The actor is a trainer of the centre that runs the class."""
    return any(g.organisation_id == centre_id for g in actor.grants_for(Role.trainer))


def sees_class(actor: Actor, centre_id: int, catchment_path: str) -> bool:
    """The centre's trainers, and the users whose scope lies within or above its catchment."""
    if runs_centre(actor, centre_id):
        return True
    area = catchment(catchment_path)
    viewing = Scope(Purpose.cases, tuple(g.scope_path for g in actor.grants if g.role in VIEWERS))
    return viewing.covers(catchment_path) or any(area.covers(p) for p in viewing.paths)


def enrolling_role(actor: Actor, case: CaseFacts) -> str | None:
    """The role under which the actor enrols the case: its cell's secretary, or its mentor."""
    if policy.scope(actor, Purpose.identify).covers(case.cell_path):
        return Role.secretary
    if policy.is_own_mentee(actor, case):
        return Role.mentor
    return None
