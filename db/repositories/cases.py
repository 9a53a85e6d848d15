"""The case repository: loads what the rules judge, and stores what a transition recorded.

The write path (load, judge, store, append) runs on every use case that touches a case, so it
stays off the ORM's identity map and unit of work: the case is loaded as a ``CaseRow`` with one
Core SELECT (``case_rows``), and stored with Core statements and one versioned UPDATE
(``case_writes``). Opening a case (``create``) still goes through the ORM.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection, bindparam, func, literal_column, select
from sqlalchemy.orm import Session

from db.models import Case, ChainHead, DocumentRecord, Introduction, Organisation, Person, Vote
from db.repositories.case_rows import (
    CASES,
    LOAD_CASE,
    LOAD_CASE_APART,
    LOAD_CASE_FOR_UPDATE,
    LOAD_CASE_FOR_UPDATE_APART,
    LOAD_CELL,
    LOAD_MEMBER,
    MEMBERS,
    PEOPLE,
    CaseRow,
    case_row,
    cell_context,
    has_grassroots_committee,
    member_from,
)
from db.repositories.case_writes import CaseWrite, EffectStore, closed_on, entered_state
from db.repositories.history import HeadSeen, SqlHistory
from db.repositories.prepared import Prepared
from db.repositories.round_trips import Trips
from db.repositories.rule_facts import cell_roll, rule_fix_facts
from db.repositories.verification import verification_facts
from db.text import fold
from workflow.effects import Effect, IssueForm
from workflow.facts import Actor, CaseFacts, CellRoll, IntroducerFacts, MemberFacts, VoteFacts
from workflow.people import PERSON_FIELDS
from workflow.settings import RuleSettings
from workflow.states import CLOSED_STATES, MemberStatus, OrgType, State, Trigger

#: Actions whose rules read the case's paperwork; other actions skip loading it.
_NEEDS_DOSSIER = {
    Trigger.submit_dossier,
    Trigger.admit,
    Trigger.recognize,
    "record_recognition_vote",
}
_CLOSED = [s.value for s in CLOSED_STATES]
_CLOSED_SET = frozenset(_CLOSED)

_INTRODUCTIONS = Introduction.__table__
_VOTES = Vote.__table__
_DOCUMENTS = DocumentRecord.__table__
_INTRODUCER = MEMBERS.alias("introducer")
_INTRODUCER_PERSON = PEOPLE.alias("introducer_person")
_LOAD_INTRODUCTIONS = (
    select(
        _INTRODUCTIONS.c.kind,
        _INTRODUCTIONS.c.name,
        _INTRODUCTIONS.c.dated,
        _INTRODUCTIONS.c.known_since,
        _INTRODUCER.c.id,
        _INTRODUCER_PERSON.c.full_name,
        _INTRODUCER.c.cell_id,
        _INTRODUCER.c.status,
        _INTRODUCER.c.admitted_on,
        _INTRODUCER.c.person_id,
        _INTRODUCER.c.official_since,
        _INTRODUCTIONS.c.replacement,
        _INTRODUCTIONS.c.replacement_reason,
    )
    .select_from(_INTRODUCTIONS)
    .outerjoin(_INTRODUCER, _INTRODUCER.c.id == _INTRODUCTIONS.c.member_id)
    .outerjoin(_INTRODUCER_PERSON, _INTRODUCER_PERSON.c.id == _INTRODUCER.c.person_id)
    .where(_INTRODUCTIONS.c.case_id == bindparam("case_id"))
    .order_by(_INTRODUCTIONS.c.id)
)
_LOAD_VOTES = (
    select(
        _VOTES.c.body,
        _VOTES.c.held_on,
        _VOTES.c.votes_for,
        _VOTES.c.votes_against,
        _VOTES.c.eligible,
    )
    .where(_VOTES.c.case_id == bindparam("case_id"))
    .order_by(_VOTES.c.id)
)
_LOAD_DOCUMENTS = select(_DOCUMENTS.c.code, _DOCUMENTS.c.dated).where(
    _DOCUMENTS.c.case_id == bindparam("case_id")
)
_OFFICIAL_MEMBERS = (
    select(func.count())
    .select_from(MEMBERS)
    .where(
        MEMBERS.c.cell_id == bindparam("cell_id"),
        MEMBERS.c.status == MemberStatus.official.value,
        MEMBERS.c.left_on.is_(None),
    )
)
#: The loads per dialect: (read, for update).
_LOADS = {
    "sqlite": (Prepared(LOAD_CASE), Prepared(LOAD_CASE_FOR_UPDATE)),
    "postgresql": (Prepared(LOAD_CASE_APART), Prepared(LOAD_CASE_FOR_UPDATE_APART)),
}
_LOAD_MEMBER = Prepared(LOAD_MEMBER)
_HEAD = ChainHead.__table__
_LOCK_CHAIN_HEAD = select(_HEAD.c.id).where(_HEAD.c.id == 1).with_for_update()
_OPEN_CASES = (
    select(CASES.c.id)
    .join(PEOPLE, PEOPLE.c.id == CASES.c.person_id)
    # Case ids start at 1: ``but`` = 0 leaves out no case.
    # The closed states written into the SQL: a prepared statement takes no list parameter.
    .where(
        CASES.c.state.not_in([literal_column(f"'{s}'") for s in _CLOSED]),
        CASES.c.id != bindparam("but"),
    )
    .limit(1)
)
_OPEN_CASE_BY_ID_NUMBER = Prepared(_OPEN_CASES.where(PEOPLE.c.id_number == bindparam("id_number")))
_OPEN_CASE_BY_NAME = Prepared(
    _OPEN_CASES.where(
        PEOPLE.c.search_name == bindparam("search_name"),
        # As ``birth_date == None`` would: a person without a date matches one without.
        PEOPLE.c.birth_date.is_not_distinct_from(
            bindparam("birth_date", type_=PEOPLE.c.birth_date.type)
        ),
    )
)


class SqlCases:
    """Cases in one session."""

    def __init__(
        self,
        session: Session,
        settings: RuleSettings,
        head: HeadSeen | None = None,
        history: SqlHistory | None = None,
        trips: Trips | None = None,
    ):
        self.session = session
        #: PostgreSQL's write transaction: the load for update carries its BEGIN.
        self._trips = trips
        self.settings = settings
        #: The chain head a load for update reads and locks, for the history's append.
        self.head = head if head is not None else HeadSeen()
        # A unit of work binds its session to its own connection: use that one directly (asking
        # the session for it costs more than the statements' parameters, on every call).
        bind = session.bind
        self._connection = bind if isinstance(bind, Connection) else None
        self._members: dict[int, MemberFacts | None] = {}
        #: PostgreSQL: the unit of work's history, which carries the case's UPDATE in the
        #: event's statement (``record``). SQLite's round trips are in-process: nothing to save.
        self._carrier = (
            history
            if history is not None
            and self._connection is not None
            and self._connection.dialect.name == "postgresql"
            else None
        )

    def _conn(self) -> Connection:
        return self._connection or self.session.connection()

    # --- reading ----------------------------------------------------------------------------

    def get(self, case_id: int, *, for_update: bool = False) -> CaseRow | None:
        """The case with what the rules read of it, or None. `for_update`: the caller will change
        it and append an event; its row and the chain head's are locked (PostgreSQL), and the
        head read with it is handed to the history (``HeadSeen``)."""
        if self._carrier is not None and self._carrier.pending is not None:
            self._carrier.settle()  # a case write the history holds: the load must see it
        connection = self._conn()
        read, locking = _LOADS.get(connection.dialect.name, _LOADS["sqlite"])
        if not for_update:
            row = read.first(connection, {"case_id": case_id})
            return case_row(row) if row is not None else None
        if self._trips is not None:
            row = self._trips.first(locking, {"case_id": case_id})
        else:
            row = locking.first(connection, {"case_id": case_id})
        if row is None:
            return None
        self.head.saw(row[-2], row[-1])
        return case_row(row)

    def official_members(self, cell_id: int) -> int:
        """All official members of the cell as it stands (the votes count ``cell_roll``)."""
        return self._conn().scalar(_OFFICIAL_MEMBERS, {"cell_id": cell_id}) or 0

    def cell_roll(self, cell_id: int, on: date) -> CellRoll:
        """The cell's official members on `on` counted for its votes, and the exempted among
        them (``rule_facts.cell_roll``: the one place that count is made)."""
        return cell_roll(self._conn(), cell_id, on)

    def facts(self, case: CaseRow, action: str | None = None) -> CaseFacts:
        """What the rules judge; the paperwork only for the actions whose rules read it."""
        dossier: dict[str, Any] = {}
        if action is None or action in _NEEDS_DOSSIER:
            dossier = self._dossier(case)
        return CaseFacts(
            case_id=case.id,
            state=case.state,
            version=case.version,
            person_id=case.person_id,
            person_name=case.person_name,
            birth_date=case.birth_date,
            is_doan_member=case.is_doan_member,
            mentor=case.mentor,
            certificate_number=case.certificate_number,
            certificate_date=case.certificate_date,
            submitted_by_user_id=case.submitted_by_user_id,
            ceremony_on=case.ceremony_on,
            decision_date=case.decision_date,
            decision_extension_days=case.decision_extension_days or 0,
            has_other_open_case=(action == Trigger.reinstate and self._other_open_case(case)),
            **case.context,
            **dossier,
        )

    def _dossier(self, case: CaseRow) -> dict[str, Any]:
        connection = self._conn()
        params = {"case_id": case.id}
        documents: dict[str, date] = {}
        for code, dated in connection.execute(_LOAD_DOCUMENTS, params):
            documents[code] = max(dated, documents.get(code, dated))
        return {
            "introductions": tuple(
                IntroducerFacts(
                    kind=row[0],
                    name=row[1],
                    dated=row[2],
                    known_since=row[3],
                    member=member_from(row[4:11]),
                    replacement=bool(row[11]),
                    replacement_reason=row[12],
                )
                for row in connection.execute(_LOAD_INTRODUCTIONS, params)
            ),
            "votes": {row[0]: VoteFacts(*row) for row in connection.execute(_LOAD_VOTES, params)},
            "documents": documents,
            "cell_official_members": self.official_members(case.cell_id),
            **rule_fix_facts(connection, case.id),
            "verification": verification_facts(connection, case.id),
            "has_grassroots_committee": has_grassroots_committee(connection, case.cell_id),
        }

    def prospective_facts(self, fields: dict[str, Any]) -> CaseFacts | None:
        """The facts of a case about to be opened in ``fields["cell"]`` (None: no such cell)."""
        row = self._conn().execute(LOAD_CELL, {"cell_id": fields["cell"]}).first()
        if row is None or row[1] != OrgType.cell:
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
            **cell_context(row[0], row[2:]),
        )

    def _open_case_exists(
        self, fields: dict[str, Any], but: int | None = None, search_name: str | None = None
    ) -> bool:
        """The same person (by ID number, else by name and date of birth) has an open case
        (other than case `but`); `search_name` is the folded name, when already known."""
        connection = self._conn()
        if connection.dialect.name != "sqlite" and not self.head.locked:
            # Two identifications of one person must not both pass this check. PostgreSQL's
            # READ COMMITTED would let them, so queue them on the chain head's row lock (which
            # the append takes anyway) before looking; SQLite's BEGIN IMMEDIATE has queued them.
            connection.execute(_LOCK_CHAIN_HEAD)
        if fields.get("id_number"):
            query = _OPEN_CASE_BY_ID_NUMBER
            params = {"id_number": fields["id_number"], "but": but or 0}
        else:
            query = _OPEN_CASE_BY_NAME
            params = {
                "search_name": search_name or fold(fields.get("full_name") or ""),
                "birth_date": fields.get("birth_date"),
                "but": but or 0,
            }
        return query.first(connection, params) is not None

    def _other_open_case(self, case: CaseRow) -> bool:
        """Another case of the same person is open (a reinstated case would make two)."""
        if self._conn().dialect.name == "sqlite":
            # Loaded with the case, inside BEGIN IMMEDIATE: no identification can slip in.
            return case.other_open_case
        fields = {
            "id_number": case.id_number,
            "full_name": case.person_name,
            "birth_date": case.birth_date,
        }
        return self._open_case_exists(fields, but=case.id, search_name=case.search_name)

    def member(self, member_id: int) -> MemberFacts | None:
        """The party member `member_id` as the rules see them; None if unknown or gone."""
        if member_id not in self._members:
            row = _LOAD_MEMBER.first(self._conn(), {"member_id": member_id})
            left = row is None or row[7] is not None
            self._members[member_id] = None if left else member_from(row)
        return self._members[member_id]

    # --- writing ----------------------------------------------------------------------------

    def create(self, fields: dict[str, Any], actor: Actor, today: date) -> Case:
        """Open a case (``identify``) for a new person in ``fields["cell"]``."""
        person_fields = {k: fields.get(k) for k in PERSON_FIELDS}
        person = Person(
            **person_fields,
            search_name=fold(fields["full_name"]),
            is_doan_member=bool(fields.get("is_doan_member")),
        )
        case = Case(
            person=person,
            cell=self.session.get(Organisation, fields["cell"]),
            state=State.identified,
            source=fields["source"],
            source_detail=fields.get("source_detail"),
            opened_on=today,
            state_since=today,
        )
        self.session.add(case)
        self.session.flush()
        return case

    def record(self, case: CaseRow, effects: Sequence[Effect], actor: Actor, today: date) -> None:
        """Store what an action recorded (its effects); the state was already set by the machine.

        The forms an action produces (``IssueForm``) are not stored here: the use case hands them
        to the documents repository after this, so that they are made from what was stored.
        Every action steps the version, facts too: a page loaded before it is stale.

        On PostgreSQL, when the case was loaded for update and the action makes no form, the
        case's UPDATE is handed to the history and sent in the event's statement (one round trip
        fewer); a version that moved on is then a ``Conflict`` at the append, and nothing is
        appended. An action that makes forms writes the case now: the forms read it back.
        """
        store = EffectStore(self.session, self._conn(), actor, self.member)
        for effect in effects:
            store.store(case, effect)
        closed_on(case, _CLOSED_SET, today)
        entered_state(case, today)
        write = CaseWrite(case)
        carrier = self._carrier
        if (
            carrier is not None
            and self.head.locked
            and not any(isinstance(e, IssueForm) for e in effects)
        ):
            carrier.carry(write)
        else:
            write.run(store.connection)
