"""Issuing a class's certificates in storage: complete_training per candidate who finished, the
centre's sequence of numbers, the refused reported; on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from db.models import Case
from db.models.classes import AwarenessClass, CertificateSequence, Enrolment
from db.read.history import verify
from db.repositories.classes import SqlClasses
from tests.db.class_steps import (
    HELD,
    ISSUED,
    at,
    centre_of,
    enrol,
    events,
    issue,
    mark_all,
    schedule,
    state_of,
    view,
)
from workflow.classes import ClassSettings
from workflow.errors import InvalidInput, NotAllowed, RuleViolation


def test_issuing_moves_every_finished_candidate_to_trained_and_leaves_the_others(district):
    centre_id = centre_of(district)
    finished = [district.to_mentored(full_name=f"Học viên {i}", id_number=f"0{i}") for i in (1, 2)]
    missed = district.to_mentored(full_name="Công nhân ca đêm", id_number="09")
    class_id = schedule(district, centre_id)
    for case in (*finished, missed):
        enrol(district, class_id, case.id)
    mark_all(district, class_id, absent={missed.id: "work_shift"})

    result = issue(district, class_id)

    certified = result.having("certified")
    assert sorted(o.case_id for o in certified) == sorted(c.id for c in finished)
    assert sorted(o.number for o in certified) == ["CN-2026-0001", "CN-2026-0002"]
    assert all(o.state == "trained" for o in certified)
    assert [state_of(district, c.id) for c in finished] == ["trained", "trained"]
    [unfinished] = result.having("not_finished")
    assert unfinished.case_id == missed.id and state_of(district, missed.id) == "mentored"
    assert (unfinished.completion.attended, unfinished.completion.needed) == (2, 3)
    assert unfinished.completion.missed[0].reason == "work_shift"
    assert result.having("refused") == []

    with district.runtime.sessions() as session:
        case = session.get(Case, finished[0].id)
        number = next(o.number for o in certified if o.case_id == case.id)
        assert (case.certificate_number, case.certificate_date) == (number, date(2026, 12, 7))
        cls = session.get(AwarenessClass, class_id)
        assert (cls.issued_on, cls.issued_by) == (
            date(2026, 12, 7),
            district.actor("trainer").user_id,
        )
        outcomes = dict(session.execute(select(Enrolment.case_id, Enrolment.outcome)).all())
        last = session.get(CertificateSequence, (centre_id, 2026)).last
    assert outcomes == {
        finished[0].id: "certified",
        finished[1].id: "certified",
        missed.id: "not_finished",
    }
    assert last == 2

    # Each certificate is its own complete_training event, fired by the centre as the trainer.
    trained = events(district, "complete_training")
    assert [(e.case_id, e.role, e.username) for e in trained] == [
        (o.case_id, "trainer", "trainer") for o in certified
    ]
    assert json.loads(trained[0].data)["issuer"] == "Trung tâm Chính trị"
    [summary] = events(district, "class_issue_certificates")
    assert summary.case_id is None and summary.organisation_id == centre_id
    data = json.loads(summary.data)
    assert [x["case_id"] for x in data["not_finished"]] == [missed.id]
    assert verify(district.runtime.engine).intact


def test_a_case_withdrawn_after_enrolment_is_reported_not_skipped(district):
    centre_id = centre_of(district)
    kept = district.to_mentored(full_name="Người ở lại", id_number="01")
    gone = district.to_mentored(full_name="Người rút", id_number="02")
    class_id = schedule(district, centre_id)
    enrol(district, class_id, kept.id)
    enrol(district, class_id, gone.id)
    mark_all(district, class_id)
    district.fire(gone.id, "withdraw", clock=HELD, reason="chuyển công tác")

    result = issue(district, class_id)

    [refused] = result.having("refused")
    assert refused.case_id == gone.id and refused.name == "Người rút"
    assert [f.rule for f in refused.reasons] == ["still_mentored"]
    assert "Rút khỏi danh sách" in refused.reasons[0].vi and "Withdrawn" in refused.reasons[0].en
    assert state_of(district, gone.id) == "withdrawn"
    assert [o.case_id for o in result.having("certified")] == [kept.id]
    row = next(r for r in view(district, class_id).roster if r.case_id == gone.id)
    assert row.outcome == "refused" and row.reasons[0].rule == "still_mentored"

    # Reinstated and mentored again, the candidate gets the certificate on a second issuing.
    district.fire(gone.id, "reinstate", clock=ISSUED, reason="quay lại")
    district.fire(gone.id, "assign_mentor", clock=ISSUED, mentor=district.members[1].id)
    again = issue(district, class_id, clock=at("2026-12-08"))
    assert [(o.case_id, o.number) for o in again.outcomes] == [(gone.id, "CN-2026-0002")]
    assert state_of(district, gone.id) == "trained"
    with pytest.raises(RuleViolation) as done:
        issue(district, class_id, clock=at("2026-12-09"))
    assert [f.rule for f in done.value.failures] == ["already_issued"]
    assert verify(district.runtime.engine).intact


def test_a_case_that_changed_but_is_still_mentored_is_certified(district):
    case = district.to_mentored()
    class_id = schedule(district, centre_of(district))
    enrol(district, class_id, case.id)
    district.record(case.id, "note", clock=HELD, text="đã học đủ")
    district.fire(case.id, "reassign_mentor", clock=HELD, mentor=district.members[2].id)
    mark_all(district, class_id)
    row = view(district, class_id).roster[0]
    assert row.version > row.case_version
    assert [o.status for o in issue(district, class_id).outcomes] == ["certified"]


def test_certificates_wait_for_the_last_session_and_take_a_valid_date(district):
    case = district.to_mentored()
    class_id = schedule(district, centre_of(district))
    enrol(district, class_id, case.id)
    with pytest.raises(RuleViolation) as early:
        issue(district, class_id, clock=at("2026-12-03"))
    assert [f.rule for f in early.value.failures] == ["class_over"]
    with pytest.raises(InvalidInput) as before:
        issue(district, class_id, certificate_date="2026-12-01")
    assert before.value.field == "certificate_date"
    with pytest.raises(NotAllowed):
        issue(district, class_id, who="com")
    assert state_of(district, case.id) == "mentored"


def test_numbers_follow_the_configured_pattern_and_the_centres_sequence(district):
    centre_id = centre_of(district)
    with district.runtime.sessions() as session:
        session.add(CertificateSequence(centre_id=centre_id, year=2026, last=40))
        session.commit()
    case = district.to_mentored()
    class_id = schedule(district, centre_id)
    enrol(district, class_id, case.id)
    mark_all(district, class_id)
    settings = ClassSettings(certificate_pattern="{seq}/GCN-TTCT-{year}")
    result = issue(district, class_id, settings=settings)
    assert result.outcomes[0].number == "41/GCN-TTCT-2026"


def test_a_configured_share_lets_a_candidate_miss_a_session(district):
    case = district.to_mentored()
    class_id = schedule(district, centre_of(district))
    enrol(district, class_id, case.id)
    mark_all(district, class_id, absent={case.id: "illness"})
    settings = ClassSettings.from_mapping({"attendance_share": "2/3"})  # 2 of 3 sessions
    result = issue(district, class_id, settings=settings)
    assert [o.status for o in result.outcomes] == ["certified"]


def test_the_sequence_is_claimed_by_compare_and_set(district):
    """A number is taken once: the year's first claim creates the row, later ones move it on."""
    centre_id = centre_of(district)
    with district.runtime.uow() as uow:
        repo: SqlClasses = uow.classes
        assert repo.last_certificate(centre_id, 2026) == 0
        assert repo.claim_certificate(centre_id, 2026, 1)
        assert not repo.claim_certificate(centre_id, 2026, 1)  # the row exists: taken
        assert repo.claim_certificate(centre_id, 2026, 2)
        assert not repo.claim_certificate(centre_id, 2026, 2)  # last is 2 already
        assert not repo.claim_certificate(centre_id, 2026, 5)  # no skipping
        assert repo.last_certificate(centre_id, 2026) == 2
        assert repo.claim_certificate(centre_id, 2027, 1)  # each year its own sequence
        uow.commit()
    with district.runtime.sessions() as session:
        rows = session.execute(
            select(CertificateSequence.year, CertificateSequence.last).order_by(
                CertificateSequence.year
            )
        ).all()
    assert [tuple(r) for r in rows] == [(2026, 2), (2027, 1)]
