"""What the case page shows: one case's person, paperwork and history, as plain values."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import (
    Case,
    Certificate,
    Decision,
    DocumentRecord,
    Introduction,
    Member,
    MentorAssignment,
    Organisation,
    Person,
    User,
    Vote,
)
from db.read.history import case_events
from workflow.history import EventView
from workflow.states import MemberStatus, VoteBody

_PERSON = (
    "full_name",
    "birth_date",
    "sex",
    "birth_place",
    "hometown",
    "residence",
    "occupation",
    "ethnicity",
    "religion",
    "education",
    "id_number",
    "is_doan_member",
)


@dataclass(frozen=True)
class TimelineEvent:
    """A history event and the display name of the user who caused it."""

    event: EventView
    user_name: str


@dataclass
class CasePage:
    """Everything recorded on one case, read in one session."""

    id: int
    state: str
    version: int
    source: str
    source_detail: str | None
    opened_on: date
    closed_on: date | None
    person: dict[str, Any]
    cell_id: int
    cell_name: str
    mentor_name: str | None
    certificate_number: str | None
    certificate_date: date | None
    cell_vote_date: date | None
    decision_date: date | None
    decision_extension_days: int
    ceremony_on: date | None
    assignments: list[dict[str, Any]] = field(default_factory=list)
    certificates: list[dict[str, Any]] = field(default_factory=list)
    introductions: list[dict[str, Any]] = field(default_factory=list)
    votes: list[dict[str, Any]] = field(default_factory=list)
    decisions: list[dict[str, Any]] = field(default_factory=list)
    documents: list[dict[str, Any]] = field(default_factory=list)
    events: list[TimelineEvent] = field(default_factory=list)

    def vote_on(self, body: str) -> date | None:
        """The date of the latest vote of `body`, if one is recorded."""
        held = [v["held_on"] for v in self.votes if v["body"] == body]
        return max(held) if held else None

    @property
    def recognition_vote_date(self) -> date | None:
        return self.vote_on(VoteBody.recognition)


def _member_name(session: Session, member_id: int | None) -> str | None:
    if member_id is None:
        return None
    return session.scalar(
        select(Person.full_name)
        .join(Member, Member.person_id == Person.id)
        .where(Member.id == member_id)
    )


def case_page(session: Session, case_id: int) -> CasePage | None:
    """The case `case_id` with its paperwork and timeline (oldest event first), or ``None``."""
    row = session.execute(
        select(Case, Organisation.name)
        .join(Organisation, Organisation.id == Case.cell_id)
        .where(Case.id == case_id)
    ).first()
    if row is None:
        return None
    case, cell_name = row
    page = CasePage(
        id=case.id,
        state=case.state,
        version=case.version,
        source=case.source,
        source_detail=case.source_detail,
        opened_on=case.opened_on,
        closed_on=case.closed_on,
        person={name: getattr(case.person, name) for name in _PERSON},
        cell_id=case.cell_id,
        cell_name=cell_name,
        mentor_name=_member_name(session, case.mentor_id),
        certificate_number=case.certificate_number,
        certificate_date=case.certificate_date,
        cell_vote_date=case.cell_vote_date,
        decision_date=case.decision_date,
        decision_extension_days=case.decision_extension_days or 0,
        ceremony_on=case.ceremony_on,
    )
    page.assignments = [
        {"name": name, "since": a.since, "until": a.until}
        for a, name in session.execute(
            select(MentorAssignment, Person.full_name)
            .join(Member, Member.id == MentorAssignment.member_id)
            .join(Person, Person.id == Member.person_id)
            .where(MentorAssignment.case_id == case_id)
            .order_by(MentorAssignment.since, MentorAssignment.id)
        )
    ]
    page.certificates = [
        {"number": c.number, "issued_on": c.issued_on, "issuer": c.issuer}
        for c in session.scalars(
            select(Certificate).where(Certificate.case_id == case_id).order_by(Certificate.id)
        )
    ]
    page.introductions = [
        {"kind": i.kind, "name": i.name, "known_since": i.known_since, "dated": i.dated}
        for i in session.scalars(
            select(Introduction).where(Introduction.case_id == case_id).order_by(Introduction.id)
        )
    ]
    page.votes = [
        {
            "body": v.body,
            "held_on": v.held_on,
            "votes_for": v.votes_for,
            "votes_against": v.votes_against,
            "eligible": v.eligible,
            "resolution_number": v.resolution_number,
        }
        for v in session.scalars(
            select(Vote).where(Vote.case_id == case_id).order_by(Vote.held_on, Vote.id)
        )
    ]
    page.decisions = [
        {"kind": d.kind, "number": d.number, "signed_on": d.signed_on, "body": body}
        for d, body in session.execute(
            select(Decision, Organisation.name)
            .outerjoin(Organisation, Organisation.id == Decision.body_id)
            .where(Decision.case_id == case_id)
            .order_by(Decision.signed_on, Decision.id)
        )
    ]
    page.documents = [
        {"code": d.code, "dated": d.dated, "number": d.number}
        for d in session.scalars(
            select(DocumentRecord)
            .where(DocumentRecord.case_id == case_id)
            .order_by(DocumentRecord.dated, DocumentRecord.id)
        )
    ]
    events = case_events(session, case_id)
    usernames = {e.username for e in events}
    full_names = dict(
        session.execute(
            select(User.username, User.full_name).where(User.username.in_(usernames))
        ).all()
    )
    page.events = [TimelineEvent(e, full_names.get(e.username) or e.username) for e in events]
    return page


def official_members(session: Session, cell_id: int) -> list[tuple[int, str]]:
    """The cell's current official members as ``(member id, name)``, by name."""
    return [
        (member_id, name)
        for member_id, name in session.execute(
            select(Member.id, Person.full_name)
            .join(Person, Person.id == Member.person_id)
            .where(
                Member.cell_id == cell_id,
                Member.status == MemberStatus.official,
                Member.left_on.is_(None),
            )
            .order_by(Person.search_name, Member.id)
        )
    ]
