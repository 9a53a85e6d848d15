"""Proposals of mass organisations through fakes: who proposes, sees and decides; what an
acceptance opens; what a refusal leaves (nothing)."""

from __future__ import annotations

from datetime import date

import pytest

from tests.workflow.fakes import ACTORS, CELL, CELL_ID, CLOCK, OTHER_CELL, FakeUnitOfWork, actor
from tests.workflow.fakes.proposals import CONGDOAN_OTHER, DISTRICT_DOAN, DOAN
from workflow import proposals as p
from workflow.errors import (
    Conflict,
    InvalidInput,
    InvalidTransition,
    NotAllowed,
    NotFound,
    RuleViolation,
)
from workflow.facts import Actor, Grant
from workflow.services import proposals as s
from workflow.states import Source, State

INTRO = Actor(70, "intro", (Grant("introducer", DOAN, CELL),))
INTRO2 = Actor(71, "intro2", (Grant("introducer", DOAN, CELL),))
INTRO_OTHER = Actor(72, "intro_other", (Grant("introducer", CONGDOAN_OTHER, OTHER_CELL),))
INTRO_DISTRICT = Actor(73, "intro_d", (Grant("introducer", DISTRICT_DOAN, "/1/"),))
SEC, SEC_OTHER = ACTORS["sec"], ACTORS["sec_other"]
#: A secretary of the whole grassroots committee covers the cell too.
SEC_ABOVE = actor(12, "sec_above", ("secretary", "/1/2/"))
WHO = {
    "intro": INTRO,
    "intro2": INTRO2,
    "intro_other": INTRO_OTHER,
    "sec": SEC,
    "sec_other": SEC_OTHER,
    "sec_above": SEC_ABOVE,
    "mentor": ACTORS["mentor"],
    "com": ACTORS["com"],
    "aud": ACTORS["aud"],
    "adm": ACTORS["adm"],
}

PERSON = {
    "full_name": "Lê Thị Hoa",
    "birth_date": "2008-04-02",
    "sex": "nữ",
    "id_number": "068308000123",
    "residence": "Liên Nghĩa, Đức Trọng",
    "occupation": "Học sinh lớp 12A1",
    "is_doan_member": "1",
    "reasons": "Học sinh giỏi 3 năm liền, Bí thư chi đoàn lớp 12A1.",
    "achievements": "Giải Nhì học sinh giỏi tỉnh môn Văn",
    "movement": "Câu lạc bộ Lý luận trẻ",
}


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


def _propose(uow, who=INTRO, org=DOAN, **overrides) -> p.ProposalFacts:
    return s.propose_candidate(uow, who, org, {**PERSON, **overrides}, clock=CLOCK)


# --- proposing ------------------------------------------------------------------------------


def test_an_introducer_proposes_to_the_cell_of_their_organisation(uow):
    proposal = _propose(uow)
    assert proposal.status == p.ProposalStatus.proposed
    assert (proposal.cell_id, proposal.introducer_id) == (CELL_ID, INTRO.user_id)
    assert proposal.person["birth_date"] == date(2008, 4, 2)
    assert proposal.person["is_doan_member"] is True
    assert proposal.proposed_on == CLOCK.today
    [event] = uow.history.events
    assert (event.case_id, event.organisation_id) == (None, DOAN)
    assert (event.action, event.role, event.username) == (
        "propose_candidate",
        "introducer",
        "intro",
    )
    assert event.data["proposal_id"] == proposal.id
    assert event.data["reasons"] == PERSON["reasons"]
    assert event.data["movement"] == "Câu lạc bộ Lý luận trẻ"
    assert uow.committed


@pytest.mark.parametrize("who", ["intro_other", "sec", "mentor", "com", "adm"])
def test_only_an_introducer_of_the_organisation_proposes_for_it(uow, who):
    with pytest.raises(NotAllowed):
        _propose(uow, WHO[who])
    assert uow.history.events == [] and uow.proposals.items == {}


def test_an_organisation_not_attached_to_a_cell_cannot_propose(uow):
    with pytest.raises(InvalidInput) as refused:
        _propose(uow, INTRO_DISTRICT, DISTRICT_DOAN)
    assert refused.value.field == "organisation"


