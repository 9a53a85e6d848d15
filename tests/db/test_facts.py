"""Facts recorded without a state change: the recognition vote and the decision's extension."""

import pytest

from workflow.errors import InvalidInput, RuleViolation


def test_the_recorded_recognition_vote_is_the_one_judged(district):
    case = district.to_state("admitted")
    for code in ("10-KNĐ", "11-KNĐ", "12-KNĐ", "13-KNĐ", "15-KNĐ"):
        district.record(case.id, "document", code=code, dated="2025-06-10")
    district.record(case.id, "recognition_vote", vote_date="2025-06-10", votes_for=3)
    # 3 of 6 official members: under 2/3, so recognition without a new count is refused.
    with pytest.raises(RuleViolation) as refused:
        district.fire(
            case.id, "recognize", "com", decision_number="7-QĐ/HU", decision_date="2025-06-20"
        )
    assert [f.rule for f in refused.value.failures] == ["recognition_vote_two_thirds"]


def test_recognition_uses_a_passing_recorded_vote_without_storing_it_twice(district):
    from sqlalchemy import func, select

    from db.models import Vote

    case = district.to_state("admitted")
    for code in ("10-KNĐ", "11-KNĐ", "12-KNĐ", "13-KNĐ", "15-KNĐ"):
        district.record(case.id, "document", code=code, dated="2025-06-10")
    district.record(case.id, "recognition_vote", vote_date="2025-06-10", votes_for=5)
    case = district.fire(
        case.id, "recognize", "com", decision_number="7-QĐ/HU", decision_date="2025-06-20"
    )
    assert case.state == "official"
    with district.runtime.sessions() as session:
        votes = session.scalar(
            select(func.count())
            .select_from(Vote)
            .where(Vote.case_id == case.id, Vote.body == "recognition")
        )
    assert votes == 1


def test_a_recognition_vote_before_probation_ends_is_refused(district):
    case = district.to_state("admitted")  # ceremony 01/06/2024: probation ends 01/06/2025
    with pytest.raises(InvalidInput) as refused:
        district.record(case.id, "recognition_vote", vote_date="2025-05-31", votes_for=6)
    assert refused.value.field == "vote_date"
    assert "01/06/2025" in refused.value.message


@pytest.mark.parametrize(("days", "accepted"), [(0, False), (1, True), (30, True), (31, False)])
def test_the_decision_may_be_extended_once_by_up_to_thirty_working_days(district, days, accepted):
    case = district.to_state("dossier_submitted")

    def record():
        return district.record(
            case.id,
            "decision_extension",
            "com",
            days=days,
            reason="chờ thẩm tra lý lịch",
        )

    if not accepted:
        with pytest.raises(InvalidInput):
            record()
        return
    record()
    with pytest.raises(InvalidInput, match="once"):
        district.record(case.id, "decision_extension", "com", days=1, reason="lần hai")
    with district.runtime.uow(write=False) as uow:
        assert uow.cases.get(case.id).decision_extension_days == days


def test_reinstating_is_refused_while_the_person_has_another_open_case(district):
    first = district.to_state("withdrawn", id_number="068123456789")
    second = district.identify(id_number="068123456789")
    with pytest.raises(RuleViolation) as refused:
        district.fire(first.id, "reinstate", reason="quay lại")
    assert [f.rule for f in refused.value.failures] == ["single_open_case"]
    district.fire(second.id, "withdraw", reason="trùng hồ sơ")
    assert district.fire(first.id, "reinstate", reason="quay lại").state == "identified"
