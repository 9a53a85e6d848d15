"""Proposals on a real database: propose, accept (one unit of work with the identify), decline,
who lists what, a lost race, the chain, and the yearly count of accepted introductions."""

from __future__ import annotations

import json
import threading
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from db.actors import actor_by_username
from db.models import Case, Event, Organisation, Person, RoleGrant, User
from db.models.proposals import Proposal
from db.read import proposals as store
from db.read import reports
from db.read.history import verify
from db.repositories.organisations import add_organisation
from tests.factories import NOW
from workflow.clock import Clock
from workflow.errors import Conflict, InvalidTransition, NotFound, RuleViolation
from workflow.services import proposals as s
from workflow.states import Source

PERSON = {
    "full_name": "Lê Thị Hoa",
    "birth_date": "2008-04-02",
    "sex": "nữ",
    "id_number": "068308000123",
    "residence": "Liên Nghĩa, Đức Trọng",
    "occupation": "Học sinh lớp 12A1",
    "is_doan_member": "1",
    "reasons": "Học sinh giỏi 3 năm liền, Bí thư chi đoàn lớp 12A1.",
    "achievements": "Giải Nhì học sinh giỏi tỉnh môn Văn",
    "movement": "Câu lạc bộ Lý luận trẻ",
}


@pytest.fixture
def world(district):
    """The factories' district (``intro`` in the cell's Đoàn), plus a second introducer of the
    same Đoàn and a Công đoàn of the other cell with its own introducer."""
    rt = district.runtime
    with rt.sessions() as session:
        doan = session.scalar(select(Organisation).where(Organisation.type == "mass"))
        other = session.get(Organisation, district.other_cell.id)
        congdoan = add_organisation(session, "Công đoàn Công ty Thử", "mass", other)
        for username, org in (("intro2", doan), ("intro_other", congdoan)):
            user = User(username=username, full_name=username, password_hash="")
            user.grants.append(RoleGrant(role="introducer", organisation_id=org.id))
            session.add(user)
        session.commit()
        for name in ("intro2", "intro_other"):
            district.actors[name] = actor_by_username(session, name)
        district.doan_id, district.congdoan_id = doan.id, congdoan.id
    return district


def _uow(world):
    return world.runtime.uow()


def _propose(world, username="intro", org=None, clock=NOW, **overrides):
    return s.propose_candidate(
        _uow(world),
        world.actor(username),
        org or world.doan_id,
        {**PERSON, **overrides},
        clock=clock,
    )


def _accept(world, proposal_id, username="sec", clock=NOW, **kw):
    return s.accept_proposal(_uow(world), world.actor(username), proposal_id, clock=clock, **kw)


def _decline(world, proposal_id, reason="Chưa đủ tiêu chuẩn.", username="sec", clock=NOW):
    return s.decline_proposal(
        _uow(world), world.actor(username), proposal_id, {"reason": reason}, clock=clock
    )


def _lists(world, username):
    with world.runtime.sessions() as session:
        lists = store.list_proposals(session, world.actor(username))
        return [x.id for x in lists.pending], [x.id for x in lists.decided]


def test_an_introducer_proposes_and_the_secretary_accepts(world):
    proposal = _propose(world)
    assert proposal.status == "proposed" and proposal.cell_id == world.cell.id
    assert proposal.organisation_name == "Đoàn trường THPT Thử"
    assert proposal.cell_name == "Chi bộ trường THPT Thử"

    decided, case = _accept(world, proposal.id, expected_version=proposal.version)
    assert decided.status == "accepted" and decided.case_id == case.id
    with world.runtime.sessions() as session:
        stored = session.get(Case, case.id)
        assert stored.state == "identified" and stored.cell_id == world.cell.id
        assert stored.source == Source.mass_organisation
        assert stored.source_detail == (
            f"Đoàn trường THPT Thử (đề xuất số {proposal.id}, {NOW.today:%d/%m/%Y})"
        )
        person = session.get(Person, stored.person_id)
        assert (person.full_name, person.birth_date) == ("Lê Thị Hoa", date(2008, 4, 2))
        assert person.id_number == "068308000123" and person.is_doan_member
        row = session.get(Proposal, proposal.id)
        assert (row.status, row.case_id, row.decided_on) == ("accepted", case.id, NOW.today)
        assert row.decided_by_id == world.actor("sec").user_id


