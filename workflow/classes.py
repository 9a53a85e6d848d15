"""Awareness classes (lớp bồi dưỡng nhận thức về Đảng): the pure rules.

The political centre schedules a class and its sessions; secretaries and mentors enrol their
``mentored`` candidates; the centre records who came to each session and why the others did not;
when the class is over it issues a certificate to every candidate who finished, which fires
``complete_training`` (``workflow.services.fire_transition``). Storage lives in ``db.classes``.

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

from __future__ import annotations

import math
import string
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from enum import StrEnum
from fractions import Fraction
from typing import Any

from workflow.errors import Failure, InvalidInput
from workflow.facts import Actor, CaseFacts
from workflow.fields import parse_date
from workflow.states import Role, State


class SessionKind(StrEnum):
    """When a class meets: the plan's difficulty is that workers cannot come in the daytime."""

    daytime = "daytime"
    evening = "evening"
    weekend = "weekend"


class AbsenceReason(StrEnum):
    """Why a candidate missed a session."""

    work_shift = "work_shift"
    illness = "illness"
    family = "family"
    other = "other"


PRESENT = "present"
#: Evening sessions start at or after this local time; daytime ones before it.
EVENING_FROM = time(17, 0)
#: Events of classes, as the history names them.
ACTIONS = (
    "class_schedule",
    "class_enrol",
    "class_cancel_enrolment",
    "class_attendance",
    "class_issue_certificates",
)

# The refusals of bad input (the web words them in the user's language).
REQUIRED = "required"
TOO_LONG = "too long"
NOT_A_TIME = "not a time (HH:MM)"
NOT_A_CHOICE = "not one of the choices"
CAPACITY_RANGE = "out of range"
NO_SESSION = "a class needs at least one session"
ENDS_BEFORE_START = "the session ends before it starts"
SAME_SESSION = "two sessions at the same date and time"
NOT_WEEKEND = "a weekend class meets on Saturdays and Sundays"
NOT_EVENING = "an evening class starts at 17:00 or later"
NOT_DAYTIME = "a daytime class meets on weekdays before 17:00"
ENDED = "the class would be over before today"
IN_FUTURE = "is in the future"
AFTER_CLASS = "is after the class's last day"
BEFORE_CLASS_END = "is before the class's last session"
NOTE_NEEDED = "say why, in a few words"
NO_MARK = "choose present or a reason of absence"
CONTROL = "contains control characters"

_NAME_MAX, _PLACE_MAX, _NOTE_MAX = 200, 300, 300


@dataclass(frozen=True)
class ClassSettings:
    """What the client may configure (``[classes]`` of ``hoso.toml``)."""

    #: Names the rules in the history's ``ruleset`` column of class events (bump on change).
    version: str = "classes.2026.1"
    #: The share of the sessions a candidate must attend to finish.
    attendance_share: Fraction = Fraction(1)
    #: A certificate's number: ``{year}`` of the certificate date and the centre's ``{seq}``.
    certificate_pattern: str = "CN-{year}-{seq:04d}"
    max_capacity: int = 200

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> ClassSettings:
        """Settings from a TOML table; unknown names and impossible values are refused."""
        known = {"version", "attendance_share", "certificate_pattern", "max_capacity"}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(f"unknown class settings: {', '.join(unknown)}")
        settings = replace(cls(), **values)
        share = Fraction(str(settings.attendance_share))
        if not 0 < share <= 1:
            raise ValueError("attendance_share must be above 0 and at most 1")
        certificate_number(settings.certificate_pattern, 2026, 1)  # refuses a bad pattern
        return replace(settings, attendance_share=share, max_capacity=int(settings.max_capacity))


DEFAULT_CLASS_SETTINGS = ClassSettings()


def certificate_number(pattern: str, year: int, seq: int) -> str:
    """The `seq`-th certificate of `year` under `pattern` (``CN-2026-0041``)."""
    names = {name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None}
    if "seq" not in names or not names <= {"year", "seq"}:
        raise ValueError("certificate_pattern takes {seq} and optionally {year}")
    number = pattern.format(year=year, seq=seq)
    if not number or len(number) > 50:
        raise ValueError("a certificate number has 1 to 50 characters")
    return number


# --- scheduling ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionPlan:
    """One session: its day and local hours."""

    held_on: date
    starts_at: time
    ends_at: time


@dataclass(frozen=True)
class ClassPlan:
    """A class as the centre schedules it; its dates are those of its first and last sessions."""

    name: str
    place: str
    kind: SessionKind
    capacity: int
    sessions: tuple[SessionPlan, ...]
    note: str | None = None

    @property
    def starts_on(self) -> date:
        return self.sessions[0].held_on

    @property
    def ends_on(self) -> date:
        return self.sessions[-1].held_on


