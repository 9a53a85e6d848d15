"""The case repository in memory, and the fake district it serves.

The district of these fakes: a deciding committee at ``/1/``, a grassroots committee at
``/1/2/`` and two party cells below it, ``/1/2/3/`` (ours) and ``/1/2/4/`` (the other one).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from workflow.clock import Clock
from workflow.effects import (
    AssignMentor,
    Effect,
    FileDocument,
    MarkSubmitted,
    RecordCeremony,
    RecordCertificate,
    RecordException,
    RecordIntroduction,
    RecordVote,
    ReferToHigherCommittee,
)
from workflow.facts import (
    Actor,
    CaseException,
    CaseFacts,
    CellRoll,
    Grant,
    IntroducerFacts,
    MemberFacts,
    VerificationFacts,
    VoteFacts,
)
from workflow.moves import TransferKind
from workflow.settings import DOSSIER_FORMS, RECOGNITION_FORMS
from workflow.states import (
    CLOSED_STATES,
    NEW,
    IntroducerKind,
    MemberStatus,
    State,
    UnitKind,
    VoteBody,
)

TODAY = date(2026, 11, 27)
CLOCK = Clock(datetime(2026, 11, 27, 3, 0, tzinfo=UTC))

DISTRICT, GRASSROOTS, CELL, OTHER_CELL = "/1/", "/1/2/", "/1/2/3/", "/1/2/4/"
CELL_ID, OTHER_CELL_ID = 3, 4
CANDIDATE_PERSON_ID = 500


@dataclass(frozen=True)
class FakeCell:
    """A party cell and where it sits: who decides for it, how many vote in it and above it."""

    id: int
    path: str
    deciding_body_path: str = DISTRICT
    unit_kind: UnitKind = UnitKind.school
    has_doan: bool = True
    official_members: int = 6
    committee_size: int = 15
    #: Of the official members, those exempted from activity (miễn sinh hoạt).
    excused: int = 0
    has_branch_committee: bool = False
    #: A đảng ủy cơ sở sits between the cell and its deciding body (8-KNĐ, 15-KNĐ, its vote).
    has_grassroots_committee: bool = True


CELLS = (
    FakeCell(CELL_ID, CELL),
    FakeCell(OTHER_CELL_ID, OTHER_CELL, unit_kind=UnitKind.enterprise),
)


def member(
    member_id: int,
    *,
    cell_id: int = CELL_ID,
    status: MemberStatus = MemberStatus.official,
    person_id: int | None = None,
) -> MemberFacts:
    """A party member of our cell unless told otherwise."""
    return MemberFacts(
        member_id, f"Đảng viên {member_id}", cell_id, status, date(2010, 1, 1), person_id
    )


MENTOR = member(100)  # the member of the user ``mentor``
MENTOR2 = member(101)  # the member of the user ``mentor2``, also an introducer
INTRODUCER = member(104)
PROBATIONARY = member(102, status=MemberStatus.probationary)
CANDIDATE_AS_MEMBER = member(103, person_id=CANDIDATE_PERSON_ID)
OUTSIDER = member(200, cell_id=OTHER_CELL_ID)
MEMBERS = (MENTOR, MENTOR2, INTRODUCER, PROBATIONARY, CANDIDATE_AS_MEMBER, OUTSIDER)


def actor(user_id: int, username: str, *grants: tuple[str, str], member_id: int | None = None):
    """An actor holding `grants` given as ``(role, scope_path)``."""
    return Actor(
        user_id,
        username,
        tuple(Grant(role, i, path) for i, (role, path) in enumerate(grants)),
        member_id,
    )


ACTORS: dict[str, Actor] = {
    a.username: a
    for a in (
        actor(10, "sec", ("secretary", CELL), member_id=104),
        actor(11, "sec_other", ("secretary", OTHER_CELL)),
        actor(20, "mentor", ("mentor", CELL), member_id=MENTOR.id),
        actor(21, "mentor2", ("mentor", CELL), member_id=MENTOR2.id),
        actor(30, "com", ("committee", DISTRICT)),
        actor(31, "com_grassroots", ("committee", GRASSROOTS)),
        actor(40, "aud", ("auditor", DISTRICT)),
        actor(50, "adm", ("admin", DISTRICT)),
        actor(60, "trainer", ("trainer", DISTRICT)),
        actor(70, "intro", ("introducer", CELL)),
    )
}


@dataclass
class FakeCase:
    """A stored case: what the fake repository keeps of it, and what was applied to it."""

    id: int
    state: str
    version: int = 1
    cell_id: int = CELL_ID
    person_id: int = CANDIDATE_PERSON_ID
    full_name: str = "Nguyễn Văn An"
    birth_date: date | None = date(1990, 5, 15)
    id_number: str | None = None
    is_doan_member: bool = False
    mentor: MemberFacts | None = None
    certificate_number: str | None = None
    certificate_date: date | None = None
    introductions: tuple[IntroducerFacts, ...] = ()
    documents: dict[str, date] = field(default_factory=dict)
    submitted_by_user_id: int | None = None
    ceremony_on: date | None = None
    created_with: dict[str, Any] = field(default_factory=dict)
    #: Every effect recorded on the case, in order.
    recorded: list[Effect] = field(default_factory=list)
    #: The biography verification as the rules read it (kept by ``FakeVerifications``).
    verification: VerificationFacts | None = None
    #: The rule fixes of issue 10: education level, exceptions, recognition votes, referral.
    education: str | None = "upper_secondary"
    exceptions: dict[str, CaseException] = field(default_factory=dict)
    recognition_votes: tuple[VoteFacts, ...] = ()
    recognition_referred_on: date | None = None


def ready_case(state: str, case_id: int = 1, **overrides: Any) -> FakeCase:
    """A case in `state` whose file satisfies every rule for the inputs of the service tests."""
    values: dict[str, Any] = {
        "mentor": None if state == State.identified else MENTOR,
        "certificate_number": "CN-01",
        "certificate_date": date(2026, 3, 1),
        "introductions": tuple(
            IntroducerFacts(IntroducerKind.member, m.name, date(2026, 9, 1), m, date(2020, 1, 1))
            for m in (MENTOR2, INTRODUCER)
        ),
        "documents": {code: date(2026, 9, 1) for code in (*DOSSIER_FORMS, *RECOGNITION_FORMS)},
        "submitted_by_user_id": ACTORS["sec"].user_id,
        "ceremony_on": date(2025, 10, 20),
        # Concluded, favourably, before the votes of the tests: required from the reform.
        "verification": VerificationFacts(1, 0, date(2026, 9, 1), True),
    }
    values.update(overrides)
    return FakeCase(case_id, state, **values)


class FakeCases:
    """The CaseRepository port in memory."""

    def __init__(self, cases: tuple[FakeCase, ...] = (), cells=CELLS, members=MEMBERS):
        self.items: dict[int, FakeCase] = {c.id: c for c in cases}
        self.cells: dict[int, FakeCell] = {c.id: c for c in cells}
        self.members: dict[int, MemberFacts] = {m.id: m for m in members}
        #: The roll of a cell on a given day, where a test sets one (``cell_roll``).
        self.rolls: dict[tuple[int, date], CellRoll] = {}
        #: The fake moves repository, which records the transfers (set by ``FakeMoves``).
        self.moves: Any = None

    def get(self, case_id: int, *, for_update: bool = False) -> FakeCase | None:
        return self.items.get(case_id)

    def _cell_facts(self, cell: FakeCell) -> dict[str, Any]:
        return {
            "cell_id": cell.id,
            "cell_path": cell.path,
            "deciding_body_path": cell.deciding_body_path,
            "unit_kind": cell.unit_kind,
            "unit_has_doan": cell.has_doan,
            "cell_official_members": cell.official_members,
            "grassroots_committee_size": cell.committee_size,
            "has_grassroots_committee": cell.has_grassroots_committee,
        }

    def facts(self, case: FakeCase, action: str | None = None) -> CaseFacts:
        return CaseFacts(
            case_id=case.id,
            state=case.state,
            version=case.version,
            person_id=case.person_id,
            person_name=case.full_name,
            birth_date=case.birth_date,
            is_doan_member=case.is_doan_member,
            mentor=case.mentor,
            certificate_number=case.certificate_number,
            certificate_date=case.certificate_date,
            introductions=case.introductions,
            documents=dict(case.documents),
            submitted_by_user_id=case.submitted_by_user_id,
            ceremony_on=case.ceremony_on,
            verification=case.verification,
            education=case.education,
            exceptions=dict(case.exceptions),
            recognition_votes=case.recognition_votes,
            votes={VoteBody.recognition: case.recognition_votes[-1]}
            if case.recognition_votes
            else {},
            cell_has_branch_committee=self.cells[case.cell_id].has_branch_committee,
            recognition_referred_on=case.recognition_referred_on,
            **self._cell_facts(self.cells[case.cell_id]),
        )

    def prospective_facts(self, fields: dict[str, Any]) -> CaseFacts | None:
        cell = self.cells.get(fields["cell"])
        if cell is None:
            return None
        return CaseFacts(
            case_id=None,
            state=NEW,
            version=0,
            person_id=None,
            person_name=fields.get("full_name") or "",
            birth_date=fields.get("birth_date"),
            is_doan_member=bool(fields.get("is_doan_member")),
            has_other_open_case=self._open_case_exists(fields),
            **self._cell_facts(cell),
        )

    def _open_case_exists(self, fields: dict[str, Any]) -> bool:
        """Same ID number, else same name and date of birth, in a case not closed."""
        closed = CLOSED_STATES

        def same(case: FakeCase) -> bool:
            if fields.get("id_number"):
                return case.id_number == fields["id_number"]
            return (case.full_name, case.birth_date) == (fields["full_name"], fields["birth_date"])

        return any(same(c) and c.state not in closed for c in self.items.values())

    def member(self, member_id: int) -> MemberFacts | None:
        return self.members.get(member_id)

    def cell_roll(self, cell_id: int, on: date) -> CellRoll:
        """The cell's roll: as set for that day in ``rolls``, else the cell's numbers moved by
        the official transfers of official members that began by `on`. A temporary attachment
        moves nobody: the member counts at home, never at the host (as ``rule_facts.cell_roll``)."""
        if (cell_id, on) in self.rolls:
            return self.rolls[(cell_id, on)]
        cell = self.cells[cell_id]
        official = cell.official_members
        for t in self.moves.transfers if self.moves is not None else ():
            member = self.members.get(t.member_id)
            counted = member is not None and member.status == MemberStatus.official
            if t.kind == TransferKind.official and t.starts_on <= on and counted:
                official += (t.to_cell_id == cell_id) - (t.from_cell_id == cell_id)
        return CellRoll(official, cell.excused)

    def create(self, fields: dict[str, Any], actor: Actor, today: date) -> FakeCase:
        case_id = max(self.items, default=0) + 1
        case = FakeCase(
            case_id,
            State.identified,
            cell_id=fields["cell"],
            person_id=1000 + case_id,
            full_name=fields["full_name"],
            birth_date=fields["birth_date"],
            id_number=fields.get("id_number"),
            is_doan_member=bool(fields.get("is_doan_member")),
            created_with=dict(fields),
        )
        self.items[case_id] = case
        return case

    def record(self, case: FakeCase, effects: Sequence[Effect], actor: Actor, today: date) -> None:
        """Bump the version, keep the effects, and store what the rules read later."""
        case.version += 1
        case.recorded.extend(effects)
        for e in effects:
            if isinstance(e, AssignMentor):
                case.mentor = self.members[e.member_id]
            elif isinstance(e, RecordCertificate):
                case.certificate_number, case.certificate_date = e.number, e.issued_on
            elif isinstance(e, MarkSubmitted):
                case.submitted_by_user_id = e.user_id
            elif isinstance(e, RecordIntroduction):
                by = self.members.get(e.member_id) if e.member_id is not None else None
                intro = IntroducerFacts(
                    e.kind, e.name, e.dated, by, e.known_since, e.replacement, e.replacement_reason
                )
                case.introductions = (*case.introductions, intro)
            elif isinstance(e, RecordVote) and e.body == VoteBody.recognition:
                vote = VoteFacts(
                    VoteBody.recognition, e.held_on, e.votes_for, e.votes_against, e.eligible
                )
                case.recognition_votes = (*case.recognition_votes, vote)
            elif isinstance(e, RecordException):
                case.exceptions[e.kind] = CaseException(
                    e.kind, e.dated, e.number, e.issued_by, e.area, e.reason
                )
            elif isinstance(e, ReferToHigherCommittee):
                case.recognition_referred_on = e.on
            elif isinstance(e, FileDocument):
                case.documents[e.code] = e.dated
            elif isinstance(e, RecordCeremony):
                case.ceremony_on = e.held_on
