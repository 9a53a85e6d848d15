"""Issue 10's rule fixes through the use cases, on the fakes: the vote record counted against the
cell's roll on the vote date, the third failed recognition vote, the exceptions recorded on a
case, replacement introducers, and the day a member is official from."""

from __future__ import annotations

from datetime import date

import pytest

from tests.workflow.fakes import ACTORS, CLOCK, FakeUnitOfWork, ready_case
from tests.workflow.fakes.cases import CELL_ID, INTRODUCER
from workflow.effects import MakeOfficial, RecordException, RecordVote, ReferToHigherCommittee
from workflow.errors import InvalidInput, RuleViolation
from workflow.facts import CellRoll
from workflow.services import fire_transition, record_fact

SUBMIT = {"vote_date": "2026-10-01", "votes_for": "6", "votes_against": "0"}


def _rules(error: pytest.ExceptionInfo) -> list[str]:
    return [f.rule for f in error.value.failures]


def test_submit_counts_the_vote_against_the_roll_less_the_exempted_absent() -> None:
    uow = FakeUnitOfWork(ready_case("trained"))
    uow.cases.rolls[(CELL_ID, date(2026, 10, 1))] = CellRoll(10, 1)
    raw = {**SUBMIT, "official_members": "10", "excused_absent": "1", "present": "8"}
    fire_transition(uow, ACTORS["sec"], 1, "submit_dossier", raw, clock=CLOCK)
    vote = next(e for e in uow.cases.items[1].recorded if isinstance(e, RecordVote))
    assert (vote.official_members, vote.excused_absent, vote.present, vote.eligible) == (
        10,
        1,
        8,
        9,
    )
    data = uow.history.events[-1].data
    assert data["official_members"] == 10 and data["excused_absent"] == 1 and data["eligible"] == 9


def test_without_the_exempted_absent_six_of_ten_is_refused() -> None:
    uow = FakeUnitOfWork(ready_case("trained"))
    uow.cases.rolls[(CELL_ID, date(2026, 10, 1))] = CellRoll(10, 1)
    with pytest.raises(RuleViolation) as refused:
        fire_transition(uow, ACTORS["sec"], 1, "submit_dossier", SUBMIT, clock=CLOCK)
    assert _rules(refused) == ["cell_vote_two_thirds"]
    assert uow.cases.items[1].state == "trained"


def test_official_members_that_are_not_the_rolls_are_refused_by_name() -> None:
    uow = FakeUnitOfWork(ready_case("trained"))
    raw = {**SUBMIT, "official_members": "7"}  # the roll says 6
    with pytest.raises(RuleViolation) as refused:
        fire_transition(uow, ACTORS["sec"], 1, "submit_dossier", raw, clock=CLOCK)
    assert "cell_vote_counts" in _rules(refused)


def test_the_education_floor_on_submission() -> None:
    uow = FakeUnitOfWork(ready_case("trained", education="primary"))
    with pytest.raises(RuleViolation) as refused:
        fire_transition(uow, ACTORS["sec"], 1, "submit_dossier", SUBMIT, clock=CLOCK)
    assert _rules(refused) == ["education_floor"]
    record_fact(
        uow,
        ACTORS["sec"],
        1,
        "education_exception",
        {"area": "mountain", "dated": "2026-09-01", "reason": "thôn vùng cao, chưa có trường THCS"},
        clock=CLOCK,
    )
    assert uow.cases.items[1].recorded[-1] == RecordException(
        "education", date(2026, 9, 1), area="mountain", reason="thôn vùng cao, chưa có trường THCS"
    )
    assert fire_transition(uow, ACTORS["sec"], 1, "submit_dossier", SUBMIT, clock=CLOCK).state == (
        "dossier_submitted"
    )


def test_a_hardship_exception_says_why() -> None:
    uow = FakeUnitOfWork(ready_case("trained"))
    with pytest.raises(InvalidInput) as refused:
        record_fact(
            uow, ACTORS["sec"], 1, "education_exception", {"area": "island", "dated": "2026-09-01"}
        )
    assert refused.value.field == "reason"


