"""The classes' use cases on the fakes: scheduling, enrolment, attendance, and issuing the
certificates, which fires complete_training and numbers each in the centre's sequence."""

from __future__ import annotations

from datetime import date

import pytest

from tests.workflow.class_steps import (
    HELD,
    MENTOR,
    RAW,
    ROWS,
    SCHEDULED,
    SEC,
    actions,
    district,
    schedule,
)
from tests.workflow.fakes import ACTORS, FakeUnitOfWork, ready_case
from tests.workflow.fakes.classes import CENTRE_ID, OTHER_CENTRE_ID, TRAINER
from workflow.classes import ClassSettings
from workflow.errors import InvalidInput, NotAllowed, NotFound, RuleViolation
from workflow.facts import Actor, Grant
from workflow.services import classes
from workflow.settings import Settings

# --- scheduling ------------------------------------------------------------------------------


def test_the_centre_schedules_a_class_and_its_event_names_the_centre():
    uow = district()
    class_id = schedule(uow)
    cls = uow.classes.get(class_id)
    assert (cls.name, cls.starts_on, cls.ends_on) == (
        "Lớp khóa IV",
        date(2026, 11, 30),
        date(2026, 12, 4),
    )
    assert len(uow.classes.sessions(class_id)) == 3
    [event] = uow.history.events
    assert (event.action, event.case_id, event.organisation_id, event.role) == (
        "class_schedule",
        None,
        CENTRE_ID,
        "trainer",
    )
    assert event.ruleset == uow.settings.classes.version and uow.committed
    assert event.data["sessions"][0] == [date(2026, 11, 30), "18:30", "21:00"]


def test_only_a_trainer_of_the_centre_schedules_and_bad_input_names_its_field():
    uow = district()
    with pytest.raises(NotAllowed):
        classes.schedule_class(uow, SEC, CENTRE_ID, RAW, ROWS, clock=SCHEDULED)
    with pytest.raises(NotAllowed):
        classes.schedule_class(uow, TRAINER, OTHER_CENTRE_ID, RAW, ROWS, clock=SCHEDULED)
    stray = Actor(61, "stray", (Grant("trainer", 77, "/1/"),))  # a grant in no centre
    with pytest.raises(NotFound):
        classes.schedule_class(uow, stray, 77, RAW, ROWS, clock=SCHEDULED)
    with pytest.raises(InvalidInput) as bad:
        schedule(uow, name="x" * 201)
    assert bad.value.field == "name"
    settings = Settings(classes=ClassSettings(max_capacity=4))
    with pytest.raises(InvalidInput) as big:
        schedule(district(settings=settings))
    assert big.value.field == "capacity"
    assert uow.classes.classes == {} and uow.history.events == []


# --- enrolment -------------------------------------------------------------------------------


def test_the_secretary_and_the_mentor_enrol_and_the_event_names_the_cell():
    uow = district("An", "Bình")
    class_id = schedule(uow)
    classes.enrol_candidate(uow, SEC, class_id, 1, {"registered_on": "2026-11-20"}, clock=SCHEDULED)
    classes.enrol_candidate(uow, MENTOR, class_id, 2, clock=SCHEDULED)
    assert [(e.case_id, e.role) for e in uow.classes.enrolments.values()] == [
        (1, "secretary"),
        (2, "mentor"),
    ]
    enrol = [e for e in uow.history.events if e.action == "class_enrol"]
    assert [(e.role, e.organisation_id, e.case_id) for e in enrol] == [
        ("secretary", 3, None),
        ("mentor", 3, None),
    ]
    assert enrol[0].data["registered_on"] == date(2026, 11, 20)
    assert (enrol[0].data["case_id"], enrol[0].data["candidate"]) == (1, "An")
    assert uow.classes.get(class_id).enrolled == 2


def test_who_may_not_enrol():
    uow = district("An")
    class_id = schedule(uow)
    with pytest.raises(NotFound):  # mentor2 does not see another mentor's mentee
        classes.enrol_candidate(uow, ACTORS["mentor2"], class_id, 1, clock=SCHEDULED)
    with pytest.raises(NotAllowed):  # the committee sees the case but does not enrol
        classes.enrol_candidate(uow, ACTORS["com"], class_id, 1, clock=SCHEDULED)
    with pytest.raises(NotFound):  # an introducer does not know of the class
        classes.enrol_candidate(uow, ACTORS["intro"], class_id, 1, clock=SCHEDULED)
    with pytest.raises(NotFound):
        classes.enrol_candidate(uow, SEC, class_id + 1, 1, clock=SCHEDULED)
    with pytest.raises(NotFound):
        classes.enrol_candidate(uow, SEC, class_id, 99, clock=SCHEDULED)
    assert uow.classes.enrolments == {}


