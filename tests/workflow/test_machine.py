"""The one state machine against product.md's transition table, written out here by hand."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from transitions import Machine

from tests.workflow.fakes import TODAY, FakeCases, ready_case
from workflow import machine
from workflow.errors import InvalidTransition, RuleViolation
from workflow.facts import Actor
from workflow.machine import MACHINE, fire, triggers_from
from workflow.rules import Attempt
from workflow.settings import DEFAULT_SETTINGS

# product.md, "Transitions": trigger -> (sources, destination); None stays in the same state.
TABLE: dict[str, tuple[set[str], str | None]] = {
    "identify": ({"new"}, "identified"),
    "assign_mentor": ({"identified"}, "mentored"),
    "reassign_mentor": ({"mentored", "trained", "returned"}, None),
    "complete_training": ({"mentored"}, "trained"),
    "submit_dossier": ({"trained", "returned"}, "dossier_submitted"),
    "return_dossier": ({"dossier_submitted"}, "returned"),
    "reject": ({"dossier_submitted"}, "rejected"),
    "admit": ({"dossier_submitted"}, "admitted"),
    "recognize": ({"admitted"}, "official"),
    "remove": ({"admitted"}, "removed"),
    "withdraw": ({"identified", "mentored", "trained", "returned"}, "withdrawn"),
    "reinstate": ({"withdrawn"}, "identified"),
}
STATES = [
    "new",
    "identified",
    "mentored",
    "trained",
    "dossier_submitted",
    "returned",
    "admitted",
    "official",
    "rejected",
    "withdrawn",
    "removed",
]
NOBODY = Actor(1, "nobody")


@dataclass
class Plain:
    """Any object with a ``state`` is a case to the machine."""

    state: str


def _attempt(fields: dict | None = None, state: str = "identified") -> Attempt:
    facts = FakeCases().facts(ready_case(state))
    return Attempt(facts, NOBODY, TODAY, DEFAULT_SETTINGS, fields or {})


@pytest.mark.parametrize("trigger", list(TABLE))
@pytest.mark.parametrize("state", STATES)
def test_every_state_and_trigger(state: str, trigger: str) -> None:
    sources, _ = TABLE[trigger]
    case = Plain(state)
    if state in sources:
        # Valid from here: the machine gets as far as the rules, which refuse empty input.
        with pytest.raises(RuleViolation):
            fire(case, trigger, _attempt())
    else:
        with pytest.raises(InvalidTransition):
            fire(case, trigger, _attempt())
    assert case.state == state


@pytest.mark.parametrize("state", STATES)
def test_triggers_from_each_state(state: str) -> None:
    expected = {t for t, (sources, _) in TABLE.items() if state in sources}
    assert set(triggers_from(state)) == expected


def test_the_machine_knows_exactly_the_table() -> None:
    assert set(MACHINE.events) == set(TABLE)
    assert set(MACHINE.states) == set(STATES)


# Inputs under which each trigger's rules hold for the ready case of fakes.py.
GOOD: dict[str, dict] = {
    "reinstate": {"reason": "đã chuyển về"},
    "withdraw": {"reason": "chuyển trường"},
    "return_dossier": {"reason": "thiếu lý lịch"},
    "reject": {"reason": "không đủ tiêu chuẩn"},
    "remove": {"reason": "vi phạm"},
    "complete_training": {"certificate_number": "CN-1", "certificate_date": date(2026, 3, 1)},
}


@pytest.mark.parametrize("trigger", list(GOOD))
def test_firing_moves_to_the_destination(trigger: str) -> None:
    sources, dest = TABLE[trigger]
    for source in sources:
        case = Plain(source)
        fire(case, trigger, _attempt(GOOD[trigger], source))
        assert case.state == (dest or source)


def test_reassign_stays_in_place() -> None:
    case = Plain("trained")
    facts = FakeCases().facts(ready_case("trained"))
    fields = {"mentor": facts.mentor}
    fire(case, "reassign_mentor", Attempt(facts, NOBODY, TODAY, DEFAULT_SETTINGS, fields))
    assert case.state == "trained"


def test_a_rule_failure_leaves_the_state_and_names_the_rule() -> None:
    case = Plain("withdrawn")
    with pytest.raises(RuleViolation) as refused:
        fire(case, "reinstate", _attempt({"reason": "  "}))
    assert case.state == "withdrawn"
    assert [f.rule for f in refused.value.failures] == ["reason_given"]


def test_an_unknown_trigger_is_an_invalid_transition() -> None:
    with pytest.raises(InvalidTransition):
        fire(Plain("identified"), "to_official", _attempt())


def test_one_machine_for_a_thousand_cases(monkeypatch: pytest.MonkeyPatch) -> None:
    built = []
    original = Machine.__init__

    def counting_init(self, *args, **kwargs):
        built.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(Machine, "__init__", counting_init)
    cases = [Plain("withdrawn") for _ in range(1000)]
    attempt = _attempt({"reason": "đã chuyển về"})
    for case in cases:
        fire(case, "reinstate", attempt)
    assert built == []
    assert all(case.state == "identified" for case in cases)
    assert machine.MACHINE is MACHINE
    assert MACHINE.models == []  # nothing was added as a model, so no state was reset


def test_the_counter_would_see_a_new_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    built = []
    original = Machine.__init__

    def counting_init(self, *args, **kwargs):
        built.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(Machine, "__init__", counting_init)
    Machine(model=None, states=["a"], initial=None)
    assert len(built) == 1


def test_no_auto_transitions() -> None:
    assert not MACHINE.auto_transitions
    assert not [name for name in MACHINE.events if name.startswith("to_")]
    case = Plain("identified")
    fire(case, "withdraw", _attempt(GOOD["withdraw"]))
    assert not [name for name in dir(case) if name.startswith("to_")]
    assert not hasattr(MACHINE, "to_official")
