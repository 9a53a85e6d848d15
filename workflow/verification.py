"""Biography verification (thẩm tra lý lịch): requests, answers and the committee's conclusion.

Between the dossier and the cell's vote, the grassroots committee sends requests to the party
organisations and local authorities where the candidate and close relatives (parents, spouse,
adult children) live or work; each answer brings a finding, favourable or not. The committee then
concludes, and certifies the biography (2-KNĐ) on the conclusion's date. ``submit_dossier`` needs
that conclusion, favourable (``workflow.rules.verification``). Plain values and checks here; the
use cases are ``workflow.services.verification``, who may act is ``workflow.policy``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from workflow import text as texts
from workflow.definition import FieldSpec
from workflow.errors import InvalidInput, InvalidTransition
from workflow.facts import VerificationFacts
from workflow.states import State

#: The states in which the verification runs: after mentoring began, before the cell votes
#: (a returned dossier may need a verification it lacked).
VERIFICATION_STATES = frozenset({State.mentored, State.trained, State.returned})

#: Longest texts kept (characters); the pages' inputs say the same.
MAX_ADDRESSEE = 300
MAX_SUBJECT_NAME = 200
MAX_FINDING = 4000
MAX_CONCLUSION = 4000
MAX_UNANSWERED_REASON = 2000


class Subject(StrEnum):
    """About whom a request asks."""

    candidate = "candidate"
    father = "father"
    mother = "mother"
    spouse = "spouse"
    child = "child"
    other = "other"


#: How each subject is named, (vi, en).
SUBJECT_LABELS: dict[str, tuple[str, str]] = {
    Subject.candidate: ("Người xin vào Đảng", "The candidate"),
    Subject.father: ("Cha", "Father"),
    Subject.mother: ("Mẹ", "Mother"),
    Subject.spouse: ("Vợ hoặc chồng", "Spouse"),
    Subject.child: ("Con", "Child"),
    Subject.other: ("Người thân khác", "Other relative"),
}


class VerificationAction(StrEnum):
    """The history actions of the verification (each a case event without a state change)."""

    request = "request_verification"
    answer = "record_verification_answer"
    conclude = "conclude_verification"


REQUEST_FIELDS = (
    FieldSpec("addressee", "str", "Nơi gửi (tổ chức đảng, chính quyền)", "Sent to", required=True),
    FieldSpec(
        "subject",
        "choice",
        "Thẩm tra về",
        "About",
        required=True,
        choices=tuple(s.value for s in Subject),
    ),
    FieldSpec("subject_name", "str", "Họ tên người được thẩm tra", "Name of the person"),
    FieldSpec("sent_on", "date", "Ngày gửi", "Sent on", required=True),
)
ANSWER_FIELDS = (
    FieldSpec("answered_on", "date", "Ngày trả lời", "Answered on", required=True),
    FieldSpec("finding", "text", "Kết quả thẩm tra", "Finding", required=True),
    FieldSpec("favourable", "bool", "Kết quả tốt", "Favourable"),
)
CONCLUSION_FIELDS = (
    FieldSpec("concluded_on", "date", "Ngày kết luận, chứng nhận lý lịch", "Concluded on"),
    FieldSpec("favourable", "bool", "Kết luận tốt", "Favourable"),
    FieldSpec("conclusion", "text", "Kết luận", "Conclusion", required=True),
    FieldSpec(
        "unanswered_reason", "text", "Lý do kết luận khi còn nơi chưa trả lời", "Why unanswered"
    ),
)

#: The fields each step asks for, by its history action (the timeline labels the events' data).
VERIFICATION_FIELDS = {
    VerificationAction.request.value: REQUEST_FIELDS,
    VerificationAction.answer.value: (REQUEST_FIELDS[0], *ANSWER_FIELDS),
    VerificationAction.conclude.value: CONCLUSION_FIELDS,
}


@dataclass(frozen=True)
class VerificationRequest:
    """One request: to whom, about whom, when sent, and (once answered) what came back."""

    id: int
    case_id: int
    addressee: str
    subject: str
    sent_on: date
    subject_name: str | None = None
    answered_on: date | None = None
    finding: str | None = None
    favourable: bool | None = None

    @property
    def answered(self) -> bool:
        return self.answered_on is not None


@dataclass(frozen=True)
class Conclusion:
    """The committee's conclusion; its date is the certification on 2-KNĐ."""

    case_id: int
    concluded_on: date
    favourable: bool
    text: str
    unanswered_reason: str | None = None
    concluded_by: str | None = None


