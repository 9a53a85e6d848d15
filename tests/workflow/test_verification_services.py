"""The verification use cases on the fakes: who acts, what each step records, what is refused."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from tests.workflow.fakes import (
    ACTORS,
    CELL,
    CELL_ID,
    CLOCK,
    GRASSROOTS,
    TODAY,
    FakeCases,
    FakeCell,
    FakeUnitOfWork,
    ready_case,
)
from workflow.clock import Clock
from workflow.errors import InvalidInput, InvalidTransition, NotAllowed, NotFound, RuleViolation
from workflow.services import fire_transition
from workflow.services.verification import (
    conclude_verification,
    record_verification_answer,
    request_verification,
    view_verification,
)
from workflow.settings import Settings
from workflow.verification import MAX_ADDRESSEE, MAX_FINDING

COM = ACTORS["com_grassroots"]
DAY = timedelta(days=1)
SENT = TODAY - timedelta(days=20)
REQUEST = {"addressee": "Đảng ủy xã Hiệp Thạnh", "subject": "father", "sent_on": SENT}
ANSWER = {"answered_on": TODAY - DAY, "finding": "Lịch sử chính trị rõ ràng.", "favourable": "1"}
CONCLUSION = {"conclusion": "Lý lịch rõ ràng, đủ điều kiện.", "favourable": "1"}


def uow(state: str = "trained", **settings) -> FakeUnitOfWork:
    rules = replace(Settings().rules, **settings)
    return FakeUnitOfWork(ready_case(state), settings=replace(Settings(), rules=rules))


def requested(unit: FakeUnitOfWork, **fields) -> int:
    return request_verification(unit, COM, 1, {**REQUEST, **fields}, clock=CLOCK).id


def test_request_answer_conclude_each_an_event() -> None:
    unit = uow()
    first = requested(unit)
    second = requested(unit, subject="candidate", addressee="Công an xã Hiệp Thạnh")
    record_verification_answer(unit, COM, 1, first, ANSWER, clock=CLOCK)
    record_verification_answer(unit, COM, 1, second, ANSWER, clock=CLOCK)
    done = conclude_verification(unit, COM, 1, CONCLUSION, clock=CLOCK)
    assert done.favourable and done.concluded_on == TODAY
    events = unit.history.events
    assert [e.action for e in events] == [
        "request_verification",
        "request_verification",
        "record_verification_answer",
        "record_verification_answer",
        "conclude_verification",
    ]
    assert all(e.case_id == 1 and e.role == "committee" and e.to_state is None for e in events)
    assert events[0].data["addressee"] == "Đảng ủy xã Hiệp Thạnh"
    assert events[0].data["subject"] == "father"
    assert events[2].data["favourable"] is True
    view = view_verification(unit, ACTORS["mentor"], 1)
    assert view.concluded and not view.unanswered
    assert unit.cases.items[1].verification.favourable is True


def test_the_dossier_goes_up_only_after_a_favourable_conclusion() -> None:
    unit = uow()
    first = requested(unit)
    vote = {"vote_date": TODAY.isoformat(), "votes_for": "6", "votes_against": "0"}
    with pytest.raises(RuleViolation) as refused:
        fire_transition(unit, ACTORS["sec"], 1, "submit_dossier", vote, clock=CLOCK)
    assert "verification_favourable" in {f.rule for f in refused.value.failures}
    record_verification_answer(unit, COM, 1, first, ANSWER, clock=CLOCK)
    conclude_verification(unit, COM, 1, CONCLUSION, clock=CLOCK)
    case = fire_transition(unit, ACTORS["sec"], 1, "submit_dossier", vote, clock=CLOCK)
    assert case.state == "dossier_submitted"


def test_an_unfavourable_conclusion_stops_the_dossier() -> None:
    unit = uow()
    first = requested(unit)
    record_verification_answer(unit, COM, 1, first, {**ANSWER, "favourable": ""}, clock=CLOCK)
    conclude_verification(unit, COM, 1, {**CONCLUSION, "favourable": ""}, clock=CLOCK)
    vote = {"vote_date": TODAY.isoformat(), "votes_for": "6", "votes_against": "0"}
    with pytest.raises(RuleViolation):
        fire_transition(unit, ACTORS["sec"], 1, "submit_dossier", vote, clock=CLOCK)


@pytest.mark.parametrize("who", ["com", "com_grassroots"])
def test_the_committees_above_the_cell_verify(who: str) -> None:
    assert request_verification(uow(), ACTORS[who], 1, REQUEST, clock=CLOCK).id == 1


@pytest.mark.parametrize(
    ("who", "error"),
    [("sec", NotAllowed), ("mentor", NotAllowed), ("aud", NotAllowed), ("sec_other", NotFound)],
)
def test_others_may_not(who: str, error: type[Exception]) -> None:
    unit = uow()
    with pytest.raises(error):
        request_verification(unit, ACTORS[who], 1, REQUEST, clock=CLOCK)
    assert unit.history.events == []


def test_the_secretary_of_a_chi_bo_co_so_verifies() -> None:
    # The cell sits directly under its deciding body: no grassroots committee in between.
    cells = (FakeCell(CELL_ID, CELL, deciding_body_path=GRASSROOTS),)
    unit = FakeUnitOfWork(repository=FakeCases((ready_case("trained"),), cells=cells))
    request_verification(unit, ACTORS["sec"], 1, REQUEST, clock=CLOCK)
    assert unit.history.events[0].role == "secretary"


def test_an_unknown_case_is_not_found() -> None:
    with pytest.raises(NotFound):
        request_verification(uow(), COM, 99, REQUEST, clock=CLOCK)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"addressee": ""}, "addressee"),
        ({"addressee": "x" * (MAX_ADDRESSEE + 1)}, "addressee"),
        ({"subject": "cousin"}, "subject"),
        ({"subject": ""}, "subject"),
        ({"sent_on": TODAY + DAY}, "sent_on"),
        ({"subject_name": "y" * 201}, "subject_name"),
    ],
)
def test_a_bad_request_names_its_field(fields: dict, field: str) -> None:
    unit = uow()
    with pytest.raises(InvalidInput) as refused:
        requested(unit, **fields)
    assert refused.value.field == field
    assert unit.history.events == []


def test_a_request_sent_today_is_fine() -> None:
    assert requested(uow(), sent_on=TODAY) == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"answered_on": SENT - DAY}, "answered_on"),  # before sending
        ({"answered_on": TODAY + DAY}, "answered_on"),  # in the future
        ({"finding": ""}, "finding"),
        ({"finding": "z" * (MAX_FINDING + 1)}, "finding"),
    ],
)
def test_a_bad_answer_names_its_field(fields: dict, field: str) -> None:
    unit = uow()
    first = requested(unit)
    with pytest.raises(InvalidInput) as refused:
        record_verification_answer(unit, COM, 1, first, {**ANSWER, **fields}, clock=CLOCK)
    assert refused.value.field == field


def test_an_answer_on_the_day_it_was_sent_is_fine_but_not_twice() -> None:
    unit = uow()
    first = requested(unit)
    record_verification_answer(unit, COM, 1, first, {**ANSWER, "answered_on": SENT}, clock=CLOCK)
    with pytest.raises(InvalidInput):
        record_verification_answer(unit, COM, 1, first, ANSWER, clock=CLOCK)


def test_an_answer_to_another_cases_request_is_not_found() -> None:
    unit = uow()
    with pytest.raises(NotFound):
        record_verification_answer(unit, COM, 1, 42, ANSWER, clock=CLOCK)


def test_concluding_with_unanswered_requests_needs_a_reason() -> None:
    unit = uow()
    requested(unit)
    with pytest.raises(InvalidInput) as refused:
        conclude_verification(unit, COM, 1, CONCLUSION, clock=CLOCK)
    assert refused.value.field == "unanswered_reason"
    why = {**CONCLUSION, "unanswered_reason": "Địa phương đã giải thể, không còn hồ sơ."}
    done = conclude_verification(unit, COM, 1, why, clock=CLOCK)
    assert done.unanswered_reason == why["unanswered_reason"]
    assert unit.history.events[-1].reason == why["unanswered_reason"]
    assert unit.history.events[-1].data["unanswered"] == 1


def test_the_setting_can_forbid_concluding_with_unanswered_requests() -> None:
    unit = uow(verification_conclude_unanswered=False)
    requested(unit)
    why = {**CONCLUSION, "unanswered_reason": "Không trả lời."}
    with pytest.raises(InvalidInput) as refused:
        conclude_verification(unit, COM, 1, why, clock=CLOCK)
    assert refused.value.field == "verification"


def test_refusals_of_the_conclusion() -> None:
    unit = uow()
    with pytest.raises(InvalidInput):  # nothing was asked
        conclude_verification(unit, COM, 1, CONCLUSION, clock=CLOCK)
    first = requested(unit)
    record_verification_answer(unit, COM, 1, first, ANSWER, clock=CLOCK)
    for fields, field in (
        ({"concluded_on": TODAY + DAY}, "concluded_on"),
        ({"concluded_on": TODAY - 2 * DAY}, "concluded_on"),  # before the last answer
        ({"conclusion": ""}, "conclusion"),
    ):
        with pytest.raises(InvalidInput) as refused:
            conclude_verification(unit, COM, 1, {**CONCLUSION, **fields}, clock=CLOCK)
        assert refused.value.field == field


def test_nothing_changes_after_the_conclusion() -> None:
    unit = uow()
    first = requested(unit)
    second = requested(unit)
    record_verification_answer(unit, COM, 1, first, ANSWER, clock=CLOCK)
    why = {**CONCLUSION, "unanswered_reason": "Đủ căn cứ."}
    conclude_verification(unit, COM, 1, why, clock=CLOCK)
    events = len(unit.history.events)
    with pytest.raises(InvalidTransition):
        conclude_verification(unit, COM, 1, why, clock=CLOCK)
    with pytest.raises(InvalidTransition):
        requested(unit)
    with pytest.raises(InvalidTransition):
        record_verification_answer(unit, COM, 1, second, ANSWER, clock=CLOCK)
    assert len(unit.history.events) == events


@pytest.mark.parametrize("state", ["identified", "dossier_submitted", "admitted"])
def test_only_between_mentoring_and_the_vote(state: str) -> None:
    with pytest.raises(InvalidTransition):
        requested(uow(state))


def test_a_refused_step_keeps_nothing() -> None:
    unit = uow()
    with pytest.raises(InvalidInput):
        requested(unit, sent_on=date(2099, 1, 1))
    assert unit.verifications.requests == {}
    later = Clock(CLOCK.now + timedelta(days=1))
    assert request_verification(unit, COM, 1, REQUEST, clock=later).id == 1
