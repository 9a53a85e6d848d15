"""The case repository's write path: one load with what the rules read, one versioned write."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from db.models import Case, MentorAssignment, Organisation
from db.repositories.organisations import add_organisation
from tests.factories import TODAY
from workflow.clock import Clock
from workflow.effects import AssignMentor
from workflow.errors import Conflict, RuleViolation
from workflow.events import new_event

NOW = Clock.at(TODAY)


def test_a_case_loads_with_its_person_cell_mentor_and_deciding_body(district):
    case = district.to_mentored()
    with district.runtime.uow(write=False) as uow:
        row = uow.cases.get(case.id)
        facts = uow.cases.facts(row, "withdraw")
        assert uow.cases.get(case.id + 1000) is None
    assert (row.id, row.state, row.version) == (case.id, "mentored", 2)
    assert (facts.person_name, facts.cell_id, facts.cell_path) == (
        "Nguyễn Văn An",
        district.cell.id,
        district.cell.path,
    )
    assert (facts.deciding_body_path, facts.grassroots_committee_size) == (
        district.committee.path,
        15,
    )
    assert facts.mentor is not None and facts.mentor.id == district.members[1].id
    assert facts.mentor.name == "Đảng viên 1"


def test_an_edit_of_the_tree_is_seen_by_the_next_load(district):
    """Where a cell sits is read from the tree as it is now: no cache to go stale."""
    case = district.identify()
    with district.runtime.sessions() as session:
        root = session.get(Organisation, district.committee.id)
        grassroots = add_organisation(
            session, "Đảng ủy xã Thử", "committee", root, decides_admissions=True, committee_size=9
        )
        cell = session.get(Organisation, district.cell.id)
        cell.parent_id, cell.path = grassroots.id, f"{grassroots.path}{cell.id}/"
        session.commit()
        below = grassroots.path
    with district.runtime.uow(write=False) as uow:
        facts = uow.cases.facts(uow.cases.get(case.id), "withdraw")
    assert (facts.deciding_body_path, facts.grassroots_committee_size) == (below, 9)
    with district.runtime.sessions() as session:
        session.execute(
            update(Organisation)
            .where(Organisation.id == grassroots.id)
            .values(decides_admissions=False, committee_size=0)
        )
        session.commit()
    with district.runtime.uow(write=False) as uow:
        facts = uow.cases.facts(uow.cases.get(case.id), "withdraw")
    # No deciding body below the root any more, and the root's committee counts.
    assert (facts.deciding_body_path, facts.grassroots_committee_size) == (
        district.committee.path,
        15,
    )


def test_a_transition_writes_the_case_once_and_steps_its_version(district):
    case = district.to_mentored()
    fired = district.fire(case.id, "reassign_mentor", mentor=district.members[2].id)
    assert (fired.state, fired.version, fired.mentor_id) == ("mentored", 3, district.members[2].id)
    with district.runtime.sessions() as session:
        stored = session.get(Case, case.id)
        assignments = session.scalars(
            select(MentorAssignment)
            .where(MentorAssignment.case_id == case.id)
            .order_by(MentorAssignment.id)
        ).all()
    assert (stored.state, stored.version, stored.mentor_id) == ("mentored", 3, fired.mentor_id)
    assert [(a.member_id, a.until) for a in assignments] == [
        (district.members[1].id, TODAY),
        (district.members[2].id, None),
    ]


def test_a_case_changed_after_it_was_loaded_is_a_conflict(district):
    """The write names the version it loaded: a row that moved on is not overwritten. (On
    PostgreSQL the UPDATE travels in the event's statement, sent with COMMIT: the conflict comes
    at the commit, and nothing is committed.)"""
    case = district.to_mentored()
    sec = district.actor("sec")
    with district.runtime.uow() as uow:
        row = uow.cases.get(case.id, for_update=True)
        uow.session.execute(update(Case).where(Case.id == case.id).values(version=Case.version + 1))
        with pytest.raises(Conflict):
            uow.cases.record(row, [AssignMentor(district.members[2].id, TODAY)], sec, TODAY)
            event_ = new_event(sec, "secretary", "reassign_mentor", NOW, "v1", case_id=case.id)
            uow.history.append(event_)
            uow.commit()
    with district.runtime.uow(write=False) as uow:
        assert uow.cases.get(case.id).version == case.version  # rolled back


def test_reinstating_is_refused_while_the_same_name_and_birth_date_has_an_open_case(district):
    first = district.to_state("withdrawn")  # no ID number: the name and the date tell
    district.identify()
    with pytest.raises(RuleViolation) as refused:
        district.fire(first.id, "reinstate", reason="quay lại")
    assert [f.rule for f in refused.value.failures] == ["single_open_case"]


def test_reinstating_is_allowed_when_the_other_cases_are_closed(district):
    first = district.to_state("withdrawn")
    second = district.identify()
    district.fire(second.id, "withdraw", reason="chuyển trường")
    assert district.fire(first.id, "reinstate", reason="quay lại").state == "identified"
    # A different date of birth is another person.
    other = district.identify(birth_date="1991-01-01")
    assert other.state == "identified"