@dataclass(frozen=True)
class Verification:
    """A case's verification: its requests (in the order sent) and the conclusion, if any."""

    case_id: int
    requests: tuple[VerificationRequest, ...] = ()
    conclusion: Conclusion | None = None

    @property
    def unanswered(self) -> tuple[VerificationRequest, ...]:
        return tuple(r for r in self.requests if not r.answered)

    @property
    def concluded(self) -> bool:
        return self.conclusion is not None

    @property
    def waiting_since(self) -> date | None:
        """The earliest sending of an unanswered request: how long the committee has waited."""
        return min((r.sent_on for r in self.unanswered), default=None)

    def request(self, request_id: int) -> VerificationRequest | None:
        return next((r for r in self.requests if r.id == request_id), None)

    def facts(self) -> VerificationFacts:
        """What the rule on ``submit_dossier`` reads."""
        return VerificationFacts(
            requests=len(self.requests),
            unanswered=len(self.unanswered),
            concluded_on=self.conclusion.concluded_on if self.conclusion else None,
            favourable=self.conclusion.favourable if self.conclusion else None,
        )


# --- checks: each refusal names its field ------------------------------------------------------


def _text(values: dict[str, Any], name: str, limit: int, *, required: bool = False) -> str | None:
    text = (values.get(name) or "").strip() or None
    texts.check_characters(name, text or "")
    if required and text is None:
        raise InvalidInput(name, "is required")
    if text is not None and len(text) > limit:
        raise InvalidInput(name, f"is longer than {limit} characters ({len(text)})")
    return text


def _not_future(values: dict[str, Any], name: str, today: date) -> date:
    day = values.get(name)
    if day is None:
        raise InvalidInput(name, "is required")
    if day > today:
        raise InvalidInput(name, f"{day:%d/%m/%Y} is in the future")
    return day


def open_for_changes(state: str, verification: Verification) -> None:
    """Refuse any change once concluded, or outside the states where the verification runs."""
    if verification.concluded:
        raise InvalidTransition("the verification is concluded: nothing changes after it")
    if state not in VERIFICATION_STATES:
        raise InvalidTransition(f"the verification cannot change while the case is {state}")


def check_request(values: dict[str, Any], today: date) -> dict[str, Any]:
    """A new request's values, checked: the addressee, the subject, the sending date."""
    subject = values.get("subject")
    if subject not in set(Subject):
        raise InvalidInput("subject", "say about whom the request asks")
    return {
        "addressee": _text(values, "addressee", MAX_ADDRESSEE, required=True),
        "subject": Subject(subject).value,
        "subject_name": _text(values, "subject_name", MAX_SUBJECT_NAME),
        "sent_on": _not_future(values, "sent_on", today),
    }


def check_answer(
    request: VerificationRequest, values: dict[str, Any], today: date
) -> dict[str, Any]:
    """An answer's values, checked: not twice, not before the request was sent, not ahead."""
    if request.answered:
        raise InvalidInput("answered_on", f"the request was answered on {request.answered_on}")
    answered_on = _not_future(values, "answered_on", today)
    if answered_on < request.sent_on:
        raise InvalidInput(
            "answered_on",
            f"{answered_on:%d/%m/%Y} is before the request was sent ({request.sent_on:%d/%m/%Y})",
        )
    return {
        "answered_on": answered_on,
        "finding": _text(values, "finding", MAX_FINDING, required=True),
        "favourable": bool(values.get("favourable")),
    }


def check_conclusion(
    verification: Verification, values: dict[str, Any], today: date, allow_unanswered: bool
) -> dict[str, Any]:
    """A conclusion's values, checked: requests sent and answered (or why not), dated after the
    last answer and not ahead."""
    if not verification.requests:
        raise InvalidInput("verification", "no request was sent: nothing to conclude")
    values = {**values, "concluded_on": values.get("concluded_on") or today}
    concluded_on = _not_future(values, "concluded_on", today)
    last = max((r.answered_on or r.sent_on for r in verification.requests), default=None)
    if last is not None and concluded_on < last:
        raise InvalidInput(
            "concluded_on", f"{concluded_on:%d/%m/%Y} is before the last request or answer"
        )
    reason = _text(values, "unanswered_reason", MAX_UNANSWERED_REASON)
    waiting = len(verification.unanswered)
    if waiting and not allow_unanswered:
        raise InvalidInput("verification", f"{waiting} request(s) still unanswered")
    if waiting and reason is None:
        raise InvalidInput(
            "unanswered_reason", f"{waiting} request(s) unanswered: say why the committee concludes"
        )
    return {
        "concluded_on": concluded_on,
        "favourable": bool(values.get("favourable")),
        "conclusion": _text(values, "conclusion", MAX_CONCLUSION, required=True),
        "unanswered_reason": reason if waiting else None,
    }
