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
    LegalBasis,
    Member,
    MentorAssignment,
    Organisation,
    Person,
    VerificationRequest,
    Vote,
)
from db.read.tree import chain_on
from db.read.verification import certification
from workflow.dates import add_months
from workflow.settings import DEFAULT_SETTINGS, RuleSettings
from workflow.states import OrgType
from workflow.tree import OrgVersion, Tree, placement

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


def _organisation(org: OrgVersion | None, tree: Tree) -> dict[str, Any] | None:
    if org is None:
        return None
    parent = tree.get(org.parent_id)
    return {
        "id": org.org_id,
        "name": org.name,
        "type": org.type,
        "parent_name": parent.name if parent is not None else None,
    }


def _bodies(session: Session, cell_id: int, day: date | None) -> dict[str, Any]:
    """The cell's grassroots committee (the nearest committee above it, which may be the
    deciding body itself), deciding body and province, as they stood on `day` (``None``: now),
    and whether a grassroots committee sat between the cell and the deciding body."""
    tree = chain_on(session.connection(), cell_id, day)
    if day is not None and cell_id not in tree.nodes:  # the cell did not exist yet: now
        tree = chain_on(session.connection(), cell_id, None)
    chain = tree.chain(cell_id)  # the cell first, the root last
    found = placement(tree, cell_id)
    grassroots = next((o for o in chain[1:] if o.type == OrgType.committee), None)
    return {
        "grassroots": _organisation(grassroots, tree),
        "deciding": _organisation(found.deciding if found else None, tree),
        "province": {"id": chain[-1].org_id, "name": chain[-1].name},
        "has_grassroots_committee": bool(found and found.has_grassroots_committee),
    }


def _legal_bases(session: Session) -> list[dict[str, Any]]:
    """Every legal basis with its validity: each form cites those in force on its date."""
    rows = session.scalars(select(LegalBasis).order_by(LegalBasis.valid_from, LegalBasis.id))
    return [
        {
            "code": b.code,
            "kind": b.kind,
            "title": b.title,
            "valid_from": _iso(b.valid_from),
            "valid_until": _iso(b.valid_until),
        }
        for b in rows
    ]


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
                    # 3-KNĐ: the introducer's own birth date, hometown and residence.
                    "birth_date": _iso(member.person.birth_date),
                    "hometown": member.person.hometown,
                    "residence": member.person.residence,
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
            # The cell's roll on the day (6-KNĐ, 13-KNĐ): official members, the exempted who
            # did not attend, those present; None where the vote did not record them.
            "official_members": v.official_members,
            "excused_absent": v.excused_absent,
            "present": v.present,
        }

    decisions: dict[str, dict[str, Any]] = {}
    signed: dict[str, date] = {}
    for d, body in session.execute(
        select(Decision, Organisation.name)
        .outerjoin(Organisation, Organisation.id == Decision.body_id)
        .where(Decision.case_id == case_id)
        .order_by(Decision.signed_on, Decision.id)
    ):
        if d.body_id is not None:  # the body's name on the decision's date
            then = chain_on(session.connection(), d.body_id, d.signed_on).get(d.body_id)
            body = then.name if then is not None else body
        decisions[d.kind] = {"number": d.number, "signed_on": _iso(d.signed_on), "body": body}
        signed[d.kind] = d.signed_on

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
        # The bodies of the admission's date (its forms, 9-KNĐ); those of the recognition's
        # date for its forms (13-16-KNĐ). Before a decision: the tree of now.
        **_bodies(session, cell.id, signed.get("admission")),
        "recognition_bodies": _bodies(session, cell.id, signed.get("recognition")),
        "legal_bases": _legal_bases(session),
        "mentor": mentor,
        "mentors": mentors,
        "certificate": certificate,
        "introductions": introductions,
        "votes": votes,
        "decisions": decisions,
        "documents": documents,
        # The committee's conclusion of the biography verification: 2-KNĐ's certification.
        "verification": certification(session, case_id),
        # The relatives the verification asked about, by name (2-KNĐ's family section).
        "relatives": [
            {"subject": subject, "name": name}
            for subject, name in session.execute(
                select(VerificationRequest.subject, VerificationRequest.subject_name)
                .where(
                    VerificationRequest.case_id == case_id,
                    VerificationRequest.subject_name.is_not(None),
                )
                .distinct()
                .order_by(VerificationRequest.subject, VerificationRequest.subject_name)
            )
        ],
        # The numbers of the rules that the decisions print (hoso.toml may change them).
        "rules": {
            "probation_months": settings.probation_months,
            "ceremony_working_days": settings.deadlines.get("ceremony"),
        },
    }
