"""Awareness classes (lớp bồi dưỡng nhận thức về Đảng): the pure rules.

The political centre schedules a class and its sessions; secretaries and mentors enrol their
``mentored`` candidates; the centre records who came to each session and why the others did not;
when the class is over it issues a certificate to every candidate who finished, which fires
``complete_training`` (``workflow.services.fire_transition``). The use cases are
``workflow.services.classes``; storage is ``db.repositories.classes`` and ``db.read.classes``.

The modules: ``settings`` (what the client configures, the certificates' numbers), ``refusals``
(bad input), ``scheduling``, ``access`` (who may), ``enrolment``, ``attendance`` (and who
finished), ``certificates``, ``waiting``. Their names are gathered here: ``classes.Mark``.

Decisions (docs/classes.md):
- A candidate *finished* who attended at least ``attendance_share`` of the class's sessions
  (default: all of them). An excused absence (illness, family...) is still an absence: the
  certificate attests that the programme was followed. A session without a mark for the candidate
  counts as missed.
- Enrolment is open until the class's last day and until its certificates are issued; a candidate
  is enrolled in one open class at a time.
- At issuing, a candidate must still be ``mentored``: a case that changed meanwhile in any other
  way (a note, a new mentor) is still certified; one that left the state is reported.
"""

from workflow.classes.access import (
    ENROLLERS,
    VIEWERS,
    catchment,
    enrolling_role,
    runs_centre,
    sees_class,
)
from workflow.classes.attendance import (
    PRESENT,
    AbsenceReason,
    Completion,
    Mark,
    Missed,
    attendance_failure,
    completion,
    needed_sessions,
    parse_mark,
)
from workflow.classes.certificates import (
    ALREADY_ISSUED,
    CERTIFIED,
    NOT_FINISHED,
    REFUSED,
    IssueResult,
    Outcome,
    SequenceTaken,
    check_certificate_date,
    issuing_failure,
    refusal_reasons,
)
from workflow.classes.enrolment import (
    cancellation_failure,
    check_registered_on,
    enrolment_failures,
    enrolment_open,
)
from workflow.classes.refusals import (
    AFTER_CLASS,
    BEFORE_CLASS_END,
    CAPACITY_RANGE,
    CONTROL,
    ENDED,
    ENDS_BEFORE_START,
    IN_FUTURE,
    NO_MARK,
    NO_SESSION,
    NOT_A_CHOICE,
    NOT_A_TIME,
    NOT_DAYTIME,
    NOT_EVENING,
    NOT_WEEKEND,
    NOTE_NEEDED,
    REASON_MAX,
    REQUIRED,
    SAME_SESSION,
    TOO_LONG,
    clean_text,
    parse_time,
)
from workflow.classes.scheduling import (
    EVENING_FROM,
    ClassFacts,
    ClassPlan,
    SessionKind,
    SessionPlan,
    class_status,
    parse_class,
    parse_sessions,
)
from workflow.classes.settings import (
    ACTIONS,
    DEFAULT_CLASS_SETTINGS,
    ClassSettings,
    certificate_number,
)
from workflow.classes.waiting import CellWait, Waiting, cell_waits, waited_days

__all__ = [
    "ACTIONS",
    "AFTER_CLASS",
    "ALREADY_ISSUED",
    "BEFORE_CLASS_END",
    "CAPACITY_RANGE",
    "CERTIFIED",
    "CONTROL",
    "DEFAULT_CLASS_SETTINGS",
    "ENDED",
    "ENDS_BEFORE_START",
    "ENROLLERS",
    "EVENING_FROM",
    "IN_FUTURE",
    "NOTE_NEEDED",
    "NOT_A_CHOICE",
    "NOT_A_TIME",
    "NOT_DAYTIME",
    "NOT_EVENING",
    "NOT_FINISHED",
    "NOT_WEEKEND",
    "NO_MARK",
    "NO_SESSION",
    "PRESENT",
    "REASON_MAX",
    "REFUSED",
    "REQUIRED",
    "SAME_SESSION",
    "TOO_LONG",
    "VIEWERS",
    "AbsenceReason",
    "CellWait",
    "ClassFacts",
    "ClassPlan",
    "ClassSettings",
    "Completion",
    "IssueResult",
    "Mark",
    "Missed",
    "Outcome",
    "SequenceTaken",
    "SessionKind",
    "SessionPlan",
    "Waiting",
    "attendance_failure",
    "cancellation_failure",
    "catchment",
    "cell_waits",
    "certificate_number",
    "check_certificate_date",
    "check_registered_on",
    "class_status",
    "clean_text",
    "completion",
    "enrolling_role",
    "enrolment_failures",
    "enrolment_open",
    "issuing_failure",
    "needed_sessions",
    "parse_class",
    "parse_mark",
    "parse_sessions",
    "parse_time",
    "refusal_reasons",
    "runs_centre",
    "sees_class",
    "waited_days",
]