def clean_text(name: str, value: Any, limit: int, required: bool = True) -> str | None:
    """Trimmed text on one line, at most `limit` characters; control characters are refused."""
    raw = str(value or "")
    if any(unicodedata.category(ch) == "Cc" and ch not in "\n\r\t" for ch in raw):
        # The history hashes columns joined by a control character: none may come from input.
        raise InvalidInput(name, CONTROL)
    text = unicodedata.normalize("NFC", " ".join(raw.split()))
    if not text:
        if required:
            raise InvalidInput(name, REQUIRED)
        return None
    if len(text) > limit:
        raise InvalidInput(name, TOO_LONG)
    return text


def parse_time(name: str, value: Any) -> time | None:
    """A local time from ``HH:MM``; empty is ``None``."""
    text = str(value or "").strip()
    if not text:
        return None
    try:
        return datetime.strptime(text, "%H:%M").time()
    except ValueError:
        raise InvalidInput(name, NOT_A_TIME) from None


def parse_sessions(rows: Sequence[tuple[Any, Any, Any]]) -> tuple[SessionPlan, ...]:
    """The sessions of the form's rows (date, start, end), by date; empty rows are skipped.

    A bad row names its field as ``session_date-N`` (``_start``, ``_end``), N counting from 1.
    """
    sessions = []
    for number, (day, start, end) in enumerate(rows, start=1):
        if not any(str(v or "").strip() for v in (day, start, end)):
            continue
        held_on = parse_date(f"session_date-{number}", day)
        starts_at = parse_time(f"session_start-{number}", start)
        ends_at = parse_time(f"session_end-{number}", end)
        for name, value in (("date", held_on), ("start", starts_at), ("end", ends_at)):
            if value is None:
                raise InvalidInput(f"session_{name}-{number}", REQUIRED)
        if ends_at <= starts_at:
            raise InvalidInput(f"session_end-{number}", ENDS_BEFORE_START)
        sessions.append(SessionPlan(held_on, starts_at, ends_at))
    sessions.sort(key=lambda s: (s.held_on, s.starts_at))
    for before, after in zip(sessions, sessions[1:], strict=False):
        if (before.held_on, before.starts_at) == (after.held_on, after.starts_at):
            raise InvalidInput("sessions", SAME_SESSION)
    return tuple(sessions)


def _kind_holds(kind: SessionKind, session: SessionPlan) -> bool:
    weekend = session.held_on.weekday() >= 5
    if kind == SessionKind.weekend:
        return weekend
    if kind == SessionKind.evening:
        return session.starts_at >= EVENING_FROM
    return not weekend and session.starts_at < EVENING_FROM


def parse_class(
    raw: Mapping[str, Any],
    rows: Sequence[tuple[Any, Any, Any]],
    today: date,
    settings: ClassSettings = DEFAULT_CLASS_SETTINGS,
) -> ClassPlan:
    """The class the form describes, or InvalidInput naming the first field that is wrong."""
    name = clean_text("name", raw.get("name"), _NAME_MAX)
    place = clean_text("place", raw.get("place"), _PLACE_MAX)
    kind = str(raw.get("kind") or "").strip()
    if not kind:
        raise InvalidInput("kind", REQUIRED)
    if kind not in set(SessionKind):
        raise InvalidInput("kind", NOT_A_CHOICE)
    text = str(raw.get("capacity") or "").strip()
    if not text:
        raise InvalidInput("capacity", REQUIRED)
    if not text.isdigit() or not 1 <= int(text) <= settings.max_capacity:
        raise InvalidInput("capacity", CAPACITY_RANGE)
    note = clean_text("note", raw.get("note"), 2000, required=False)
    sessions = parse_sessions(rows)
    if not sessions:
        raise InvalidInput("sessions", NO_SESSION)
    plan = ClassPlan(name, place, SessionKind(kind), int(text), sessions, note)
    problem = {
        SessionKind.weekend: NOT_WEEKEND,
        SessionKind.evening: NOT_EVENING,
        SessionKind.daytime: NOT_DAYTIME,
    }[plan.kind]
    if not all(_kind_holds(plan.kind, session) for session in sessions):
        raise InvalidInput("kind", problem)
    if plan.ends_on < today:
        raise InvalidInput("sessions", ENDED)
    return plan


# --- who may do what -------------------------------------------------------------------------


def runs_centre(actor: Actor, centre_id: int) -> bool:
    """The actor is a trainer of the centre that runs the class."""
    return any(g.organisation_id == centre_id for g in actor.grants_for(Role.trainer))