def test_enrolment_rules_refuse_and_change_nothing():
    uow = FakeUnitOfWork(
        ready_case("mentored", 1),
        ready_case("trained", 2, full_name="Chị Hai", id_number="2"),
        ready_case("mentored", 3, full_name="Anh Ba", id_number="3"),
    )
    first, second = schedule(uow), schedule(uow, name="Lớp khác")
    classes.enrol_candidate(uow, SEC, first, 1, clock=SCHEDULED)
    refusals = [
        (first, 1, SCHEDULED, "not_enrolled_yet"),
        (second, 1, SCHEDULED, "one_class_at_a_time"),
        (second, 2, SCHEDULED, "candidate_mentored"),
    ]
    for class_id, case_id, clock, rule in refusals:
        with pytest.raises(RuleViolation) as refused:
            classes.enrol_candidate(uow, SEC, class_id, case_id, clock=clock)
        assert [f.rule for f in refused.value.failures] == [rule]
    with pytest.raises(InvalidInput) as future:
        classes.enrol_candidate(
            uow, SEC, second, 3, {"registered_on": "2026-12-01"}, clock=SCHEDULED
        )
    assert future.value.field == "registered_on"
    assert len(uow.classes.enrolments) == 1 and actions(uow).count("class_enrol") == 1


def test_an_enrolment_is_cancelled_before_the_first_session_with_a_reason():
    uow = district("An")
    class_id = schedule(uow)
    classes.enrol_candidate(uow, SEC, class_id, 1, clock=SCHEDULED)
    with pytest.raises(NotFound):
        classes.cancel_enrolment(uow, SEC, class_id, 2, "ốm", clock=SCHEDULED)
    with pytest.raises(InvalidInput) as long:
        classes.cancel_enrolment(uow, SEC, class_id, 1, "x" * 301, clock=SCHEDULED)
    assert long.value.field == "reason"
    with pytest.raises(RuleViolation) as begun:
        classes.cancel_enrolment(uow, SEC, class_id, 1, "ốm", clock=HELD)
    assert [f.rule for f in begun.value.failures] == ["before_first_session"]
    classes.cancel_enrolment(uow, MENTOR, class_id, 1, " ốm  dài ngày ", clock=SCHEDULED)
    assert uow.classes.enrolments == {}
    event = uow.history.events[-1]
    assert (event.action, event.reason, event.role) == (
        "class_cancel_enrolment",
        "ốm dài ngày",
        "mentor",
    )


# --- attendance ------------------------------------------------------------------------------


def test_the_centre_records_a_session_and_again_replaces_its_marks():
    uow = district("An")
    class_id = schedule(uow)
    classes.enrol_candidate(uow, SEC, class_id, 1, clock=SCHEDULED)
    session_id = uow.classes.sessions(class_id)[0][0]
    [enrolment] = uow.classes.enrolled(class_id)
    form = {f"mark-{enrolment.id}": "work_shift", f"note-{enrolment.id}": "ca đêm"}
    classes.record_attendance(uow, TRAINER, class_id, session_id, form, clock=HELD)
    classes.record_attendance(
        uow, TRAINER, class_id, session_id, {f"mark-{enrolment.id}": "present"}, clock=HELD
    )
    assert uow.classes.enrolled(class_id)[0].marks[session_id].present
    marks = [e.data["marks"] for e in uow.history.events if e.action == "class_attendance"]
    assert marks == [
        [{"case_id": 1, "mark": "work_shift", "note": "ca đêm"}],
        [{"case_id": 1, "mark": "present", "note": None}],
    ]
    assert uow.history.events[-1].organisation_id == CENTRE_ID


def test_attendance_is_the_centres_for_a_session_held():
    uow = district("An")
    class_id = schedule(uow)
    other = schedule(uow, name="Lớp khác")
    classes.enrol_candidate(uow, SEC, class_id, 1, clock=SCHEDULED)
    session_id = uow.classes.sessions(class_id)[0][0]
    enrolment = uow.classes.enrolled(class_id)[0].id
    form = {f"mark-{enrolment}": "present"}
    with pytest.raises(NotAllowed):
        classes.record_attendance(uow, SEC, class_id, session_id, form, clock=HELD)
    with pytest.raises(NotFound):
        classes.record_attendance(uow, TRAINER, other, session_id, form, clock=HELD)
    with pytest.raises(RuleViolation) as early:
        classes.record_attendance(uow, TRAINER, class_id, session_id, form, clock=SCHEDULED)
    assert [f.rule for f in early.value.failures] == ["session_held"]
    with pytest.raises(InvalidInput) as unmarked:
        classes.record_attendance(uow, TRAINER, class_id, session_id, {}, clock=HELD)
    assert unmarked.value.field == f"mark-{enrolment}"
    assert uow.classes.marks == {}
