"""The admins' use cases on a dissolved organisation, on fakes: it keeps its past but takes no new
role, child, name, deciding flag or member; each refusal names its reason and leaves nothing."""

from __future__ import annotations

from datetime import date

import pytest

from tests.workflow.fakes import CLOCK, FakeUnitOfWork
from workflow import tree as tree_rules
from workflow.errors import InvalidInput
from workflow.facts import Actor, Grant
from workflow.services import admin as s

ADMIN = Actor(50, "adm", (Grant("admin", 1, "/1/"),))
REFORM = date(2025, 7, 1)
COMMUNE, CELL = 2, 4


@pytest.fixture
def uow() -> FakeUnitOfWork:
    """The fake tree with the grassroots committee and the enterprise cell dissolved."""
    uow = FakeUnitOfWork()
    uow.tree.dissolved.update({COMMUNE: REFORM, CELL: REFORM})
    return uow


def _state(uow: FakeUnitOfWork) -> tuple:
    return (dict(uow.users.items), dict(uow.users.members), dict(uow.organisations.items))


def _invalid(uow: FakeUnitOfWork, field: str, message: str, call, *args, **kw) -> None:
    """`call` is refused on `field` with `message`; nothing is stored, logged or committed."""
    before, events = _state(uow), list(uow.history.events)
    uow.committed = False
    with pytest.raises(InvalidInput) as caught:
        call(uow, ADMIN, *args, clock=CLOCK, **kw)
    assert (caught.value.field, caught.value.message) == (field, message)
    assert _state(uow) == before
    assert uow.history.events == events and not uow.committed


def test_no_role_is_granted_on_a_dissolved_organisation(uow):
    _invalid(uow, "organisation", tree_rules.GRANT_DISSOLVED, s.grant_role, 80, "mentor", CELL)
    s.grant_role(uow, ADMIN, 80, "mentor", 3, clock=CLOCK)  # a cell that still exists
    assert uow.history.events[-1].action == "admin_grant_role"


def test_no_organisation_is_created_under_a_dissolved_one(uow):
    new = {"name": "Chi bộ thôn Mới", "type": "cell", "unit_kind": "other"}
    _invalid(uow, "parent", tree_rules.DISSOLVED, s.create_organisation, COMMUNE, **new)
    assert s.create_organisation(uow, ADMIN, 1, clock=CLOCK, **new) in uow.organisations.items


def test_a_dissolved_organisation_is_not_renamed_nor_made_to_decide(uow):
    edit = {"name": "Đảng ủy xã Khác", "unit_kind": "other", "has_doan": False}
    _invalid(uow, "organisation", tree_rules.DISSOLVED, s.update_organisation, COMMUNE, **edit)
    for decides in (True, False):
        _invalid(
            uow, "decides_admissions", tree_rules.DISSOLVED, s.set_deciding_body, COMMUNE, decides
        )
    assert uow.organisations.get(COMMUNE).name == "Đảng ủy xã Thử"


def test_no_member_is_entered_in_a_dissolved_cell(uow):
    person = {"full_name": "Nguyễn Văn Đảng", "sex": "nam", "birth_date": date(1975, 5, 19)}
    member = {"person": person, "status": "official", "admitted_on": date(2001, 3, 3)}
    member["official_since"] = date(2002, 3, 3)
    _invalid(uow, "cell", tree_rules.DISSOLVED, s.add_member, CELL, **member)
    assert s.add_member(uow, ADMIN, 3, clock=CLOCK, **member) in uow.users.members
