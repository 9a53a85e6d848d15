"""What an action records, as plain values: the machine judges, the effects say what to store.

``effects_of`` turns an action's parsed values into effects; the use case hands them to the case
repository (``record``) and, for the forms an action produces, to the documents repository. Tests
on the fakes read the same values, so what ``admit`` stores is checked without a database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from workflow.facts import Actor, VoteFacts
from workflow.states import Trigger


@dataclass(frozen=True)
class AssignMentor:
    """The member who follows the candidate from `since` (ends the previous assignment)."""

    member_id: int
    since: date


@dataclass(frozen=True)
class RecordCertificate:
    """The awareness-class certificate the candidate holds."""

    number: str
    issued_on: date
    issuer: str | None = None


@dataclass(frozen=True)
class RecordVote:
    """A vote of the cell, the grassroots committee, or the recognition vote."""

    body: str
    held_on: date
    votes_for: int
    votes_against: int
    eligible: int
    resolution_number: str | None = None
    #: The cell's vote record: official members on the date, exempted and absent, present.
    official_members: int | None = None
    excused_absent: int | None = None
    present: int | None = None


@dataclass(frozen=True)
class MarkSubmitted:
    """Who sent the dossier up, after the cell's vote of `vote_date`."""

    user_id: int
    vote_date: date


@dataclass(frozen=True)
class RecordDecision:
    """The deciding body's decision (``admission`` or ``recognition``)."""

    kind: str
    number: str
    signed_on: date


@dataclass(frozen=True)
class CreateMember:
    """The candidate becomes a probationary member of the case's cell."""

    admitted_on: date


@dataclass(frozen=True)
class MakeOfficial:
    """The probationary member is recognised as an official member."""

    official_since: date


@dataclass(frozen=True)
class EndMembership:
    """The probationary member is removed (xóa tên)."""

    left_on: date


@dataclass(frozen=True)
class RecordIntroduction:
    """An introduction on file: a member's 3-KNĐ, or the Đoàn's / Công đoàn's resolution."""

    kind: str
    dated: date
    name: str
    member_id: int | None = None
    known_since: date | None = None
    replacement: bool = False
    replacement_reason: str | None = None


@dataclass(frozen=True)
class FileDocument:
    """A form put on file, with its signed scan when one was uploaded."""

    code: str
    dated: date
    number: str | None = None
    scan: dict[str, Any] | None = None


@dataclass(frozen=True)
class RecordCeremony:
    """The admission ceremony was held on `held_on`."""

    held_on: date


@dataclass(frozen=True)
class ExtendDecision:
    """The deciding body's one extension of its deadline, in working days."""

    days: int


@dataclass(frozen=True)
class RecordException:
    """An exception to a rule recorded on the case (``workflow.case_exceptions``)."""

    kind: str
    dated: date
    number: str | None = None
    issued_by: str | None = None
    area: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class ReferToHigherCommittee:
    """The third recognition vote short of 2/3: from `on`, the higher committee decides."""

    on: date


@dataclass(frozen=True)
class IssueForm:
    """Generate form `code` from the case's data, numbered and verifiable (9-KNĐ, 16-KNĐ)."""

    code: str


Effect = (
    AssignMentor
    | RecordCertificate
    | RecordVote
    | MarkSubmitted
    | RecordDecision
    | CreateMember
    | MakeOfficial
    | EndMembership
    | RecordIntroduction
    | FileDocument
    | RecordCeremony
    | ExtendDecision
    | IssueForm
    | RecordException
    | ReferToHigherCommittee
)

#: The forms an action produces, generated in its unit of work.
FORMS_PRODUCED: dict[str, str] = {Trigger.admit.value: "9-KNĐ", Trigger.recognize.value: "16-KNĐ"}

_SCAN_KEYS = ("file_sha256", "file_size", "file_type", "file_name")


def _vote(values: dict[str, Any]) -> list[Effect]:
    vote: VoteFacts | None = values.get("vote")
    if vote is None or values.get("vote_on_file"):
        return []
    return [
        RecordVote(
            str(vote.body),
            vote.held_on,
            vote.votes_for,
            vote.votes_against,
            vote.eligible,
            values.get("resolution_number"),
            vote.official_members,
            vote.excused_absent if vote.official_members is not None else None,
            vote.present,
        )
    ]


def _mentor(v: dict[str, Any], actor: Actor, today: date) -> list[Effect]:
    return [AssignMentor(v["mentor"].id, v.get("since") or today)]


def _training(v: dict[str, Any], actor: Actor, today: date) -> list[Effect]:
    return [RecordCertificate(v["certificate_number"], v["certificate_date"], v.get("issuer"))]


def _submit(v: dict[str, Any], actor: Actor, today: date) -> list[Effect]:
    return [*_vote(v), MarkSubmitted(actor.user_id, v["vote_date"])]


def _admit(v: dict[str, Any], actor: Actor, today: date) -> list[Effect]:
    return [
        *_vote(v),
        RecordDecision("admission", v["decision_number"], v["decision_date"]),
        CreateMember(v["decision_date"]),
    ]


def _recognize(v: dict[str, Any], actor: Actor, today: date) -> list[Effect]:
    return [
        *_vote(v),
        RecordDecision("recognition", v["decision_number"], v["decision_date"]),
        # Official from the end of probation (``workflow.cell_votes``), as 16-KNĐ says.
        MakeOfficial(v.get("official_since") or v["decision_date"]),
    ]


def _introduction(v: dict[str, Any], actor: Actor, today: date) -> list[Effect]:
    member = v.get("member")
    return [
        RecordIntroduction(
            v["kind"],
            v["dated"],
            member.name if member is not None else v["name"],
            member.id if member is not None else None,
            v.get("known_since"),
            bool(v.get("replacement")),
            v.get("replacement_reason"),
        )
    ]


def _document(v: dict[str, Any], actor: Actor, today: date) -> list[Effect]:
    scan = {k: v[k] for k in _SCAN_KEYS} if v.get("file_sha256") else None
    return [FileDocument(v["code"], v["dated"], v.get("number"), scan)]


_EFFECTS: dict[str, Callable[[dict[str, Any], Actor, date], list[Effect]]] = {
    Trigger.assign_mentor: _mentor,
    Trigger.reassign_mentor: _mentor,
    Trigger.complete_training: _training,
    Trigger.submit_dossier: _submit,
    Trigger.admit: _admit,
    Trigger.recognize: _recognize,
    Trigger.remove: lambda v, actor, today: [EndMembership(today)],
    "record_introduction": _introduction,
    "record_document": _document,
    "record_ceremony": lambda v, actor, today: [RecordCeremony(v["ceremony_date"])],
    "record_recognition_vote": lambda v, actor, today: [
        *_vote(v),
        *(
            [ReferToHigherCommittee(v["vote_date"])]
            if v.get("referred_to_higher_committee")
            else []
        ),
    ],
    "record_over_age_approval": lambda v, actor, today: [
        RecordException("over_age", v["dated"], v["number"], v["issued_by"])
    ],
    "record_education_exception": lambda v, actor, today: [
        RecordException("education", v["dated"], area=v["area"], reason=v.get("reason"))
    ],
    "record_decision_extension": lambda v, actor, today: [ExtendDecision(v["days"])],
}


def effects_of(
    action: str, values: dict[str, Any], actor: Actor, today: date
) -> tuple[Effect, ...]:
    """What `action` records, from its resolved values: the stored facts, then the forms made."""
    made = _EFFECTS.get(action, lambda v, a, t: [])(values, actor, today)
    produced = FORMS_PRODUCED.get(action)
    return (*made, *((IssueForm(produced),) if produced else ()))