def test_the_events_are_in_the_chain_and_it_holds(world):
    proposal = _propose(world)
    _, case = _accept(world, proposal.id)
    declined = _propose(world, full_name="Trần Văn Bình", id_number="068208000999")
    _decline(world, declined.id, "Chưa tham gia sinh hoạt đoàn đều đặn.")
    with world.runtime.sessions() as session:
        events = session.scalars(
            select(Event).where(Event.id > 0).order_by(Event.id.desc()).limit(5)
        ).all()[::-1]
    assert [(e.action, e.case_id, e.organisation_id) for e in events] == [
        ("propose_candidate", None, world.doan_id),
        ("identify", case.id, None),
        ("accept_proposal", None, world.doan_id),
        ("propose_candidate", None, world.doan_id),
        ("decline_proposal", None, world.doan_id),
    ]
    propose, identify, accept, _, decline = events
    assert (propose.username, propose.role) == ("intro", "introducer")
    assert json.loads(propose.data)["proposal_id"] == proposal.id
    assert json.loads(propose.data)["reasons"] == PERSON["reasons"]
    assert (identify.username, accept.username, accept.role) == ("sec", "sec", "secretary")
    assert json.loads(accept.data)["case_id"] == case.id
    assert decline.reason == "Chưa tham gia sinh hoạt đoàn đều đặn."
    report = verify(world.runtime.engine)
    assert report.intact, report.problem


def test_a_declined_proposal_opens_nothing(world):
    proposal = _propose(world)
    with world.runtime.sessions() as session:
        cases = session.scalar(select(func.count()).select_from(Case))
    decided = _decline(world, proposal.id, "Chưa đủ tiêu chuẩn.")
    assert (decided.status, decided.case_id) == ("declined", None)
    with world.runtime.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Case)) == cases
    seen = s.view_proposal(_uow(world), world.actor("intro"), proposal.id)
    assert (seen.status, seen.decline_reason) == ("declined", "Chưa đủ tiêu chuẩn.")


def test_a_refused_identify_rolls_the_acceptance_back(world):
    """The person already has an open case: nothing of the acceptance is kept."""
    world.identify(full_name="Lê Thị Hoa", birth_date="2008-04-02", id_number="068308000123")
    proposal = _propose(world)
    with world.runtime.sessions() as session:
        before = session.scalar(select(func.count()).select_from(Event))
    with pytest.raises(RuleViolation) as refused:
        _accept(world, proposal.id)
    assert [f.rule for f in refused.value.failures] == ["single_open_case"]
    with world.runtime.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Event)) == before
        assert session.get(Proposal, proposal.id).status == "proposed"
        assert session.scalar(select(func.count()).select_from(Case)) == 1


def test_double_accept_is_refused(world):
    proposal = _propose(world)
    _accept(world, proposal.id)
    with pytest.raises(InvalidTransition):
        _accept(world, proposal.id)
    with pytest.raises(InvalidTransition):
        _decline(world, proposal.id)
    with world.runtime.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Case)) == 1


def test_an_outdated_form_is_a_conflict(world):
    proposal = _propose(world)
    _decline(world, proposal.id)
    with pytest.raises((Conflict, InvalidTransition)):
        _accept(world, proposal.id, expected_version=proposal.version)


def test_two_secretaries_accepting_at_once_open_one_case(world):
    """Two decisions race: the proposal's row lock (or SQLite's write lock) lets one through."""
    proposal = _propose(world)
    results: list[object] = []
    barrier = threading.Barrier(2)

    def decide():
        barrier.wait()
        try:
            results.append(_accept(world, proposal.id)[1].id)
        except (InvalidTransition, Conflict) as refused:
            results.append(type(refused))

    threads = [threading.Thread(target=decide) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    opened = [r for r in results if isinstance(r, int)]
    assert len(opened) == 1 and len(results) == 2
    with world.runtime.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Case)) == 1


