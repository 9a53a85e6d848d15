"""On the fakes: a chi bộ cơ sở (no đảng ủy cơ sở between it and the deciding body) is admitted
and recognised without the grassroots committee's vote, 8-KNĐ or 15-KNĐ; a cell under one is not."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from tests.workflow.fakes import ACTORS, CELLS, CLOCK, FakeCases, FakeUnitOfWork, ready_case
from workflow.effects import CreateMember, IssueForm, RecordDecision, RecordVote
from workflow.errors import RuleViolation
from workflow.services import fire_transition
from workflow.settings import DOSSIER_FORMS, RECOGNITION_FORMS

DECISION = {"decision_number": "123-QĐ/HU", "decision_date": "2026-10-15"}
RECOGNITION = {
    "vote_date": "2026-11-01",
    "votes_for": "5",
    "votes_against": "1",
    "decision_number": "9-QĐ/HU",
    "decision_date": "2026-11-10",
}


def _uow(state: str, grassroots: bool, **case) -> FakeUnitOfWork:
    cells = tuple(replace(c, has_grassroots_committee=grassroots) for c in CELLS)
    return FakeUnitOfWork(repository=FakeCases((ready_case(state, **case),), cells=cells))


def test_a_chi_bo_co_so_is_admitted_without_a_grassroots_vote() -> None:
    uow = _uow("dossier_submitted", grassroots=False)
    case = fire_transition(uow, ACTORS["com"], 1, "admit", DECISION, clock=CLOCK)
    assert case.state == "admitted"
    assert uow.cases.items[1].recorded == [
        RecordDecision("admission", "123-QĐ/HU", date(2026, 10, 15)),
        CreateMember(date(2026, 10, 15)),
        IssueForm("9-KNĐ"),
    ]
    # Vote numbers sent anyway are not a grassroots vote: nothing is recorded of them.
    uow = _uow("dossier_submitted", grassroots=False)
    raw = {**DECISION, "vote_date": "2026-10-10", "votes_for": "1"}
    fire_transition(uow, ACTORS["com"], 1, "admit", raw, clock=CLOCK)
    assert not any(isinstance(e, RecordVote) for e in uow.cases.items[1].recorded)
    assert "votes_for" not in uow.history.events[-1].data


def test_under_a_dang_uy_co_so_the_admission_needs_its_vote() -> None:
    uow = _uow("dossier_submitted", grassroots=True)
    with pytest.raises(RuleViolation) as refused:
        fire_transition(uow, ACTORS["com"], 1, "admit", DECISION, clock=CLOCK)
    rules = [f.rule for f in refused.value.failures]
    assert rules == ["vote_date_not_future", "grassroots_vote_two_thirds"]
    assert uow.cases.items[1].state == "dossier_submitted"


def test_recognition_without_15_knd_only_in_a_chi_bo_co_so() -> None:
    documents = {c: date(2026, 9, 1) for c in (*DOSSIER_FORMS, *RECOGNITION_FORMS)}
    del documents["15-KNĐ"]
    uow = _uow("admitted", grassroots=False, documents=dict(documents))
    assert fire_transition(uow, ACTORS["com"], 1, "recognize", RECOGNITION, clock=CLOCK).state == (
        "official"
    )
    uow = _uow("admitted", grassroots=True, documents=dict(documents))
    with pytest.raises(RuleViolation) as refused:
        fire_transition(uow, ACTORS["com"], 1, "recognize", RECOGNITION, clock=CLOCK)
    assert [f.rule for f in refused.value.failures] == ["recognition_forms_present"]