@pytest.mark.parametrize(
    ("overrides", "rules"),
    [
        ({"full_name": " "}, ["person_valid"]),
        ({"birth_date": ""}, ["person_valid"]),
        ({"birth_date": "2030-01-01"}, ["person_valid"]),
        ({"reasons": ""}, ["reasons_given"]),
        ({"full_name": "", "reasons": ""}, ["person_valid", "reasons_given"]),
    ],
)
def test_a_proposal_names_the_person_and_the_reasons(uow, overrides, rules):
    with pytest.raises(RuleViolation) as refused:
        _propose(uow, **overrides)
    assert [f.rule for f in refused.value.failures] == rules
    assert all(f.vi and f.en for f in refused.value.failures)
    assert uow.history.events == [] and uow.proposals.items == {}


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"birth_date": "not a date"}, "birth_date"),
        ({"sex": "x"}, "sex"),
        ({"movement": "x" * 301}, "movement"),
        ({"unknown": "1"}, "unknown"),
    ],
)
def test_malformed_input_names_its_field(uow, overrides, field):
    with pytest.raises(InvalidInput) as refused:
        _propose(uow, **overrides)
    assert refused.value.field == field


def test_the_same_person_is_not_pending_twice_at_the_cell(uow):
    _propose(uow)
    with pytest.raises(RuleViolation) as refused:
        _propose(uow, INTRO2)
    assert [f.rule for f in refused.value.failures] == ["single_pending_proposal"]


# --- seeing ---------------------------------------------------------------------------------

SEES = {  # who sees a proposal `intro` made to the cell
    "intro": True,
    "intro2": False,  # another introducer of the same organisation
    "intro_other": False,
    "sec": True,
    "sec_above": True,
    "sec_other": False,
    "mentor": False,
    "com": False,
    "aud": False,
    "adm": False,
}


@pytest.mark.parametrize(("who", "sees"), SEES.items())
def test_who_sees_a_proposal(uow, who, sees):
    proposal = _propose(uow)
    if sees:
        assert s.view_proposal(uow, WHO[who], proposal.id).id == proposal.id
    else:
        with pytest.raises(NotFound):
            s.view_proposal(uow, WHO[who], proposal.id)


def test_an_unknown_proposal_is_not_found(uow):
    with pytest.raises(NotFound):
        s.view_proposal(uow, SEC, 99)


# --- deciding -------------------------------------------------------------------------------


def test_the_secretary_accepts_and_the_case_opens_from_the_proposal(uow):
    proposal = _propose(uow)
    decided, case = s.accept_proposal(uow, SEC, proposal.id, clock=CLOCK)
    assert decided.status == p.ProposalStatus.accepted and decided.case_id == case.id
    assert (decided.decided_on, decided.decided_by_name) == (CLOCK.today, "sec")
    assert case.state == State.identified and case.cell_id == CELL_ID
    fields = case.created_with  # what identify stored, and nothing recorded since
    assert case.recorded == []
    assert fields["source"] == Source.mass_organisation
    assert fields["source_detail"].startswith("Đoàn trường THPT Thử (đề xuất số 1, ")
    assert fields["id_number"] == "068308000123" and fields["is_doan_member"] is True
    identify, accepted = uow.history.events[1:]
    assert (identify.action, identify.case_id, identify.to_state) == (
        "identify",
        case.id,
        "identified",
    )
    assert (accepted.action, accepted.case_id, accepted.organisation_id) == (
        "accept_proposal",
        None,
        DOAN,
    )
    assert (accepted.role, accepted.data["case_id"]) == ("secretary", case.id)
    assert uow.committed


def test_a_secretary_above_the_cell_decides_too(uow):
    proposal = _propose(uow)
    decided, _ = s.accept_proposal(uow, SEC_ABOVE, proposal.id, clock=CLOCK)
    assert decided.status == p.ProposalStatus.accepted


