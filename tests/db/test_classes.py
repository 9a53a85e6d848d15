"""Awareness classes in storage: scheduling, enrolment, attendance, the pages' queries and who
waits for a class, each change a unit of work with its event in the chain; on SQLite and
PostgreSQL. Issuing the certificates: test_classes_issuing.py."""

from __future__ import annotations

import json
from datetime import date

import pytest

from db.read import class_waiting
from db.read import classes as pages
from tests.db.class_steps import (
    HELD,
    RAW,
    ROWS,
    SCHEDULED,
    at,
    cancel,
    centre_of,
    enrol,
    events,
    issue,
    mark_all,
    record,
    schedule,
    uow,
    view,
)
from tests.factories import NOW
from workflow import services
from workflow.errors import InvalidInput, NotAllowed, NotFound, RuleViolation
from workflow.services import classes

# --- enrolment ------------------------------------------------------------------------------------


def test_the_secretary_enrols_and_the_event_names_the_cell(district):
    centre_id = centre_of(district)
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
def test_only_mentored_candidates_can_be_enrolled(district, state):
    case = district.to_state(state)
    class_id = schedule(district, centre_of(district))
    with pytest.raises(RuleViolation) as refused:
        enrol(district, class_id, case.id)
    assert [f.rule for f in refused.value.failures] == ["candidate_mentored"]
    assert events(district, "class_enrol") == []


def test_capacity_is_enforced(district):
    first, second = (district.to_mentored(full_name=n, id_number=n) for n in ("01", "02"))
    class_id = schedule(district, centre_of(district), capacity=1)
    enrol(district, class_id, first.id)
    with pytest.raises(RuleViolation) as full:
        enrol(district, class_id, second.id)
    assert [f.rule for f in full.value.failures] == ["seat_free"]


def test_a_mentor_enrols_only_their_own_mentees(district):
    own = district.to_mentored()  # mentored by members[1], the user "mentor"
    class_id = schedule(district, centre_of(district))
    with pytest.raises(NotFound):  # mentor2 does not even see the case
        enrol(district, class_id, own.id, who="mentor2")
    enrol(district, class_id, own.id, who="mentor")
    assert events(district, "class_enrol")[0].role == "mentor"


def test_the_trainer_cannot_enrol(district):
    case = district.to_mentored()
    class_id = schedule(district, centre_of(district))
    with pytest.raises(NotAllowed):
        enrol(district, class_id, case.id, who="trainer")


def test_one_open_class_at_a_time_and_enrolment_closes_with_the_class(district):
    centre_id = centre_of(district)
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


def test_an_enrolment_is_cancelled_before_the_class_begins(district):
    case = district.to_mentored()
    class_id = schedule(district, centre_of(district))
    enrol(district, class_id, case.id)
    with pytest.raises(RuleViolation):
        cancel(district, class_id, case.id, "ốm", clock=HELD)
    with pytest.raises(NotFound):
        cancel(district, class_id, case.id + 1, "ốm dài ngày")
    cancel(district, class_id, case.id, "ốm dài ngày")
    assert view(district, class_id).roster == []
    [event] = events(district, "class_cancel_enrolment")
    assert event.reason == "ốm dài ngày" and event.organisation_id == district.cell.id
    enrol(district, class_id, case.id)  # the seat can be taken again


# --- scheduling and attendance --------------------------------------------------------------------


def test_only_the_centres_trainer_schedules_and_records_attendance(district):
    centre_id = centre_of(district)
    with pytest.raises(NotAllowed):
        classes.schedule_class(
            uow(district), district.actor("sec"), centre_id, RAW, ROWS, clock=SCHEDULED
        )
    case = district.to_mentored()
    class_id = schedule(district, centre_id)
    enrol(district, class_id, case.id)
    meeting = view(district, class_id).sessions[0]
    enrolment = view(district, class_id).roster[0].enrolment_id
    form = {f"mark-{enrolment}": "present"}
    with pytest.raises(NotAllowed):
        record(district, class_id, meeting.id, form, who="sec")
    with pytest.raises(RuleViolation) as early:
        record(district, class_id, meeting.id, form, clock=SCHEDULED)
    assert [f.rule for f in early.value.failures] == ["session_held"]
    with pytest.raises(InvalidInput) as unmarked:
        record(district, class_id, meeting.id, {})
    assert unmarked.value.field == f"mark-{enrolment}"


