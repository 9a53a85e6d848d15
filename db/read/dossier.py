"""A case's dossier as plain, JSON-safe values: everything its forms draw on, never an ORM object.

The forms (``documents``) are rendered from this dict alone, and a generated document keeps it
(with its hash) as the exact data it was made from. Dates are ISO strings; absent values are
``None``.
"""

from __future__ import annotations

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
    Vote,
)
from workflow.dates import add_months
from workflow.settings import DEFAULT_SETTINGS, RuleSettings
from workflow.states import OrgType

#: Bump when the shape of the dict changes (a stored document says which shape it kept).
SCHEMA = 1

#: The person's fields the model records (the biography, 2-KNĐ, asks for all of them).
_PERSON = (
    "full_name",
    "sex",
    "birth_date",
    "birth_place",
    "hometown",
    "residence",
    "ethnicity",
    "religion",
    "education",
    "occupation",
    "id_number",
    "is_doan_member",
)
#: Fields of the biography that hoso does not record (yet): the candidate writes them by hand.
_PERSON_UNRECORDED = (
    "birth_name",
    "aliases",
    "doan_joined_on",
    "political_theory",
    "foreign_language",
)


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _plain(value: Any) -> Any:
    return _iso(value) if isinstance(value, date) else value


def _organisation(row: Any, by_id: dict[int, Any]) -> dict[str, Any] | None:
    if row is None:
        return None
    parent = by_id.get(row.parent_id)
    return {
        "id": row.id,
        "name": row.name,
        "type": row.type,
        "parent_name": parent.name if parent is not None else None,
    }


def _tree(session: Session, cell: Organisation) -> dict[str, Any]:
    """The cell's grassroots committee, deciding body and province, from its path."""
    ids = [int(part) for part in cell.path.strip("/").split("/") if part] or [cell.id]
    rows = {
        row.id: row
        for row in session.execute(
            select(
                Organisation.id,
                Organisation.parent_id,
                Organisation.name,
                Organisation.type,
                Organisation.decides_admissions,
            ).where(Organisation.id.in_(ids))
        )
    }
    ancestors = [rows[i] for i in ids if i in rows]  # root first, the cell last
    above = ancestors[:-1]
    grassroots = next((o for o in reversed(above) if o.type == OrgType.committee), None)
    # As db.repositories.cases decides: the nearest body that decides admissions, else the root.
    deciding = next((o for o in reversed(ancestors) if o.decides_admissions), ancestors[0])
    return {
        "grassroots": _organisation(grassroots, rows),
        "deciding": _organisation(deciding, rows),
        "province": {"id": ancestors[0].id, "name": ancestors[0].name},
    }


