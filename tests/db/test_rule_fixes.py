"""Issue 10's rule fixes end to end on SQLite and PostgreSQL: the vote counted against the roll on
its date less the exempted absent, introducers official on the day they sign, over 60 with the
province's approval, the third failed recognition vote, and the day a member is official from."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, update

from db.models import Case, Member, Vote
from workflow.errors import RuleViolation

VOTE = {"vote_date": "2026-10-01"}


def _set_members(district, ids: list[int], **values) -> None:
    with district.runtime.sessions() as session:
        session.execute(update(Member).where(Member.id.in_(ids)).values(**values))
        session.commit()


def _rules(refused: pytest.ExceptionInfo) -> list[str]:
    return [f.rule for f in refused.value.failures]


def _trained_with_dossier(district, **person):
    case = district.to_trained(**person)
    district.ready_dossier(case.id)
    return case


def test_the_exempted_members_who_did_not_attend_leave_the_denominator(district):
    # Six official members, two of them exempted from activity (miễn sinh hoạt).
    _set_members(district, [m.id for m in district.members[4:6]], excused=True)
    case = _trained_with_dossier(district)
    with pytest.raises(RuleViolation) as refused:  # 3 of 6
        district.fire(case.id, "submit_dossier", **VOTE, votes_for=3, official_members=6)
    assert _rules(refused) == ["cell_vote_two_thirds"]
    with pytest.raises(RuleViolation) as refused:  # only two are exempted
        district.fire(
            case.id, "submit_dossier", **VOTE, votes_for=3, official_members=6, excused_absent=3
        )
    assert _rules(refused) == ["cell_vote_counts"]
    district.fire(
        case.id,
        "submit_dossier",
        **VOTE,
        votes_for=3,
        official_members=6,
        excused_absent=2,
        present=4,
    )
    with district.runtime.sessions() as session:
        vote = session.scalars(select(Vote).where(Vote.case_id == case.id)).one()
    assert (vote.official_members, vote.excused_absent, vote.present, vote.eligible) == (6, 2, 4, 4)


def test_the_roll_is_the_one_of_the_vote_date(district):
    # One member was recognised only the day after the vote: five official members that day.
    _set_members(district, [district.members[5].id], official_since=date(2026, 10, 2))
    case = _trained_with_dossier(district)
    with pytest.raises(RuleViolation) as refused:
        district.fire(case.id, "submit_dossier", **VOTE, votes_for=4, official_members=6)
    assert _rules(refused) == ["cell_vote_counts"]
    assert "5" in refused.value.failures[0].vi
    district.fire(case.id, "submit_dossier", **VOTE, votes_for=4)  # 4 of 5, the roll's count
    with district.runtime.sessions() as session:
        vote = session.scalars(select(Vote).where(Vote.case_id == case.id)).one()
    assert (vote.official_members, vote.eligible) == (5, 5)


@pytest.mark.parametrize(
    ("official_since", "passes"), [(date(2026, 8, 31), True), (date(2026, 9, 2), False)]
)
def test_an_introducer_official_the_day_after_signing_is_refused(district, official_since, passes):
    # ready_dossier's introductions are signed on 01/09/2026 by members 1 and 2.
    _set_members(district, [district.members[1].id], official_since=official_since)
    case = _trained_with_dossier(district)
    if passes:
        case = district.fire(case.id, "submit_dossier", **VOTE, votes_for=6)
        assert case.state == "dossier_submitted"
        return
    with pytest.raises(RuleViolation) as refused:
        district.fire(case.id, "submit_dossier", **VOTE, votes_for=5)
    assert _rules(refused) == ["introducers"]
    assert "01/09/2026" in refused.value.failures[0].vi


def test_59_years_11_months_passes_without_approval(district):
    case = _trained_with_dossier(district, birth_date="1966-10-15", full_name="Lê Văn Năm")
    case = district.fire(case.id, "submit_dossier", **VOTE, votes_for=6)
    assert case.state == "dossier_submitted"


def test_60_years_1_month_needs_the_provinces_approval(district):
    case = _trained_with_dossier(district, birth_date="1966-08-15", full_name="Lê Văn Sáu")
    with pytest.raises(RuleViolation) as refused:
        district.fire(case.id, "submit_dossier", **VOTE, votes_for=6)
    assert _rules(refused) == ["age_in_range"]
    district.record(
        case.id,
        "over_age_approval",
        number="88-CV/TU",
        dated="2026-09-20",
        issued_by="Ban Thường vụ Tỉnh ủy Lâm Đồng",
    )
    assert district.fire(case.id, "submit_dossier", **VOTE, votes_for=6).state == (
        "dossier_submitted"
    )


def test_education_below_the_floor_needs_a_hardship_exception(district):
    case = _trained_with_dossier(district, education="Tiểu học")
    with pytest.raises(RuleViolation) as refused:
        district.fire(case.id, "submit_dossier", **VOTE, votes_for=6)
    assert _rules(refused) == ["education_floor"]
    district.record(
        case.id,
        "education_exception",
        area="ethnic_minority",
        dated="2026-09-01",
        reason="Thôn đồng bào Chu Ru, chưa có trường THCS khi còn đi học",
    )
    assert district.fire(case.id, "submit_dossier", **VOTE, votes_for=6).state == (
        "dossier_submitted"
    )


def test_the_third_failed_recognition_vote_goes_to_the_higher_committee(district):
    case = district.to_state("admitted")  # ceremony 01/06/2024
    for code in ("10-KNĐ", "11-KNĐ", "12-KNĐ", "13-KNĐ", "15-KNĐ"):
        district.record(case.id, "document", code=code, dated="2025-06-10")
    for day in ("2025-06-10", "2025-06-17"):
        district.record(case.id, "recognition_vote", vote_date=day, votes_for=3)
    with district.runtime.sessions() as session:
        assert session.get(Case, case.id).recognition_referred_on is None
    district.record(case.id, "recognition_vote", vote_date="2025-06-24", votes_for=3)
    with district.runtime.sessions() as session:
        assert session.get(Case, case.id).recognition_referred_on == date(2025, 6, 24)
    with pytest.raises(RuleViolation) as refused:
        district.record(case.id, "recognition_vote", vote_date="2025-07-01", votes_for=6)
    assert _rules(refused) == ["no_fourth_recognition_vote"]
    case = district.fire(
        case.id, "recognize", "com", decision_number="7-QĐ/HU", decision_date="2025-07-10"
    )
    assert case.state == "official"
    with district.runtime.sessions() as session:
        member = session.get(Member, session.get(Case, case.id).member_id)
        # Official from the end of probation (ceremony 01/06/2024 + 12 months), as 16-KNĐ says.
        assert member.official_since == date(2025, 6, 1)
        assert member.admitted_on == date(2024, 5, 20)  # party age: from the admission decision


@pytest.mark.parametrize("replacement", [True, False])
def test_a_replacement_introducer_needs_no_twelve_months_in_storage(district, replacement):
    """The replacement flag is stored and read back from the database: a replacement named by
    the cell passes with four months' acquaintance, an ordinary introducer does not."""
    case = district.to_trained()
    district.record(
        case.id, "introduction", kind="member", member=district.members[1].id,
        known_since="2020-01-01", dated="2026-09-01",
    )  # fmt: skip
    extra = {"replacement": "1", "replacement_reason": "Đồng chí giới thiệu cũ đã chuyển đi"}
    district.record(
        case.id, "introduction", kind="member", member=district.members[2].id,
        known_since="2026-05-01", dated="2026-09-01", **(extra if replacement else {}),
    )  # fmt: skip
    for code in ("1-KNĐ", "2-KNĐ", "3-KNĐ", "5-KNĐ", "6-KNĐ"):
        district.record(case.id, "document", code=code, dated="2026-09-01")
    district.verify(case.id, "2026-09-01")
    if replacement:
        case = district.fire(case.id, "submit_dossier", **VOTE, votes_for=6)
        assert case.state == "dossier_submitted"
        return
    with pytest.raises(RuleViolation) as refused:
        district.fire(case.id, "submit_dossier", **VOTE, votes_for=6)
    assert _rules(refused) == ["introducers"]
