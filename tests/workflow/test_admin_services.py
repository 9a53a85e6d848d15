"""The admins' use cases on fakes: users, grants, organisations, the deciding body; every refusal
names its field or is NotFound/NotAllowed, and leaves nothing (no change, no event, no commit)."""

from __future__ import annotations

import pytest

from tests.workflow.fakes import CLOCK, FakeUnitOfWork
from workflow import admin as rules
from workflow.errors import InvalidInput, NotAllowed, NotFound
from workflow.facts import Actor, Grant
from workflow.services import admin as s

ADMIN = Actor(50, "adm", (Grant("admin", 1, "/1/"),))
#: An admin of the enterprise cell only.
CELL_ADMIN = Actor(51, "adm_firm", (Grant("admin", 4, "/1/2/4/"),))
#: An admin of the grassroots committee: sees ``com`` (an auditor below) but may not manage them.
GRASSROOTS_ADMIN = Actor(52, "adm_xa", (Grant("admin", 2, "/1/2/"),))
SECRETARY = Actor(10, "sec", (Grant("secretary", 3, "/1/2/3/"),))

NEW_USER = {"username": " Bithu.Moi ", "full_name": "Trần Thị Mới", "password": "mat-khau-8"}


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


def _state(uow: FakeUnitOfWork) -> tuple:
    return (dict(uow.users.items), dict(uow.users.passwords), dict(uow.organisations.items))


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


def _event(uow: FakeUnitOfWork):
    [event] = uow.history.events
    assert uow.committed and event.role == "admin" and event.case_id is None
    assert event.ruleset == "-" and event.at == CLOCK.now
    return event


# --- users -------------------------------------------------------------------------------------


def test_create_user_stores_and_logs(uow):
    user_id = s.create_user(uow, ADMIN, **NEW_USER, email="moi@example.vn", clock=CLOCK)
    user = uow.users.get(user_id)
    assert (user.username, user.full_name, user.email, user.active, user.grants) == (
        "bithu.moi", "Trần Thị Mới", "moi@example.vn", True, ()
    )  # fmt: skip
    assert uow.users.passwords[user_id] == "mat-khau-8"  # storage hashes it
    event = _event(uow)
    assert (event.action, event.organisation_id) == ("admin_create_user", 1)
    assert event.data == {
        "user": "bithu.moi", "full_name": "Trần Thị Mới", "active": True, "member_id": None
    }  # fmt: skip


def test_create_user_links_a_member_of_a_cell_in_scope(uow):
    user_id = s.create_user(uow, ADMIN, **NEW_USER, member_id=100, clock=CLOCK)
    assert uow.users.get(user_id).member_id == 100
    assert _event(uow).data["member_id"] == 100


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"username": ""}, "username", rules.REQUIRED),
        ({"username": "Có Dấu"}, "username", rules.USERNAME_FORM),
        ({"username": "SEC"}, "username", rules.USERNAME_TAKEN),
        ({"full_name": " "}, "full_name", rules.REQUIRED),
        ({"full_name": "x" * 201}, "full_name", rules.TOO_LONG),
        ({"email": "not-an-address"}, "email", rules.EMAIL_FORM),
        ({"email": "a@b.vn" + "n" * 200}, "email", rules.TOO_LONG),
        ({"password": "ngan"}, "password", rules.PASSWORD_SHORT),
        ({"password": "x" * 201}, "password", rules.TOO_LONG),
        ({"member_id": 104}, "member", rules.MEMBER_TAKEN),  # the secretary's
        ({"member_id": 300}, "member", rules.UNKNOWN_CHOICE),  # left the party
        ({"member_id": 999}, "member", rules.UNKNOWN_CHOICE),
    ],
)
def test_create_user_refusals_name_the_field(uow, changes, field, message):
    invalid(uow, field, message, s.create_user, ADMIN, **{**NEW_USER, **changes})


def test_only_admins_create_users_and_members_out_of_scope_are_no_choice(uow):
    refused(uow, NotAllowed, s.create_user, SECRETARY, **NEW_USER)
    invalid(
        uow, "member", rules.UNKNOWN_CHOICE, s.create_user, CELL_ADMIN, **NEW_USER, member_id=100
    )


def test_update_user(uow):
    s.update_user(uow, ADMIN, 10, full_name=" Bí thư mới ", email="", member_id=104, clock=CLOCK)
    user = uow.users.get(10)
    assert (user.full_name, user.email, user.member_id, user.username) == (
        "Bí thư mới", None, 104, "sec"
    )  # fmt: skip
    assert _event(uow).data == {
        "user": "sec", "full_name": "Bí thư mới", "email": None, "member_id": 104
    }  # fmt: skip