def dossier_data(
    session: Session, case_id: int, settings: RuleSettings = DEFAULT_SETTINGS
) -> dict[str, Any]:
    """Every value the forms of case `case_id` need; ``LookupError`` if there is no such case."""
    case = session.get(Case, case_id)
    if case is None:
        raise LookupError(f"no case {case_id}")
    person = case.person
    cell = case.cell
    member_person = select(Member.id, Person.full_name).join(Person, Person.id == Member.person_id)

    mentors = [
        {"name": name, "since": _iso(a.since), "until": _iso(a.until)}
        for a, name in session.execute(
            select(MentorAssignment, Person.full_name)
            .join(Member, Member.id == MentorAssignment.member_id)
            .join(Person, Person.id == Member.person_id)
            .where(MentorAssignment.case_id == case_id)
            .order_by(MentorAssignment.since, MentorAssignment.id)
        )
    ]
    mentor = None
    if case.mentor_id is not None:
        name = session.execute(member_person.where(Member.id == case.mentor_id)).one().full_name
        since = next((m["since"] for m in reversed(mentors) if m["name"] == name), None)
        mentor = {"name": name, "since": since}

    certificates = session.scalars(
        select(Certificate)
        .where(Certificate.case_id == case_id)
        .order_by(Certificate.issued_on, Certificate.id)
    ).all()
    certificate = None
    if certificates:
        c = certificates[-1]
        certificate = {"number": c.number, "issued_on": _iso(c.issued_on), "issuer": c.issuer}
    elif case.certificate_number:
        certificate = {
            "number": case.certificate_number,
            "issued_on": _iso(case.certificate_date),
            "issuer": None,
        }

    introductions = []
    for intro in session.scalars(
        select(Introduction).where(Introduction.case_id == case_id).order_by(Introduction.id)
    ):
        member = intro.member
        introductions.append(
            {
                "kind": intro.kind,
                "name": intro.name,
                "dated": _iso(intro.dated),
                "known_since": _iso(intro.known_since),
                "member": None
                if member is None
                else {
                    "admitted_on": _iso(member.admitted_on),
                    "official_since": _iso(member.official_since),
                    "cell_name": session.get(Organisation, member.cell_id).name,
                },
            }
        )

    votes: dict[str, dict[str, Any]] = {}
    for v in session.scalars(
        select(Vote).where(Vote.case_id == case_id).order_by(Vote.held_on, Vote.id)
    ):
        votes[v.body] = {  # the latest vote of each body wins
            "held_on": _iso(v.held_on),
            "votes_for": v.votes_for,
            "votes_against": v.votes_against,
            "eligible": v.eligible,
            "resolution_number": v.resolution_number,
        }

    decisions: dict[str, dict[str, Any]] = {}
    for d, body in session.execute(
        select(Decision, Organisation.name)
        .outerjoin(Organisation, Organisation.id == Decision.body_id)
        .where(Decision.case_id == case_id)
        .order_by(Decision.signed_on, Decision.id)
    ):
        decisions[d.kind] = {"number": d.number, "signed_on": _iso(d.signed_on), "body": body}

    documents: dict[str, dict[str, Any]] = {}
    for doc in session.scalars(
        select(DocumentRecord)
        .where(DocumentRecord.case_id == case_id)
        .order_by(DocumentRecord.dated, DocumentRecord.id)
    ):
        documents[doc.code] = {"dated": _iso(doc.dated), "number": doc.number}

    mass = [
        {"name": name, "kind": kind}
        for name, kind in session.execute(
            select(Organisation.name, Organisation.mass_kind)
            .where(Organisation.parent_id == cell.id, Organisation.type == OrgType.mass)
            .order_by(Organisation.id)
        )
    ]
    probation_end = (
        add_months(case.ceremony_on, settings.probation_months) if case.ceremony_on else None
    )
    return {
        "schema": SCHEMA,
        "case": {
            "id": case.id,
            "state": case.state,
            "source": case.source,
            "source_detail": case.source_detail,
            "opened_on": _iso(case.opened_on),
            "cell_vote_date": _iso(case.cell_vote_date),
            "decision_date": _iso(case.decision_date),
            "ceremony_on": _iso(case.ceremony_on),
            "probation_ends_on": _iso(probation_end),
            "recognized_on": _iso(case.recognized_on),
            "closed_on": _iso(case.closed_on),
        },
        "person": {
            **{name: _plain(getattr(person, name)) for name in _PERSON},
            **dict.fromkeys(_PERSON_UNRECORDED),
        },
        "cell": {
            "id": cell.id,
            "name": cell.name,
            "unit_kind": cell.unit_kind,
            "has_doan": cell.has_doan,
            "mass_organisations": mass,
        },
        **_tree(session, cell),
        "mentor": mentor,
        "mentors": mentors,
        "certificate": certificate,
        "introductions": introductions,
        "votes": votes,
        "decisions": decisions,
        "documents": documents,
        # The numbers of the rules that the decisions print (hoso.toml may change them).
        "rules": {
            "probation_months": settings.probation_months,
            "ceremony_working_days": settings.deadlines.get("ceremony"),
        },
    }
