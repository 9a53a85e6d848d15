"""``/reports/statistics``, its workbook, ``hoso report statistics`` and the admins' entry of
admissions outside hoso (``/reports/outside``), on the demo district; and the category on the
new-candidate page."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from sqlalchemy import select

from db.models import Event, Organisation, OutsideAdmissions
from web.cli import cli

TODAY = date(2026, 11, 28)
DISTRICT = "Đảng bộ huyện Đức Trọng"


@pytest.fixture(autouse=True)
def _fixed_day(app):
    app.config["REPORT_TODAY"] = TODAY


def _cli(demo_runtime, *args: str):
    url = demo_runtime.engine.url.render_as_string(hide_password=False)
    return CliRunner().invoke(cli, ["report", "statistics", *args], env={"HOSO_DATABASE_URL": url})


def _district_id(demo_runtime) -> int:
    with demo_runtime.sessions() as session:
        return session.scalar(select(Organisation.id).where(Organisation.name == DISTRICT))


def test_the_cli_json_of_2023(demo_runtime):
    result = _cli(demo_runtime, "--year", "2023", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert set(report) == {
        "year", "age_bands", "admitted_in_hoso", "admitted_outside", "total", "breakdowns",
        "organisations", "outside", "categories",
    }  # fmt: skip
    assert (report["year"], report["age_bands"]) == (2023, [30, 40, 50])
    # hoso's 3 and the 197 the district's other organisations admitted (entered in January 2024).
    assert (report["admitted_in_hoso"], report["admitted_outside"], report["total"]) == (
        3,
        197,
        200,
    )
    assert set(report["breakdowns"]) == {
        "category", "sex", "ethnicity", "religion", "age_band", "education"
    }  # fmt: skip
    category = report["breakdowns"]["category"]
    counts = {line["key"]: line["count"] for line in category["lines"]}
    assert (counts["student"], counts["enterprise_worker"]) == (2, 2)  # 1 in hoso, 1 outside
    assert set(category["lines"][0]) == {"key", "label", "count"}
    assert category["lines"][0]["label"] == "Học sinh, sinh viên"
    assert (category["outside_included"], category["outside_apart"]) == (1, 196)
    district = next(o for o in report["organisations"] if o["name"] == DISTRICT)
    assert district["admitted"] == 3 and district["depth"] == 1  # under the province
    assert district["outside"] == 197
    assert not any(o["name"].startswith("Đảng ủy xã") for o in report["organisations"])
    assert set(district) == {
        "id", "name", "type", "depth", "admitted", "women", "by_category", "outside",
        "outside_enterprise_workers",
    }  # fmt: skip


def test_a_year_lists_the_organisations_of_that_year(demo_runtime):
    """The district, dissolved on 01/07/2025, is not in 2026's report; the commune committees
    that took over its cells are, with their own outside totals."""
    report = json.loads(_cli(demo_runtime, "--year", "2026", "--json").output)
    names = [o["name"] for o in report["organisations"]]
    assert DISTRICT not in names
    communes = ["Đức Trọng", "Hiệp Thạnh", "Tân Hội", "Ninh Gia"]
    assert all(f"Đảng ủy xã {c}" in names for c in communes), names
    assert report["admitted_outside"] == sum(o["total"] for o in report["outside"]) == 190
    year_2025 = json.loads(_cli(demo_runtime, "--year", "2025", "--json").output)
    assert DISTRICT in [o["name"] for o in year_2025["organisations"]]  # until 30/06/2025


def test_the_cli_text_and_an_unknown_user(demo_runtime):
    result = _cli(demo_runtime, "--year", "2023")
    assert result.exit_code == 0
    assert "statistics 2023: 200 admitted (3 in hoso, 197 outside)" in result.output
    assert _cli(demo_runtime, "--year", "2023", "--as", "nobody").exit_code == 4


def test_the_page_and_the_workbook(login):
    browser = login("bantochuc")
    page = browser.get("/reports/statistics?year=2023")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert 'data-figure="in-hoso">3<' in text and "Học sinh, sinh viên" in text
    response = browser.get("/reports/statistics.xlsx?year=2023")
    assert response.status_code == 200
    assert "hoso-thong-ke-2023.xlsx" in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames[0] == "Tổng hợp 2023"
    assert [c.value for c in book["Tổng hợp 2023"]["B"]][1:] == [2023, 3, 197, 200]
    rows = {r[0]: r[1] for r in book["Đối tượng"].iter_rows(min_row=2, values_only=True)}
    assert rows["Học sinh, sinh viên"] == 2 and rows["Tổng số"] == 200  # with the outside 197
    assert "Theo tổ chức" in book.sheetnames and "Ngoài hoso" in book.sheetnames


@pytest.mark.parametrize("username", ["giupdo.chuvanan", "trungtam", "doan.chuvanan"])
def test_who_may_not_read(login, username):
    browser = login(username)
    assert browser.get("/reports/statistics").status_code == 403


def test_an_admin_enters_outside_admissions_and_the_share_follows(login, demo_runtime):
    browser = login("admin")
    district = _district_id(demo_runtime)
    with demo_runtime.sessions() as session:
        events_before = len(
            session.scalars(
                select(Event.id).where(Event.action == "admin_set_outside_admissions")
            ).all()
        )
    form = "/reports/outside?year=2023"
    assert browser.get(form).status_code == 200
    refused = browser.post(
        form, {"organisation": str(district), "total": "10", "enterprise_workers": "11"},
        token_from=form,
    )  # fmt: skip
    assert refused.status_code == 422
    saved = browser.post(
        form, {"organisation": str(district), "total": "247", "enterprise_workers": "0",
               "note": "Các tổ chức đảng không dùng hoso"},
        token_from=form,
    )  # fmt: skip
    assert saved.status_code == 303
    with demo_runtime.sessions() as session:
        # The demo's entry of the year (197, 1 worker) is replaced, not doubled.
        [entry] = session.scalars(
            select(OutsideAdmissions).where(
                OutsideAdmissions.organisation_id == district, OutsideAdmissions.year == 2023
            )
        ).all()
        assert (entry.year, entry.total, entry.enterprise_workers) == (2023, 247, 0)
        events = session.scalars(
            select(Event).where(Event.action == "admin_set_outside_admissions").order_by(Event.id)
        ).all()
        assert len(events) == events_before + 1
        assert json.loads(events[-1].data)["total"] == 247
    # 1 worker of 3 + 247 = 250: 0.4%, the seed's 2% missed.
    url = demo_runtime.engine.url.render_as_string(hide_password=False)
    args = ["report", "targets", "--json", "--year", "2023", "--today", "2026-11-28"]
    report = json.loads(CliRunner().invoke(cli, args, env={"HOSO_DATABASE_URL": url}).output)
    [share] = report["enterprise_share"]
    assert (share["enterprise"], share["total"], share["status"]) == (1, 250, "missed")
    page = browser.get("/reports/statistics?year=2023").get_data(as_text=True)
    assert 'data-figure="total">250<' in page


def test_only_admins_enter_outside_admissions(login):
    assert login("bantochuc").get("/reports/outside").status_code == 403


def test_the_new_candidate_page_asks_the_category(login):
    page = login("bithu.chuvanan").get("/candidates/new").get_data(as_text=True)
    assert 'name="category"' in page and 'value="enterprise_worker"' in page
