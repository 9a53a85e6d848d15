"""Attendance: each candidate at each session, present or absent and why; who finished the class."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from fractions import Fraction
from typing import Any

from workflow.classes.refusals import (
    NO_MARK,
    NOT_A_CHOICE,
    NOTE_MAX,
    NOTE_NEEDED,
    clean_text,
    day_text,
)
from workflow.classes.scheduling import ClassFacts
from workflow.classes.settings import DEFAULT_CLASS_SETTINGS
from workflow.errors import Failure, InvalidInput


class AbsenceReason(StrEnum):
    """Why a candidate missed a session."""

    work_shift = "work_shift"
    illness = "illness"
    family = "family"
    other = "other"


PRESENT = "present"


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
    text = clean_text(f"note-{name.removeprefix('mark-')}", note, NOTE_MAX, required=False)
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
            f"Buổi học ngày {day_text(held_on)} chưa diễn ra.",
            f"The session of {day_text(held_on)} has not taken place yet.",
        )
    return None


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
