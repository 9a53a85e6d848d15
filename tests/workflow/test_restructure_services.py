"""Restructuring the tree as of a date, on fakes: each change keeps the values of earlier days,
each refusal names its reason and leaves nothing (no change, no event, no commit)."""

from __future__ import annotations

from datetime import date

import pytest

from tests.workflow.fakes import CLOCK, FakeUnitOfWork
from tests.workflow.fakes.cases import FakeCase
from workflow import admin as admin_rules
from workflow import tree as rules
from workflow.errors import InvalidInput, NotAllowed, NotFound
from workflow.facts import Actor, Grant
from workflow.services import restructure as s
from workflow.states import State
from workflow.tree import placement

ADMIN = Actor(50, "adm", (Grant("admin", 1, "/1/"),))
CELL_ADMIN = Actor(51, "adm_firm", (Grant("admin", 4, "/1/2/4/"),))
SECRETARY = Actor(10, "sec", (Grant("secretary", 3, "/1/2/3/"),))
REFORM = date(2025, 7, 1)
BEFORE = date(2025, 6, 30)


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


def _state(uow: FakeUnitOfWork) -> tuple:
    t = uow.tree
    return (
        dict(uow.organisations.items),
        dict(t.since),
        dict(t.dissolved),
        list(t.past),
        dict(uow.users.items),
    )


def refused(uow: FakeUnitOfWork, error: type[Exception], call, *args, **kw) -> Exception:
    """`call` is refused with `error`, and nothing is stored, logged or committed."""
    before, events = _state(uow), list(uow.history.events)
    uow.committed = False
    with pytest.raises(error) as caught:
        call(uow, *args, clock=CLOCK, **kw)
    assert _state(uow) == before
    assert uow.history.events == events and not uow.committed
    return caught.value


def invalid(uow, field: str, message: str, call, *args, **kw) -> None:
    err = refused(uow, InvalidInput, call, *args, **kw)
    assert (err.field, err.message) == (field, message)


def _event(uow: FakeUnitOfWork, action: str):
    event = uow.history.events[-1]
    assert event.action == f"admin_{action}" and event.role == "admin"
    assert uow.committed
    return event


# --- rename, and the date rules every change shares -----------------------------------------------


def test_a_rename_keeps_the_old_name_for_the_days_before(uow):
    s.rename_organisation(uow, ADMIN, 2, "Đảng ủy xã Mới", REFORM, clock=CLOCK)
    assert uow.organisations.get(2).name == "Đảng ủy xã Mới"
    assert uow.tree.tree_on(BEFORE).get(2).name == "Đảng ủy xã Thử"
    assert uow.tree.tree_on(REFORM).get(2).name == "Đảng ủy xã Mới"
    event = _event(uow, "rename_organisation")
    assert event.data == {
        "organisation": "Đảng ủy xã Thử",
        "name": "Đảng ủy xã Mới",
        "as_of": "2025-07-01",
    }
    assert event.organisation_id == 2


def test_a_change_on_the_day_its_version_began_replaces_that_version(uow):
    s.rename_organisation(uow, ADMIN, 2, "Tên một", REFORM, clock=CLOCK)
    s.rename_organisation(uow, ADMIN, 2, "Tên hai", REFORM, clock=CLOCK)
    assert [v.name for v in uow.tree.past] == ["Đảng ủy xã Thử"]
    assert uow.tree.tree_on(REFORM).get(2).name == "Tên hai"


@pytest.mark.parametrize(
    ("as_of", "message"),
    [
        (date(2026, 11, 28), rules.IN_FUTURE),  # the clock's today is 27/11/2026
        (date(2025, 6, 30), rules.BEFORE_CURRENT),  # the current version began 01/07/2025
        ("2025-07-01", rules.NOT_A_DATE),
    ],
)
def test_dates_in_the_future_or_before_the_current_version_are_refused(uow, as_of, message):
    s.rename_organisation(uow, ADMIN, 2, "Tên một", REFORM, clock=CLOCK)
    invalid(uow, "as_of", message, s.rename_organisation, ADMIN, 2, "Tên hai", as_of)


def test_today_is_the_last_day_a_change_may_take_effect(uow):
    s.rename_organisation(uow, ADMIN, 2, "Tên mới", CLOCK.today, clock=CLOCK)
    assert uow.tree.version(2).valid_from == CLOCK.today


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (" ", "required"),
        ("x" * (rules.NAME_MAX + 1), "too long"),
        ("Đảng ủy xã Thử", rules.UNCHANGED),
    ],
)
def test_a_rename_needs_a_new_name_of_at_most_200_characters(uow, name, message):
    invalid(uow, "name", message, s.rename_organisation, ADMIN, 2, name, REFORM)


