"""Every use case and query the demo calls, in one table: when a use case moves to another
module, only the imports of this module change. (The setting up, ``district``, takes the admin
use cases it calls from here too.)

A step of the story is a kind (a key of ``STEP_KINDS``) and a ``Call``: who acts, when, the
step's name (a trigger, a fact's kind, a key, a day), the id it acts on and its fields, all
resolved by the timeline. Each action returns the id of what the step created, if any.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.actors import actor_by_username, actor_of
from db.models import User
from db.read.classes import class_view
from db.runtime import Runtime
from workflow.facts import Actor
from workflow.services import Clock, fire_transition, identify_candidate, record_fact
from workflow.services.admin import (
    add_member,
    create_organisation,
    create_user,
    grant_role,
    set_deciding_body,
)
from workflow.services.classes import enrol_candidate, record_attendance, schedule_class
from workflow.services.enterprises import create_enterprise
from workflow.services.proposals import decline_proposal, propose_candidate
from workflow.services.targets import create_target

#: The admin use cases of the setting up (``db.demo.district``).
SETUP_USE_CASES = (
    add_member,
    create_enterprise,
    create_organisation,
    create_target,
    create_user,
    grant_role,
    set_deciding_body,
)


@dataclass(frozen=True)
class Call:
    """One step, resolved: ids instead of the story's keys, a clock at the step's moment."""

    actor: Actor
    clock: Clock
    name: str
    target: int | None  # the case, organisation, proposal or class the step acts on
    fields: dict[str, Any]


Action = Callable[[Runtime, Call], int | None]


def fire(runtime: Runtime, call: Call) -> int | None:
    """Fire a trigger (``identify`` opens the case); returns the new case's id, or the member
    the case's candidate is (after ``admit``)."""
    if call.name == "identify":
        return identify_candidate(runtime.uow(), call.actor, call.fields, clock=call.clock).id
    case = fire_transition(
        runtime.uow(), call.actor, call.target, call.name, call.fields, clock=call.clock
    )
    return case.member_id


def fact(runtime: Runtime, call: Call) -> None:
    """Record a fact (document, note, introduction, ceremony...) on a case."""
    record_fact(runtime.uow(), call.actor, call.target, call.name, call.fields, clock=call.clock)


def propose(runtime: Runtime, call: Call) -> int:
    """A mass organisation (the target) proposes a person; returns the proposal's id."""
    made = propose_candidate(runtime.uow(), call.actor, call.target, call.fields, clock=call.clock)
    return made.id


def decline(runtime: Runtime, call: Call) -> None:
    """The cell declines a proposal (the target), with a reason."""
    decline_proposal(runtime.uow(), call.actor, call.target, call.fields, clock=call.clock)


def schedule(runtime: Runtime, call: Call) -> int:
    """The centre (the target) schedules a class and its ``sessions``; returns the class's id."""
    fields = dict(call.fields)
    sessions = [tuple(row) for row in fields.pop("sessions")]
    return schedule_class(
        runtime.uow(), call.actor, call.target, fields, sessions, clock=call.clock
    )


def enrol(runtime: Runtime, call: Call) -> None:
    """Enrol a case (``fields["case"]``) in a class (the target)."""
    fields = dict(call.fields)
    case_id = fields.pop("case")
    enrol_candidate(runtime.uow(), call.actor, call.target, case_id, fields, clock=call.clock)


def attend(runtime: Runtime, call: Call) -> None:
    """The register of a class's session on the day ``name``: everyone enrolled is present but
    the cases of ``fields["absent"]`` (case id → (reason, note))."""
    day = date.fromisoformat(call.name)
    absent: dict[int, tuple[str, str]] = call.fields.get("absent", {})
    with runtime.sessions() as session:
        view = class_view(
            session, call.actor, call.target, call.clock.today, runtime.settings.classes
        )
    if view is None:
        raise ValueError(f"{call.actor.username} may not see class {call.target}")
    meeting = next((s for s in view.sessions if s.held_on == day), None)
    if meeting is None:
        raise ValueError(f"the class has no session on {day}")
    form: dict[str, Any] = {}
    for row in view.roster:
        mark, note = absent.get(row.case_id, ("present", ""))
        form[f"mark-{row.enrolment_id}"] = mark
        form[f"note-{row.enrolment_id}"] = note
    record_attendance(runtime.uow(), call.actor, call.target, meeting.id, form, clock=call.clock)


#: Step kind → action. A case's steps are ``fire`` and ``fact``; the others stand alone.
STEP_KINDS: dict[str, Action] = {
    "fire": fire,
    "fact": fact,
    "propose": propose,
    "decline": decline,
    "schedule": schedule,
    "enrol": enrol,
    "attend": attend,
}
CASE_STEP_KINDS = frozenset({"fire", "fact"})


# --- what the timeline reads -------------------------------------------------------------------


def actors(session: Session) -> dict[str, Actor]:
    """Every user as an actor, by username (inactive ones too: the history names them)."""
    found: dict[str, Actor] = {}
    for user in session.scalars(select(User).order_by(User.id)):
        actor = actor_by_username(session, user.username) if user.active else None
        found[user.username] = actor or actor_of(user, session)
    return found


def official_members(runtime: Runtime, cell_id: int) -> int:
    """The cell's official members today: the denominator of its 2/3 vote."""
    with runtime.uow(write=False) as uow:
        return uow.cases.official_members(cell_id)
