"""Issuing a class's certificates on the fakes: complete_training fired for each candidate who
finished, numbered in the centre's sequence; the refused reported with their reasons and no
number spent; the class closed by one summary event."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from tests.workflow.class_steps import ISSUED, SEC, at, district, enrolled_class, issue
from tests.workflow.fakes import ACTORS
from tests.workflow.fakes.classes import CENTRE_ID, TRAINER
from workflow.classes import ClassSettings
from workflow.effects import RecordCertificate
from workflow.errors import InvalidInput, NotAllowed, NotFound, RuleViolation
from workflow.settings import Settings


def test_issuing_fires_complete_training_and_numbers_in_the_centres_sequence():
    uow = district("An", "Bình", "Công nhân")
    class_id = enrolled_class(uow, absent={3: "work_shift"})

    result = issue(uow, class_id)

    assert [(o.case_id, o.status, o.number, o.state) for o in result.outcomes] == [
        (1, "certified", "CN-2026-0001", "trained"),
        (2, "certified", "CN-2026-0002", "trained"),
        (3, "not_finished", None, None),
    ]
    unfinished = result.having("not_finished")[0].completion
    assert (unfinished.attended, unfinished.needed, unfinished.missed[0].reason) == (
        2,
        3,
        "work_shift",
    )
    assert uow.classes.sequences == {(CENTRE_ID, 2026): 2}
    an = uow.cases.items[1]
    assert (an.state, an.certificate_number, an.certificate_date) == (
        "trained",
        "CN-2026-0001",
        date(2026, 12, 7),
    )
    assert any(isinstance(e, RecordCertificate) for e in an.recorded)
    assert uow.cases.items[3].state == "mentored"
    trained = [e for e in uow.history.events if e.action == "complete_training"]
    assert [(e.case_id, e.role, e.username, e.to_state) for e in trained] == [
        (1, "trainer", "trainer", "trained"),
        (2, "trainer", "trainer", "trained"),
    ]
    assert trained[0].data["issuer"] == "Trung tâm Chính trị"
    assert trained[0].data["certificate_number"] == "CN-2026-0001"
    outcomes = {e.case_id: e.outcome for e in uow.classes.enrolments.values()}
    assert outcomes == {1: "certified", 2: "certified", 3: "not_finished"}
    assert uow.classes.get(class_id).issued_on == date(2026, 12, 7)
    assert uow.classes.classes[class_id].issued_by == TRAINER.user_id
    summary = uow.history.events[-1]
    assert (summary.action, summary.case_id, summary.organisation_id) == (
        "class_issue_certificates",
        None,
        CENTRE_ID,
    )
    assert summary.data["certified"] == [
        {"case_id": 1, "number": "CN-2026-0001"},
        {"case_id": 2, "number": "CN-2026-0002"},
    ]
    assert summary.data["not_finished"] == [{"case_id": 3, "attended": 2, "of": 3}]


def test_a_case_that_left_mentored_is_reported_spends_no_number_and_is_retried():
    uow = district("An", "Bình")
    class_id = enrolled_class(uow)
    uow.cases.items[2].state = "withdrawn"

    result = issue(uow, class_id)

    [refused] = result.having("refused")
    assert (refused.case_id, [f.rule for f in refused.reasons]) == (2, ["still_mentored"])
    assert "Rút khỏi danh sách" in refused.reasons[0].vi and "Withdrawn" in refused.reasons[0].en
    assert uow.classes.sequences == {(CENTRE_ID, 2026): 1}  # the refused took no number
    assert uow.classes.enrolments[2].outcome == "refused"
    assert uow.classes.enrolments[2].reasons[0].rule == "still_mentored"
    assert uow.history.events[-1].data["refused"] == [{"case_id": 2, "rules": ["still_mentored"]}]

    uow.cases.items[2].state = "mentored"  # reinstated and mentored again
    again = issue(uow, class_id, clock=at("2026-12-08"))
    assert [(o.case_id, o.number) for o in again.outcomes] == [(2, "CN-2026-0002")]
    assert uow.classes.get(class_id).issued_on == date(2026, 12, 7)  # the first issuing's
    with pytest.raises(RuleViolation) as done:
        issue(uow, class_id, clock=at("2026-12-09"))
    assert [f.rule for f in done.value.failures] == ["already_issued"]


def test_a_number_taken_meanwhile_is_claimed_again_with_the_next():
    uow = district("An")
    class_id = enrolled_class(uow)
    # Another class of the centre took number 1 between this issuing's read and its claim.
    uow.classes.sequences[(CENTRE_ID, 2026)] = 1
    last = uow.classes.last_certificate
    reads: list[int] = []

    def stale_first(centre_id: int, year: int) -> int:
        reads.append(year)
        return 0 if len(reads) == 1 else last(centre_id, year)

    uow.classes.last_certificate = stale_first
    [outcome] = issue(uow, class_id).outcomes
    assert (outcome.status, outcome.number) == ("certified", "CN-2026-0002")
    assert len(reads) == 2 and uow.cases.items[1].certificate_number == "CN-2026-0002"
    assert uow.classes.sequences == {(CENTRE_ID, 2026): 2}


def test_an_enrolment_certified_meanwhile_is_a_conflict_and_changes_nothing():
    uow = district("An")
    class_id = enrolled_class(uow)
    uow.classes.certify = lambda enrolment_id, number, day: False
    [outcome] = issue(uow, class_id).outcomes
    assert (outcome.status, [f.rule for f in outcome.reasons]) == ("refused", ["conflict"])
    assert uow.cases.items[1].state == "mentored" and uow.classes.sequences == {}
    assert "complete_training" not in [e.action for e in uow.history.events]


def test_certificates_are_the_centres_once_the_class_is_over_with_a_valid_date():
    uow = district("An")
    class_id = enrolled_class(uow)
    with pytest.raises(RuleViolation) as early:
        issue(uow, class_id, clock=at("2026-12-03"))
    assert [f.rule for f in early.value.failures] == ["class_over"]
    with pytest.raises(InvalidInput) as before:
        issue(uow, class_id, certificate_date="2026-12-01")
    assert before.value.field == "certificate_date"
    with pytest.raises(InvalidInput) as future:
        issue(uow, class_id, certificate_date="2026-12-08")
    assert future.value.field == "certificate_date"
    with pytest.raises(NotAllowed):
        issue(uow, class_id, who=SEC)
    with pytest.raises(NotFound):
        issue(uow, class_id, who=ACTORS["intro"])
    assert uow.cases.items[1].state == "mentored" and uow.classes.get(class_id).issued_on is None


def test_the_pattern_and_the_share_come_from_the_settings():
    settings = ClassSettings(certificate_pattern="{seq}/GCN-TTCT-{year}")
    settings = ClassSettings(
        certificate_pattern=settings.certificate_pattern, attendance_share=Fraction(2, 3)
    )
    uow = district("An", settings=Settings(classes=settings))
    class_id = enrolled_class(uow, absent={1: "illness"})  # 2 of 3 sessions
    [outcome] = issue(uow, class_id, clock=ISSUED).outcomes
    assert (outcome.status, outcome.number) == ("certified", "1/GCN-TTCT-2026")
