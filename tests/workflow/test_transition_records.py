"""What a transition records through the fakes: its history event and its effects."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from tests.workflow.fakes import (
    ACTORS,
    CLOCK,
    MENTOR2,
    FakeUnitOfWork,
    ready_case,
)
from tests.workflow.transition_table import (
    VALID_INPUT,
    assert_unchanged,
)
from workflow.effects import (
    CreateMember,
    FileDocument,
    IssueForm,
    MakeOfficial,
    RecordDecision,
    RecordVote,
)
from workflow.errors import (
    Conflict,
    RuleViolation,
)
from workflow.facts import VoteFacts
from workflow.ports import NewEvent
from workflow.services import fire_transition, record_fact
from workflow.settings import RuleSettings
from workflow.states import VoteBody


def test_the_state_change_and_its_event_are_kept_together_or_not_at_all() -> None:
    uow = FakeUnitOfWork(ready_case("identified"))

    def broken(event: NewEvent) -> None:
        raise OSError("the history is unavailable")

    uow.history.append = broken  # the machine has moved the case when the event fails
    with pytest.raises(OSError):
        fire_transition(uow, ACTORS["sec"], 1, "withdraw", {"reason": "x"}, clock=CLOCK)
    assert_unchanged(uow, "identified")


def test_a_stale_version_is_a_conflict() -> None:
    uow = FakeUnitOfWork(ready_case("identified", version=3))
    with pytest.raises(Conflict):
        fire_transition(
            uow, ACTORS["sec"], 1, "withdraw", {"reason": "x"}, expected_version=2, clock=CLOCK
        )
    assert_unchanged(uow, "identified", version=3)
    case = fire_transition(
        uow, ACTORS["sec"], 1, "withdraw", {"reason": "x"}, expected_version=3, clock=CLOCK
    )
    assert (case.state, case.version) == ("withdrawn", 4)


def test_the_event_records_who_what_when_and_the_ruleset() -> None:
    uow = FakeUnitOfWork(ready_case("dossier_submitted"), rules=RuleSettings(version="test-7"))
    fire_transition(
        uow, ACTORS["com"], 1, "return_dossier", {"reason": " thiếu lý lịch "}, clock=CLOCK
    )
    assert uow.history.events == [
        NewEvent(
            case_id=1,
            at=CLOCK.now,
            user_id=30,
            username="com",
            role="committee",
            action="return_dossier",
            from_state="dossier_submitted",
            to_state="returned",
            reason="thiếu lý lịch",
            data={},
            ruleset="test-7",
        )
    ]


def test_the_event_keeps_the_data_recorded_and_references_by_id() -> None:
    uow = FakeUnitOfWork(ready_case("mentored"))
    fire_transition(uow, ACTORS["sec"], 1, "reassign_mentor", {"mentor": "101"}, clock=CLOCK)
    (event,) = uow.history.events
    assert (event.from_state, event.to_state, event.role) == ("mentored", "mentored", "secretary")
    assert event.data == {"mentor_id": 101, "mentor_name": MENTOR2.name}
    assert uow.cases.items[1].mentor == MENTOR2


def test_the_role_under_which_the_mentor_acts_is_recorded() -> None:
    uow = FakeUnitOfWork(ready_case("trained"))
    fire_transition(
        uow, ACTORS["mentor"], 1, "submit_dossier", VALID_INPUT["submit_dossier"], clock=CLOCK
    )
    (event,) = uow.history.events
    assert (event.role, event.username, event.user_id) == ("mentor", "mentor", 20)
    assert event.data["eligible"] == 6
    assert uow.cases.items[1].submitted_by_user_id == 20


def test_the_submitter_may_not_admit_but_a_colleague_may() -> None:
    uow = FakeUnitOfWork(ready_case("trained"))
    fire_transition(
        uow, ACTORS["sec"], 1, "submit_dossier", VALID_INPUT["submit_dossier"], clock=CLOCK
    )
    colleague = ACTORS["com"]
    # The same user who submitted, also holding a committee grant.
    submitter = replace(colleague, user_id=ACTORS["sec"].user_id)
    with pytest.raises(RuleViolation, match="four_eyes"):
        fire_transition(uow, submitter, 1, "admit", VALID_INPUT["admit"], clock=CLOCK)
    case = fire_transition(uow, colleague, 1, "admit", VALID_INPUT["admit"], clock=CLOCK)
    assert case.state == "admitted"


def test_admit_stores_the_vote_the_decision_the_member_and_issues_9_knd() -> None:
    uow = FakeUnitOfWork(ready_case("dossier_submitted"))
    fire_transition(uow, ACTORS["com"], 1, "admit", VALID_INPUT["admit"], clock=CLOCK)
    case = uow.cases.items[1]
    assert case.recorded == [
        RecordVote("grassroots", date(2026, 10, 10), 10, 0, 15),
        RecordDecision("admission", "123-QĐ/HU", date(2026, 10, 15)),
        CreateMember(date(2026, 10, 15)),
        IssueForm("9-KNĐ"),
    ]
    [(case_id, form)] = uow.documents.generated
    assert (case_id, form.code, form.number) == (1, "9-KNĐ", "1/2026/9-KNĐ")
    # The event names the form made in the same unit of work.
    assert uow.history.events[-1].data["generated_number"] == "1/2026/9-KNĐ"


def test_recognize_with_the_vote_on_file_does_not_record_it_twice() -> None:
    vote = VoteFacts(VoteBody.recognition, date(2026, 11, 1), 5, 1, 6)
    uow = FakeUnitOfWork(ready_case("admitted"))
    uow.cases.items[1].documents["13-KNĐ"] = date(2026, 11, 1)
    raw = {k: v for k, v in VALID_INPUT["recognize"].items() if not k.startswith("vote")}
    base = uow.cases.facts

    def with_vote(case, action=None):  # the cell's 13-KNĐ vote recorded earlier as a fact
        return replace(base(case, action), votes={VoteBody.recognition: vote})

    uow.cases.facts = with_vote
    fire_transition(uow, ACTORS["com"], 1, "recognize", raw, clock=CLOCK)
    assert uow.cases.items[1].recorded == [
        RecordDecision("recognition", "9-QĐ/HU", date(2026, 11, 10)),
        # Official from the end of probation: 12 months after the ceremony of 20/10/2025.
        MakeOfficial(date(2026, 10, 20)),
        IssueForm("16-KNĐ"),
    ]


def test_a_refused_admission_issues_no_form() -> None:
    uow = FakeUnitOfWork(ready_case("dossier_submitted"))
    with pytest.raises(RuleViolation):
        fire_transition(
            uow, ACTORS["com"], 1, "admit", {**VALID_INPUT["admit"], "votes_for": "3"}, clock=CLOCK
        )
    assert uow.documents.generated == [] and uow.cases.items[1].recorded == []


def test_a_document_put_on_file_is_stored_with_its_number() -> None:
    uow = FakeUnitOfWork(ready_case("trained"))
    record_fact(
        uow, ACTORS["sec"], 1, "document", {"code": "2-KNĐ", "dated": "2026-11-01", "number": "7"},
        clock=CLOCK,
    )  # fmt: skip
    assert uow.cases.items[1].recorded == [FileDocument("2-KNĐ", date(2026, 11, 1), "7")]
