"""The enterprise registry's pages on the demo district: who sees them, the filters, an admin's
registration (an event in an intact chain), and the targets report's table."""

from __future__ import annotations

import json

from click.testing import CliRunner
from sqlalchemy import select

from db.models import Enterprise, Event, Organisation
from db.read.history import verify


def test_secretary_is_refused(login):
    browser = login("bithu.chuvanan")
    assert browser.get("/enterprises/").status_code == 403
    assert browser.get("/enterprises/new").status_code == 403


def test_committee_reads_with_filters(login):
    browser = login("bantochuc")
    page = browser.get("/enterprises/").get_data(as_text=True)
    assert "Lado Taxi" in page and "Dệt Phú Hội Xanh" in page
    assert "/enterprises/new" not in page
    page = browser.get("/enterprises/?cell=no").get_data(as_text=True)
    assert "Lado Taxi" not in page and "Dệt Phú Hội Xanh" in page
    page = browser.get("/enterprises/?cell=yes&status=surveyed").get_data(as_text=True)
    assert "Nông sản Hiệp Thạnh" in page and "Lado Taxi" not in page
    assert browser.get("/enterprises/?status=bogus").status_code == 400
    assert browser.get("/enterprises/new").status_code == 403


def _admin(demo_runtime) -> str:
    from db.models import RoleGrant, User

    with demo_runtime.sessions() as session:
        return session.scalar(
            select(User.username).join(RoleGrant).where(RoleGrant.role == "admin").limit(1)
        )


def test_admin_registers_an_enterprise(login, demo_runtime):
    browser = login(_admin(demo_runtime))
    with demo_runtime.sessions() as session:
        district = session.scalar(
            select(Organisation.id).where(Organisation.name == "Đảng bộ huyện Đức Trọng")
        )
    data = {
        "name": "Công ty TNHH Mới",
        "tax_code": "12345",
        "address": "Khu công nghiệp Phú Hội",
        "workforce": "75",
        "committee_id": str(district),
        "cell_id": "0",
        "survey_status": "not_surveyed",
    }
    refused = browser.post("/enterprises/new", data, token_from="/enterprises/new")
    assert refused.status_code == 422
    assert "10" in refused.get_data(as_text=True)
    data["tax_code"] = "5800009999"
    done = browser.post("/enterprises/new", data, token_from="/enterprises/new")
    assert done.status_code == 302
    with demo_runtime.sessions() as session:
        row = session.scalar(select(Enterprise).where(Enterprise.name == "Công ty TNHH Mới"))
        assert (row.workforce, row.tax_code, row.cell_id) == (75, "5800009999", None)
        last = session.scalar(select(Event).order_by(Event.id.desc()).limit(1))
        assert last.action == "admin_create_enterprise" and last.case_id is None
    assert verify(demo_runtime.engine).intact
    edit = browser.get(f"/enterprises/{row.id}")
    assert edit.status_code == 200 and "Công ty TNHH Mới" in edit.get_data(as_text=True)


def test_targets_report_shows_enterprises_without_party(login, demo_runtime):
    page = login("bantochuc").get("/reports/targets").get_data(as_text=True)
    assert 'id="enterprises-without-party"' in page
    assert "Dệt Phú Hội Xanh" in page
    with demo_runtime.sessions() as session:
        spare = session.scalars(select(Enterprise).where(Enterprise.cell_id.is_(None))).all()
    assert len(spare) == 5
    assert f"data-total-workforce>{sum(e.workforce for e in spare)}<" in page


def test_cli_json_has_the_enterprises(demo_runtime, monkeypatch):
    from web.cli import cli

    monkeypatch.setenv("HOSO_DATABASE_URL", demo_runtime.engine.url.render_as_string(False))
    result = CliRunner().invoke(cli, ["report", "targets", "--json", "--today", "2026-11-27"])
    assert result.exit_code == 0, result.output
    spare = json.loads(result.output)["enterprises_without_party"]
    assert spare["count"] == 5
    assert spare["workforce"] == sum(e["workforce"] for e in spare["enterprises"])
