"""Recording a fact on a case through the fakes: the state kept, refused like a transition."""

from __future__ import annotations

from datetime import date

import pytest

from tests.workflow.fakes import (
    ACTORS,
    CLOCK,
    FakeUnitOfWork,
    ready_case,
)
from tests.workflow.transition_table import (
    assert_unchanged,
)
from workflow.errors import (
    InvalidTransition,
    NotAllowed,
    NotFound,
)
from workflow.services import record_fact


def test_recording_a_fact_keeps_the_state_and_is_logged() -> None:
    uow = FakeUnitOfWork(ready_case("admitted", ceremony_on=None))
    case = record_fact(
        uow, ACTORS["sec"], 1, "ceremony", {"ceremony_date": "2026-11-01"}, clock=CLOCK
    )
    assert (case.state, case.version, case.ceremony_on) == ("admitted", 2, date(2026, 11, 1))
    (event,) = uow.history.events
    assert (event.action, event.from_state, event.to_state) == ("record_ceremony", None, None)


@pytest.mark.parametrize(
    ("username", "error"), [("aud", NotAllowed), ("adm", NotAllowed), ("mentor2", NotFound)]
)
def test_recording_a_fact_is_refused_like_a_transition(username: str, error: type) -> None:
    uow = FakeUnitOfWork(ready_case("trained"))
    with pytest.raises(error):
        record_fact(uow, ACTORS[username], 1, "note", {"text": "ghi chú"}, clock=CLOCK)
    assert_unchanged(uow, "trained")


def test_a_fact_out_of_its_states_is_an_invalid_transition() -> None:
    uow = FakeUnitOfWork(ready_case("trained"))
    with pytest.raises(InvalidTransition):
        record_fact(uow, ACTORS["sec"], 1, "ceremony", {"ceremony_date": "2026-11-01"}, clock=CLOCK)
    assert_unchanged(uow, "trained")


# --- the whole path on the fakes ----------------------------------------------------------------
