"""Plain snapshots of what the rules and the policy judge; built by the storage layer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from workflow.states import IntroducerKind, MemberStatus, UnitKind, VoteBody


@dataclass(frozen=True)
class Grant:
    """A role held within an organisation's subtree (``scope_path`` is its materialised path)."""

    role: str
    organisation_id: int
    scope_path: str


@dataclass(frozen=True)
class Actor:
    """The acting user, passed to every use case."""

    user_id: int
    username: str
    grants: tuple[Grant, ...] = ()
    member_id: int | None = None

    def grants_for(self, role: str) -> tuple[Grant, ...]:
        return tuple(g for g in self.grants if g.role == role)

    def roles(self) -> set[str]:
        return {g.role for g in self.grants}


@dataclass(frozen=True)
class MemberFacts:
    """A party member as the rules see them."""

    id: int
    name: str
    cell_id: int
    status: MemberStatus
    since: date
    person_id: int | None = None
    official_since: date | None = None


@dataclass(frozen=True)
class IntroducerFacts:
    """One introduction on file (3-KNĐ from a member, or 4-KNĐ/4A-KNĐ from the Đoàn/Công đoàn)."""

    kind: IntroducerKind
    name: str
    dated: date
    member: MemberFacts | None = None
    known_since: date | None = None
    #: Named by the cell in place of an introducer who moved, died or was disciplined: needs no
    #: 12 months' acquaintance (domain.md), with the cell's reason.
    replacement: bool = False
    replacement_reason: str | None = None


@dataclass(frozen=True)
class VoteFacts:
    """A recorded vote: the share is of all who may vote, not of those present."""

    body: VoteBody
    held_on: date
    votes_for: int
    votes_against: int
    eligible: int
    #: The cell's vote record (Hướng dẫn 12-HD/BTCTW): official members on the vote date, those
    #: exempted from activity (miễn sinh hoạt) who did not attend, and those present. ``eligible``
    #: is then the denominator: official members less the exempted absent.
    official_members: int | None = None
    excused_absent: int = 0
    present: int | None = None
    #: What the member register says of the cell on the vote date (``CellRoll``), when counted.
    roll: CellRoll | None = None


@dataclass(frozen=True)
class CellRoll:
    """The cell's official members on a date counted for its votes (temporary attachments at
    their home cell only), and how many of them are exempted from activity (miễn sinh hoạt)."""

    official: int
    excused: int = 0


@dataclass(frozen=True)
class CaseException:
    """An exception recorded on a case: the provincial committee's approval of a candidate over
    60 (``over_age``: number, date, body), or a hardship-area exception to the education floor
    (``education``: the area and the reason)."""

    kind: str
    dated: date
    number: str | None = None
    issued_by: str | None = None
    area: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class VerificationFacts:
    """Where the biography verification (thẩm tra lý lịch) stands, as ``submit_dossier`` sees it."""

    requests: int = 0
    unanswered: int = 0
    concluded_on: date | None = None
    favourable: bool | None = None


@dataclass(frozen=True)
class CaseFacts:
    """Everything the rules may look at for one case."""

    case_id: int | None
    state: str
    version: int
    person_id: int | None
    person_name: str
    birth_date: date | None
    is_doan_member: bool
    cell_id: int
    cell_path: str
    deciding_body_path: str
    unit_kind: UnitKind
    unit_has_doan: bool
    mentor: MemberFacts | None = None
    certificate_number: str | None = None
    certificate_date: date | None = None
    introductions: tuple[IntroducerFacts, ...] = ()
    votes: dict[VoteBody, VoteFacts] = field(default_factory=dict)
    documents: dict[str, date] = field(default_factory=dict)
    submitted_by_user_id: int | None = None
    ceremony_on: date | None = None
    decision_date: date | None = None
    decision_extension_days: int = 0
    has_other_open_case: bool = False
    cell_official_members: int = 0
    grassroots_committee_size: int = 0
    #: The biography verification (loaded for the actions whose rules read the dossier).
    verification: VerificationFacts | None = None
    #: Issue 10's rule fixes (loaded for the actions whose rules read the dossier): the
    #: person's education level (``workflow.education``), the exceptions recorded on the case
    #: by kind, every recognition vote in order, whether a đảng ủy bộ phận sits above the cell
    #: (14-KNĐ, like 7-KNĐ), and when three failed recognition votes sent the case up.
    education: str | None = None
    exceptions: dict[str, CaseException] = field(default_factory=dict)
    recognition_votes: tuple[VoteFacts, ...] = ()
    cell_has_branch_committee: bool = False
    recognition_referred_on: date | None = None
    #: A grassroots committee (đảng ủy cơ sở) sits between the cell and its deciding body on the
    #: day of the action (``workflow.tree.Placement``): only then are 8-KNĐ and 15-KNĐ, and the
    #: committee's vote they record, required (loaded with the dossier).
    has_grassroots_committee: bool = True
