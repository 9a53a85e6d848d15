"""Identifying a candidate through the fakes: the case opened, and who may open it."""

from __future__ import annotations

from datetime import date

import pytest

from tests.workflow.fakes import (
    ACTORS,
    CLOCK,
    OTHER_CELL_ID,
    FakeUnitOfWork,
)
from tests.workflow.transition_table import (
    PERSON,
)
from workflow.errors import (
    InvalidInput,
    NotAllowed,
    NotFound,
    RuleViolation,
)
from workflow.services import fire_transition, identify_candidate, view_case


def test_identify_opens_a_case_and_logs_it() -> None:
    uow = FakeUnitOfWork()
    case = identify_candidate(uow, ACTORS["sec"], PERSON, clock=CLOCK)
    assert (case.state, case.birth_date) == ("identified", date(2001, 4, 12))
    assert uow.committed
    (event,) = uow.history.events
    assert (event.action, event.from_state, event.to_state) == ("identify", None, "identified")
    assert (event.role, event.user_id) == ("secretary", 10)


def test_identify_refuses_a_second_open_case_for_the_same_person() -> None:
    uow = FakeUnitOfWork()
    identify_candidate(uow, ACTORS["sec"], PERSON, clock=CLOCK)
    with pytest.raises(RuleViolation) as refused:
        identify_candidate(uow, ACTORS["sec"], {**PERSON, "full_name": "T. T. Bình"}, clock=CLOCK)
    assert [f.rule for f in refused.value.failures] == ["single_open_case"]
    assert len(uow.cases.items) == 1
    assert len(uow.history.events) == 1
    assert not uow.committed


def test_identify_refuses_the_same_name_and_birth_date_without_id_number() -> None:
    person = {k: v for k, v in PERSON.items() if k != "id_number"}
    uow = FakeUnitOfWork()
    identify_candidate(uow, ACTORS["sec"], person, clock=CLOCK)
    with pytest.raises(RuleViolation, match="single_open_case"):
        identify_candidate(uow, ACTORS["sec"], {**person, "birth_date": "2001-04-12"}, clock=CLOCK)


def test_identify_again_once_the_first_case_is_closed() -> None:
    uow = FakeUnitOfWork()
    first = identify_candidate(uow, ACTORS["sec"], PERSON, clock=CLOCK)
    fire_transition(uow, ACTORS["sec"], first.id, "withdraw", {"reason": "x"}, clock=CLOCK)
    second = identify_candidate(uow, ACTORS["sec"], PERSON, clock=CLOCK)
    assert second.id != first.id
    assert second.state == "identified"


@pytest.mark.parametrize(
    "username", ["sec_other", "mentor", "com", "aud", "adm", "trainer", "intro"]
)
def test_only_the_cells_secretary_identifies(username: str) -> None:
    uow = FakeUnitOfWork()
    with pytest.raises(NotAllowed):
        identify_candidate(uow, ACTORS[username], PERSON, clock=CLOCK)
    assert (uow.cases.items, uow.history.events, uow.committed) == ({}, [], False)


def test_identify_in_an_unknown_cell_names_the_field() -> None:
    with pytest.raises(InvalidInput) as refused:
        identify_candidate(FakeUnitOfWork(), ACTORS["sec"], {**PERSON, "cell": "77"}, clock=CLOCK)
    assert refused.value.field == "cell"


def test_identify_without_source_breaks_its_rule() -> None:
    uow = FakeUnitOfWork()
    raw = {k: v for k, v in PERSON.items() if k not in ("source", "source_detail")}
    with pytest.raises(RuleViolation, match="source_recorded"):
        identify_candidate(uow, ACTORS["sec"], raw, clock=CLOCK)
    assert uow.cases.items == {}


def test_identify_in_the_other_cell_by_its_secretary() -> None:
    uow = FakeUnitOfWork()
    case = identify_candidate(
        uow, ACTORS["sec_other"], {**PERSON, "cell": str(OTHER_CELL_ID)}, clock=CLOCK
    )
    assert case.cell_id == OTHER_CELL_ID
    with pytest.raises(NotFound):
        view_case(uow, ACTORS["sec"], case.id)
