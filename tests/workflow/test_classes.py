"""Awareness classes' pure rules: scheduling, who enrols whom, attendance, completion, numbers."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time
from fractions import Fraction

import pytest

from tests.workflow.fakes import ACTORS, CELL, MENTOR, MENTOR2, FakeCases, actor, ready_case
from workflow import classes as c
from workflow.errors import InvalidInput
from workflow.facts import Actor, CaseFacts, Grant

TODAY = date(2026, 11, 27)
EVENING = [(f"2026-12-{d:02d}", "18:30", "21:00") for d in (1, 3, 8)]
RAW = {"name": "Lớp khóa IV", "place": "Hội trường", "kind": "evening", "capacity": "2"}
CLASS = c.ClassFacts(
    1, 9, "/1/2/", "Lớp khóa IV", "evening", 2, date(2026, 12, 1), date(2026, 12, 8)
)


def case(state: str = "mentored", **overrides) -> CaseFacts:
    return replace(FakeCases().facts(ready_case(state)), **overrides)


# --- scheduling ------------------------------------------------------------------------------


def test_a_class_runs_from_its_first_session_to_its_last():
    plan = c.parse_class(RAW, [("", "", ""), *reversed(EVENING)], TODAY)
    assert (plan.starts_on, plan.ends_on) == (date(2026, 12, 1), date(2026, 12, 8))
    assert plan.sessions[0] == c.SessionPlan(date(2026, 12, 1), time(18, 30), time(21, 0))
    assert plan.kind == c.SessionKind.evening and plan.capacity == 2


@pytest.mark.parametrize(
    ("kind", "rows", "problem"),
    [
        # The plan's difficulty: each kind means something, and the sessions must keep to it.
        ("weekend", [("2026-12-04", "07:30", "11:00")], c.NOT_WEEKEND),  # a Friday
        ("evening", [("2026-12-01", "16:00", "18:00")], c.NOT_EVENING),
        ("daytime", [("2026-12-05", "07:30", "11:00")], c.NOT_DAYTIME),  # a Saturday
        ("daytime", [("2026-12-01", "18:00", "20:00")], c.NOT_DAYTIME),
    ],
)
def test_the_sessions_keep_to_the_kind_of_class(kind, rows, problem):
    with pytest.raises(InvalidInput) as refused:
        c.parse_class({**RAW, "kind": kind}, rows, TODAY)
    assert (refused.value.field, refused.value.message) == ("kind", problem)


def test_the_kinds_that_hold():
    assert c.parse_class({**RAW, "kind": "weekend"}, [("2026-12-05", "07:30", "11:00")], TODAY)
    assert c.parse_class({**RAW, "kind": "daytime"}, [("2026-12-07", "07:30", "11:00")], TODAY)


@pytest.mark.parametrize(
    ("raw", "rows", "field", "problem"),
    [
        ({**RAW, "name": " "}, EVENING, "name", c.REQUIRED),
        ({**RAW, "place": "x" * 301}, EVENING, "place", c.TOO_LONG),
        ({**RAW, "kind": "night"}, EVENING, "kind", c.NOT_A_CHOICE),
        ({**RAW, "capacity": "0"}, EVENING, "capacity", c.CAPACITY_RANGE),
        ({**RAW, "capacity": "201"}, EVENING, "capacity", c.CAPACITY_RANGE),
        ({**RAW, "capacity": "many"}, EVENING, "capacity", c.CAPACITY_RANGE),
        (RAW, [("", "", "")], "sessions", c.NO_SESSION),
        (RAW, [("2026-12-01", "21:00", "18:30")], "session_end-1", c.ENDS_BEFORE_START),
        (RAW, [("", "", ""), ("2026-12-01", "", "21:00")], "session_start-2", c.REQUIRED),
        (RAW, [("2026-12-01", "7pm", "21:00")], "session_start-1", c.NOT_A_TIME),
        (RAW, [EVENING[0], EVENING[0]], "sessions", c.SAME_SESSION),
        (RAW, [("2026-11-25", "18:30", "21:00")], "sessions", c.ENDED),
        ({**RAW, "name": "Lớp\x1fIV"}, EVENING, "name", c.CONTROL),
    ],
)
def test_bad_input_names_its_field(raw, rows, field, problem):
    with pytest.raises(InvalidInput) as refused:
        c.parse_class(raw, rows, TODAY)
    assert (refused.value.field, refused.value.message) == (field, problem)


def test_a_class_under_way_may_be_entered():
    """A centre starting with hoso enters the class it is running: past sessions are allowed."""
    rows = [("2026-11-16", "18:30", "21:00"), ("2026-11-27", "18:30", "21:00")]
    assert c.parse_class(RAW, rows, TODAY).starts_on == date(2026, 11, 16)


# --- who may do what ---------------------------------------------------------------------------

CENTRE_TRAINER = Actor(60, "trainer", (Grant("trainer", 9, "/1/"),))


def test_the_centres_trainer_runs_its_classes_only():
    assert c.runs_centre(CENTRE_TRAINER, 9)
    assert not c.runs_centre(CENTRE_TRAINER, 8)
    assert not c.runs_centre(ACTORS["sec"], 9)


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        (CENTRE_TRAINER, True),
        (actor(1, "sec", ("secretary", "/1/2/3/")), True),  # a cell the centre serves
        (actor(2, "com", ("committee", "/1/")), True),  # above the catchment
        (actor(3, "sec", ("secretary", "/1/5/")), False),  # another district
        (actor(4, "intro", ("introducer", "/1/2/3/")), False),
        (actor(5, "adm", ("admin", "/1/")), False),
        (Actor(6, "trainer", (Grant("trainer", 8, "/1/2/"),)), False),  # another centre's
    ],
)
def test_who_sees_a_class(who, sees):
    assert c.sees_class(who, 9, "/1/2/") is sees


@pytest.mark.parametrize(
    ("username", "mentor", "role"),
    [
        ("sec", MENTOR, "secretary"),
        ("mentor", MENTOR, "mentor"),
        ("mentor2", MENTOR, None),  # a mentor enrols only their own mentees
        ("sec_other", MENTOR, None),
        ("trainer", MENTOR, None),  # the centre does not enrol
        ("com", MENTOR, None),
        ("mentor2", MENTOR2, "mentor"),
    ],
)
def test_who_enrols(username, mentor, role):
    assert c.enrolling_role(ACTORS[username], case(mentor=mentor, cell_path=CELL)) == role


# --- enrolment ---------------------------------------------------------------------------------


def _rules(failures) -> list[str]:
    return [f.rule for f in failures]


@pytest.mark.parametrize(
    "state", ["identified", "trained", "dossier_submitted", "withdrawn", "admitted"]
)
def test_only_mentored_candidates_are_enrolled(state):
    failures = c.enrolment_failures(CLASS, case(state, cell_path=CELL), TODAY)
    assert _rules(failures) == ["candidate_mentored"]
    assert "mentor" in failures[0].en and failures[0].vi


def test_a_mentored_candidate_of_the_catchment_is_enrolled():
    assert c.enrolment_failures(CLASS, case(cell_path=CELL), TODAY) == []


def test_capacity():
    full = replace(CLASS, enrolled=2)
    assert _rules(c.enrolment_failures(full, case(cell_path=CELL), TODAY)) == ["seat_free"]
    assert c.enrolment_failures(replace(CLASS, enrolled=1), case(cell_path=CELL), TODAY) == []


@pytest.mark.parametrize(
    ("cls", "kwargs", "rule"),
    [
        (CLASS, {"already_enrolled": True}, "not_enrolled_yet"),
        (CLASS, {"other_open_class": "Lớp khóa V"}, "one_class_at_a_time"),
        (replace(CLASS, issued_on=date(2026, 12, 9)), {}, "enrolment_open"),
        (replace(CLASS, ends_on=date(2026, 11, 26)), {}, "enrolment_open"),
        (replace(CLASS, catchment_path="/1/7/"), {}, "in_catchment"),
    ],
)
def test_enrolment_refusals(cls, kwargs, rule):
    assert _rules(c.enrolment_failures(cls, case(cell_path=CELL), TODAY, **kwargs)) == [rule]


def test_a_class_under_way_still_takes_candidates_until_its_last_day():
    under_way = replace(CLASS, starts_on=date(2026, 11, 20), ends_on=TODAY)
    assert c.enrolment_failures(under_way, case(cell_path=CELL), TODAY) == []


def test_an_enrolment_is_cancelled_only_before_the_first_session():
    assert c.cancellation_failure(CLASS, date(2026, 11, 30)) is None
    assert c.cancellation_failure(CLASS, date(2026, 12, 1)).rule == "before_first_session"


def test_the_registration_date():
    assert c.check_registered_on(None, CLASS, TODAY) == TODAY
    assert c.check_registered_on(date(2026, 11, 2), CLASS, TODAY) == date(2026, 11, 2)
    with pytest.raises(InvalidInput, match="future"):
        c.check_registered_on(date(2026, 11, 28), CLASS, TODAY)


# --- attendance and completion -------------------------------------------------------------------

SESSIONS = [(i, date(2026, 12, i)) for i in range(1, 7)]


def marks(*absent: tuple[int, str | None]) -> dict[int, c.Mark]:
    """Present everywhere but at the sessions given (reason None: not recorded)."""
    out = {i: c.Mark(True) for i, _ in SESSIONS}
    for session_id, reason in absent:
        if reason is None:
            del out[session_id]
        else:
            out[session_id] = c.Mark(False, c.AbsenceReason(reason), "ca đêm")
    return out


def test_by_default_a_candidate_finishes_by_attending_every_session():
    assert c.completion(SESSIONS, marks()).finished
    done = c.completion(SESSIONS, marks((3, "work_shift")))
    assert not done.finished
    assert (done.attended, done.needed, done.total) == (5, 6, 6)
    assert done.missed == (c.Missed(date(2026, 12, 3), "work_shift", "ca đêm"),)


def test_an_excused_absence_is_still_an_absence():
    assert not c.completion(SESSIONS, marks((2, "illness"))).finished


def test_a_session_without_a_mark_counts_as_missed():
    done = c.completion(SESSIONS, marks((6, None)))
    assert not done.finished and done.missed == (c.Missed(date(2026, 12, 6)),)


def test_a_configured_share():
    share = Fraction(3, 4)  # of 6 sessions: 4.5, so 5
    assert c.needed_sessions(6, share) == 5
    assert c.completion(SESSIONS, marks((1, "family")), share).finished
    assert not c.completion(SESSIONS, marks((1, "family"), (2, "illness")), share).finished
    assert c.needed_sessions(0, share) == 0
    assert not c.completion([], {}, share).finished


@pytest.mark.parametrize(
    ("value", "note", "mark"),
    [
        ("present", "", c.Mark(True)),
        ("work_shift", " ca đêm ", c.Mark(False, c.AbsenceReason.work_shift, "ca đêm")),
        ("illness", "", c.Mark(False, c.AbsenceReason.illness)),
        ("other", "đám cưới em gái", c.Mark(False, c.AbsenceReason.other, "đám cưới em gái")),
    ],
)
def test_marks(value, note, mark):
    assert c.parse_mark("mark-4", value, note) == mark


@pytest.mark.parametrize(
    ("value", "note", "field", "problem"),
    [
        ("", "", "mark-4", c.NO_MARK),
        ("late", "", "mark-4", c.NOT_A_CHOICE),
        ("other", " ", "note-4", c.NOTE_NEEDED),
    ],
)
def test_bad_marks(value, note, field, problem):
    with pytest.raises(InvalidInput) as refused:
        c.parse_mark("mark-4", value, note)
    assert (refused.value.field, refused.value.message) == (field, problem)


def test_attendance_is_for_sessions_held_and_until_the_certificates():
    assert c.attendance_failure(CLASS, date(2026, 12, 1), date(2026, 12, 1)) is None
    assert c.attendance_failure(CLASS, date(2026, 12, 3), date(2026, 12, 1)).rule == "session_held"
    issued = replace(CLASS, issued_on=date(2026, 12, 9))
    assert c.attendance_failure(issued, date(2026, 12, 1), date(2026, 12, 9)).rule == (
        "attendance_open"
    )


# --- certificates ------------------------------------------------------------------------------


def test_certificates_are_issued_once_the_class_is_over():
    assert c.issuing_failure(CLASS, date(2026, 12, 7)).rule == "class_over"
    assert c.issuing_failure(CLASS, date(2026, 12, 8)) is None
    assert c.check_certificate_date(None, CLASS, date(2026, 12, 9)) == date(2026, 12, 9)
    for day, problem in ((date(2026, 12, 10), c.IN_FUTURE), (date(2026, 12, 7), "before")):
        with pytest.raises(InvalidInput, match=problem):
            c.check_certificate_date(day, CLASS, date(2026, 12, 9))


def test_certificate_numbers():
    assert c.certificate_number("CN-{year}-{seq:04d}", 2026, 41) == "CN-2026-0041"
    assert c.certificate_number("{seq}/GCN-TTCT", 2026, 7) == "7/GCN-TTCT"
    for bad in ("CN-{year}", "CN-{seq}-{centre}", "{seq}" + "x" * 50):
        with pytest.raises(ValueError):
            c.certificate_number(bad, 2026, 1)


def test_class_settings_from_the_instance():
    settings = c.ClassSettings.from_mapping({"attendance_share": "0.8", "version": "c.2"})
    assert settings.attendance_share == Fraction(4, 5) and settings.version == "c.2"
    assert c.ClassSettings.from_mapping({}) == c.DEFAULT_CLASS_SETTINGS
    for bad in ({"share": 1}, {"attendance_share": 0}, {"attendance_share": "1.5"}):
        with pytest.raises(ValueError):
            c.ClassSettings.from_mapping(bad)
    with pytest.raises(ValueError):
        c.ClassSettings.from_mapping({"certificate_pattern": "CN"})


# --- waiting ---------------------------------------------------------------------------------


def test_the_cells_that_wait_longest_come_first():
    rows = [
        c.Waiting(1, "A", 3, "Chi bộ trường THPT Chu Văn An", date(2026, 11, 1)),
        c.Waiting(2, "B", 7, "Chi bộ Công ty TNHH Đồng Thúy", date(2026, 7, 20), 1),
        c.Waiting(3, "C", 7, "Chi bộ Công ty TNHH Đồng Thúy", date(2026, 10, 28)),
    ]
    cells = c.cell_waits(rows, TODAY)
    assert [(x.cell_id, x.waiting, x.longest_days, x.missed_classes) for x in cells] == [
        (7, 2, 130, 1),
        (3, 1, 26, 0),
    ]
    assert cells[0].average_days == 80
    assert c.waited_days(date(2026, 11, 28), TODAY) == 0