def test_an_introducer_lists_only_their_own_proposals(world):
    mine = _propose(world)
    colleague = _propose(world, "intro2", full_name="Phan Văn C", id_number="068208000111")
    other = _propose(
        world,
        "intro_other",
        world.congdoan_id,
        full_name="Nguyễn Thị D",
        id_number="068308000222",
    )
    assert _lists(world, "intro") == ([mine.id], [])
    assert _lists(world, "intro2") == ([colleague.id], [])
    assert _lists(world, "intro_other") == ([other.id], [])
    # The cell's secretary sees both of the cell's, not the other cell's.
    assert _lists(world, "sec") == ([mine.id, colleague.id], [])
    assert _lists(world, "sec_other") == ([other.id], [])
    assert _lists(world, "mentor") == ([], [])
    assert _lists(world, "com") == ([], [])
    with world.runtime.sessions() as session:
        waiting = {u: store.pending_count(session, world.actor(u)) for u in ("sec", "sec_other")}
        assert waiting == {"sec": 2, "sec_other": 1}
        assert store.pending_count(session, world.actor("intro")) == 0
    _accept(world, mine.id)
    assert _lists(world, "intro") == ([], [mine.id])
    for username, proposal in (("intro2", mine), ("intro", other), ("sec_other", mine)):
        with pytest.raises(NotFound):
            s.view_proposal(_uow(world), world.actor(username), proposal.id)
    with pytest.raises(NotFound):
        _accept(world, other.id)  # the secretary of another cell


# --- the yearly quota ----------------------------------------------------------------------------


def _on(day: str) -> Clock:
    return Clock(datetime.fromisoformat(day).replace(hour=3, tzinfo=UTC))


def test_accepted_introductions_count_by_the_year_of_the_decision(world):
    names = iter(f"Người {i}" for i in range(10))

    def proposed(org=None, username="intro", day="2025-12-20"):
        name = next(names)
        return _propose(world, username, org, _on(day), full_name=name, id_number=None)

    late = proposed()  # proposed in 2025, accepted in 2026
    _accept(world, late.id, clock=_on("2026-01-05"))
    early = proposed()
    _accept(world, early.id, clock=_on("2025-12-22"))
    _decline(world, proposed().id, clock=_on("2026-02-01"))  # declined: not counted
    proposed(day="2026-03-01")  # pending: not counted
    other = proposed(world.congdoan_id, "intro_other", "2026-03-01")
    _accept(world, other.id, "sec_other", clock=_on("2026-03-02"))

    with world.runtime.sessions() as session:
        assert store.accepted_introductions(session, 2026) == {
            world.doan_id: 1,
            world.congdoan_id: 1,
        }
        assert store.accepted_introductions(session, 2025) == {world.doan_id: 1}
        assert store.accepted_introductions(session, 2024) == {}


def test_the_targets_report_counts_accepted_proposals_once(world):
    """An accepted proposal's case is counted as the proposal, not a second time as a case
    whose source is the organisation; a case recorded by hand with that source still counts."""
    accepted = _propose(world, clock=_on("2026-03-01"))
    _accept(world, accepted.id, clock=_on("2026-03-02"))
    world.identify(
        clock=_on("2026-04-01"),
        full_name="Người ghi tay",
        source="mass_organisation",
        source_detail="Đoàn trường THPT Thử",
    )
    assert _introduced(world) == (2, 0)


def test_the_targets_report_counts_proposals_by_organisation_not_by_recorded_name(world):
    """Renamed after the acceptance: the proposal still counts for its organisation (the case's
    recorded source, which names the old name, would not)."""
    accepted = _propose(world, clock=_on("2026-03-01"))
    _accept(world, accepted.id, clock=_on("2026-03-02"))
    with world.runtime.sessions() as session:
        session.get(Organisation, world.doan_id).name = "Đoàn Thanh niên trường THPT Thử"
        session.commit()
    assert _introduced(world) == (1, 0)


def _introduced(world) -> tuple[int, int]:
    """The 2026 introductions of the Đoàn and of the Công đoàn, as the targets report counts."""
    with world.runtime.sessions() as session:
        report = reports.targets_report(session, None, 2026, date(2026, 7, 29))
    counts = {q.org.id: q.introduced for q in report.quotas}
    return counts[world.doan_id], counts[world.congdoan_id]
