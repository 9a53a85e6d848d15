"""Issue 10's rule fixes, each at its boundary: the vote record, the introducer on the day they
sign, over 60 with the province's approval, the education floor, the third failed recognition
vote, and 14-KNĐ where a đảng ủy bộ phận exists."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from tests.workflow.rules.attempts import VOTE_DAY, A, B, attempt, by_member, fails, holds
from workflow import rules as r
from workflow.facts import CaseException, CellRoll, VoteFacts
from workflow.states import VoteBody

SIGNED = date(2026, 1, 5)  # the day the introducers of attempts.py sign 3-KNĐ


def cell_vote(
    votes_for: int,
    official: int = 10,
    excused_absent: int = 0,
    present: int | None = None,
    against: int = 0,
    roll: CellRoll | None = None,
) -> dict:
    """The fields of a cell vote as ``workflow.cell_votes`` counts them."""
    vote = VoteFacts(
        VoteBody.cell,
        VOTE_DAY,
        votes_for,
        against,
        official - excused_absent,
        official_members=official,
        excused_absent=excused_absent,
        present=present,
        roll=roll or CellRoll(official, 1),
    )
    return {"vote": vote}


# --- the vote denominator -----------------------------------------------------------------------


def test_the_exempted_member_who_did_not_attend_leaves_the_denominator() -> None:
    # 6 of 10 is short of 2/3; with one exempted member absent it is 6 of 9, exactly 2/3.
    fails(r.cell_vote_two_thirds, attempt(fields=cell_vote(6)), "cell_vote_two_thirds")
    holds(r.cell_vote_two_thirds, attempt(fields=cell_vote(6, excused_absent=1)))
    fails(
        r.cell_vote_two_thirds,
        attempt(fields=cell_vote(5, excused_absent=1)),
        "cell_vote_two_thirds",
    )


def test_the_official_members_typed_must_be_the_registers_count_on_the_vote_date() -> None:
    holds(r.cell_vote_counts, attempt(fields=cell_vote(7, roll=CellRoll(10, 1))))
    failure = fails(
        r.cell_vote_counts, attempt(fields=cell_vote(7, roll=CellRoll(11, 1))), "cell_vote_counts"
    )
    assert "11" in failure.vi and "10/03/2026" in failure.vi


def test_no_more_exempted_absent_than_the_cell_has_exempted() -> None:
    holds(r.cell_vote_counts, attempt(fields=cell_vote(6, excused_absent=1)))
    fails(
        r.cell_vote_counts,
        attempt(fields=cell_vote(6, excused_absent=2)),
        "cell_vote_counts",
    )


def test_those_present_and_the_votes_add_up() -> None:
    holds(r.cell_vote_counts, attempt(fields=cell_vote(6, excused_absent=1, present=9)))
    fails(
        r.cell_vote_counts,
        attempt(fields=cell_vote(6, excused_absent=1, present=10)),
        "cell_vote_counts",
    )
    holds(r.cell_vote_counts, attempt(fields=cell_vote(6, present=8, against=2)))
    fails(
        r.cell_vote_counts,
        attempt(fields=cell_vote(6, present=8, against=3)),
        "cell_vote_counts",
    )


def test_a_vote_without_its_record_is_left_to_the_share_rules() -> None:
    holds(r.cell_vote_counts, attempt())
    plain = VoteFacts(VoteBody.cell, VOTE_DAY, 6, 0, 9)
    holds(r.cell_vote_counts, attempt(fields={"vote": plain}))


# --- introducers on the day they sign -----------------------------------------------------------


@pytest.mark.parametrize(
    ("official_since", "passes"),
    [
        (SIGNED - timedelta(days=1), True),  # official the day before signing
        (SIGNED, True),
        (SIGNED + timedelta(days=1), False),  # official only the day after signing
    ],
)
def test_an_introducer_is_official_on_the_day_they_sign(official_since: date, passes: bool) -> None:
    late = replace(A, official_since=official_since)
    a = attempt(introductions=(by_member(late), by_member(B)))
    if passes:
        holds(r.introducers, a)
    else:
        failure = fails(r.introducers, a, "introducers")
        assert "05/01/2026" in failure.vi


def test_a_replacement_introducer_needs_no_twelve_months() -> None:
    recent = by_member(A, known_since=SIGNED - timedelta(days=30))
    fails(r.introducers, attempt(introductions=(recent, by_member(B))), "introducers")
    named = replace(recent, replacement=True, replacement_reason="đồng chí X chuyển công tác")
    holds(r.introducers, attempt(introductions=(named, by_member(B))))


def test_a_replacement_introducer_must_still_be_official_on_the_day() -> None:
    late = replace(A, official_since=SIGNED + timedelta(days=1))
    named = replace(by_member(late), replacement=True, replacement_reason="thay thế")
    fails(r.introducers, attempt(introductions=(named, by_member(B))), "introducers")


# --- over 60, education -------------------------------------------------------------------------

APPROVAL = CaseException("over_age", date(2026, 2, 1), "123-CV/TU", "Tỉnh ủy Lâm Đồng")
SIXTY_ONE_MONTH = date(1966, 2, 10)  # 60 years 1 month on 10/03/2026
FIFTY_NINE_ELEVEN = date(1966, 4, 10)  # 59 years 11 months on 10/03/2026


def test_59_years_11_months_passes_without_approval() -> None:
    holds(r.age_in_range, attempt(birth_date=FIFTY_NINE_ELEVEN))


def test_60_years_1_month_fails_without_approval_and_passes_with_it() -> None:
    failure = fails(r.age_in_range, attempt(birth_date=SIXTY_ONE_MONTH), "age_in_range")
    assert "60 tuổi 1 tháng" in failure.vi
    holds(r.age_in_range, attempt(birth_date=SIXTY_ONE_MONTH, exceptions={"over_age": APPROVAL}))


def test_the_approval_does_not_lower_the_minimum_age() -> None:
    young = attempt(birth_date=date(2008, 4, 10), exceptions={"over_age": APPROVAL})
    fails(r.age_in_range, young, "age_in_range")


HARDSHIP = CaseException("education", date(2026, 2, 1), area="mountain", reason="xã vùng cao")


@pytest.mark.parametrize(
    ("level", "passes"),
    [
        ("primary", False),
        ("lower_secondary", True),
        ("upper_secondary", True),
        ("vocational", True),
        ("university", True),
        ("postgraduate", True),
    ],
)
def test_education_at_the_lower_secondary_floor(level: str, passes: bool) -> None:
    a = attempt(education=level)
    if passes:
        holds(r.education_floor, a)
    else:
        fails(r.education_floor, a, "education_floor")


def test_a_hardship_exception_admits_below_the_floor() -> None:
    holds(r.education_floor, attempt(education="primary", exceptions={"education": HARDSHIP}))


def test_education_not_recorded_is_refused() -> None:
    failure = fails(r.education_floor, attempt(education=None), "education_floor")
    assert "THCS" in failure.vi


# --- three failed recognition votes -------------------------------------------------------------


def recognition_vote(votes_for: int, day: int) -> VoteFacts:
    return VoteFacts(VoteBody.recognition, date(2026, 3, day), votes_for, 9 - votes_for, 9)


FAILED = tuple(recognition_vote(5, day) for day in (1, 2, 3))  # 5 of 9: short of 2/3


def test_two_failed_votes_leave_the_cell_a_third() -> None:
    holds(r.no_fourth_recognition_vote, attempt(recognition_votes=FAILED[:2]))


def test_after_the_third_failed_vote_the_cell_votes_no_more() -> None:
    failure = fails(
        r.no_fourth_recognition_vote,
        attempt(recognition_votes=FAILED),
        "no_fourth_recognition_vote",
    )
    assert "cấp ủy cấp trên" in failure.vi
    # A recorded referral says the same, whatever the votes loaded.
    fails(
        r.no_fourth_recognition_vote,
        attempt(recognition_referred_on=date(2026, 3, 3)),
        "no_fourth_recognition_vote",
    )


def test_a_passing_vote_does_not_count_as_failed() -> None:
    votes = (*FAILED[:2], recognition_vote(6, 3))  # 6 of 9: 2/3
    holds(r.no_fourth_recognition_vote, attempt(recognition_votes=votes))


def test_the_higher_committee_decides_on_the_votes_on_file() -> None:
    on_file = {"vote": FAILED[-1], "vote_on_file": True}
    holds(r.no_fourth_recognition_vote, attempt(recognition_votes=FAILED, fields=on_file))
    holds(r.recognition_vote_two_thirds, attempt(recognition_votes=FAILED, fields=on_file))
    # Before the third failure the failed vote on file still refuses recognition.
    fails(
        r.recognition_vote_two_thirds,
        attempt(recognition_votes=FAILED[:2], fields={"vote": FAILED[1], "vote_on_file": True}),
        "recognition_vote_two_thirds",
    )


# --- 14-KNĐ ---------------------------------------------------------------------------------------


def test_14_knd_is_required_only_where_a_branch_committee_exists() -> None:
    holds(r.recognition_forms_present, attempt())
    failure = fails(
        r.recognition_forms_present,
        attempt(cell_has_branch_committee=True),
        "recognition_forms_present",
    )
    assert "14-KNĐ" in failure.vi
    with_form = {**attempt().facts.documents, "14-KNĐ": VOTE_DAY}
    holds(
        r.recognition_forms_present,
        attempt(cell_has_branch_committee=True, documents=with_form),
    )