def test_update_user_refusals(uow):
    invalid(uow, "full_name", rules.TOO_LONG, s.update_user, ADMIN, 10, full_name="x" * 201)
    invalid(
        uow, "member", rules.MEMBER_TAKEN, s.update_user, ADMIN, 11, full_name="X", member_id=104
    )
    refused(uow, NotFound, s.update_user, CELL_ADMIN, 10, full_name="X")  # out of scope
    refused(uow, NotFound, s.update_user, ADMIN, 999, full_name="X")
    refused(uow, NotAllowed, s.update_user, GRASSROOTS_ADMIN, 30, full_name="X")
    refused(uow, NotAllowed, s.update_user, SECRETARY, 10, full_name="X")


def test_a_user_without_a_role_is_seen_by_every_admin(uow):
    s.update_user(uow, CELL_ADMIN, 80, full_name="Người mới đổi tên", clock=CLOCK)
    assert uow.users.get(80).full_name == "Người mới đổi tên"


def test_deactivate_and_reactivate(uow):
    s.set_user_active(uow, ADMIN, 10, False, clock=CLOCK)
    assert not uow.users.get(10).active
    assert _event(uow).action == "admin_deactivate_user"
    uow.history.events.clear()
    s.set_user_active(uow, ADMIN, 10, True, clock=CLOCK)
    assert uow.users.get(10).active and _event(uow).action == "admin_activate_user"


def test_an_admin_cannot_deactivate_themselves_nor_who_they_may_not_manage(uow):
    invalid(uow, "active", rules.NOT_YOURSELF, s.set_user_active, ADMIN, 50, False)
    refused(uow, NotAllowed, s.set_user_active, GRASSROOTS_ADMIN, 30, False)
    refused(uow, NotFound, s.set_user_active, CELL_ADMIN, 50, False)


def test_reset_password(uow):
    s.reset_password(uow, ADMIN, 10, "mat-khau-moi", clock=CLOCK)
    assert uow.users.passwords[10] == "mat-khau-moi"
    assert _event(uow).data == {"user": "sec"}
    invalid(uow, "password", rules.PASSWORD_SHORT, s.reset_password, ADMIN, 11, "ngan")
    refused(uow, NotFound, s.reset_password, CELL_ADMIN, 10, "mat-khau-moi")


# --- grants ------------------------------------------------------------------------------------


def test_grant_role_in_scope(uow):
    grant_id = s.grant_role(uow, ADMIN, 80, "mentor", 3, clock=CLOCK)
    [grant] = uow.users.get(80).grants
    assert (grant.id, grant.role, grant.organisation_id) == (grant_id, "mentor", 3)
    event = _event(uow)
    assert (event.action, event.organisation_id) == ("admin_grant_role", 3)
    assert event.data == {"user": "moi", "role": "mentor", "organisation": "Chi bộ trường THPT Thử"}


def test_grant_role_refusals(uow):
    invalid(uow, "role", rules.UNKNOWN_ROLE, s.grant_role, ADMIN, 80, "superuser", 3)
    invalid(uow, "role", rules.GRANT_HELD, s.grant_role, ADMIN, 10, "secretary", 3)
    refused(uow, NotFound, s.grant_role, CELL_ADMIN, 80, "mentor", 3)  # organisation outside
    refused(uow, NotFound, s.grant_role, CELL_ADMIN, 10, "mentor", 4)  # user outside
    refused(uow, NotFound, s.grant_role, ADMIN, 80, "mentor", 999)
    refused(uow, NotAllowed, s.grant_role, SECRETARY, 80, "mentor", 3)


def test_grant_role_to_someone_partly_outside_the_scope(uow):
    """Granting needs the user seen, not managed: the grassroots admin adds a role to ``com``."""
    s.grant_role(uow, GRASSROOTS_ADMIN, 30, "secretary", 3, clock=CLOCK)
    assert ("secretary", 3) in {(g.role, g.organisation_id) for g in uow.users.get(30).grants}


def test_revoke_grant(uow):
    s.revoke_grant(uow, ADMIN, 10, 2, clock=CLOCK)
    assert uow.users.get(10).grants == ()
    event = _event(uow)
    assert (event.action, event.organisation_id) == ("admin_revoke_role", 3)
    assert event.data == {
        "user": "sec",
        "role": "secretary",
        "organisation": "Chi bộ trường THPT Thử",
    }