#: Roles that see the classes of the centres serving their scope.
VIEWERS = (Role.secretary, Role.mentor, Role.committee, Role.auditor)
#: Roles that enrol candidates (a mentor only their own mentees).
ENROLLERS = (Role.secretary, Role.mentor)


def sees_class(actor: Actor, centre_id: int, catchment_path: str) -> bool:
    """The centre's trainers, and the users whose scope lies within or above its catchment."""
    if runs_centre(actor, centre_id):
        return True
    return any(
        g.role in VIEWERS
        and (g.scope_path.startswith(catchment_path) or catchment_path.startswith(g.scope_path))
        for g in actor.grants
    )


def enrolling_role(actor: Actor, case: CaseFacts) -> str | None:
    """The role under which the actor enrols the case: its cell's secretary, or its mentor."""
    if any(case.cell_path.startswith(g.scope_path) for g in actor.grants_for(Role.secretary)):
        return Role.secretary
    own = (
        actor.member_id is not None
        and case.mentor is not None
        and case.mentor.id == actor.member_id
    )
    if own and any(case.cell_path.startswith(g.scope_path) for g in actor.grants_for(Role.mentor)):
        return Role.mentor
    return None


# --- enrolment -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ClassFacts:
    """A class as the rules judge it."""

    id: int
    centre_id: int
    catchment_path: str
    name: str
    kind: str
    capacity: int
    starts_on: date
    ends_on: date
    issued_on: date | None = None
    enrolled: int = 0


