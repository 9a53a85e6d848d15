"""The case repository: loads what the rules judge, and stores what a transition recorded."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, ClassVar

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from db.documents import attach_scan
from db.models import (
    Case,
    Certificate,
    ChainHead,
    Decision,
    DocumentRecord,
    Introduction,
    Member,
    MentorAssignment,
    Organisation,
    Person,
    Vote,
)
from db.text import fold
from workflow.effects import (
    AssignMentor,
    CreateMember,
    Effect,
    EndMembership,
    ExtendDecision,
    FileDocument,
    MakeOfficial,
    MarkSubmitted,
    RecordCeremony,
    RecordCertificate,
    RecordDecision,
    RecordIntroduction,
    RecordVote,
)
from workflow.facts import Actor, CaseFacts, IntroducerFacts, MemberFacts, VoteFacts
from workflow.settings import RuleSettings
from workflow.states import CLOSED_STATES, MemberStatus, OrgType, State, Trigger, UnitKind

#: Actions whose rules read the case's paperwork; other actions skip loading it.
_NEEDS_DOSSIER = {
    Trigger.submit_dossier,
    Trigger.admit,
    Trigger.recognize,
    "record_recognition_vote",
}
_TREE_ROWS = select(
    Organisation.id,
    Organisation.path,
    Organisation.type,
    Organisation.decides_admissions,
    Organisation.committee_size,
)
_CLOSED = [s.value for s in CLOSED_STATES]


def member_facts(member: Member) -> MemberFacts:
    """The rules' view of a party member."""
    return MemberFacts(
        id=member.id,
        name=member.person.full_name,
        cell_id=member.cell_id,
        status=MemberStatus(member.status),
        since=member.admitted_on,
        person_id=member.person_id,
        official_since=member.official_since,
    )


