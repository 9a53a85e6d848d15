"""The admin pages: users, role grants, organisations and the deciding body, within scope."""

from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import select, text

from db import passwords
from db.actors import actor_by_username
from db.models import Case, Organisation, RoleGrant, User
from db.repositories.organisations import add_organisation
from tests.web.conftest import Browser
from workflow import admin as admin_rules
from workflow.errors import InvalidInput, NotAllowed, NotFound
from workflow.services import admin


@pytest.fixture(autouse=True)
def _english(browser):
    """These tests read the English wording (the Vietnamese is checked in test_i18n)."""
    browser.get("/login?lang=en")


CHU_VAN_AN = "Chi bộ trường THPT Chu Văn An"
DISTRICT = "Đảng bộ huyện Đức Trọng"
PROVINCE = "Tỉnh ủy Lâm Đồng"
#: A second province, outside the demo admin's scope (their grant is on Lâm Đồng since the
#: demo's reform of 2025, so nothing of the demo itself lies outside it).
OTHER_PROVINCE = "Tỉnh ủy Khánh Hòa"


def _org_id(runtime, name: str) -> int:
    with runtime.sessions() as session:
        return session.scalar(select(Organisation.id).where(Organisation.name == name))


def _user(runtime, username: str) -> User | None:
    with runtime.sessions() as session:
        user = session.scalar(select(User).where(User.username == username))
        if user is not None:
            _ = [g.organisation for g in user.grants]  # loaded before the session closes
        return user


def other_province(runtime) -> int:
    """A second root of the tree, beside the demo's province: outside the admin's scope."""
    with runtime.sessions() as session:
        org = add_organisation(session, OTHER_PROVINCE, "committee", committee_size=15)
        session.commit()
        return org.id


def _snapshot(runtime) -> list:
    """Every row an admin could change."""
    with runtime.engine.connect() as conn:
        return [
            conn.execute(text(f"SELECT * FROM {table} ORDER BY id")).all()
            for table in ("users", "role_grants", "organisations")
        ]


def _events(runtime) -> int:
    with runtime.engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM events")).scalar()


def _errors(page: str) -> list[str]:
    return re.findall(r'<span class="error"[^>]*>([^<]+)</span>', page)


NEW_USER = {
    "username": "bithu.moi",
    "full_name": "Trần Thị Mới",
    "email": "moi@example.vn",
    "password": "mat-khau-8",
    "active": "y",
}


def _create(browser, **changes) -> object:
    return browser.post("/admin/users/new", {**NEW_USER, **changes}, token_from="/admin/users/new")


# --- who may administer -----------------------------------------------------------------------

PAGES = [
    "/admin/",
    "/admin/users",
    "/admin/users/new",
    "/admin/users/4",
    "/admin/organisations",
    "/admin/organisations/new",
    "/admin/organisations/4",
]
POSTS = [
    ("/admin/users/new", NEW_USER),
    ("/admin/users/4", {"full_name": "X", "email": ""}),
    ("/admin/users/4/password", {"password": "hacked-password"}),
    ("/admin/users/4/active", {"active": "0"}),
    ("/admin/users/4/grants", {"role": "admin", "organisation": "2"}),
    ("/admin/users/4/grants/4/delete", {}),
    ("/admin/organisations/new", {"parent": "2", "type": "cell", "name": "Chi bộ X"}),
    ("/admin/organisations/4", {"name": "Renamed", "unit_kind": "school"}),
    ("/admin/organisations/2/deciding", {"decides": "0"}),
]


@pytest.mark.parametrize("username", ["bithu.chuvanan", "kiemtra", "bantochuc"])
def test_non_admins_are_refused_every_page(login, username):
    browser = login(username)
    for path in PAGES:
        assert browser.get(path).status_code == 403, path


@pytest.mark.parametrize("username", ["bithu.chuvanan", "kiemtra"])
def test_non_admins_are_refused_every_change_and_nothing_changes(login, demo_runtime, username):
    before = _snapshot(demo_runtime)
    browser = login(username)
    for path, data in POSTS:
        assert browser.post(path, data).status_code == 403, path
    assert _snapshot(demo_runtime) == before