def test_over_60_passes_with_the_recorded_approval() -> None:
    uow = FakeUnitOfWork(ready_case("trained", birth_date=date(1966, 8, 15)))  # 60y1m on 1/10
    with pytest.raises(RuleViolation) as refused:
        fire_transition(uow, ACTORS["sec"], 1, "submit_dossier", SUBMIT, clock=CLOCK)
    assert _rules(refused) == ["age_in_range"]
    approval = {"number": "88-CV/TU", "dated": "2026-09-20", "issued_by": "Tỉnh ủy Lâm Đồng"}
    record_fact(uow, ACTORS["sec"], 1, "over_age_approval", approval, clock=CLOCK)
    case = fire_transition(uow, ACTORS["sec"], 1, "submit_dossier", SUBMIT, clock=CLOCK)
    assert case.state == "dossier_submitted"


def test_an_approval_number_longer_than_its_column_is_refused() -> None:
    uow = FakeUnitOfWork(ready_case("trained"))
    approval = {"number": "9" * 51, "dated": "2026-09-20", "issued_by": "Tỉnh ủy"}
    with pytest.raises(InvalidInput) as refused:
        record_fact(uow, ACTORS["sec"], 1, "over_age_approval", approval, clock=CLOCK)
    assert refused.value.field == "number"


def test_a_replacement_introducer_is_recorded_with_the_cells_reason() -> None:
    uow = FakeUnitOfWork(ready_case("trained"))
    raw = {
        "kind": "member",
        "member": str(INTRODUCER.id),
        "dated": "2026-10-01",
        "known_since": "2026-09-01",
        "replacement": "1",
    }
    with pytest.raises(InvalidInput) as refused:
        record_fact(uow, ACTORS["sec"], 1, "introduction", raw, clock=CLOCK)
    assert refused.value.field == "replacement_reason"
    raw["replacement_reason"] = "Đồng chí giới thiệu trước đã chuyển công tác"
    record_fact(uow, ACTORS["sec"], 1, "introduction", raw, clock=CLOCK)
    intro = uow.cases.items[1].introductions[-1]
    assert intro.replacement and intro.replacement_reason.startswith("Đồng chí")


# --- recognition ----------------------------------------------------------------------------------

FAILING_VOTE = {"votes_for": "3", "votes_against": "3"}  # 3 of 6: short of 2/3


def _vote(uow: FakeUnitOfWork, day: str, counts: dict = FAILING_VOTE) -> None:
    record_fact(
        uow, ACTORS["sec"], 1, "recognition_vote", {"vote_date": day, **counts}, clock=CLOCK
    )


def test_the_third_failed_recognition_vote_sends_the_case_up_and_a_fourth_is_refused() -> None:
    uow = FakeUnitOfWork(ready_case("admitted"))
    _vote(uow, "2026-10-21")
    _vote(uow, "2026-10-28")
    assert uow.cases.items[1].recognition_referred_on is None
    _vote(uow, "2026-11-04")
    case = uow.cases.items[1]
    assert case.recorded[-1] == ReferToHigherCommittee(date(2026, 11, 4))
    assert uow.history.events[-1].data["referred_to_higher_committee"] is True
    with pytest.raises(RuleViolation) as refused:
        _vote(uow, "2026-11-11", {"votes_for": "6", "votes_against": "0"})
    assert _rules(refused) == ["no_fourth_recognition_vote"]
    assert len(case.recognition_votes) == 3
    # Nor may the committee bring a fourth cell vote with its decision.
    decision = {"decision_number": "9-QĐ/HU", "decision_date": "2026-11-20"}
    with pytest.raises(RuleViolation) as refused:
        fire_transition(
            uow,
            ACTORS["com"],
            1,
            "recognize",
            {"vote_date": "2026-11-11", "votes_for": "6", **decision},
            clock=CLOCK,
        )
    assert "no_fourth_recognition_vote" in _rules(refused)
    # The higher committee decides on the file.
    assert fire_transition(uow, ACTORS["com"], 1, "recognize", decision, clock=CLOCK).state == (
        "official"
    )


def test_recognition_makes_the_member_official_from_the_end_of_probation() -> None:
    uow = FakeUnitOfWork(ready_case("admitted", ceremony_on=date(2025, 10, 20)))
    raw = {
        "vote_date": "2026-11-01",
        "votes_for": "5",
        "votes_against": "1",
        "decision_number": "9-QĐ/HU",
        "decision_date": "2026-11-10",
    }
    fire_transition(uow, ACTORS["com"], 1, "recognize", raw, clock=CLOCK)
    assert MakeOfficial(date(2026, 10, 20)) in uow.cases.items[1].recorded
    assert uow.history.events[-1].data["official_since"] == date(2026, 10, 20)