def test_a_name_of_200_characters_is_taken(uow):
    s.rename_organisation(uow, ADMIN, 2, "x" * rules.NAME_MAX, REFORM, clock=CLOCK)
    assert uow.organisations.get(2).name == "x" * rules.NAME_MAX


def test_only_an_admin_of_the_organisation_restructures(uow):
    refused(uow, NotAllowed, s.rename_organisation, SECRETARY, 2, "Tên", REFORM)
    refused(uow, NotFound, s.rename_organisation, CELL_ADMIN, 2, "Tên", REFORM)


# --- move -----------------------------------------------------------------------------------------


def test_a_cell_moved_under_the_deciding_committee_loses_its_grassroots_committee(uow):
    s.move_organisation(uow, ADMIN, 4, 1, REFORM, clock=CLOCK)
    assert uow.organisations.get(4).path == "/1/4/"
    before = placement(uow.tree.tree_on(BEFORE), 4)
    after = placement(uow.tree.tree_on(REFORM), 4)
    assert before.names == {
        "cell": "Chi bộ Công ty Thử",
        "deciding": "Huyện ủy Thử",
        "grassroots": "Đảng ủy xã Thử",
    }
    assert before.has_grassroots_committee and not after.has_grassroots_committee
    assert _event(uow, "move_organisation").data["parent"] == "Huyện ủy Thử"


def test_a_committee_moves_with_everything_below_it(uow):
    new = uow.organisations.add(uow.organisations.get(1), "Đảng ủy khác", "committee")
    s.move_organisation(uow, ADMIN, 2, new.id, REFORM, clock=CLOCK)
    assert uow.organisations.get(3).path == f"/1/{new.id}/2/3/"
    assert uow.organisations.get(5).path == f"/1/{new.id}/2/3/5/"
    assert uow.tree.tree_on(BEFORE).path(5) == "/1/2/3/5/"


def test_moves_that_would_make_a_cycle_or_move_the_root_are_refused(uow):
    below = uow.organisations.add(uow.organisations.get(2), "Đảng ủy bộ phận", "committee")
    invalid(uow, "parent", rules.CYCLE, s.move_organisation, ADMIN, 2, below.id, REFORM)
    invalid(uow, "parent", rules.CYCLE, s.move_organisation, ADMIN, 2, 2, REFORM)
    invalid(uow, "organisation", rules.NO_ROOT_CHANGE, s.move_organisation, ADMIN, 1, 2, REFORM)


def test_a_move_under_the_wrong_kind_or_to_the_same_parent_is_refused(uow):
    invalid(uow, "parent", admin_rules.PARENT_KIND, s.move_organisation, ADMIN, 2, 3, REFORM)
    invalid(uow, "parent", rules.UNCHANGED, s.move_organisation, ADMIN, 4, 2, REFORM)
    invalid(uow, "parent", admin_rules.UNKNOWN_CHOICE, s.move_organisation, ADMIN, 4, 999, REFORM)


def test_a_move_under_an_organisation_founded_later_is_refused(uow):
    new = s.split_organisation(
        uow, ADMIN, 2, name="Đảng ủy xã Mới", children=[4], as_of=REFORM, clock=CLOCK
    )
    invalid(uow, "parent", rules.NOT_YET, s.move_organisation, ADMIN, 3, new, BEFORE)


# --- merge, split, dissolve -----------------------------------------------------------------------


def test_a_merge_moves_the_children_and_dissolves_the_merged_organisation(uow):
    s.merge_organisations(uow, ADMIN, 2, 1, REFORM, clock=CLOCK)
    assert uow.organisations.get(3).path == "/1/3/"
    assert uow.tree.version(2).valid_until == REFORM
    assert 2 not in uow.tree.tree_on(REFORM).nodes and 2 in uow.tree.tree_on(BEFORE).nodes
    event = _event(uow, "merge_organisations")
    assert event.data["moved"] == ["Chi bộ trường THPT Thử", "Chi bộ Công ty Thử"]


def test_a_cell_with_open_cases_is_not_merged_until_they_are_handed_over(uow):
    uow.cases.items[7] = FakeCase(7, State.mentored, cell_id=3)
    invalid(uow, "organisation", rules.OPEN_CASES, s.merge_organisations, ADMIN, 3, 4, REFORM)
    uow.cases.items[7].state = State.withdrawn
    s.merge_organisations(uow, ADMIN, 3, 4, REFORM, clock=CLOCK)
    assert uow.organisations.get(5).path == "/1/2/4/5/"


def test_merges_into_itself_or_another_kind_are_refused(uow):
    invalid(uow, "into", rules.SAME_ORGANISATION, s.merge_organisations, ADMIN, 3, 3, REFORM)
    invalid(uow, "into", rules.KIND_DIFFERS, s.merge_organisations, ADMIN, 3, 2, REFORM)