def test_the_admin_sees_the_pages(login):
    browser = login("admin")
    for path in PAGES:
        assert browser.get(path).status_code == 200, path


def test_admins_fire_no_transition(login, demo_runtime):
    with demo_runtime.sessions() as session:
        case = session.scalar(select(Case).where(Case.state == "identified").limit(1))
    before = _events(demo_runtime)
    browser = login("admin")
    assert browser.get(f"/candidates/{case.id}").status_code in (403, 404)
    response = browser.post(
        f"/candidates/{case.id}/actions/withdraw", {"reason": "x", "version": str(case.version)}
    )
    assert response.status_code in (403, 404)
    assert _events(demo_runtime) == before


# --- users ------------------------------------------------------------------------------------


def test_create_a_user_grant_a_role_and_log_in_as_them(app, login, demo_runtime):
    browser = login("admin")
    response = _create(browser)
    assert response.status_code == 302
    created = _user(demo_runtime, "bithu.moi")
    assert created is not None and created.active and created.full_name == "Trần Thị Mới"
    assert created.password_hash.startswith(passwords.PREFIX)  # hashed, not stored
    assert not passwords.needs_rehash(created.password_hash)  # today's parameters
    assert passwords.verify(created.password_hash, "mat-khau-8")
    assert response.headers["Location"].endswith(f"/admin/users/{created.id}")

    cell = _org_id(demo_runtime, CHU_VAN_AN)
    response = browser.post(
        f"/admin/users/{created.id}/grants",
        {"role": "secretary", "organisation": str(cell)},
        token_from=f"/admin/users/{created.id}",
    )
    assert response.status_code == 302
    grants = [(g.role, g.organisation_id) for g in _user(demo_runtime, "bithu.moi").grants]
    assert grants == [("secretary", cell)]

    other = Browser(app.test_client())
    assert other.login("bithu.moi", "mat-khau-8").status_code == 302
    listed = other.get("/candidates").get_data(as_text=True)
    assert "data-case=" in listed  # a secretary of the cell sees its cases
    assert other.get("/admin/").status_code == 403


@pytest.mark.parametrize("username", ["bithu.chuvanan", "BITHU.ChuVanAn "])
def test_duplicate_username_is_refused_with_a_message(login, demo_runtime, username):
    before = _snapshot(demo_runtime)
    response = _create(login("admin"), username=username)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "already taken" in page
    assert _snapshot(demo_runtime) == before


@pytest.mark.parametrize(
    ("changes", "field_message"),
    [
        ({"password": ""}, "required"),
        ({"password": "short"}, "at least 8"),
        ({"username": ""}, "required"),
        ({"username": "có dấu"}, "lower-case"),
        ({"full_name": "  "}, "required"),
        ({"email": "not-an-address"}, "e-mail"),
    ],
)
def test_bad_user_input_gets_a_message_and_changes_nothing(
    login, demo_runtime, changes, field_message
):
    before = _snapshot(demo_runtime)
    response = _create(login("admin"), **changes)
    assert response.status_code == 422
    assert any(field_message in e for e in _errors(response.get_data(as_text=True)))
    assert _snapshot(demo_runtime) == before


def test_deactivate_and_reactivate_a_user(app, login, browser, demo_runtime):
    target = _user(demo_runtime, "giupdo.chuvanan")
    path = f"/admin/users/{target.id}/active"
    login("admin")
    assert browser.post(path, {"active": "0"}).status_code == 302
    assert not _user(demo_runtime, "giupdo.chuvanan").active
    other = Browser(app.test_client())
    assert other.login("giupdo.chuvanan").status_code == 401
    assert browser.post(path, {"active": "1"}).status_code == 302
    assert other.login("giupdo.chuvanan").status_code == 302