def test_recording_a_session_again_replaces_its_marks(district):
    case = district.to_mentored()
    class_id = schedule(district, centre_of(district))
    enrol(district, class_id, case.id)
    meeting = view(district, class_id).sessions[0]
    enrolment = view(district, class_id).roster[0].enrolment_id
    for mark in ("family", "present"):
        record(district, class_id, meeting.id, {f"mark-{enrolment}": mark})
    assert view(district, class_id).roster[0].marks[meeting.id].present
    recorded = [json.loads(e.data)["marks"] for e in events(district, "class_attendance")]
    assert recorded == [
        [{"case_id": case.id, "mark": "family", "note": None}],
        [{"case_id": case.id, "mark": "present", "note": None}],
    ]


def test_a_class_is_unknown_outside_its_area(district):
    class_id = schedule(district, centre_of(district))
    assert view(district, class_id, who="intro") is None
    with pytest.raises(NotFound):
        enrol(district, class_id, district.to_mentored().id, who="intro")
    assert view(district, class_id, who="sec").facts.id == class_id


def test_the_list_and_whom_a_cell_may_enrol(district):
    centre_id = centre_of(district)
    mine = district.to_mentored(full_name="Của chi bộ", id_number="01")
    class_id = schedule(district, centre_id)
    today = date(2026, 11, 28)
    with district.runtime.sessions() as session:
        rows = pages.class_rows(session, district.actor("sec"), today)
        assert [(r.facts.id, r.status, r.sessions) for r in rows] == [(class_id, "upcoming", 3)]
        assert pages.class_rows(session, district.actor("intro"), today) == []
        assert pages.trainer_centres(session, district.actor("trainer"))[0][0] == centre_id
        assert pages.trainer_centres(session, district.actor("sec")) == []
        secretary = pages.enrollable(session, district.actor("sec"), class_id)
        mentor = pages.enrollable(session, district.actor("mentor"), class_id)
        other_mentor = pages.enrollable(session, district.actor("mentor2"), class_id)
        trainer = pages.enrollable(session, district.actor("trainer"), class_id)
    assert [row[0] for row in secretary] == [mine.id] == [row[0] for row in mentor]
    assert other_mentor == [] and trainer == []
    enrol(district, class_id, mine.id)
    with district.runtime.sessions() as session:
        assert pages.enrollable(session, district.actor("sec"), class_id) == []
        [row] = pages.class_rows(session, district.actor("trainer"), today)
    assert row.facts.enrolled == 1


# --- who waits ------------------------------------------------------------------------------------


def test_the_waiting_list(district):
    centre_id = centre_of(district)
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
        before = class_waiting.waiting_view(session, district.actor("trainer"), today)
    assert {w.case_id for w in before.waiting} == {waits.id, other.id}
    assert [m.case_id for m in before.missed] == [goes.id]
    assert before.reasons == {"work_shift": {"evening": 1}}

    issue(district, class_id)
    with district.runtime.sessions() as session:
        after = class_waiting.waiting_view(session, district.actor("trainer"), today)
        mine = class_waiting.waiting_view(session, district.actor("sec_other"), today)
    waiting = {w.case_id: w for w in after.waiting}
    assert set(waiting) == {waits.id, goes.id, other.id}
    assert waiting[goes.id].missed_classes == 1 and waiting[goes.id].since == date(2026, 11, 27)
    assert {c.cell_id for c in after.cells} == {district.cell.id, district.other_cell.id}
    assert [w.case_id for w in mine.waiting] == [other.id] and mine.missed == []
