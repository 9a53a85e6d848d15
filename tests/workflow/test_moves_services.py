"""The move use cases on the fakes: hand-overs of a case, transfers of a member, who counts."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from tests.workflow.fakes import (
    ACTORS,
    CELL_ID,
    CLOCK,
    MENTOR,
    OTHER_CELL_ID,
    OUTSIDER,
    PROBATIONARY,
    FakeUnitOfWork,
    actor,
    ready_case,
)
from workflow.errors import InvalidInput, InvalidTransition, NotAllowed, NotFound
from workflow.moves import HandOverStatus, TransferKind
from workflow.services.cases import view_case
from workflow.services.moves import (
    accept_hand_over,
    cancel_hand_over,
    decline_hand_over,
    hand_over_case,
    transfer_member,
)
from workflow.states import MemberStatus

SEC, SEC_OTHER, COM = ACTORS["sec"], ACTORS["sec_other"], ACTORS["com"]
REASON = "Tốt nghiệp THPT, về địa phương"


def _uow(state: str = "mentored") -> FakeUnitOfWork:
    return FakeUnitOfWork(ready_case(state))


def _handed(uow: FakeUnitOfWork) -> int:
    return hand_over_case(uow, SEC, 1, OTHER_CELL_ID, REASON, clock=CLOCK).id


def test_hand_over_then_accept_moves_the_case_and_its_mentor():
    uow = _uow()
    h = hand_over_case(uow, SEC, 1, OTHER_CELL_ID, REASON, clock=CLOCK)
    assert h.status == HandOverStatus.pending
    assert uow.cases.items[1].cell_id == CELL_ID  # still at the sending cell
    done = accept_hand_over(uow, SEC_OTHER, h.id, OUTSIDER.id, clock=CLOCK)
    assert done.status == HandOverStatus.accepted
    case = uow.cases.items[1]
    assert (case.cell_id, case.mentor, case.state) == (OTHER_CELL_ID, OUTSIDER, "mentored")
    actions = [e.action for e in uow.history.events]
    assert actions == ["hand_over_case", "accept_hand_over"]
    accepted = uow.history.events[-1]
    assert accepted.case_id == 1 and accepted.data["mentor_id"] == OUTSIDER.id
    assert accepted.data["previous_mentor"] == MENTOR.name
    assert accepted.data["from_cell_id"] == CELL_ID and accepted.data["to_cell_id"] == OTHER_CELL_ID


def test_the_scope_follows_the_case():
    uow = _uow()
    accept_hand_over(uow, SEC_OTHER, _handed(uow), OUTSIDER.id, clock=CLOCK)
    with pytest.raises(NotFound):
        view_case(uow, SEC, 1)
    assert view_case(uow, SEC_OTHER, 1).cell_id == OTHER_CELL_ID


def test_an_identified_case_moves_without_a_mentor():
    uow = _uow("identified")
    accept_hand_over(uow, SEC_OTHER, _handed(uow), None, clock=CLOCK)
    assert uow.cases.items[1].cell_id == OTHER_CELL_ID and uow.cases.items[1].mentor is None


def test_a_mentored_case_needs_a_mentor_of_the_receiving_cell():
    uow = _uow()
    h = _handed(uow)
    with pytest.raises(InvalidInput) as no_mentor:
        accept_hand_over(uow, SEC_OTHER, h, None, clock=CLOCK)
    with pytest.raises(InvalidInput) as wrong_cell:
        accept_hand_over(uow, SEC_OTHER, h, MENTOR.id, clock=CLOCK)
    assert no_mentor.value.field == wrong_cell.value.field == "mentor"
    assert uow.cases.items[1].cell_id == CELL_ID


def test_a_probationary_member_is_no_mentor():
    uow = _uow()
    h = _handed(uow)
    uow.cases.members[OUTSIDER.id] = replace(OUTSIDER, status=MemberStatus.probationary)
    with pytest.raises(InvalidInput, match="official"):
        accept_hand_over(uow, SEC_OTHER, h, OUTSIDER.id, clock=CLOCK)


@pytest.mark.parametrize(
    ("to_cell", "field"),
    [(CELL_ID, "to_cell"), (2, "to_cell"), (999, "to_cell"), (None, "to_cell")],
    ids=["same cell", "a committee", "nothing", "none"],
)
def test_hand_over_refused_to_a_non_cell_or_the_same_cell(to_cell, field):
    uow = _uow()
    with pytest.raises(InvalidInput) as refused:
        hand_over_case(uow, SEC, 1, to_cell, REASON, clock=CLOCK)
    assert refused.value.field == field
    assert uow.history.events == [] and uow.moves.hand_overs == {}


@pytest.mark.parametrize("state", ["dossier_submitted", "admitted", "official", "withdrawn"])
def test_only_a_case_before_submission_is_handed_over(state):
    uow = _uow(state)
    with pytest.raises(InvalidInput, match="cannot be handed over"):
        hand_over_case(uow, SEC, 1, OTHER_CELL_ID, REASON, clock=CLOCK)


def test_a_reason_is_required_and_bounded():
    uow = _uow()
    with pytest.raises(InvalidInput) as empty:
        hand_over_case(uow, SEC, 1, OTHER_CELL_ID, " ", clock=CLOCK)
    with pytest.raises(InvalidInput) as long:
        hand_over_case(uow, SEC, 1, OTHER_CELL_ID, "x" * 501, clock=CLOCK)
    assert empty.value.field == long.value.field == "reason"
    hand_over_case(uow, SEC, 1, OTHER_CELL_ID, "x" * 500, clock=CLOCK)


def test_who_may_hand_over_and_accept():
    uow = _uow()
    with pytest.raises(NotFound):
        hand_over_case(uow, SEC_OTHER, 1, OTHER_CELL_ID, REASON, clock=CLOCK)
    with pytest.raises(NotAllowed):
        hand_over_case(uow, ACTORS["aud"], 1, OTHER_CELL_ID, REASON, clock=CLOCK)
    h = _handed(uow)
    with pytest.raises(InvalidTransition):
        _handed(uow)  # one pending hand-over at a time
    with pytest.raises(NotAllowed):
        accept_hand_over(uow, SEC, h, OUTSIDER.id, clock=CLOCK)  # the sender
    with pytest.raises(NotFound):
        accept_hand_over(uow, ACTORS["mentor"], h, OUTSIDER.id, clock=CLOCK)


def test_a_committee_covering_both_cells_does_it_in_one_step():
    uow = _uow()
    h = hand_over_case(uow, COM, 1, OTHER_CELL_ID, REASON, mentor_id=OUTSIDER.id, clock=CLOCK)
    assert h.status == HandOverStatus.accepted
    assert uow.cases.items[1].cell_id == OTHER_CELL_ID
    assert [e.role for e in uow.history.events] == ["committee", "committee"]


def test_a_secretary_does_not_name_the_receiving_cells_mentor():
    with pytest.raises(InvalidInput, match="receiving cell"):
        hand_over_case(_uow(), SEC, 1, OTHER_CELL_ID, REASON, mentor_id=OUTSIDER.id, clock=CLOCK)


def test_decline_and_cancel_leave_the_case_where_it_was():
    uow = _uow()
    declined = decline_hand_over(uow, SEC_OTHER, _handed(uow), "Không cư trú tại đây", clock=CLOCK)
    assert declined.status == HandOverStatus.declined
    with pytest.raises(InvalidTransition):
        accept_hand_over(uow, SEC_OTHER, declined.id, OUTSIDER.id, clock=CLOCK)
    cancelled = cancel_hand_over(uow, SEC, _handed(uow), "Nhầm chi bộ", clock=CLOCK)
    assert cancelled.status == HandOverStatus.cancelled
    with pytest.raises(NotAllowed):
        cancel_hand_over(uow, SEC_OTHER, _handed(uow), "x", clock=CLOCK)
    assert uow.cases.items[1].cell_id == CELL_ID and uow.cases.items[1].mentor == MENTOR
    assert [e.action for e in uow.history.events][-3:-1] == ["hand_over_case", "cancel_hand_over"]


def test_a_case_submitted_meanwhile_is_not_taken_over():
    uow = _uow("trained")
    h = _handed(uow)
    uow.cases.items[1].state = "dossier_submitted"
    with pytest.raises(InvalidInput):
        accept_hand_over(uow, SEC_OTHER, h, OUTSIDER.id, clock=CLOCK)
    assert uow.cases.items[1].cell_id == CELL_ID


# --- members' transfers ---------------------------------------------------------------------


def _transfer(uow, kind, **kw):
    values = {"starts_on": "2026-11-01", "reason": "Chuyển công tác"} | kw
    return transfer_member(uow, COM, PROBATIONARY.id, kind, OTHER_CELL_ID, clock=CLOCK, **values)


def test_an_official_transfer_moves_the_member_and_their_probation_case():
    uow = FakeUnitOfWork(ready_case("admitted"))
    uow.moves.probation[PROBATIONARY.id] = 1
    t = _transfer(uow, "official", mentor_id=OUTSIDER.id)
    assert t.kind == TransferKind.official
    assert uow.cases.members[PROBATIONARY.id].cell_id == OTHER_CELL_ID
    assert uow.cases.items[1].cell_id == OTHER_CELL_ID and uow.cases.items[1].mentor == OUTSIDER
    event = uow.history.events[-1]
    assert (event.action, event.case_id, event.data["kind"]) == ("transfer_member", 1, "official")
    with pytest.raises(NotFound):
        view_case(uow, SEC, 1)


def test_a_temporary_attachment_keeps_the_member_at_home():
    uow = FakeUnitOfWork(ready_case("admitted"))
    uow.moves.probation[PROBATIONARY.id] = 1
    _transfer(uow, "temporary", ends_on="2027-05-01")
    assert uow.cases.members[PROBATIONARY.id].cell_id == CELL_ID
    assert uow.cases.items[1].cell_id == CELL_ID
    assert uow.history.events[-1].data["ends_on"] == "2027-05-01"


@pytest.mark.parametrize(
    ("kind", "extra", "field"),
    [
        ("temporary", {}, "ends_on"),
        ("temporary", {"ends_on": "2026-10-01"}, "ends_on"),
        ("official", {"ends_on": "2027-01-01"}, "ends_on"),
        ("sideways", {}, "kind"),
        ("official", {"starts_on": ""}, "starts_on"),
        ("official", {"reason": ""}, "reason"),
    ],
)
def test_transfer_refusals_name_the_field(kind, extra, field):
    uow = FakeUnitOfWork(ready_case("admitted"))
    with pytest.raises(InvalidInput) as refused:
        _transfer(uow, kind, **extra)
    assert refused.value.field == field
    assert uow.moves.transfers == []


def test_only_the_committee_transfers_a_member():
    uow = FakeUnitOfWork(ready_case("admitted"))
    with pytest.raises(NotAllowed):
        transfer_member(
            uow,
            SEC,
            PROBATIONARY.id,
            "official",
            OTHER_CELL_ID,
            "2026-11-01",
            reason="x",
            clock=CLOCK,
        )
    with pytest.raises(NotFound):
        transfer_member(
            uow,
            SEC_OTHER,
            PROBATIONARY.id,
            "official",
            OTHER_CELL_ID,
            "2026-11-01",
            reason="x",
            clock=CLOCK,
        )


def test_the_vote_roll_on_a_date_follows_official_transfers_not_attachments():
    """The one vote roll (``cell_roll``, which the rules use): a member temporarily attached
    elsewhere counts at home and not at the host; one transferred officially counts at the old
    cell before the day and at the new one from it."""
    uow = FakeUnitOfWork()
    roll = uow.cases.cell_roll
    here, there = roll(CELL_ID, date(2026, 1, 1)).official, roll(OTHER_CELL_ID, date(2026, 1, 1))
    transfer_member(
        uow,
        COM,
        MENTOR.id,
        "temporary",
        OTHER_CELL_ID,
        "2026-06-01",
        "2026-12-31",
        "Học tập",
        clock=CLOCK,
    )
    transfer_member(
        uow, COM, 104, "official", OTHER_CELL_ID, "2026-10-01", reason="Chuyển", clock=CLOCK
    )
    # The attached member still counts at home, never at the host.
    assert roll(CELL_ID, date(2026, 7, 1)).official == here
    assert roll(OTHER_CELL_ID, date(2026, 7, 1)) == there
    # The transferred member counted at the old cell before, at the new one from the day.
    assert roll(CELL_ID, date(2026, 9, 30)).official == here
    assert roll(OTHER_CELL_ID, date(2026, 9, 30)).official == there.official
    assert roll(OTHER_CELL_ID, date(2026, 10, 1)).official == there.official + 1
    assert roll(CELL_ID, date(2026, 10, 1)).official == here - 1


def test_a_member_of_no_scope_is_not_found():
    nobody = actor(99, "nobody", ("committee", "/9/"))
    with pytest.raises(NotFound):
        transfer_member(
            FakeUnitOfWork(),
            nobody,
            MENTOR.id,
            "official",
            OTHER_CELL_ID,
            "2026-11-01",
            reason="x",
            clock=CLOCK,
        )