def test_an_admin_cannot_deactivate_themselves(login, demo_runtime):
    me = _user(demo_runtime, "admin")
    response = login("admin").post(f"/admin/users/{me.id}/active", {"active": "0"})
    assert response.status_code == 422
    assert "own account" in response.get_data(as_text=True)
    assert _user(demo_runtime, "admin").active


def test_reset_a_password(app, login, demo_runtime):
    target = _user(demo_runtime, "giupdo.chuvanan")
    browser = login("admin")
    assert browser.post(f"/admin/users/{target.id}/password", {"password": ""}).status_code == 422
    assert _user(demo_runtime, "giupdo.chuvanan").password_hash == target.password_hash
    response = browser.post(f"/admin/users/{target.id}/password", {"password": "moi-mat-khau"})
    assert response.status_code == 302
    other = Browser(app.test_client())
    assert other.login("giupdo.chuvanan", "demo").status_code == 401
    assert other.login("giupdo.chuvanan", "moi-mat-khau").status_code == 302


def test_remove_a_grant(login, demo_runtime):
    target = _user(demo_runtime, "giupdo.chuvanan")
    grant = target.grants[0]
    response = login("admin").post(f"/admin/users/{target.id}/grants/{grant.id}/delete")
    assert response.status_code == 302
    assert _user(demo_runtime, "giupdo.chuvanan").grants == []


def test_an_admin_cannot_remove_their_own_admin_role(login, demo_runtime):
    me = _user(demo_runtime, "admin")
    response = login("admin").post(f"/admin/users/{me.id}/grants/{me.grants[0].id}/delete")
    assert response.status_code == 422
    assert len(_user(demo_runtime, "admin").grants) == 1


def test_a_grant_outside_the_admins_scope_is_refused(login, demo_runtime):
    target = _user(demo_runtime, "giupdo.chuvanan")
    elsewhere = other_province(demo_runtime)
    before = _snapshot(demo_runtime)
    response = login("admin").post(
        f"/admin/users/{target.id}/grants",
        {"role": "committee", "organisation": str(elsewhere)},
    )
    assert response.status_code == 422
    assert any("scope" in e for e in _errors(response.get_data(as_text=True)))
    assert _snapshot(demo_runtime) == before


def test_a_grant_held_twice_is_refused(login, demo_runtime):
    target = _user(demo_runtime, "giupdo.chuvanan")
    grant = target.grants[0]
    before = _snapshot(demo_runtime)
    response = login("admin").post(
        f"/admin/users/{target.id}/grants",
        {"role": grant.role, "organisation": str(grant.organisation_id)},
    )
    assert response.status_code == 422
    assert "already holds" in response.get_data(as_text=True)
    assert _snapshot(demo_runtime) == before


@pytest.fixture
def provincial_user(demo_runtime) -> int:
    """A user whose role lies in another province, outside the demo admin's scope."""
    elsewhere = other_province(demo_runtime)
    with demo_runtime.sessions() as session:
        user = User(username="tinhuy", full_name="Tỉnh ủy", password_hash="")
        user.grants.append(RoleGrant(role="committee", organisation_id=elsewhere))
        session.add(user)
        session.commit()
        return user.id


def test_users_and_organisations_outside_scope_do_not_exist(login, demo_runtime, provincial_user):
    before = _snapshot(demo_runtime)
    province = _org_id(demo_runtime, OTHER_PROVINCE)
    browser = login("admin")
    assert "tinhuy" not in browser.get("/admin/users").get_data(as_text=True)
    tree = browser.get("/admin/organisations").get_data(as_text=True)
    assert OTHER_PROVINCE not in tree and PROVINCE in tree
    for path in (f"/admin/users/{provincial_user}", f"/admin/organisations/{province}"):
        assert browser.get(path).status_code == 404
    for path, data in [
        (f"/admin/users/{provincial_user}/active", {"active": "0"}),
        (f"/admin/users/{provincial_user}/password", {"password": "12345678"}),
        (f"/admin/organisations/{province}", {"name": "X", "unit_kind": "other"}),
        (f"/admin/organisations/{province}/deciding", {"decides": "1"}),
    ]:
        assert browser.post(path, data).status_code == 404, path
    assert _snapshot(demo_runtime) == before


