"""The admin's page of the tree over time: the tree of a day, a restructuring as of a date, a
refusal shown on its field, and a role left on a dissolved organisation moved elsewhere."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from db.actors import actor_by_username
from db.models import Event, Organisation, RoleGrant
from tests.web.test_admin import CHU_VAN_AN, _errors, _org_id
from workflow.services import admin as admin_cases
from workflow.services import restructure

#: The commune committee that holds Chu Văn An's cell since the demo's reform of 01/07/2025 (the
#: district above it then is dissolved), and the committee the tests split off it (under it).
DUC_TRONG = "Đảng ủy xã Đức Trọng"
COMMUNE = "Đảng ủy xã Hiệp An"


@pytest.fixture(autouse=True)
def _english(browser):
    browser.get("/login?lang=en")


def _split(browser, demo_runtime, day: date):
    committee, cva = _org_id(demo_runtime, DUC_TRONG), _org_id(demo_runtime, CHU_VAN_AN)
    return browser.post(
        "/admin/tree",
        {
            "action": "split",
            "organisation": str(committee),
            "target": str(committee),
            "name": COMMUNE,
            "children": [str(cva)],
            "as_of": day.isoformat(),
        },
        token_from="/admin/tree",
    )


def test_a_split_as_of_a_date_and_the_tree_of_the_day_before(login, demo_runtime):
    browser = login("admin")
    page = browser.get("/admin/tree").get_data(as_text=True)
    assert "Restructure as of a date" in page and CHU_VAN_AN in page
    today = date.today()
    response = _split(browser, demo_runtime, today)
    assert response.status_code == 302, _errors(response.get_data(as_text=True))
    commune = _org_id(demo_runtime, COMMUNE)
    with demo_runtime.sessions() as session:
        cell = session.scalar(select(Organisation).where(Organisation.name == CHU_VAN_AN))
        assert cell.parent_id == commune and cell.valid_from == today
        action = session.scalar(select(Event.action).order_by(Event.id.desc()).limit(1))
    assert action == "admin_split_organisation"
    now = browser.get("/admin/tree").get_data(as_text=True)
    assert f'data-org="{commune}"' in now
    before = browser.get("/admin/tree?on=2024-01-01").get_data(as_text=True)
    assert f'data-org="{commune}"' not in before and CHU_VAN_AN in before


def test_a_refused_change_names_its_reason_on_the_field(login, demo_runtime):
    browser = login("admin")
    assert _split(browser, demo_runtime, date.today()).status_code == 302
    committee, commune = _org_id(demo_runtime, DUC_TRONG), _org_id(demo_runtime, COMMUNE)
    response = browser.post(
        "/admin/tree",
        {
            "action": "move",
            "organisation": str(committee),
            "target": str(commune),
            "as_of": date.today().isoformat(),
        },
        token_from="/admin/tree",
    )
    assert response.status_code == 422
    errors = _errors(response.get_data(as_text=True))
    assert any("the root of the tree" in e.lower() or "under itself" in e for e in errors), errors
    future = _split(browser, demo_runtime, date(2999, 1, 1))
    assert future.status_code == 422
    assert "A change cannot take effect after today." in _errors(future.get_data(as_text=True))


def test_a_role_on_a_dissolved_committee_is_shown_as_such_and_moved(login, demo_runtime):
    browser = login("admin")
    assert _split(browser, demo_runtime, date.today()).status_code == 302
    committee, commune = _org_id(demo_runtime, DUC_TRONG), _org_id(demo_runtime, COMMUNE)
    with demo_runtime.sessions() as session:  # another user's role: an admin grants none to self
        admin = actor_by_username(session, "admin")
        user_id = actor_by_username(session, "bithu.chuvanan").user_id
    grant = admin_cases.grant_role(demo_runtime.uow(), admin, user_id, "auditor", commune)
    restructure.merge_organisations(demo_runtime.uow(), admin, commune, committee, date.today())
    page = browser.get("/admin/tree").get_data(as_text=True)
    assert f'data-grant="{grant}"' in page and "dissolved on" in page
    moved = browser.post(
        f"/admin/grants/{grant}/move", {"organisation": str(committee)}, token_from="/admin/tree"
    )
    assert moved.status_code == 302
    with demo_runtime.sessions() as session:
        assert session.get(RoleGrant, grant).organisation_id == committee
    assert f'data-grant="{grant}"' not in browser.get("/admin/tree").get_data(as_text=True)


def test_only_admins_see_the_page(login):
    assert login("bithu.chuvanan").get("/admin/tree").status_code == 403