def test_the_secretary_declines_with_a_reason_and_nothing_opens(uow):
    proposal = _propose(uow)
    decided = s.decline_proposal(
        uow, SEC, proposal.id, {"reason": "Chưa đủ 18 tuổi khi kết thúc năm học."}, clock=CLOCK
    )
    assert decided.status == p.ProposalStatus.declined
    assert decided.decline_reason == "Chưa đủ 18 tuổi khi kết thúc năm học."
    assert decided.case_id is None and uow.cases.items == {}
    event = uow.history.events[-1]
    assert (event.action, event.case_id, event.organisation_id) == ("decline_proposal", None, DOAN)
    assert event.reason == "Chưa đủ 18 tuổi khi kết thúc năm học."
    # The introducer reads the outcome.
    assert s.view_proposal(uow, INTRO, proposal.id).decline_reason == decided.decline_reason


@pytest.mark.parametrize("reason", ["", "   "])
def test_declining_needs_a_reason(uow, reason):
    proposal = _propose(uow)
    with pytest.raises(InvalidInput) as refused:
        s.decline_proposal(uow, SEC, proposal.id, {"reason": reason}, clock=CLOCK)
    assert refused.value.field == "reason"
    assert uow.proposals.items[proposal.id].status == p.ProposalStatus.proposed


@pytest.mark.parametrize(
    ("who", "error"),
    [("intro", NotAllowed), ("sec_other", NotFound), ("intro2", NotFound), ("com", NotFound)],
)
def test_only_the_cells_secretary_decides(uow, who, error):
    proposal = _propose(uow)
    events = len(uow.history.events)
    with pytest.raises(error):
        s.accept_proposal(uow, WHO[who], proposal.id, clock=CLOCK)
    with pytest.raises(error):
        s.decline_proposal(uow, WHO[who], proposal.id, {"reason": "không"}, clock=CLOCK)
    assert len(uow.history.events) == events and uow.cases.items == {}


def test_a_decided_proposal_is_not_decided_again(uow):
    proposal = _propose(uow)
    s.accept_proposal(uow, SEC, proposal.id, clock=CLOCK)
    with pytest.raises(InvalidTransition):
        s.accept_proposal(uow, SEC, proposal.id, clock=CLOCK)
    with pytest.raises(InvalidTransition):
        s.decline_proposal(uow, SEC, proposal.id, {"reason": "muộn"}, clock=CLOCK)
    assert len(uow.cases.items) == 1


def test_a_stale_version_is_a_conflict(uow):
    proposal = _propose(uow)
    with pytest.raises(Conflict):
        s.accept_proposal(uow, SEC, proposal.id, expected_version=0, clock=CLOCK)
    assert uow.cases.items == {}


def test_a_refused_identify_leaves_the_proposal_pending_and_writes_nothing(uow):
    """The person already has an open case: identify refuses, and the acceptance with it."""
    first = _propose(uow)
    s.accept_proposal(uow, SEC, first.id, clock=CLOCK)
    again = _propose(uow, INTRO2)  # the first is no longer pending: a new proposal is taken
    events = len(uow.history.events)
    with pytest.raises(RuleViolation) as refused:
        s.accept_proposal(uow, SEC, again.id, clock=CLOCK)
    assert [f.rule for f in refused.value.failures] == ["single_open_case"]
    assert uow.proposals.items[again.id].status == p.ProposalStatus.proposed
    assert len(uow.history.events) == events and len(uow.cases.items) == 1


class CountingUnitOfWork(FakeUnitOfWork):
    """Counts the commits: a use case that nests another must still commit once."""

    def __init__(self) -> None:
        super().__init__()
        self.commits = 0

    def commit(self) -> None:
        self.commits += 1
        super().commit()


def test_identify_inside_the_acceptance_leaves_the_commit_to_it():
    """identify runs without its own commit: the acceptance commits once, for both events."""
    uow = CountingUnitOfWork()
    proposal = _propose(uow)
    uow.commits = 0
    s.accept_proposal(uow, SEC, proposal.id, clock=CLOCK)
    assert uow.commits == 1
    assert [e.action for e in uow.history.events[1:]] == ["identify", "accept_proposal"]


# --- the labels ---------------------------------------------------------------------------------


def test_every_status_and_action_has_both_labels():
    assert set(p.STATUS_LABELS) == set(p.ProposalStatus)
    assert set(p.ACTION_LABELS) == set(p.ProposalAction)
    assert all(vi and en for vi, en in (*p.STATUS_LABELS.values(), *p.ACTION_LABELS.values()))