def test_use_cases_check_scope_themselves(demo_runtime, provincial_user):
    """Called without the web's forms, the use cases still refuse what is out of scope."""
    with demo_runtime.sessions() as session:
        boss = actor_by_username(session, "admin")
        secretary = actor_by_username(session, "bithu.chuvanan")
    uow = demo_runtime.uow
    province = _org_id(demo_runtime, OTHER_PROVINCE)
    target = _user(demo_runtime, "giupdo.chuvanan").id
    with pytest.raises(NotFound):
        admin.grant_role(uow(), boss, target, "committee", province)
    with pytest.raises(NotFound):
        admin.set_deciding_body(uow(), boss, province, True)
    with pytest.raises(NotFound):
        admin.reset_password(uow(), boss, provincial_user, "12345678")
    with pytest.raises(NotAllowed):
        admin.create_user(uow(), secretary, username="x1", full_name="X", password="12345678")
    with pytest.raises(InvalidInput):
        admin.create_user(uow(), boss, username="kiemtra", full_name="X", password="12345678")


def test_every_admin_change_is_an_event_in_the_chain_that_auditors_see(app, login):
    """Administrative changes are history too: chained, and listed on /audit for the district."""
    from sqlalchemy import select

    from db.models import Event
    from db.read.history import verify

    rt = app.extensions["hoso"]
    with rt.sessions() as session:
        before = session.scalar(select(Event.id).order_by(Event.id.desc()).limit(1))
    browser = login("admin")
    new_user = {
        "username": "thu.ky",
        "full_name": "Thư Ký",
        "password": "mat-khau-dai",
        "active": "y",
    }
    response = browser.post("/admin/users/new", new_user, token_from="/admin/users/new")
    assert response.status_code in (302, 303)
    with rt.sessions() as session:
        events = session.scalars(select(Event).where(Event.id > before)).all()
    assert [(e.action, e.case_id, e.username) for e in events] == [
        ("admin_create_user", None, "admin")
    ]
    assert "mat-khau" not in events[0].data
    assert verify(rt.engine).intact
    browser.post("/logout", {})
    auditor = login("kiemtra")
    page = auditor.get("/audit/?action=admin_create_user").get_data(as_text=True)
    assert "Create a user" in page and f'data-event="{events[0].id}"' in page


def test_the_forms_word_their_hints_and_labels_plainly(login, monkeypatch):
    browser = login("admin")
    monkeypatch.setattr(admin_rules, "PASSWORD_MIN", 12)
    page = browser.get("/admin/users/new").get_data(as_text=True)
    assert "At least 12 characters. Give it to the user in person" in page
    assert "by a safe way" not in page and "party member they are" not in page
    assert "linked to the mentor's own party-member record" in unescape(page)
    new_org = browser.get("/admin/organisations/new").get_data(as_text=True)
    labels = re.findall(r"<label[^>]*>([^<]+)</label>", new_org)
    assert "Parent organisation" in labels and "Organisation name" in labels
    assert "Under" not in labels and "Name" not in labels


def test_roles_are_named_as_on_every_other_page(login, demo_runtime):
    from web.labels import ROLE_NAMES
    from workflow.states import Role

    assert set(ROLE_NAMES) == set(Role)
    browser = login("admin")
    user_id = _user(demo_runtime, "bithu.chuvanan").id
    page = browser.get(f"/admin/users/{user_id}").get_data(as_text=True)
    offered = dict(re.findall(r'<option value="([a-z]+)">([^<]+)</option>', page))
    assert offered == {role.value: str(ROLE_NAMES[role]) for role in Role}
    labels = re.findall(r"<label[^>]*>([^<]+)</label>", page)
    assert "Organisation" in labels and "Within" not in labels
    assert "<td>Cell secretary</td>" in page  # the user's grant