def test_revoke_grant_refusals(uow):
    invalid(uow, "grant", rules.OWN_ADMIN, s.revoke_grant, ADMIN, 50, 1)
    refused(uow, NotFound, s.revoke_grant, ADMIN, 10, 3)  # another user's grant
    refused(uow, NotFound, s.revoke_grant, GRASSROOTS_ADMIN, 30, 4)  # the grant is outside
    refused(uow, NotAllowed, s.revoke_grant, SECRETARY, 10, 2)


# --- organisations -----------------------------------------------------------------------------


def test_create_organisation_under_a_committee(uow):
    org_id = s.create_organisation(
        uow, ADMIN, 2, name=" Chi bộ Thôn Mới ", type="cell", unit_kind="other",
        committee_size=9, mass_kind="doan", clock=CLOCK,
    )  # fmt: skip
    org = uow.organisations.get(org_id)
    assert (org.name, org.type, org.parent_id, org.path) == (
        "Chi bộ Thôn Mới", "cell", 2, f"/1/2/{org_id}/"
    )  # fmt: skip
    assert (org.committee_size, org.mass_kind) == (0, None)  # only committees, mass organisations
    event = _event(uow)
    assert (event.action, event.organisation_id) == ("admin_create_organisation", org_id)
    assert event.data == {
        "name": "Chi bộ Thôn Mới", "type": "cell", "parent": "Đảng ủy xã Thử", "has_doan": True,
        "unit_kind": "other", "committee_size": 0, "mass_kind": None,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("parent", "changes", "field", "message"),
    [
        (2, {"name": ""}, "name", rules.REQUIRED),
        (2, {"name": "x" * 201}, "name", rules.TOO_LONG),
        (2, {"name": "chi bộ công ty thử"}, "name", rules.NAME_TAKEN),
        (2, {"type": "club"}, "type", rules.UNKNOWN_CHOICE),
        (2, {"unit_kind": "farm"}, "unit_kind", rules.UNKNOWN_CHOICE),
        (2, {"committee_size": 1000}, "committee_size", rules.SIZE_RANGE),
        (2, {"type": "mass", "mass_kind": "club"}, "mass_kind", rules.UNKNOWN_CHOICE),
        (3, {}, "parent", rules.PARENT_KIND),  # a cell under a cell
    ],
)
def test_create_organisation_refusals_name_the_field(uow, parent, changes, field, message):
    values = {"name": "Chi bộ X", "type": "cell", **changes}
    invalid(uow, field, message, s.create_organisation, ADMIN, parent, **values)


def test_create_organisation_out_of_scope_or_not_admin(uow):
    refused(uow, NotFound, s.create_organisation, CELL_ADMIN, 2, name="Chi bộ X", type="cell")
    refused(uow, NotAllowed, s.create_organisation, SECRETARY, 2, name="Chi bộ X", type="cell")


def test_update_organisation(uow):
    s.update_organisation(
        uow, ADMIN, 4, name="Chi bộ Công ty Đổi Tên", unit_kind="enterprise", has_doan=False,
        clock=CLOCK,
    )  # fmt: skip
    org = uow.organisations.get(4)
    assert (org.name, org.has_doan, org.type, org.path) == (
        "Chi bộ Công ty Đổi Tên", False, "cell", "/1/2/4/"
    )  # fmt: skip
    assert _event(uow).data["name"] == "Chi bộ Công ty Đổi Tên"


def test_update_organisation_refusals(uow):
    values = {"unit_kind": "school", "has_doan": True}
    invalid(uow, "name", rules.NAME_TAKEN, s.update_organisation, ADMIN, 4,
            name="Chi bộ trường THPT Thử", **values)  # fmt: skip
    invalid(uow, "name", rules.TOO_LONG, s.update_organisation, ADMIN, 4, name="x" * 201, **values)
    refused(uow, NotFound, s.update_organisation, CELL_ADMIN, 3, name="X", **values)
    refused(uow, NotFound, s.update_organisation, CELL_ADMIN, 999, name="X", **values)


def test_set_deciding_body(uow):
    s.set_deciding_body(uow, ADMIN, 2, True, clock=CLOCK)
    assert uow.organisations.get(2).decides_admissions
    event = _event(uow)
    assert (event.action, event.organisation_id) == ("admin_set_deciding_body", 2)
    assert event.data == {"organisation": "Đảng ủy xã Thử", "decides": True}


def test_set_deciding_body_refusals(uow):
    invalid(uow, "decides_admissions", rules.NOT_A_COMMITTEE, s.set_deciding_body, ADMIN, 3, True)
    refused(uow, NotFound, s.set_deciding_body, CELL_ADMIN, 2, True)
    refused(uow, NotAllowed, s.set_deciding_body, SECRETARY, 2, True)
