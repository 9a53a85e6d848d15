"""Firing a transition through the fakes: every state × trigger × role, what a refusal leaves."""

from __future__ import annotations

from datetime import date

import pytest

from tests.workflow.fakes import (
    ACTORS,
    CANDIDATE_AS_MEMBER,
    CLOCK,
    OUTSIDER,
    PROBATIONARY,
    FakeUnitOfWork,
    ready_case,
)
from tests.workflow.transition_table import (
    DEST,
    ERRORS,
    EXPECTED,
    GRID,
    VALID_INPUT,
    assert_unchanged,
)
from workflow.errors import (
    InvalidInput,
    InvalidTransition,
    NotFound,
    RuleViolation,
)
from workflow.services import fire_transition


@pytest.mark.parametrize(("username", "state", "trigger", "outcome"), GRID)
def test_state_trigger_role(username: str, state: str, trigger: str, outcome: str) -> None:
    uow = FakeUnitOfWork(ready_case(state))

    def run():
        return fire_transition(uow, ACTORS[username], 1, trigger, VALID_INPUT[trigger], clock=CLOCK)

    if outcome == "ok":
        case = run()
        assert case.state == DEST.get(trigger, state)
        assert case.version == 2
        assert [e.action for e in uow.history.events] == [trigger]
        assert uow.committed
    else:
        with pytest.raises(ERRORS[outcome]):
            run()
        assert_unchanged(uow, state)


def test_the_table_covers_every_role_state_and_trigger() -> None:
    assert {len(table) for table in EXPECTED.values()} == {11}
    assert {len(row.split()) for table in EXPECTED.values() for row in table.values()} == {10}
    assert set(ACTORS) == set(EXPECTED)


# A refusal by the rules: (trigger, state, who, input, the rule that refuses, case overrides).
BROKEN = [
    (
        "assign_mentor",
        "identified",
        "sec",
        {"mentor": PROBATIONARY.id},
        "mentor_official_member_of_cell",
        {},
    ),
    (
        "assign_mentor",
        "identified",
        "sec",
        {"mentor": OUTSIDER.id},
        "mentor_official_member_of_cell",
        {},
    ),
    (
        "reassign_mentor",
        "returned",
        "sec",
        {"mentor": CANDIDATE_AS_MEMBER.id},
        "mentor_not_candidate",
        {},
    ),
    (
        "complete_training",
        "mentored",
        "trainer",
        {"certificate_number": "CN", "certificate_date": "2026-12-01"},
        "certificate_recorded",
        {},
    ),
    (
        "complete_training",
        "mentored",
        "mentor",
        {"certificate_number": "CN", "certificate_date": "2021-01-01"},
        "certificate_fresh",
        {},
    ),
    (
        "submit_dossier",
        "trained",
        "mentor",
        {"vote_date": "2026-10-01", "votes_for": "3"},
        "cell_vote_two_thirds",
        {},
    ),
    (
        "submit_dossier",
        "returned",
        "sec",
        {"vote_date": "2026-10-01", "votes_for": "6"},
        "dossier_forms_present",
        {"documents": {}},
    ),
    ("return_dossier", "dossier_submitted", "com", {}, "reason_given", {}),
    ("reject", "dossier_submitted", "com", {"reason": " "}, "reason_given", {}),
    (
        "admit",
        "dossier_submitted",
        "com",
        VALID_INPUT["admit"],
        "four_eyes",
        {"submitted_by_user_id": 30},
    ),
    (
        "recognize",
        "admitted",
        "com",
        VALID_INPUT["recognize"],
        "probation_complete",
        {"ceremony_on": date(2026, 1, 1)},
    ),
    ("remove", "admitted", "com", {}, "reason_given", {}),
    ("withdraw", "mentored", "sec", {}, "reason_given", {}),
    ("reinstate", "withdrawn", "sec", {}, "reason_given", {}),
]


@pytest.mark.parametrize(("trigger", "state", "username", "raw", "rule", "overrides"), BROKEN)
def test_a_broken_rule_refuses_and_changes_nothing(
    trigger: str, state: str, username: str, raw: dict, rule: str, overrides: dict
) -> None:
    uow = FakeUnitOfWork(ready_case(state, **overrides))
    with pytest.raises(RuleViolation) as refused:
        fire_transition(uow, ACTORS[username], 1, trigger, raw, clock=CLOCK)
    assert rule in [f.rule for f in refused.value.failures]
    assert all(f.vi and f.en for f in refused.value.failures)
    assert_unchanged(uow, state)


def test_bad_input_refuses_and_changes_nothing() -> None:
    uow = FakeUnitOfWork(ready_case("dossier_submitted"))
    with pytest.raises(InvalidInput) as refused:
        fire_transition(uow, ACTORS["com"], 1, "admit", {"votes_for": "-1"}, clock=CLOCK)
    assert refused.value.field == "votes_for"
    assert_unchanged(uow, "dossier_submitted")


def test_a_case_that_does_not_exist_is_not_found() -> None:
    uow = FakeUnitOfWork(ready_case("identified"))
    with pytest.raises(NotFound):
        fire_transition(uow, ACTORS["sec"], 99, "withdraw", {"reason": "x"}, clock=CLOCK)
    assert_unchanged(uow, "identified")


@pytest.mark.parametrize("trigger", ["identify", "to_official", "set_state"])
def test_identify_and_unknown_triggers_do_not_fire_on_a_case(trigger: str) -> None:
    uow = FakeUnitOfWork(ready_case("identified"))
    with pytest.raises(InvalidTransition):
        fire_transition(uow, ACTORS["sec"], 1, trigger, {}, clock=CLOCK)
    assert_unchanged(uow, "identified")
