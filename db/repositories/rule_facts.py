"""What issue 10's rule fixes read besides the case's row: the cell's roll on a vote date, and
the person's education, the exceptions, the recognition votes, the branch committee and the
referral of one case. Separate small queries, run only for the actions whose rules read the
dossier, so that the write path's one-statement load stays as it is.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection, and_, bindparam, case, func, literal_column, or_, select

from db.models import Case, Member, MemberTransfer, Organisation, Person, Vote
from db.models.cases import CaseException
from workflow.facts import CaseException as CaseExceptionFacts
from workflow.facts import CellRoll, VoteFacts
from workflow.moves import TransferKind
from workflow.states import MemberStatus, VoteBody

_MEMBERS = Member.__table__
_CASES = Case.__table__
_PEOPLE = Person.__table__
_ORGS = Organisation.__table__
_VOTES = Vote.__table__
_EXCEPTIONS = CaseException.__table__
_TRANSFERS = MemberTransfer.__table__
_ON = bindparam("on", type_=_MEMBERS.c.admitted_on.type)

#: The member's cell on the day: the cell they left by their first official transfer after it,
#: else their cell today. A temporary attachment never moves a member (``Member.cell_id`` stays
#: the home cell): they count at home, never at the host.
_LEFT_LATER = (
    select(_TRANSFERS.c.from_cell_id)
    .where(
        _TRANSFERS.c.member_id == _MEMBERS.c.id,
        _TRANSFERS.c.kind == TransferKind.official.value,
        _TRANSFERS.c.starts_on > _ON,
    )
    .order_by(_TRANSFERS.c.starts_on, _TRANSFERS.c.id)
    .limit(1)
    .correlate(_MEMBERS)
    .scalar_subquery()
)
_CELL_ON = func.coalesce(_LEFT_LATER, _MEMBERS.c.cell_id)
#: Official on the day: recognised (a register without the date: since admission), admitted by
#: then, not gone.
_OFFICIAL_ON = and_(
    _MEMBERS.c.status == MemberStatus.official.value,
    _MEMBERS.c.admitted_on <= _ON,
    func.coalesce(_MEMBERS.c.official_since, _MEMBERS.c.admitted_on) <= _ON,
    or_(_MEMBERS.c.left_on.is_(None), _MEMBERS.c.left_on > _ON),
)
_CELL_ROLL = select(
    func.count(),
    func.coalesce(func.sum(case((_MEMBERS.c.excused, literal_column("1")), else_=0)), 0),
).where(bindparam("cell_id") == _CELL_ON, _OFFICIAL_ON)

_CASE_EXTRAS = (
    select(_PEOPLE.c.education, _ORGS.c.has_branch_committee, _CASES.c.recognition_referred_on)
    .select_from(_CASES)
    .join(_PEOPLE, _PEOPLE.c.id == _CASES.c.person_id)
    .join(_ORGS, _ORGS.c.id == _CASES.c.cell_id)
    .where(_CASES.c.id == bindparam("case_id"))
)
_EXCEPTIONS_OF_CASE = (
    select(
        _EXCEPTIONS.c.kind,
        _EXCEPTIONS.c.dated,
        _EXCEPTIONS.c.number,
        _EXCEPTIONS.c.issued_by,
        _EXCEPTIONS.c.area,
        _EXCEPTIONS.c.reason,
    )
    .where(_EXCEPTIONS.c.case_id == bindparam("case_id"))
    .order_by(_EXCEPTIONS.c.id)
)
_RECOGNITION_VOTES = (
    select(
        _VOTES.c.body,
        _VOTES.c.held_on,
        _VOTES.c.votes_for,
        _VOTES.c.votes_against,
        _VOTES.c.eligible,
        _VOTES.c.official_members,
        _VOTES.c.excused_absent,
        _VOTES.c.present,
    )
    .where(_VOTES.c.case_id == bindparam("case_id"), _VOTES.c.body == VoteBody.recognition.value)
    .order_by(_VOTES.c.id)
)


def cell_roll(connection: Connection, cell_id: int, on: date) -> CellRoll:
    """The cell's official members on `on` counted for its votes, and how many of them are
    exempted from activity (the ``excused`` flag as it stands: the register keeps no dates).

    The one vote roll: members of the cell on that date (an official transfer after it undone:
    they count at the cell they left), official by then, not gone; a member temporarily attached
    elsewhere counts at home, never at the host."""
    official, excused = connection.execute(_CELL_ROLL, {"cell_id": cell_id, "on": on}).one()
    return CellRoll(int(official or 0), int(excused or 0))


def rule_fix_facts(connection: Connection, case_id: int) -> dict[str, Any]:
    """The ``CaseFacts`` fields of the rule fixes, for one case."""
    params = {"case_id": case_id}
    row = connection.execute(_CASE_EXTRAS, params).first()
    education, branch, referred = row if row is not None else (None, False, None)
    exceptions = {
        kind: CaseExceptionFacts(kind, dated, number, issued_by, area, reason)
        for kind, dated, number, issued_by, area, reason in connection.execute(
            _EXCEPTIONS_OF_CASE, params
        )
    }
    votes = tuple(
        VoteFacts(
            VoteBody(body),
            held_on,
            votes_for,
            votes_against,
            eligible,
            official_members=official,
            excused_absent=excused or 0,
            present=present,
        )
        for body, held_on, votes_for, votes_against, eligible, official, excused, present in (
            connection.execute(_RECOGNITION_VOTES, params)
        )
    )
    return {
        "education": education,
        "exceptions": exceptions,
        "recognition_votes": votes,
        "cell_has_branch_committee": bool(branch),
        "recognition_referred_on": referred,
    }