class SqlCases:
    """Cases in one session."""

    def __init__(self, session: Session, settings: RuleSettings):
        self.session = session
        self.settings = settings
        self._orgs: dict[int, Organisation] = {}
        self._tree: dict[int, Any] = {}

    # --- reading ----------------------------------------------------------------------------

    def get(self, case_id: int, *, for_update: bool = False) -> Case | None:
        query = select(Case).where(Case.id == case_id)
        if for_update:
            query = query.with_for_update(of=Case)
        return self.session.execute(query).unique().scalar_one_or_none()

    def organisation(self, org_id: int) -> Organisation | None:
        if org_id not in self._orgs:
            org = self.session.get(Organisation, org_id)
            if org is None:
                return None
            self._orgs[org_id] = org
        return self._orgs[org_id]

    def _ancestors(self, cell: Organisation) -> list[Any]:
        """The cell and the organisations above it, root first, as light rows (not ORM objects:
        this runs in every use case)."""
        ids = [int(part) for part in cell.path.strip("/").split("/") if part]
        missing = [i for i in ids if i not in self._tree]
        if missing:
            for row in self.session.execute(_TREE_ROWS.where(Organisation.id.in_(missing))):
                self._tree[row.id] = row
        return [self._tree[i] for i in ids]

    def _context(self, cell: Organisation) -> dict[str, Any]:
        """Where the cell sits: who decides for it and how large its grassroots committee is."""
        ancestors = self._ancestors(cell)
        deciding = next((o for o in reversed(ancestors) if o.decides_admissions), ancestors[0])
        committee = next(
            (o for o in reversed(ancestors) if o.type == OrgType.committee and o.committee_size),
            None,
        )
        return {
            "cell_id": cell.id,
            "cell_path": cell.path,
            "deciding_body_path": deciding.path,
            "unit_kind": UnitKind(cell.unit_kind),
            "unit_has_doan": cell.has_doan,
            "grassroots_committee_size": committee.committee_size if committee else 0,
        }

    def official_members(self, cell_id: int) -> int:
        """All official members of the cell: the denominator of its 2/3 votes."""
        query = (
            select(func.count())
            .select_from(Member)
            .where(
                Member.cell_id == cell_id,
                Member.status == MemberStatus.official,
                Member.left_on.is_(None),
            )
        )
        if not self.settings.count_excused_members:
            query = query.where(Member.excused.is_(False))
        return self.session.scalar(query) or 0

    def facts(self, case: Case, action: str | None = None) -> CaseFacts:
        person = case.person
        mentor = member_facts(case.mentor) if case.mentor is not None else None
        dossier: dict[str, Any] = {}
        if action is None or action in _NEEDS_DOSSIER:
            dossier = self._dossier(case)
        return CaseFacts(
            case_id=case.id,
            state=case.state,
            version=case.version,
            person_id=person.id,
            person_name=person.full_name,
            birth_date=person.birth_date,
            is_doan_member=person.is_doan_member,
            mentor=mentor,
            certificate_number=case.certificate_number,
            certificate_date=case.certificate_date,
            submitted_by_user_id=case.submitted_by_user_id,
            ceremony_on=case.ceremony_on,
            decision_date=case.decision_date,
            decision_extension_days=case.decision_extension_days or 0,
            has_other_open_case=(action == Trigger.reinstate and self._other_open_case(case)),
            **self._context(case.cell),
            **dossier,
        )

    def _dossier(self, case: Case) -> dict[str, Any]:
        intros = self.session.scalars(
            select(Introduction).where(Introduction.case_id == case.id).order_by(Introduction.id)
        ).all()
        votes = self.session.scalars(
            select(Vote).where(Vote.case_id == case.id).order_by(Vote.id)
        ).all()
        documents: dict[str, date] = {}
        for code, dated in self.session.execute(
            select(DocumentRecord.code, DocumentRecord.dated).where(
                DocumentRecord.case_id == case.id
            )
        ):
            documents[code] = max(dated, documents.get(code, dated))
        return {
            "introductions": tuple(
                IntroducerFacts(
                    kind=i.kind,
                    name=i.name,
                    dated=i.dated,
                    known_since=i.known_since,
                    member=member_facts(i.member) if i.member is not None else None,
                )
                for i in intros
            ),
            "votes": {
                v.body: VoteFacts(v.body, v.held_on, v.votes_for, v.votes_against, v.eligible)
                for v in votes
            },
            "documents": documents,
            "cell_official_members": self.official_members(case.cell_id),
        }

    def prospective_facts(self, fields: dict[str, Any]) -> CaseFacts | None:
        cell = self.organisation(fields["cell"])
        if cell is None or cell.type != OrgType.cell:
            return None
        return CaseFacts(
            case_id=None,
            state="new",
            version=0,
            person_id=None,
            person_name=fields.get("full_name") or "",
            birth_date=fields.get("birth_date"),
            is_doan_member=bool(fields.get("is_doan_member")),
            has_other_open_case=self._open_case_exists(fields),
            **self._context(cell),
        )

    def _open_case_exists(self, fields: dict[str, Any], but: int | None = None) -> bool:
        """The same person (by ID number, else by name and date of birth) has an open case
        (other than case `but`)."""
        # Two identifications of one person must not both pass this check. PostgreSQL's READ
        # COMMITTED would let them, so queue them on the chain head's row lock (which the append
        # takes anyway) before looking; on SQLite, BEGIN IMMEDIATE has already queued them.
        self.session.execute(select(ChainHead.id).where(ChainHead.id == 1).with_for_update())
        same = (
            Person.id_number == fields["id_number"]
            if fields.get("id_number")
            else (Person.search_name == fold(fields.get("full_name") or ""))
            & (Person.birth_date == fields.get("birth_date"))
        )
        query = select(Case.id).join(Person).where(same, Case.state.not_in(_CLOSED))
        if but is not None:
            query = query.where(Case.id != but)
        return self.session.scalar(query.limit(1)) is not None

    def _other_open_case(self, case: Case) -> bool:
        """Another case of the same person is open (a reinstated case would make two)."""
        person = case.person
        fields = {
            "id_number": person.id_number,
            "full_name": person.full_name,
            "birth_date": person.birth_date,
        }
        return self._open_case_exists(fields, but=case.id)

    def member(self, member_id: int) -> MemberFacts | None:
        member = self.session.get(Member, member_id)
        if member is None or member.left_on is not None:
            return None
        return member_facts(member)

    # --- writing ----------------------------------------------------------------------------

    def create(self, fields: dict[str, Any], actor: Actor, today: date) -> Case:
        person_fields = {
            k: fields.get(k)
            for k in (
                "full_name",
                "birth_date",
                "sex",
                "birth_place",
                "hometown",
                "ethnicity",
                "religion",
                "education",
                "residence",
                "occupation",
                "id_number",
            )
        }
        person = Person(
            **person_fields,
            search_name=fold(fields["full_name"]),
            is_doan_member=bool(fields.get("is_doan_member")),
        )
        case = Case(
            person=person,
            cell=self.organisation(fields["cell"]),
            state=State.identified,
            source=fields["source"],
            source_detail=fields.get("source_detail"),
            opened_on=today,
        )
        self.session.add(case)
        self.session.flush()
        return case

    def record(self, case: Case, effects: Sequence[Effect], actor: Actor, today: date) -> None:
        """Store what an action recorded (its effects); the state was already set by the machine.

        The forms an action produces (``IssueForm``) are not stored here: the use case hands them
        to the documents repository after this, so that they are made from what was stored.
        """
        self._actor = actor
        with self.session.no_autoflush:  # one UPDATE of the case, one version step
            for effect in effects:
                store = self._STORE.get(type(effect))
                if store is not None:
                    store(self, case, effect)
        if case.state in CLOSED_STATES and case.closed_on is None:
            case.closed_on = today
        elif case.state not in CLOSED_STATES:
            case.closed_on = None
        # Every action bumps the version, facts too: a page loaded before it is stale.
        flag_modified(case, "state")
        self.session.flush()

    def _assign_mentor(self, case: Case, e: AssignMentor) -> None:
        for current in self.session.scalars(
            select(MentorAssignment).where(
                MentorAssignment.case_id == case.id, MentorAssignment.until.is_(None)
            )
        ):
            current.until = e.since
        self.session.add(MentorAssignment(case_id=case.id, member_id=e.member_id, since=e.since))
        case.mentor_id = e.member_id
        case.mentor = self.session.get(Member, e.member_id)

    def _certificate(self, case: Case, e: RecordCertificate) -> None:
        self.session.add(
            Certificate(case_id=case.id, number=e.number, issued_on=e.issued_on, issuer=e.issuer)
        )
        case.certificate_number = e.number
        case.certificate_date = e.issued_on

    def _vote(self, case: Case, e: RecordVote) -> None:
        self.session.add(
            Vote(
                case_id=case.id,
                body=e.body,
                held_on=e.held_on,
                votes_for=e.votes_for,
                votes_against=e.votes_against,
                eligible=e.eligible,
                resolution_number=e.resolution_number,
            )
        )

    def _submitted(self, case: Case, e: MarkSubmitted) -> None:
        case.submitted_by_user_id = e.user_id
        case.cell_vote_date = e.vote_date

    def _decision(self, case: Case, e: RecordDecision) -> None:
        body = self._ancestors(case.cell)
        deciding = next((o for o in reversed(body) if o.decides_admissions), body[0])
        self.session.add(
            Decision(
                case_id=case.id,
                kind=e.kind,
                number=e.number,
                signed_on=e.signed_on,
                body_id=deciding.id,
            )
        )
        case.decision_number = e.number
        if e.kind == "admission":
            case.decision_date = e.signed_on
        else:
            case.recognized_on = e.signed_on

    def _create_member(self, case: Case, e: CreateMember) -> None:
        # Inserted on its own for its id: a flush here would UPDATE the case (and step its
        # version) a second time.
        case.member_id = self.session.scalar(
            insert(Member)
            .values(
                person_id=case.person_id,
                cell_id=case.cell_id,
                status=MemberStatus.probationary,
                admitted_on=e.admitted_on,
            )
            .returning(Member.id)
        )

    def _make_official(self, case: Case, e: MakeOfficial) -> None:
        member = self.session.get(Member, case.member_id) if case.member_id else None
        if member is not None:
            member.status = MemberStatus.official
            member.official_since = e.official_since

    def _end_membership(self, case: Case, e: EndMembership) -> None:
        member = self.session.get(Member, case.member_id) if case.member_id else None
        if member is not None:
            member.left_on = e.left_on

    def _introduction(self, case: Case, e: RecordIntroduction) -> None:
        self.session.add(
            Introduction(
                case_id=case.id,
                kind=e.kind,
                member_id=e.member_id,
                name=e.name,
                known_since=e.known_since,
                dated=e.dated,
            )
        )

    def _document(self, case: Case, e: FileDocument) -> None:
        record = DocumentRecord(case_id=case.id, code=e.code, dated=e.dated, number=e.number)
        self.session.add(record)
        if e.scan is not None:
            attach_scan(self.session, record, e.scan, self._actor)

    def _ceremony(self, case: Case, e: RecordCeremony) -> None:
        case.ceremony_on = e.held_on

    def _extension(self, case: Case, e: ExtendDecision) -> None:
        case.decision_extension_days = e.days

    _STORE: ClassVar[dict[type, Callable[[SqlCases, Case, Any], None]]] = {
        AssignMentor: _assign_mentor,
        RecordCertificate: _certificate,
        RecordVote: _vote,
        MarkSubmitted: _submitted,
        RecordDecision: _decision,
        CreateMember: _create_member,
        MakeOfficial: _make_official,
        EndMembership: _end_membership,
        RecordIntroduction: _introduction,
        FileDocument: _document,
        RecordCeremony: _ceremony,
        ExtendDecision: _extension,
    }
