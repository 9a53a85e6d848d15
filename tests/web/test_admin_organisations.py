"""The admin pages for organisations: the tree, creating and editing one, the deciding body."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from db.models import Organisation, User
from tests.web.test_admin import (
    CHU_VAN_AN,
    DISTRICT,
    PROVINCE,
    _errors,
    _org_id,
    _snapshot,
    other_province,
)

#: Chu Văn An's committee since the demo's reform of 01/07/2025 (the district is dissolved then).
DUC_TRONG = "Đảng ủy xã Đức Trọng"


@pytest.fixture(autouse=True)
def _english(browser):
    """These tests read the English wording (the Vietnamese is checked in test_i18n)."""
    browser.get("/login?lang=en")


# --- organisations ----------------------------------------------------------------------------


def test_the_tree_is_indented(login, demo_runtime):
    page = login("admin").get("/admin/organisations").get_data(as_text=True)
    depth = dict(re.findall(r'<tr data-org="(\d+)" class="depth-(\d+)', page))
    assert depth[str(_org_id(demo_runtime, PROVINCE))] == "0"
    assert depth[str(_org_id(demo_runtime, DUC_TRONG))] == "1"
    assert depth[str(_org_id(demo_runtime, CHU_VAN_AN))] == "2"
    assert depth[str(_org_id(demo_runtime, "Đoàn trường THPT Chu Văn An"))] == "3"


def test_create_and_edit_an_organisation(login, demo_runtime):
    browser = login("admin")
    province = _org_id(demo_runtime, PROVINCE)
    response = browser.post(
        "/admin/organisations/new",
        {
            "parent": str(province),
            "type": "committee",
            "name": "Đảng ủy xã Hiệp An",
            "unit_kind": "other",
            "committee_size": "9",
        },
    )
    assert response.status_code == 302
    commune = _org_id(demo_runtime, "Đảng ủy xã Hiệp An")
    response = browser.post(
        "/admin/organisations/new",
        {
            "parent": str(commune),
            "type": "cell",
            "name": "Chi bộ thôn Hiệp Thuận",
            "unit_kind": "other",
        },
    )
    assert response.status_code == 302
    with demo_runtime.sessions() as session:
        cell = session.scalar(
            select(Organisation).where(Organisation.name == "Chi bộ thôn Hiệp Thuận")
        )
        parent = session.get(Organisation, commune)
        assert cell.parent_id == commune and cell.path == f"{parent.path}{cell.id}/"
        assert parent.committee_size == 9 and cell.has_doan is False  # box left unticked
    response = browser.post(
        f"/admin/organisations/{cell.id}",
        {"name": "Chi bộ thôn Hiệp Thuận 2", "unit_kind": "school", "has_doan": "y"},
    )
    assert response.status_code == 302
    with demo_runtime.sessions() as session:
        edited = session.get(Organisation, cell.id)
        assert (edited.name, edited.unit_kind, edited.has_doan) == (
            "Chi bộ thôn Hiệp Thuận 2",
            "school",
            True,
        )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"type": "committee", "parent": "CELL"}, "cannot be placed there"),
        ({"name": CHU_VAN_AN}, "already exists"),
        ({"name": ""}, "required"),
        ({"parent": "PROVINCE"}, "scope"),
    ],
)
def test_bad_organisation_input_gets_a_message(login, demo_runtime, data, message):
    ids = {
        "CELL": str(_org_id(demo_runtime, CHU_VAN_AN)),
        "PROVINCE": str(other_province(demo_runtime)),  # outside the admin's scope
    }
    form = {
        "parent": str(_org_id(demo_runtime, DUC_TRONG)),
        "type": "cell",
        "name": "Chi bộ mới",
        "unit_kind": "school",
        **{k: ids.get(v, v) for k, v in data.items()},
    }
    before = _snapshot(demo_runtime)
    response = login("admin").post("/admin/organisations/new", form)
    assert response.status_code == 422
    assert any(message in e for e in _errors(response.get_data(as_text=True)))
    assert _snapshot(demo_runtime) == before


# --- the deciding body ------------------------------------------------------------------------


def _deciding(page: str) -> dict[str, str]:
    return dict(re.findall(r'<tr data-cell="(\d+)" data-body="(\d+)"', page))


def test_set_the_deciding_body(login, demo_runtime):
    browser = login("admin")
    district = _org_id(demo_runtime, DUC_TRONG)  # the deciding body since the reform
    cva = str(_org_id(demo_runtime, CHU_VAN_AN))
    assert _deciding(browser.get("/admin/").get_data(as_text=True))[cva] == str(district)

    # A grassroots committee between the commune's and a new cell, made the deciding body.
    browser.post(
        "/admin/organisations/new",
        {
            "parent": str(district),
            "type": "committee",
            "name": "Đảng ủy xã N'Thôl Hạ",
            "unit_kind": "other",
            "committee_size": "7",
        },
    )
    commune = _org_id(demo_runtime, "Đảng ủy xã N'Thôl Hạ")
    browser.post(
        "/admin/organisations/new",
        {"parent": str(commune), "type": "cell", "name": "Chi bộ thôn 1", "unit_kind": "other"},
    )
    cell = str(_org_id(demo_runtime, "Chi bộ thôn 1"))
    assert _deciding(browser.get("/admin/").get_data(as_text=True))[cell] == str(district)

    response = browser.post(f"/admin/organisations/{commune}/deciding", {"decides": "1"})
    assert response.status_code == 302
    with demo_runtime.sessions() as session:
        assert session.get(Organisation, commune).decides_admissions is True
    shown = _deciding(browser.get("/admin/").get_data(as_text=True))
    assert shown[cell] == str(commune)
    assert shown[cva] == str(district)  # other cells keep theirs

    browser.post(f"/admin/organisations/{commune}/deciding", {"decides": "0"})
    assert _deciding(browser.get("/admin/").get_data(as_text=True))[cell] == str(district)


def test_the_dissolved_district_takes_no_change(login, demo_runtime):
    """Dissolved on 01/07/2025, the district keeps its past but takes no new role, child, name
    or deciding flag: each is refused with its reason and changes nothing."""
    district = _org_id(demo_runtime, DISTRICT)
    giupdo = _user_id(demo_runtime, "giupdo.chuvanan")
    browser = login("admin")
    before = _snapshot(demo_runtime)
    refusals = [
        (f"/admin/users/{giupdo}/grants", {"role": "auditor", "organisation": str(district)},
         "A role cannot be granted on a dissolved organisation."),
        ("/admin/organisations/new", {"parent": str(district), "type": "cell",
         "name": "Chi bộ mới", "unit_kind": "school"}, "This organisation is dissolved."),
        (f"/admin/organisations/{district}", {"name": "Huyện ủy Đức Trọng", "unit_kind": "other"},
         "This organisation is dissolved."),
        (f"/admin/organisations/{district}/deciding", {"decides": "0"},
         "This organisation is dissolved."),
    ]  # fmt: skip
    for path, data, reason in refusals:
        response = browser.post(path, data)
        assert response.status_code == 422, path
        assert reason in response.get_data(as_text=True), path
    assert _snapshot(demo_runtime) == before


def _user_id(runtime, username: str) -> int:
    with runtime.sessions() as session:
        return session.scalar(select(User.id).where(User.username == username))


def test_only_a_committee_can_decide(login, demo_runtime):
    cell = _org_id(demo_runtime, CHU_VAN_AN)
    response = login("admin").post(f"/admin/organisations/{cell}/deciding", {"decides": "1"})
    assert response.status_code == 422
    assert "Only a party committee" in response.get_data(as_text=True)
    with demo_runtime.sessions() as session:
        assert session.get(Organisation, cell).decides_admissions is False


def test_user_count_on_the_overview(login, demo_runtime):
    with demo_runtime.sessions() as session:
        total = session.scalar(select(func.count()).select_from(User))
    page = login("admin").get("/admin/").get_data(as_text=True)
    assert f"{total} users in your scope" in page


def test_the_tree_names_its_columns_plainly(login):
    page = login("admin").get("/admin/organisations").get_data(as_text=True)
    headers = re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', page)
    assert "Organisation name" in headers and "Has a Đoàn branch" in headers
    assert "Đoàn" not in headers and "Name" not in headers
