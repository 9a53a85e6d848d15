"""The one state machine shared by every case.

Built once at import from ``definition.TRANSITIONS``; cases are never added to it as models. A
use case fires ``fire(case, trigger, attempt)``: the machine checks that the trigger is valid from
the case's state, the condition runs the trigger's rules (raising :class:`RuleViolation` with every
failure), and only then is ``case.state`` set.
"""

from __future__ import annotations

from typing import Any, Protocol

from transitions import EventData, Machine, MachineError

from workflow.definition import SPECS, TRANSITIONS
from workflow.errors import InvalidTransition, RuleViolation
from workflow.rules import Attempt, evaluate
from workflow.states import NEW, State


class HasState(Protocol):
    state: str


def _judge(event: EventData) -> bool:
    """The condition of every transition: all of the trigger's rules must hold."""
    attempt: Attempt = event.kwargs["attempt"]
    failures = evaluate(SPECS[event.event.name].rules, attempt)
    if failures:
        raise RuleViolation(failures)
    return True


def _definitions() -> list[dict[str, Any]]:
    return [
        {
            "trigger": spec.trigger.value,
            "source": list(spec.sources),
            "dest": spec.dest.value if spec.dest is not None else "=",
            "conditions": [_judge],
        }
        for spec in TRANSITIONS
    ]


MACHINE = Machine(
    model=None,
    states=[NEW, *(s.value for s in State)],
    transitions=_definitions(),
    initial=None,
    auto_transitions=False,
    send_event=True,
)


def fire(case: HasState, trigger: str, attempt: Attempt) -> None:
    """Move `case` by `trigger` if the state allows it and every rule holds; else raise."""
    event = MACHINE.events.get(trigger)
    if event is None:
        raise InvalidTransition(f"unknown trigger {trigger!r}")
    try:
        event.trigger(case, attempt=attempt)
    except MachineError as err:
        raise InvalidTransition(f"{trigger} cannot fire from state {case.state!r}") from err


def triggers_from(state: str) -> tuple[str, ...]:
    """The triggers the machine knows from a state, in definition order."""
    found = _TRIGGERS_FROM.get(state)
    if found is None:
        found = _TRIGGERS_FROM[state] = tuple(t for t in MACHINE.get_triggers(state) if t in SPECS)
    return found


#: ``triggers_from`` per state: the machine is built once and never changes, and every use case
#: asks (it walked every transition each time).
_TRIGGERS_FROM: dict[str, tuple[str, ...]] = {}