def test_a_split_founds_an_organisation_that_takes_some_children(uow):
    new = s.split_organisation(
        uow,
        ADMIN,
        2,
        name="Đảng ủy xã Mới",
        children=[4],
        as_of=REFORM,
        parent_id=1,
        decides_admissions=True,
        committee_size=9,
        clock=CLOCK,
    )
    assert uow.organisations.get(4).path == f"/1/{new}/4/"
    assert uow.tree.version(new).valid_from == REFORM
    assert new not in uow.tree.tree_on(BEFORE).nodes
    after = placement(uow.tree.tree_on(REFORM), 4)
    assert after.deciding.name == "Đảng ủy xã Mới" and after.grassroots is None
    assert placement(uow.tree.tree_on(BEFORE), 4).deciding.name == "Huyện ủy Thử"
    assert _event(uow, "split_organisation").data["moved"] == ["Chi bộ Công ty Thử"]


def test_a_split_needs_children_of_the_split_organisation(uow):
    split = s.split_organisation
    invalid(
        uow, "children", rules.NO_CHILDREN, split, ADMIN, 2, name="X", children=[], as_of=REFORM
    )
    invalid(
        uow, "children", rules.NOT_A_CHILD, split, ADMIN, 2, name="X", children=[6], as_of=REFORM
    )
    invalid(uow, "name", "required", split, ADMIN, 2, name="", children=[4], as_of=REFORM)


def test_dissolving_is_refused_while_anything_is_left_in_it(uow):
    invalid(uow, "organisation", rules.HAS_CHILDREN, s.dissolve_organisation, ADMIN, 2, REFORM)
    uow.tree.members[6] = 1
    invalid(uow, "organisation", rules.ACTIVE_MEMBERS, s.dissolve_organisation, ADMIN, 6, REFORM)
    uow.tree.members[6] = 0
    s.dissolve_organisation(uow, ADMIN, 6, REFORM, clock=CLOCK)
    assert 6 not in uow.tree.tree_on(None).nodes
    invalid(uow, "organisation", rules.DISSOLVED, s.rename_organisation, ADMIN, 6, "X", REFORM)
    invalid(uow, "organisation", rules.NO_ROOT_CHANGE, s.dissolve_organisation, ADMIN, 1, REFORM)


# --- the deciding flag, grants --------------------------------------------------------------------


def test_the_deciding_flag_changes_as_of_a_date(uow):
    s.set_decides_admissions(uow, ADMIN, 2, True, REFORM, clock=CLOCK)
    assert placement(uow.tree.tree_on(REFORM), 3).deciding.name == "Đảng ủy xã Thử"
    assert placement(uow.tree.tree_on(BEFORE), 3).deciding.name == "Huyện ủy Thử"
    assert _event(uow, "set_decides_admissions").data["decides"] is True
    set_flag = s.set_decides_admissions
    invalid(uow, "decides_admissions", rules.UNCHANGED, set_flag, ADMIN, 2, True, REFORM)
    msg = admin_rules.NOT_A_COMMITTEE
    invalid(uow, "decides_admissions", msg, set_flag, ADMIN, 3, True, REFORM)


def test_a_grant_on_a_dissolved_committee_is_moved_by_the_admin(uow):
    s.merge_organisations(uow, ADMIN, 2, 1, REFORM, clock=CLOCK)
    granted = uow.users.add_grant(80, "committee", 2)
    invalid(uow, "organisation_id", rules.GRANT_DISSOLVED, s.move_grant, ADMIN, granted, 2)
    s.move_grant(uow, ADMIN, granted, 1, clock=CLOCK)
    [grant] = uow.users.get(80).grants
    assert (grant.organisation_id, grant.path) == (1, "/1/")
    assert _event(uow, "move_grant").data == {
        "user": "moi",
        "role": "committee",
        "organisation": "Đảng ủy xã Thử",
        "to": "Huyện ủy Thử",
    }
    # The user already holds it there now.
    invalid(uow, "organisation_id", admin_rules.GRANT_HELD, s.move_grant, ADMIN, granted, 1)
    refused(uow, NotFound, s.move_grant, CELL_ADMIN, granted, 4)
    refused(uow, NotFound, s.move_grant, ADMIN, 999, 1)


def test_an_admin_moves_no_grant_of_their_own(uow):
    s.merge_organisations(uow, ADMIN, 2, 1, REFORM, clock=CLOCK)
    own = uow.users.add_grant(ADMIN.user_id, "committee", 2)
    invalid(uow, "role", admin_rules.OWN_GRANT, s.move_grant, ADMIN, own, 1)
