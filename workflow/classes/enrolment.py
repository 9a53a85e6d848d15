"""Enrolment: a class takes the mentored candidates of its area while it is open and has seats."""

from __future__ import annotations

from datetime import date

from workflow.classes.access import catchment
from workflow.classes.refusals import AFTER_CLASS, IN_FUTURE, day_text
from workflow.classes.scheduling import ClassFacts
from workflow.errors import Failure, InvalidInput
from workflow.facts import CaseFacts
from workflow.states import State


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
            f"Lớp đã kết thúc ngày {day_text(cls.ends_on)}.",
            f"The class ended on {day_text(cls.ends_on)}.",
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
    if not catchment(cls.catchment_path).covers(case.cell_path):
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
            f"Lớp đã bắt đầu ngày {day_text(cls.starts_on)}: danh sách học viên được giữ nguyên.",
            f"The class began on {day_text(cls.starts_on)}: its register stands.",
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
