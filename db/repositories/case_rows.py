"""The case as the write path loads it: one Core SELECT, one mutable row, statements built once.

Every use case that changes a case starts by loading it with what the rules judge. Through the ORM
that was a select, four lazy loads (person, cell, mentor, the mentor's person) and one more select
for the organisation tree. Here it is one statement: the case joined to its person, its cell and
its mentor, with the deciding body and the grassroots committee found by walking up the tree from
the cell (a recursive CTE over primary keys, so it costs the tree's depth, not its size, and always
sees the tree as it is now). The statements are module-level so that SQLAlchemy's compiled cache
serves them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, bindparam, case, false, func, literal_column, select, true

from db.models import Case, ChainHead, Member, Organisation, Person
from db.read.tree import placement_on
from workflow.facts import MemberFacts
from workflow.states import CLOSED_STATES, MemberStatus, OrgType, UnitKind

CASES = Case.__table__
PEOPLE = Person.__table__
MEMBERS = Member.__table__
ORGS = Organisation.__table__
_HEAD = ChainHead.__table__

#: The columns of ``cases`` that an action may change; the write puts them all back at once.
WRITTEN = (
    "state",
    "mentor_id",
    "certificate_number",
    "certificate_date",
    "submitted_by_user_id",
    "cell_vote_date",
    "decision_number",
    "decision_extension_days",
    "decision_date",
    "ceremony_on",
    "recognized_on",
    "member_id",
    "closed_on",
    "state_since",
)
# Constants written into the SQL (not bound): fewer parameters to process on every load.
_ZERO, _ONE = literal_column("0"), literal_column("1")
_COMMITTEE = literal_column(f"'{OrgType.committee.value}'")
_EMPTY = literal_column("''")
_CLOSED = [literal_column(f"'{s.value}'") for s in CLOSED_STATES]

_CASE_COLUMNS = (
    "id",
    "person_id",
    "cell_id",
    "version",
    "source",
    "source_detail",
    "opened_on",
    *WRITTEN,
)


@dataclass(eq=False, slots=True)
class CaseRow:
    """A stored case: its columns, and what the rules read of its person, cell and mentor.

    The machine sets ``state`` on it; ``SqlCases.record`` writes it back with one UPDATE.
    """

    id: int
    person_id: int
    cell_id: int
    version: int
    source: str
    source_detail: str | None
    opened_on: date
    state: str
    mentor_id: int | None
    certificate_number: str | None
    certificate_date: date | None
    submitted_by_user_id: int | None
    cell_vote_date: date | None
    decision_number: str | None
    decision_extension_days: int | None
    decision_date: date | None
    ceremony_on: date | None
    recognized_on: date | None
    member_id: int | None
    closed_on: date | None
    state_since: date | None
    # The person, the cell and where it sits (loaded with the case, read by ``facts``).
    person_name: str
    birth_date: date | None
    is_doan_member: bool
    id_number: str | None
    search_name: str
    context: dict[str, Any]
    #: The body that decides for the cell (its id goes on a decision).
    deciding_body_id: int
    mentor: MemberFacts | None
    #: Another case of the same person is open (read by ``reinstate`` on SQLite). Always False
    #: on PostgreSQL, whose loads leave it out: it looks under the chain head's lock instead.
    other_open_case: bool
    #: The values of ``WRITTEN`` as loaded (or last written): the UPDATE sets what changed.
    stored: tuple[Any, ...]


def _placement(where: Any) -> Any:
    """Where the organisation that `where` picks sits, as one row: walks up the tree by primary
    key (a recursive CTE: it costs the tree's depth, not its size), carrying the nearest
    deciding body and the nearest committee with a size. The root's row gives ``body_id`` (the
    nearest deciding body, else the root) and ``committee_size`` (else 0)."""
    org = ORGS
    anchor = (
        select(
            org.c.id,
            org.c.parent_id,
            case((org.c.decides_admissions, org.c.id)).label("deciding"),
            _committee_size(org).label("committee"),
            _ZERO.label("depth"),
        )
        .where(where)
        .cte("up", recursive=True)
    )
    parent = ORGS.alias("parent")
    step = (
        select(
            parent.c.id,
            parent.c.parent_id,
            func.coalesce(anchor.c.deciding, case((parent.c.decides_admissions, parent.c.id))),
            func.coalesce(anchor.c.committee, _committee_size(parent)),
            anchor.c.depth + _ONE,
        )
        .select_from(parent)
        .join(anchor, parent.c.id == anchor.c.parent_id)
        # A cycle in a broken tree must not loop for ever.
        .where(anchor.c.depth < literal_column("64"))
    )
    up = anchor.union_all(step)
    return (
        select(
            func.coalesce(up.c.deciding, up.c.id).label("body_id"),
            func.coalesce(up.c.committee, _ZERO).label("committee_size"),
        )
        .where(up.c.parent_id.is_(None))
        .subquery("placement")
    )


def _committee_size(org: Any) -> Any:
    """An organisation's committee size if it is a committee with one, else NULL."""
    return case(((org.c.type == _COMMITTEE) & (org.c.committee_size > _ZERO), org.c.committee_size))


