"""Only the admin administers; the admin's own refused posts change nothing."""

from __future__ import annotations

import pytest

from tests.web.access_matrix import ACCOUNTS
from tests.web.access_site import Demo, add_other_province, admin_posts, no_problems, start_demo


@pytest.fixture(scope="module")
def demo(demo_template, tmp_path_factory):
    """The demo district, copied once for the module, with one app, and a second province
    outside the admin's scope (the demo's own tree is all within it)."""
    for site in start_demo(demo_template, tmp_path_factory):
        add_other_province(site)
        yield site


@pytest.mark.parametrize("account", [a for a in ACCOUNTS if a != "admin"])
def test_only_the_admin_administers(demo, account):
    no_problems([demo.refused(account, path, data, 403) for path, data in admin_posts(demo)])


def test_admin_posts_would_pass(demo_runtime, login):
    """The forms above are valid: as the admin (on a copy of its own) each one is saved."""
    browser = login("admin")
    site = Demo(None, demo_runtime)
    site.load()
    for path, data in admin_posts(site):
        response = browser.post(path, data)
        assert response.status_code in (302, 303), f"admin POST {path}: {response.status_code}"


def test_the_admin_refused_posts_change_nothing(demo):
    admin = demo.sql("SELECT id FROM users WHERE username = 'admin'")[0][0]
    (admin_grant,) = demo.sql("SELECT id FROM role_grants WHERE user_id = :u", u=admin)[0]
    user = demo.ids["user_bithu"]
    other = demo.sql("SELECT id FROM users WHERE username = 'bithu.dongthuy'")[0][0]
    (other_grant,) = demo.sql("SELECT id FROM role_grants WHERE user_id = :u", u=other)[0]
    org = demo.ids["org_cva"]
    province, cell = demo.ids["other_province"], demo.ids["other_cell"]
    stranger, stranger_grant = demo.ids["other_user"], demo.ids["other_grant"]
    new_user = {"full_name": "A", "email": "", "password": "mat-khau-rat-dai", "active": "y"}
    new_org = {"type": "cell", "name": "Chi bộ X", "unit_kind": "school", "committee_size": "0"}
    cases = [
        ("/admin/users/new", {**new_user, "username": "bithu.chuvanan"}, 422),  # taken
        ("/admin/users/new", {**new_user, "username": ""}, 422),
        ("/admin/users/new", {**new_user, "username": "Có Dấu"}, 422),
        (f"/admin/users/{user}/password", {"password": "ngan"}, 422),
        (f"/admin/users/{admin}/active", {"active": "0"}, 422),  # not oneself
        (f"/admin/users/{user}/active", {"active": "maybe"}, 422),
        (f"/admin/users/{user}/grants", {"role": "admin", "organisation": str(province)}, 422),
        (f"/admin/users/{user}/grants", {"role": "superuser", "organisation": str(org)}, 422),
        (f"/admin/users/{admin}/grants/{admin_grant}/delete", {}, 422),  # own admin role
        (f"/admin/users/{user}/grants/{other_grant}/delete", {}, 404),  # another user's
        ("/admin/users/99999", {"full_name": "X", "email": ""}, 404),
        ("/admin/organisations/new", {**new_org, "parent": str(org), "name": ""}, 422),
        # Outside the admin's scope (the other province): its organisations and users do not exist.
        ("/admin/organisations/new", {**new_org, "parent": str(province)}, 422),
        (f"/admin/organisations/{province}", {"name": "X", "unit_kind": "other"}, 404),
        (f"/admin/organisations/{cell}", {"name": "X", "unit_kind": "school"}, 404),
        (f"/admin/organisations/{province}/deciding", {"decides": "0"}, 404),
        (f"/admin/users/{stranger}", {"full_name": "X", "email": ""}, 404),
        (f"/admin/users/{stranger}/password", {"password": "mat-khau-moi-dai"}, 404),
        (f"/admin/users/{stranger}/active", {"active": "0"}, 404),
        (f"/admin/users/{stranger}/grants", {"role": "mentor", "organisation": str(org)}, 404),
        (f"/admin/users/{stranger}/grants/{stranger_grant}/delete", {}, 404),
        (f"/admin/organisations/{org}/deciding", {"decides": "1"}, 422),  # a cell decides not
    ]
    no_problems([demo.refused("admin", path, data, status) for path, data, status in cases])
