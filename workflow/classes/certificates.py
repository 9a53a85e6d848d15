"""Issuing a class's certificates: when, with which date, and what became of each candidate."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from workflow.classes.attendance import Completion
from workflow.classes.refusals import BEFORE_CLASS_END, IN_FUTURE, day_text
from workflow.classes.scheduling import ClassFacts
from workflow.errors import Conflict, DomainError, Failure, InvalidInput, RuleViolation
from workflow.states import STATE_LABELS, State

#: What issuing made of an enrolled candidate (``Enrolment.outcome``).
CERTIFIED, REFUSED, NOT_FINISHED = "certified", "refused", "not_finished"


class SequenceTaken(Conflict):
    """Another certificate took the number meanwhile: the candidate is tried again."""


@dataclass
class Outcome:
    """What issuing made of one enrolled candidate."""

    case_id: int
    name: str
    cell: str
    status: str  # certified | refused | not_finished
    completion: Completion
    number: str | None = None
    state: str | None = None
    reasons: list[Failure] = field(default_factory=list)


@dataclass
class IssueResult:
    """The outcome of every candidate of the class, in the roster's order."""

    class_id: int
    class_name: str
    certificate_date: date
    outcomes: list[Outcome]

    def having(self, status: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == status]


def issuing_failure(cls: ClassFacts, today: date) -> Failure | None:
    """Certificates are issued once the last session is over."""
    if today < cls.ends_on:
        return Failure(
            "class_over",
            f"Lớp chưa kết thúc (buổi cuối ngày {day_text(cls.ends_on)}).",
            f"The class is not over yet (last session on {day_text(cls.ends_on)}).",
        )
    return None


ALREADY_ISSUED = Failure(
    "already_issued",
    "Lớp đã cấp giấy chứng nhận cho mọi học viên đủ điều kiện.",
    "The class has issued a certificate to every candidate who finished.",
)


def check_certificate_date(value: date | None, cls: ClassFacts, today: date) -> date:
    """The certificates' date (default today): after the last session, not in the future."""
    day = value or today
    if day > today:
        raise InvalidInput("certificate_date", IN_FUTURE)
    if day < cls.ends_on:
        raise InvalidInput("certificate_date", BEFORE_CLASS_END)
    return day


def refusal_reasons(err: DomainError, state_now: str | None) -> list[Failure]:
    """Why a finished candidate was refused the certificate, in both languages.

    `err` is what ``complete_training`` (or the number's claim) raised; `state_now` is the case's
    state after it, which explains the refusals that are not a broken rule.
    """
    if isinstance(err, RuleViolation):
        return list(err.failures)
    if isinstance(err, InvalidInput):
        return [Failure(err.field, err.message, err.message)]
    if isinstance(err, Conflict):
        return [
            Failure(
                "conflict",
                "Hồ sơ vừa được người khác thay đổi; hãy cấp lại cho quần chúng này.",
                "The case was changed by someone else meanwhile; issue again for this candidate.",
            )
        ]
    if state_now is not None and state_now != State.mentored:
        vi, en = STATE_LABELS[State(state_now)]
        return [
            Failure(
                "still_mentored",
                f"Hồ sơ đã thay đổi sau khi cử đi học: nay ở trạng thái «{vi}», không còn chờ "
                "học lớp.",
                f"The case changed after the enrolment: it is now «{en}» and no longer waits for "
                "the class.",
            )
        ]
    return [
        Failure(
            "in_catchment",
            "Hồ sơ không còn thuộc địa bàn của trung tâm.",
            "The case is no longer within the centre's area.",
        )
    ]