_CELL = ORGS.alias("cell")
_BODY = ORGS.alias("body")
_MENTOR = MEMBERS.alias("mentor")
_MENTOR_PERSON = PEOPLE.alias("mentor_person")
_CELL_OF_CASE = select(CASES.c.cell_id).where(CASES.c.id == bindparam("case_id"))
_CASE_PLACEMENT = _placement(ORGS.c.id == _CELL_OF_CASE.scalar_subquery())
_CELL_PLACEMENT = _placement(ORGS.c.id == bindparam("cell_id"))

_CELL_CONTEXT_COLUMNS = (
    _CELL.c.path,
    _CELL.c.unit_kind,
    _CELL.c.has_doan,
    _BODY.c.id,
    _BODY.c.path,
)
_MENTOR_COLUMNS = (
    _MENTOR.c.id,
    _MENTOR_PERSON.c.full_name,
    _MENTOR.c.cell_id,
    _MENTOR.c.status,
    _MENTOR.c.admitted_on,
    _MENTOR.c.person_id,
    _MENTOR.c.official_since,
)

_OTHER = CASES.alias("other")
_OTHER_PERSON = PEOPLE.alias("other_person")


def _open_elsewhere(same_person: Any) -> Any:
    """EXISTS another open case whose person matches `same_person`."""
    return (
        select(_ONE)
        .select_from(_OTHER)
        .join(_OTHER_PERSON, _OTHER_PERSON.c.id == _OTHER.c.person_id)
        .where(same_person, _OTHER.c.id != CASES.c.id, _OTHER.c.state.not_in(_CLOSED))
        .exists()
    )


#: The same person (by ID number, else by folded name and date of birth) has another open
#: case. Each branch is an indexed lookup; CASE runs one of them.
_OTHER_OPEN_CASE = case(
    (
        func.coalesce(PEOPLE.c.id_number, _EMPTY) != _EMPTY,
        _open_elsewhere(_OTHER_PERSON.c.id_number == PEOPLE.c.id_number),
    ),
    else_=_open_elsewhere(
        (_OTHER_PERSON.c.search_name == PEOPLE.c.search_name)
        & _OTHER_PERSON.c.birth_date.is_not_distinct_from(PEOPLE.c.birth_date)
    ),
)


def _load_case(*head: Any, other_open: Any = _OTHER_OPEN_CASE) -> Any:
    """The case, its person, cell, deciding body, committee size and mentor, in one row, and
    the columns `head` of the chain head; `other_open`: whether another case of the person is
    open (``_OTHER_OPEN_CASE``, or a constant where it is looked up apart)."""
    # The head comes first in FROM: PostgreSQL then locks it before the case's row, so that a
    # writer waits for the head holding nothing (the order every appender takes them in).
    select_from = _HEAD.join(CASES, _HEAD.c.id == _ONE) if head else CASES
    return (
        select(
            *(CASES.c[name] for name in _CASE_COLUMNS),
            PEOPLE.c.full_name,
            PEOPLE.c.birth_date,
            PEOPLE.c.is_doan_member,
            PEOPLE.c.id_number,
            PEOPLE.c.search_name,
            *_CELL_CONTEXT_COLUMNS,
            _CASE_PLACEMENT.c.committee_size,
            *_MENTOR_COLUMNS,
            other_open.label("other_open"),
            *head,
        )
        .select_from(select_from)
        .join(PEOPLE, PEOPLE.c.id == CASES.c.person_id)
        .join(_CELL, _CELL.c.id == CASES.c.cell_id)
        .join(_CASE_PLACEMENT, true())
        .join(_BODY, _BODY.c.id == _CASE_PLACEMENT.c.body_id)
        .outerjoin(_MENTOR, _MENTOR.c.id == CASES.c.mentor_id)
        .outerjoin(_MENTOR_PERSON, _MENTOR_PERSON.c.id == _MENTOR.c.person_id)
        .where(CASES.c.id == bindparam("case_id"))
    )


