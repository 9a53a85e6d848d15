"""Awareness classes in storage: scheduling, enrolment, attendance and issuing the certificates,
each a unit of work with its event in the chain; on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from db import classes
from db.models import Case, Event, Organisation
from db.models.classes import AwarenessClass, CertificateSequence, Enrolment
from db.read.history import verify
from tests.factories import NOW
from workflow import services
from workflow.classes import ClassSettings
from workflow.errors import InvalidInput, NotAllowed, NotFound, RuleViolation
from workflow.services import Clock

#: Sessions on three evenings; the class is scheduled on 27/11 and issued on 07/12/2026.
ROWS = [(day, "18:30", "21:00") for day in ("2026-11-30", "2026-12-02", "2026-12-04")]
RAW = {"name": "Lớp khóa IV (buổi tối)", "place": "Hội trường", "kind": "evening", "capacity": 5}


def at(day: str, hour: int = 3) -> Clock:
    """`hour` UTC on `day` (03:00 UTC is 10:00 in Vietnam)."""
    return Clock(datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC))


SCHEDULED, HELD, ISSUED = at("2026-11-27"), at("2026-12-04", 14), at("2026-12-07")


@pytest.fixture
def centre_id(district) -> int:
    with district.runtime.sessions() as session:
        return session.scalar(select(Organisation.id).where(Organisation.type == "centre"))


def schedule(district, centre_id, **raw) -> int:
    return classes.schedule_class(
        district.runtime,
        district.actor("trainer"),
        centre_id,
        {**RAW, **raw},
        ROWS,
        clock=SCHEDULED,
    )


def enrol(district, class_id, case_id, who="sec", clock=SCHEDULED, **raw):
    classes.enrol_candidate(
        district.runtime, district.actor(who), class_id, case_id, raw, clock=clock
    )


def view(district, class_id, who="trainer", today=date(2026, 12, 7)) -> classes.ClassView:
    with district.runtime.sessions() as session:
        return classes.class_view(session, district.actor(who), class_id, today)


def mark_all(district, class_id, absent: dict[int, str] | None = None) -> None:
    """Record every session: present, but `absent` (case id → reason) at the second one."""
    absent = absent or {}
    v = view(district, class_id, today=date(2026, 12, 4))
    for number, meeting in enumerate(v.sessions):
        form = {}
        for row in v.roster:
            reason = absent.get(row.case_id) if number == 1 else None
            form[f"mark-{row.enrolment_id}"] = reason or "present"
            form[f"note-{row.enrolment_id}"] = "ca đêm" if reason else ""
        classes.record_attendance(
            district.runtime, district.actor("trainer"), class_id, meeting.id, form, clock=HELD
        )


def issue(district, class_id, clock=ISSUED, **raw) -> classes.IssueResult:
    return classes.issue_certificates(
        district.runtime, district.actor("trainer"), class_id, raw, clock=clock
    )


def state_of(district, case_id) -> str:
    with district.runtime.sessions() as session:
        return session.get(Case, case_id).state


def events(district, *actions: str) -> list[Event]:
    with district.runtime.sessions() as session:
        query = select(Event).order_by(Event.id)
        if actions:
            query = query.where(Event.action.in_(actions))
        return list(session.scalars(query))


# --- issuing: the heart of it ---------------------------------------------------------------------


def test_issuing_moves_every_finished_candidate_to_trained_and_leaves_the_others(
    district, centre_id
):
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
    assert outcomes == {
        finished[0].id: "certified",
        finished[1].id: "certified",
        missed.id: "not_finished",
    }

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


def test_a_case_withdrawn_after_enrolment_is_reported_not_skipped(district, centre_id):
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


def test_a_case_that_changed_but_is_still_mentored_is_certified(district, centre_id):
    case = district.to_mentored()
    class_id = schedule(district, centre_id)
    enrol(district, class_id, case.id)
    district.record(case.id, "note", clock=HELD, text="đã học đủ")
    district.fire(case.id, "reassign_mentor", clock=HELD, mentor=district.members[2].id)
    mark_all(district, class_id)
    row = view(district, class_id).roster[0]
    assert row.version > row.case_version
    assert [o.status for o in issue(district, class_id).outcomes] == ["certified"]


def test_certificates_wait_for_the_last_session_and_take_a_valid_date(district, centre_id):
    case = district.to_mentored()
    class_id = schedule(district, centre_id)
    enrol(district, class_id, case.id)
    with pytest.raises(RuleViolation) as early:
        issue(district, class_id, clock=at("2026-12-03"))
    assert [f.rule for f in early.value.failures] == ["class_over"]
    with pytest.raises(InvalidInput) as before:
        issue(district, class_id, certificate_date="2026-12-01")
    assert before.value.field == "certificate_date"
    with pytest.raises(NotAllowed):
        classes.issue_certificates(
            district.runtime, district.actor("com"), class_id, {}, clock=ISSUED
        )
    assert state_of(district, case.id) == "mentored"


def test_numbers_follow_the_configured_pattern_and_the_centres_sequence(district, centre_id):
    with district.runtime.sessions() as session:
        session.add(CertificateSequence(centre_id=centre_id, year=2026, last=40))
        session.commit()
    case = district.to_mentored()
    class_id = schedule(district, centre_id)
    enrol(district, class_id, case.id)
    mark_all(district, class_id)
    settings = ClassSettings(certificate_pattern="{seq}/GCN-TTCT-{year}")
    result = classes.issue_certificates(
        district.runtime, district.actor("trainer"), class_id, {}, clock=ISSUED, settings=settings
    )
    assert result.outcomes[0].number == "41/GCN-TTCT-2026"


def test_a_configured_share_lets_a_candidate_miss_a_session(district, centre_id):
    case = district.to_mentored()
    class_id = schedule(district, centre_id)
    enrol(district, class_id, case.id)
    mark_all(district, class_id, absent={case.id: "illness"})
    result = classes.issue_certificates(
        district.runtime,
        district.actor("trainer"),
        class_id,
        {},
        clock=ISSUED,
        settings=ClassSettings.from_mapping({"attendance_share": "2/3"}),  # 2 of 3 sessions
    )
    assert [o.status for o in result.outcomes] == ["certified"]


# --- enrolment ------------------------------------------------------------------------------------


def test_the_secretary_enrols_and_the_event_names_the_cell(district, centre_id):
    case = district.to_mentored()
    class_id = schedule(district, centre_id)
    enrol(district, class_id, case.id, registered_on="2026-11-20")
    [event] = events(district, "class_enrol")
    data = json.loads(event.data)
    assert (event.case_id, event.organisation_id, event.role) == (
        None,
        district.cell.id,
        "secretary",
    )
    assert (data["case_id"], data["class_id"], data["registered_on"]) == (
        case.id,
        class_id,
        "2026-11-20",
    )
    [schedule_event] = events(district, "class_schedule")
    assert (schedule_event.case_id, schedule_event.organisation_id) == (None, centre_id)
    assert json.loads(schedule_event.data)["sessions"][0] == ["2026-11-30", "18:30", "21:00"]


@pytest.mark.parametrize("state", ["identified", "trained", "withdrawn"])
def test_only_mentored_candidates_can_be_enrolled(district, centre_id, state):
    case = district.to_state(state)
    class_id = schedule(district, centre_id)
    with pytest.raises(RuleViolation) as refused:
        enrol(district, class_id, case.id)
    assert [f.rule for f in refused.value.failures] == ["candidate_mentored"]
    assert events(district, "class_enrol") == []


def test_capacity_is_enforced(district, centre_id):
    first, second = (district.to_mentored(full_name=n, id_number=n) for n in ("01", "02"))
    class_id = schedule(district, centre_id, capacity=1)
    enrol(district, class_id, first.id)
    with pytest.raises(RuleViolation) as full:
        enrol(district, class_id, second.id)
    assert [f.rule for f in full.value.failures] == ["seat_free"]


def test_a_mentor_enrols_only_their_own_mentees(district, centre_id):
    own = district.to_mentored()  # mentored by members[1], the user "mentor"
    class_id = schedule(district, centre_id)
    with pytest.raises(NotFound):  # mentor2 does not even see the case
        enrol(district, class_id, own.id, who="mentor2")
    enrol(district, class_id, own.id, who="mentor")
    assert events(district, "class_enrol")[0].role == "mentor"


def test_the_trainer_cannot_enrol(district, centre_id):
    case = district.to_mentored()
    class_id = schedule(district, centre_id)
    with pytest.raises(NotAllowed):
        enrol(district, class_id, case.id, who="trainer")


def test_one_open_class_at_a_time_and_enrolment_closes_with_the_class(district, centre_id):
    case = district.to_mentored()
    first, second = schedule(district, centre_id), schedule(district, centre_id, name="Lớp khác")
    enrol(district, first, case.id)
    with pytest.raises(RuleViolation) as twice:
        enrol(district, first, case.id)
    assert [f.rule for f in twice.value.failures] == ["not_enrolled_yet"]
    with pytest.raises(RuleViolation) as other:
        enrol(district, second, case.id)
    assert [f.rule for f in other.value.failures] == ["one_class_at_a_time"]
    late = district.to_mentored(full_name="Đến muộn", id_number="77")
    with pytest.raises(RuleViolation) as closed:
        enrol(district, first, late.id, clock=at("2026-12-05"))
    assert [f.rule for f in closed.value.failures] == ["enrolment_open"]


def test_an_enrolment_is_cancelled_before_the_class_begins(district, centre_id):
    case = district.to_mentored()
    class_id = schedule(district, centre_id)
    enrol(district, class_id, case.id)
    with pytest.raises(RuleViolation):
        classes.cancel_enrolment(
            district.runtime, district.actor("sec"), class_id, case.id, "ốm", clock=HELD
        )
    classes.cancel_enrolment(
        district.runtime, district.actor("sec"), class_id, case.id, "ốm dài ngày", clock=SCHEDULED
    )
    assert view(district, class_id).roster == []
    [event] = events(district, "class_cancel_enrolment")
    assert event.reason == "ốm dài ngày" and event.organisation_id == district.cell.id
    enrol(district, class_id, case.id)  # the seat can be taken again


# --- scheduling and attendance --------------------------------------------------------------------


def test_only_the_centres_trainer_schedules_and_records_attendance(district, centre_id):
    with pytest.raises(NotAllowed):
        classes.schedule_class(
            district.runtime, district.actor("sec"), centre_id, RAW, ROWS, clock=SCHEDULED
        )
    case = district.to_mentored()
    class_id = schedule(district, centre_id)
    enrol(district, class_id, case.id)
    meeting = view(district, class_id).sessions[0]
    enrolment = view(district, class_id).roster[0].enrolment_id
    form = {f"mark-{enrolment}": "present"}
    with pytest.raises(NotAllowed):
        classes.record_attendance(
            district.runtime, district.actor("sec"), class_id, meeting.id, form, clock=HELD
        )
    with pytest.raises(RuleViolation) as early:
        classes.record_attendance(
            district.runtime, district.actor("trainer"), class_id, meeting.id, form, clock=SCHEDULED
        )
    assert [f.rule for f in early.value.failures] == ["session_held"]
    with pytest.raises(InvalidInput) as unmarked:
        classes.record_attendance(
            district.runtime, district.actor("trainer"), class_id, meeting.id, {}, clock=HELD
        )
    assert unmarked.value.field == f"mark-{enrolment}"


def test_recording_a_session_again_replaces_its_marks(district, centre_id):
    case = district.to_mentored()
    class_id = schedule(district, centre_id)
    enrol(district, class_id, case.id)
    meeting = view(district, class_id).sessions[0]
    enrolment = view(district, class_id).roster[0].enrolment_id
    for mark in ("family", "present"):
        classes.record_attendance(
            district.runtime,
            district.actor("trainer"),
            class_id,
            meeting.id,
            {f"mark-{enrolment}": mark},
            clock=HELD,
        )
    assert view(district, class_id).roster[0].marks[meeting.id].present
    recorded = [json.loads(e.data)["marks"] for e in events(district, "class_attendance")]
    assert recorded == [
        [{"case_id": case.id, "mark": "family", "note": None}],
        [{"case_id": case.id, "mark": "present", "note": None}],
    ]


def test_a_class_is_unknown_outside_its_area(district, centre_id):
    class_id = schedule(district, centre_id)
    with pytest.raises(NotFound):
        view(district, class_id, who="intro")
    assert view(district, class_id, who="sec").facts.id == class_id


# --- who waits ------------------------------------------------------------------------------------


def test_the_waiting_list(district, centre_id):
    waits = district.to_mentored(full_name="Chờ lớp", id_number="01")
    goes = district.to_mentored(full_name="Đi học", id_number="02")
    worker = services.identify_candidate(
        district.runtime.uow(),
        district.actor("sec_other"),
        {"full_name": "Công nhân", "birth_date": "1995-01-02", "id_number": "03"}
        | {"cell": district.other_cell.id, "source": "cell_review"},
        clock=NOW,
    )
    other = district.fire(
        worker.id, "assign_mentor", "sec_other", mentor=district.other_members[1].id
    )
    class_id = schedule(district, centre_id)
    enrol(district, class_id, goes.id)
    mark_all(district, class_id, absent={goes.id: "work_shift"})
    today = date(2026, 12, 7)
    with district.runtime.sessions() as session:
        before = classes.waiting_view(session, district.actor("trainer"), today)
    assert {w.case_id for w in before.waiting} == {waits.id, other.id}
    assert [m.case_id for m in before.missed] == [goes.id]
    assert before.reasons == {"work_shift": {"evening": 1}}

    issue(district, class_id)
    with district.runtime.sessions() as session:
        after = classes.waiting_view(session, district.actor("trainer"), today)
        mine = classes.waiting_view(session, district.actor("sec_other"), today)
    waiting = {w.case_id: w for w in after.waiting}
    assert set(waiting) == {waits.id, goes.id, other.id}
    assert waiting[goes.id].missed_classes == 1 and waiting[goes.id].since == date(2026, 11, 27)
    assert {c.cell_id for c in after.cells} == {district.cell.id, district.other_cell.id}
    assert [w.case_id for w in mine.waiting] == [other.id] and mine.missed == []
