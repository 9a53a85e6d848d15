"""Moves on a real database (SQLite and PostgreSQL): a hand-over keeps the whole history and the
chain, moves the scope and the mentor; transfers; who counts in a cell's votes on a date."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from db.models import (
    Case,
    Decision,
    Event,
    Member,
    MemberTransfer,
    MentorAssignment,
    Organisation,
)
from db.read import moves as read_moves
from db.read.history import verify
from db.read.reports import admission_counts, targets_report
from db.read.statistics import admitted_people
from db.repositories.rule_facts import cell_roll
from tests.factories import NOW
from workflow.errors import InvalidInput, NotFound
from workflow.moves import HandOverStatus
from workflow.policy import Purpose, Scope
from workflow.services import moves as s
from workflow.services import view_case

REASON = "Tốt nghiệp, về địa phương sinh hoạt"


def _hand_over(district, case_id, username="sec", **kw):
    return s.hand_over_case(
        district.runtime.uow(),
        district.actor(username),
        case_id,
        district.other_cell.id,
        REASON,
        clock=NOW,
        **kw,
    )


def _events(district, case_id):
    with district.runtime.sessions() as session:
        return session.scalars(
            select(Event.action).where(Event.case_id == case_id).order_by(Event.id)
        ).all()


def test_a_hand_over_keeps_every_event_and_the_chain(district):
    case = district.to_trained()
    before = _events(district, case.id)
    h = _hand_over(district, case.id)
    mentor = district.other_members[1]
    s.accept_hand_over(
        district.runtime.uow(), district.actor("sec_other"), h.id, mentor.id, clock=NOW
    )
    after = _events(district, case.id)
    assert after == [*before, "hand_over_case", "accept_hand_over"]
    assert verify(district.runtime.engine).intact
    with district.runtime.sessions() as session:
        row = session.get(Case, case.id)
        assert (row.cell_id, row.mentor_id, row.state) == (
            district.other_cell.id,
            mentor.id,
            "trained",
        )
        assignments = session.execute(
            select(MentorAssignment.member_id, MentorAssignment.until)
            .where(MentorAssignment.case_id == case.id)
            .order_by(MentorAssignment.id)
        ).all()
    assert assignments[-2:] == [(district.members[1].id, NOW.today), (mentor.id, None)]
    with pytest.raises(NotFound):
        view_case(district.runtime.uow(write=False), district.actor("sec"), case.id)
    assert view_case(district.runtime.uow(write=False), district.actor("sec_other"), case.id)
    # The case goes on at its new cell: its secretary can fire its next step.
    district.fire(case.id, "withdraw", "sec_other", reason="Thử")


def test_refusals_leave_nothing(district):
    case = district.to_mentored()
    with pytest.raises(InvalidInput):
        s.hand_over_case(
            district.runtime.uow(),
            district.actor("sec"),
            case.id,
            district.cell.id,
            REASON,
            clock=NOW,
        )
    with pytest.raises(InvalidInput):
        s.hand_over_case(
            district.runtime.uow(),
            district.actor("sec"),
            case.id,
            district.committee.id,
            REASON,
            clock=NOW,
        )
    h = _hand_over(district, case.id)
    with pytest.raises(InvalidInput):  # a mentor of the sending cell
        s.accept_hand_over(
            district.runtime.uow(),
            district.actor("sec_other"),
            h.id,
            district.members[1].id,
            clock=NOW,
        )
    with district.runtime.sessions() as session:
        assert session.get(Case, case.id).cell_id == district.cell.id
    assert _events(district, case.id)[-1] == "hand_over_case"
    admitted = district.to_admitted(full_name="Trần Thị Bình", birth_date="1991-02-03")
    with pytest.raises(InvalidInput):
        _hand_over(district, admitted.id)


def test_both_secretaries_see_the_hand_over(district):
    case = district.to_mentored()
    h = _hand_over(district, case.id)
    with district.runtime.sessions() as session:
        incoming = read_moves.hand_overs(session, district.actor("sec_other"))
        outgoing = read_moves.hand_overs(session, district.actor("sec"))
        nobody = read_moves.hand_overs(session, district.actor("mentor"))
    assert [(r.id, r.direction) for r in incoming] == [(h.id, "incoming")]
    assert [(r.id, r.direction) for r in outgoing] == [(h.id, "outgoing")]
    assert nobody == []
    s.accept_hand_over(
        district.runtime.uow(),
        district.actor("sec_other"),
        h.id,
        district.other_members[1].id,
        clock=NOW,
    )
    with district.runtime.sessions() as session:
        done = read_moves.hand_overs(session, district.actor("sec"))
    assert [(r.status, r.name) for r in done] == [(HandOverStatus.accepted, "Nguyễn Văn An")]


def test_the_admission_is_counted_where_it_was_decided(district):
    case = district.to_admitted()
    with district.runtime.sessions() as session:
        decision = session.scalar(select(Decision).where(Decision.case_id == case.id))
        member_id = session.get(Case, case.id).member_id
    assert decision.cell_id == district.cell.id
    s.transfer_member(
        district.runtime.uow(),
        district.actor("com"),
        member_id,
        "official",
        district.other_cell.id,
        "2026-11-20",
        reason="Chuyển công tác",
        clock=NOW,
    )
    with district.runtime.sessions() as session:
        assert session.get(Case, case.id).cell_id == district.other_cell.id
        assert session.get(Member, member_id).cell_id == district.other_cell.id
        assert session.scalar(select(Decision.cell_id).where(Decision.case_id == case.id)) == (
            district.cell.id
        )
    assert _events(district, case.id)[-1] == "transfer_member"
    assert verify(district.runtime.engine).intact


def test_the_vote_roll_counts_attachments_at_home_and_transfers_from_their_day(district):
    cell, other = district.cell.id, district.other_cell.id
    uow, com = district.runtime.uow, district.actor("com")
    attached, moved = district.members[4], district.members[5]
    s.transfer_member(
        uow(),
        com,
        attached.id,
        "temporary",
        other,
        "2026-06-01",
        "2026-12-31",
        "Đi học tập trung",
        clock=NOW,
    )
    s.transfer_member(
        uow(), com, moved.id, "official", other, "2026-10-01", reason="Chuyển công tác", clock=NOW
    )
    with district.runtime.sessions() as session:
        conn = session.connection()

        def official(cell_id: int, on: date) -> int:
            return cell_roll(conn, cell_id, on).official

        here_july, there_july = official(cell, date(2026, 7, 1)), official(other, date(2026, 7, 1))
        here_oct, there_oct = official(cell, date(2026, 10, 1)), official(other, date(2026, 10, 1))
        early = official(cell, date(2010, 6, 1))
        kinds = session.scalars(select(MemberTransfer.kind).order_by(MemberTransfer.id)).all()
    everyone, others = len(district.members), len(district.other_members)
    assert here_july == everyone  # the attached member counts at home
    assert there_july == others  # and not at the host
    assert here_oct == everyone - 1
    assert there_oct == others + 1
    assert early == 0  # official only from official_since (2011): not yet
    assert kinds == ["temporary", "official"]


def test_a_member_transferred_after_admission_counts_at_the_admitting_cell(district):
    """The targets report and the statistics count an admission at the cell that admitted
    (``decisions.cell_id``), not at the cell the member was transferred to since."""
    case = district.to_admitted()
    with district.runtime.sessions() as session:
        signed = session.scalar(select(Decision.signed_on).where(Decision.case_id == case.id))
        member_id = session.get(Case, case.id).member_id
    s.transfer_member(
        district.runtime.uow(),
        district.actor("com"),
        member_id,
        "official",
        district.other_cell.id,
        "2026-11-20",
        reason="Chuyển công tác",
        clock=NOW,
    )
    cell, other = district.cell.id, district.other_cell.id
    with district.runtime.sessions() as session:
        counts = admission_counts(session, None)
        report = targets_report(session, None, signed.year, NOW.today)
        people = admitted_people(session, None, signed.year)
        other_path = session.get(Organisation, other).path
        in_other = admission_counts(session, Scope(Purpose.reports, (other_path,)))
    assert [(c.cell_id, c.count) for c in counts] == [(cell, 1)]
    admitted = {row.org.id: row.admitted for row in report.rows}
    assert (admitted[cell], admitted[other]) == (1, 0)
    assert [p.cell_id for p in people] == [cell]
    assert in_other == []  # the receiving cell's own view counts none of it