#: The case as a page or a read-only use case sees it.
LOAD_CASE = _load_case()
#: The case a use case will change and then append an event about, with the chain head's last id
#: and digest (the history then need not read the head again). On PostgreSQL the head's row and
#: the case's are locked until the transaction ends; SQLite's write transactions hold the
#: database lock from BEGIN IMMEDIATE instead.
LOAD_CASE_FOR_UPDATE = _load_case(_HEAD.c.last_id, _HEAD.c.digest).with_for_update(
    of=[_HEAD, CASES]
)
#: PostgreSQL's two loads: the same rows without the look for another open case, which
#: PostgreSQL makes apart, after queueing on the chain head's lock (``SqlCases._other_open_case``:
#: READ COMMITTED would let two identifications of one person pass it at once). Its two indexed
#: EXISTS were 30-40 µs of every load (docs/performance.md).
LOAD_CASE_APART = _load_case(other_open=false())
LOAD_CASE_FOR_UPDATE_APART = _load_case(
    _HEAD.c.last_id, _HEAD.c.digest, other_open=false()
).with_for_update(of=[_HEAD, CASES])

#: A cell's type and where it sits, for a case not opened yet.
LOAD_CELL = (
    select(_CELL.c.id, _CELL.c.type, *_CELL_CONTEXT_COLUMNS, _CELL_PLACEMENT.c.committee_size)
    .select_from(_CELL)
    .join(_CELL_PLACEMENT, true())
    .join(_BODY, _BODY.c.id == _CELL_PLACEMENT.c.body_id)
    .where(_CELL.c.id == bindparam("cell_id"))
)

#: A party member as the rules see them (``MemberFacts``), with whether they have left.
LOAD_MEMBER = (
    select(*_MENTOR_COLUMNS, _MENTOR.c.left_on)
    .select_from(_MENTOR)
    .join(_MENTOR_PERSON, _MENTOR_PERSON.c.id == _MENTOR.c.person_id)
    .where(_MENTOR.c.id == bindparam("member_id"))
)

_N = len(_CASE_COLUMNS)
_N_FIXED = _N - len(WRITTEN)
#: Where ``_OTHER_OPEN_CASE`` sits in a row of ``LOAD_CASE`` (the head's columns may follow).
_OTHER_OPEN = _N + 18


def member_from(values: Any) -> MemberFacts | None:
    """``MemberFacts`` from the seven columns of a member (all None: no member)."""
    if values[0] is None:
        return None
    id_, name, cell_id, status, since, person_id, official_since = values[:7]
    return MemberFacts(id_, name, cell_id, MemberStatus(status), since, person_id, official_since)


def cell_context(cell_id: int, values: Any) -> dict[str, Any]:
    """What ``CaseFacts`` says of where the cell sits, from the columns of a cell's context
    (path, unit kind, has Đoàn, deciding body's id and path, committee size)."""
    path, unit_kind, has_doan, _body_id, body_path, committee_size = values
    return {
        "cell_id": cell_id,
        "cell_path": path,
        "deciding_body_path": body_path,
        "unit_kind": UnitKind(unit_kind),
        "unit_has_doan": has_doan,
        "grassroots_committee_size": committee_size,
    }


def case_row(row: Any) -> CaseRow:
    """The ``CaseRow`` of a row of ``LOAD_CASE``."""
    n = _N
    case_columns = tuple(row[:n])
    full_name, birth_date, is_doan, id_number, search_name = row[n : n + 5]
    context = row[n + 5 : n + 11]
    return CaseRow(
        *case_columns,
        person_name=full_name,
        birth_date=birth_date,
        is_doan_member=is_doan,
        id_number=id_number,
        search_name=search_name,
        context=cell_context(case_columns[2], context),
        deciding_body_id=context[3],
        mentor=member_from(row[n + 11 :]),
        other_open_case=bool(row[_OTHER_OPEN]),
        stored=case_columns[_N_FIXED:],
    )


# --- the tree of a day (decisions name the body of their date) -----------------------------------


def deciding_body_on(connection: Connection, cell_id: int, day: date) -> int | None:
    """The body that decided for the cell on `day` (the tree of that day: a decision signed
    before a restructuring names the body of its date); None if the cell did not exist then."""
    found = placement_on(connection, cell_id, day)
    return found.deciding.org_id if found is not None else None


def has_grassroots_committee(connection: Connection, cell_id: int) -> bool:
    """A grassroots committee sits between the cell and its deciding body now (restructurings
    never take effect after today, so now is the day of the action)."""
    found = placement_on(connection, cell_id, None)
    return found is not None and found.has_grassroots_committee
