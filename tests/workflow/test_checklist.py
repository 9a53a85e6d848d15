"""The dossier checklist on the fakes: every missing item at once, each with its fix; what
disables an action."""

from __future__ import annotations

from datetime import date

from tests.workflow.fakes import ACTORS, TODAY, FakeCases, ready_case
from workflow.checklist import Fix, blocker, checklist
from workflow.facts import IntroducerFacts, VoteFacts
from workflow.settings import RuleSettings
from workflow.states import IntroducerKind, VoteBody

SETTINGS = RuleSettings()
SEC = ACTORS["sec"]


def _facts(state: str, **overrides):
    return FakeCases().facts(ready_case(state, **overrides))


def _bare(state: str = "identified", **overrides):
    """A youth's case with nothing on file: no mentor, certificate, introducer, form."""
    values = {
        "mentor": None,
        "certificate_number": None,
        "certificate_date": None,
        "introductions": (),
        "documents": {},
        "verification": None,
        "birth_date": date(2000, 4, 1),
        "is_doan_member": True,
    }
    values.update(overrides)
    return _facts(state, **values)


def test_a_case_missing_everything_lists_everything_at_once() -> None:
    found = checklist(_bare(), SEC, TODAY, SETTINGS)
    assert found.goal == "submit_dossier"
    texts = [item.text("vi") for item in found.items]
    fixes = [item.fix for item in found.items]
    assert "Chưa phân công đảng viên giúp đỡ." in texts
    assert Fix("transition", "assign_mentor") in fixes
    # Both introducer problems in the same look, not one round after the other.
    assert any("nghị quyết giới thiệu của Đoàn" in t for t in texts)
    assert any("Cần thêm một đảng viên chính thức giới thiệu" in t for t in texts)
    for code in ("1-KNĐ", "2-KNĐ", "5-KNĐ", "6-KNĐ"):
        assert Fix("document", code) in fixes, code
    # The introductions are asked for, not also their forms (3-KNĐ, 4-KNĐ): one fact, once.
    for code in ("3-KNĐ", "4-KNĐ"):
        assert Fix("document", code) not in fixes, code
    assert Fix("transition", "complete_training") in fixes  # no certificate yet
    assert Fix("verification") in fixes
    assert [i.fix for i in found.items].count(Fix("fact", "introduction")) == 2
    assert all(item.text("en") != item.text("vi") for item in found.items)


def test_a_complete_file_has_nothing_missing() -> None:
    assert checklist(_facts("trained"), SEC, TODAY, SETTINGS).items == ()


def test_an_adult_needs_two_members_one_item() -> None:
    one = (
        IntroducerFacts(
            IntroducerKind.member,
            "Đảng viên 101",
            date(2026, 9, 1),
            ready_case("trained").introductions[0].member,
            date(2020, 1, 1),
        ),
    )
    found = checklist(_facts("trained", introductions=one), SEC, TODAY, SETTINGS)
    assert [i.text("vi") for i in found.items] == [
        "Cần 2 đảng viên chính thức giới thiệu; mới có 1."
    ]


def test_the_submission_is_disabled_by_missing_paperwork_not_by_date_rules() -> None:
    reason = blocker(_bare("trained"), SEC, TODAY, SETTINGS, "submit_dossier")
    assert reason is not None and reason.rule == "introducers"
    # Only a rule judged on the vote's date fails: listed, but the form stays live.
    stale = _facts("trained", verification=None)
    assert checklist(stale, SEC, TODAY, SETTINGS).items[0].blocks is False
    assert blocker(stale, SEC, TODAY, SETTINGS, "submit_dossier") is None


def test_recognition_right_after_admission_is_disabled_with_its_reason() -> None:
    just_admitted = _facts("admitted", ceremony_on=date(2026, 11, 1))
    reason = blocker(just_admitted, ACTORS["com"], TODAY, SETTINGS, "recognize")
    assert reason is not None and reason.rule == "probation_complete"
    assert "Chưa đủ 12 tháng dự bị" in reason.vi
    vote = blocker(just_admitted, SEC, TODAY, SETTINGS, "record_recognition_vote")
    assert vote is not None and vote.rule == "probation_complete"
    no_ceremony = _facts("admitted", ceremony_on=None)
    reason = blocker(no_ceremony, SEC, TODAY, SETTINGS, "record_recognition_vote")
    assert reason is not None and reason.rule == "ceremony_recorded"
    items = checklist(no_ceremony, SEC, TODAY, SETTINGS).items
    assert items[0].fix == Fix("fact", "ceremony")
    assert Fix("fact", "recognition_vote") in [i.fix for i in items]


def test_recognition_after_probation_with_the_vote_on_file_is_live() -> None:
    vote = VoteFacts(VoteBody.recognition, date(2026, 11, 1), 6, 0, 6)
    ready = _facts("admitted", recognition_votes=(vote,))
    assert blocker(ready, ACTORS["com"], TODAY, SETTINGS, "recognize") is None
    assert checklist(ready, SEC, TODAY, SETTINGS).items == ()


def test_four_eyes_disables_the_admission_for_the_one_who_submitted() -> None:
    facts = _facts("dossier_submitted", submitted_by_user_id=ACTORS["com"].user_id)
    reason = blocker(facts, ACTORS["com"], TODAY, SETTINGS, "admit")
    assert reason is not None and reason.rule == "four_eyes"
    assert blocker(_facts("dossier_submitted"), ACTORS["com"], TODAY, SETTINGS, "admit") is None


def test_an_under_age_candidate_is_not_sent_to_the_over_age_approval() -> None:
    # 17: only time puts it right; the provincial approval is for the over-60s.
    young = checklist(_facts("trained", birth_date=date(2009, 2, 1)), SEC, TODAY, SETTINGS)
    [age] = [item for item in young.items if item.failure.rule == "age_in_range"]
    assert age.fix == Fix("none")
    old = checklist(_facts("trained", birth_date=date(1960, 1, 1)), SEC, TODAY, SETTINGS)
    [age] = [item for item in old.items if item.failure.rule == "age_in_range"]
    assert age.fix == Fix("fact", "over_age_approval")