def _d(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def enrolment_open(cls: ClassFacts, today: date) -> Failure | None:
    """A class takes enrolments until its last day, and never after its certificates."""
    if cls.issued_on is not None:
        return Failure(
            "enrolment_open",
            "Lớp đã cấp giấy chứng nhận, không nhận thêm học viên.",
            "The class has issued its certificates and takes no more candidates.",
        )
    if today > cls.ends_on:
        return Failure(
            "enrolment_open",
            f"Lớp đã kết thúc ngày {_d(cls.ends_on)}.",
            f"The class ended on {_d(cls.ends_on)}.",
        )
    return None


def enrolment_failures(
    cls: ClassFacts,
    case: CaseFacts,
    today: date,
    *,
    already_enrolled: bool = False,
    other_open_class: str | None = None,
) -> list[Failure]:
    """Why the case cannot be enrolled in the class (empty: it can)."""
    failures = [f for f in (enrolment_open(cls, today),) if f is not None]
    if case.state != State.mentored:
        failures.append(
            Failure(
                "candidate_mentored",
                "Chỉ quần chúng đang được phân công giúp đỡ mới được cử đi học lớp.",
                "Only a candidate with a mentor (state mentored) can be enrolled.",
            )
        )
    if not case.cell_path.startswith(cls.catchment_path):
        failures.append(
            Failure(
                "in_catchment",
                "Chi bộ của quần chúng không thuộc địa bàn của trung tâm mở lớp.",
                "The candidate's cell is not served by the centre that runs the class.",
            )
        )
    if already_enrolled:
        failures.append(
            Failure(
                "not_enrolled_yet",
                "Quần chúng đã có tên trong lớp này.",
                "The candidate is already enrolled in this class.",
            )
        )
    elif other_open_class is not None:
        failures.append(
            Failure(
                "one_class_at_a_time",
                f"Quần chúng đã được cử học lớp «{other_open_class}».",
                f"The candidate is already enrolled in «{other_open_class}».",
            )
        )
    if not already_enrolled and cls.enrolled >= cls.capacity:
        failures.append(
            Failure(
                "seat_free",
                f"Lớp đã đủ {cls.capacity} học viên.",
                f"The class is full ({cls.capacity} candidates).",
            )
        )
    return failures


def cancellation_failure(cls: ClassFacts, today: date) -> Failure | None:
    """An enrolment is withdrawn only before the class starts (afterwards the register stands)."""
    if cls.issued_on is not None or today >= cls.starts_on:
        return Failure(
            "before_first_session",
            f"Lớp đã bắt đầu ngày {_d(cls.starts_on)}: danh sách học viên được giữ nguyên.",
            f"The class began on {_d(cls.starts_on)}: its register stands.",
        )
    return None


def check_registered_on(value: date | None, cls: ClassFacts, today: date) -> date:
    """The day the cell registered the candidate (default today): not in the future."""
    day = value or today
    if day > today:
        raise InvalidInput("registered_on", IN_FUTURE)
    if day > cls.ends_on:
        raise InvalidInput("registered_on", AFTER_CLASS)
    return day


# --- attendance ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Mark:
    """One candidate at one session: present, or absent with a reason (and a note)."""

    present: bool
    reason: AbsenceReason | None = None
    note: str | None = None

    @property
    def code(self) -> str:
        return PRESENT if self.present else str(self.reason)


def parse_mark(name: str, value: Any, note: Any) -> Mark:
    """A mark from the form: ``present`` or a reason of absence; ``other`` needs a note."""
    code = str(value or "").strip()
    text = clean_text(f"note-{name.removeprefix('mark-')}", note, _NOTE_MAX, required=False)
    if not code:
        raise InvalidInput(name, NO_MARK)
    if code == PRESENT:
        return Mark(True)
    if code not in set(AbsenceReason):
        raise InvalidInput(name, NOT_A_CHOICE)
    if code == AbsenceReason.other and not text:
        raise InvalidInput(f"note-{name.removeprefix('mark-')}", NOTE_NEEDED)
    return Mark(False, AbsenceReason(code), text)


def attendance_failure(cls: ClassFacts, held_on: date, today: date) -> Failure | None:
    """Attendance is recorded for a session that took place, until the certificates."""
    if cls.issued_on is not None:
        return Failure(
            "attendance_open",
            "Lớp đã cấp giấy chứng nhận: không sửa điểm danh.",
            "The class has issued its certificates: its attendance is final.",
        )
    if held_on > today:
        return Failure(
            "session_held",
            f"Buổi học ngày {_d(held_on)} chưa diễn ra.",
            f"The session of {_d(held_on)} has not taken place yet.",
        )
    return None


# --- completion and certificates -----------------------------------------------------------


@dataclass(frozen=True)
class Missed:
    """A session the candidate did not attend; no reason when attendance was not recorded."""

    held_on: date
    reason: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Completion:
    """How far a candidate followed the class."""

    total: int
    needed: int
    attended: int
    missed: tuple[Missed, ...] = field(default=())

    @property
    def finished(self) -> bool:
        return self.total > 0 and self.attended >= self.needed


def needed_sessions(total: int, share: Fraction) -> int:
    """How many of `total` sessions a candidate must attend (at least one)."""
    return max(1, math.ceil(share * total)) if total else 0


def completion(
    sessions: Sequence[tuple[int, date]],
    marks: Mapping[int, Mark],
    share: Fraction = DEFAULT_CLASS_SETTINGS.attendance_share,
) -> Completion:
    """The candidate's completion over the class's sessions ``(id, date)``; `marks` by session."""
    attended, missed = 0, []
    for session_id, held_on in sessions:
        mark = marks.get(session_id)
        if mark is not None and mark.present:
            attended += 1
        elif mark is None:
            missed.append(Missed(held_on))
        else:
            missed.append(Missed(held_on, str(mark.reason), mark.note))
    return Completion(len(sessions), needed_sessions(len(sessions), share), attended, tuple(missed))


def issuing_failure(cls: ClassFacts, today: date) -> Failure | None:
    """Certificates are issued once the last session is over."""
    if today < cls.ends_on:
        return Failure(
            "class_over",
            f"Lớp chưa kết thúc (buổi cuối ngày {_d(cls.ends_on)}).",
            f"The class is not over yet (last session on {_d(cls.ends_on)}).",
        )
    return None


def check_certificate_date(value: date | None, cls: ClassFacts, today: date) -> date:
    """The certificates' date (default today): after the last session, not in the future."""
    day = value or today
    if day > today:
        raise InvalidInput("certificate_date", IN_FUTURE)
    if day < cls.ends_on:
        raise InvalidInput("certificate_date", BEFORE_CLASS_END)
    return day


# --- waiting -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Waiting:
    """A mentored candidate not enrolled in an open class, since `since`."""

    case_id: int
    name: str
    cell_id: int
    cell: str
    since: date
    missed_classes: int = 0


@dataclass(frozen=True)
class CellWait:
    """How long a cell's candidates have waited for a class."""

    cell_id: int
    cell: str
    waiting: int
    longest_days: int
    average_days: int
    missed_classes: int


def waited_days(since: date, today: date) -> int:
    """Whole days from `since` to `today` (0 when `since` is later)."""
    return max(0, (today - since).days)


def cell_waits(rows: Iterable[Waiting], today: date) -> list[CellWait]:
    """The cells whose candidates wait, the longest wait first."""
    by_cell: dict[int, list[Waiting]] = {}
    for row in rows:
        by_cell.setdefault(row.cell_id, []).append(row)
    cells = []
    for cell_id, waiting in by_cell.items():
        days = [waited_days(w.since, today) for w in waiting]
        cells.append(
            CellWait(
                cell_id,
                waiting[0].cell,
                len(waiting),
                max(days),
                round(sum(days) / len(days)),
                sum(w.missed_classes for w in waiting),
            )
        )
    return sorted(cells, key=lambda c: (-c.longest_days, -c.waiting, c.cell))
