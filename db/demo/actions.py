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
from db.read.tree import grants_on_dissolved, placement_on
from db.runtime import Runtime
from workflow.facts import Actor, CellRoll
from workflow.services import Clock, fire_transition, identify_candidate, record_fact
from workflow.services.admin import (
    add_member,
    create_organisation,
    create_user,
    grant_role,
    set_deciding_body,
)
from workflow.services.classes import enrol_candidate, record_attendance, schedule_class
from workflow.services.corrections import approve_correction, propose_correction
from workflow.services.enterprises import create_enterprise
from workflow.services.moves import accept_hand_over, hand_over_case
from workflow.services.proposals import decline_proposal, propose_candidate
from workflow.services.restructure import (
    dissolve_organisation,
    move_grant,
    move_organisation,
    split_organisation,
)
from workflow.services.statistics import set_outside_admissions
from workflow.services.targets import create_target
from workflow.services.verification import (
    conclude_verification,
    record_verification_answer,
    request_verification,
)

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


# --- a case's biography verification, hand-over and correction ---------------------------------


def verify(runtime: Runtime, call: Call) -> int:
    """A biography verification request of the case (``name`` is its key in the story)."""
    return request_verification(
        runtime.uow(), call.actor, call.target, call.fields, clock=call.clock
    ).id


def answer(runtime: Runtime, call: Call) -> None:
    """The answer to the request ``fields["request"]`` (its id, resolved from the key)."""
    fields = dict(call.fields)
    request_id = int(fields.pop("request"))
    record_verification_answer(
        runtime.uow(), call.actor, call.target, request_id, fields, clock=call.clock
    )


def conclude(runtime: Runtime, call: Call) -> None:
    """The committee's conclusion of the biography verification."""
    conclude_verification(runtime.uow(), call.actor, call.target, call.fields, clock=call.clock)


def hand_over(runtime: Runtime, call: Call) -> int:
    """Hand the case over to the cell ``fields["to"]``; returns the hand-over's id."""
    made = hand_over_case(
        runtime.uow(),
        call.actor,
        call.target,
        int(call.fields["to"]),
        call.fields.get("reason"),
        clock=call.clock,
    )
    return made.id


def accept(runtime: Runtime, call: Call) -> None:
    """The receiving cell accepts the hand-over ``fields["hand_over"]``, naming the mentor."""
    accept_hand_over(
        runtime.uow(),
        call.actor,
        int(call.fields["hand_over"]),
        int(call.fields["mentor"]),
        clock=call.clock,
    )


def correct(runtime: Runtime, call: Call) -> int:
    """Propose a correction of the person's data (``fields["changes"]``); returns its id."""
    made = propose_correction(
        runtime.uow(),
        call.actor,
        call.target,
        dict(call.fields["changes"]),
        call.fields.get("reason"),
        evidence_text=call.fields.get("evidence_text"),
        clock=call.clock,
    )
    return made.id


def approve(runtime: Runtime, call: Call) -> None:
    """The committee approves the correction ``fields["correction"]``."""
    approve_correction(
        runtime.uow(),
        call.actor,
        int(call.fields["correction"]),
        note=call.fields.get("note"),
        clock=call.clock,
    )


# --- the admin's dated steps: admissions outside hoso, the 2025 reform ------------------------


def outside(runtime: Runtime, call: Call) -> int:
    """A committee's (the target) yearly admissions outside hoso."""
    return set_outside_admissions(
        runtime.uow(), call.actor, organisation_id=call.target, clock=call.clock, **call.fields
    )


def split(runtime: Runtime, call: Call) -> int:
    """A new committee takes over some cells of the target; returns its id."""
    fields = dict(call.fields)
    return split_organisation(runtime.uow(), call.actor, call.target, clock=call.clock, **fields)


def move(runtime: Runtime, call: Call) -> None:
    """The target sits under ``fields["parent_id"]`` from ``fields["as_of"]``."""
    move_organisation(runtime.uow(), call.actor, call.target, clock=call.clock, **call.fields)


def dissolve(runtime: Runtime, call: Call) -> None:
    """The target ceases to exist on ``fields["as_of"]``."""
    dissolve_organisation(runtime.uow(), call.actor, call.target, clock=call.clock, **call.fields)


def regrant(runtime: Runtime, call: Call) -> None:
    """Move the role the target grant holds to ``fields["organisation_id"]``."""
    move_grant(runtime.uow(), call.actor, call.target, clock=call.clock, **call.fields)


def target(runtime: Runtime, call: Call) -> int:
    """A yearly target of the organisation (the target), set after the reform created it."""
    return create_target(
        runtime.uow(), call.actor, organisation_id=call.target, clock=call.clock, **call.fields
    )


#: Step kind → action. A case's steps are ``fire`` and ``fact``; the others stand alone.
STEP_KINDS: dict[str, Action] = {
    "fire": fire,
    "fact": fact,
    "propose": propose,
    "decline": decline,
    "schedule": schedule,
    "enrol": enrol,
    "attend": attend,
    "verify": verify,
    "answer": answer,
    "conclude": conclude,
    "hand_over": hand_over,
    "accept": accept,
    "correct": correct,
    "approve": approve,
    "outside": outside,
    "split": split,
    "move": move,
    "dissolve": dissolve,
    "move_grant": regrant,
    "target": target,
}
CASE_STEP_KINDS = frozenset(
    {"fire", "fact", "verify", "answer", "conclude", "hand_over", "accept", "correct", "approve"}
)
#: The admin's dated steps, played among the cases' by their moment (reform.toml).
ADMIN_STEP_KINDS = frozenset({"outside", "split", "move", "dissolve", "move_grant", "target"})


# --- what the timeline reads -------------------------------------------------------------------


def actors(session: Session) -> dict[str, Actor]:
    """Every user as an actor, by username (inactive ones too: the history names them)."""
    found: dict[str, Actor] = {}
    for user in session.scalars(select(User).order_by(User.id)):
        actor = actor_by_username(session, user.username) if user.active else None
        found[user.username] = actor or actor_of(user, session)
    return found


def cell_roll(runtime: Runtime, cell_id: int, on: date) -> CellRoll:
    """The cell's official members on the vote date `on` (and the exempted among them)."""
    with runtime.uow(write=False) as uow:
        return uow.cases.cell_roll(cell_id, on)


def voting_committee(runtime: Runtime, cell_id: int, on: date) -> int:
    """The size of the committee that voted on the cell's admissions on `on` (the tree of that
    day): the đảng ủy cơ sở between the cell and the deciding body, else the deciding body."""
    with runtime.sessions() as session:
        placed = placement_on(session.connection(), cell_id, on)
    if placed is None:
        return 0
    return (placed.grassroots or placed.deciding).committee_size


def grant_on_dissolved(runtime: Runtime, username: str) -> int | None:
    """The id of the user's grant on a dissolved organisation, if any."""
    with runtime.sessions() as session:
        found = grants_on_dissolved(session, None)
    return next((g.grant_id for g in found if g.username == username), None)


def organisation(runtime: Runtime, org_id: int) -> Any:
    """The organisation's record as it stands."""
    with runtime.uow(write=False) as uow:
        return uow.organisations.get(org_id)
