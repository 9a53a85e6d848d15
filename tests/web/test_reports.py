"""``/reports/targets``, its exports and ``hoso report targets`` on the demo district; who sees
what; the admins' editing of targets."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from sqlalchemy import select

from db.models import Event, Organisation, Target
from web.cli import cli

TODAY = date(2026, 11, 28)
CVA = "Chi bộ trường THPT Chu Văn An"
DONG_THUY = "Chi bộ Công ty TNHH Đồng Thúy"
SCHOOLS = 6
ENTERPRISES = 3


@pytest.fixture(autouse=True)
def _fixed_day(app):
    app.config["REPORT_TODAY"] = TODAY


def _cli_json(demo_runtime, *args: str) -> dict:
    url = demo_runtime.engine.url.render_as_string(hide_password=False)
    result = CliRunner().invoke(
        cli,
        ["report", "targets", "--json", "--today", TODAY.isoformat(), *args],
        env={"HOSO_DATABASE_URL": url},
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _org_ids(demo_runtime) -> dict[str, int]:
    with demo_runtime.sessions() as session:
        return dict(session.execute(select(Organisation.name, Organisation.id)).all())


# --- the demo district's numbers ------------------------------------------------------------------


def test_the_cli_counts_3_students_and_5_workers_admitted_in_2020_2023(demo_runtime):
    report = _cli_json(demo_runtime, "--year", "2023")
    past = [h for h in report["history"] if 2020 <= h["year"] <= 2023]
    assert [h["year"] for h in past] == [2020, 2021, 2022, 2023]
    assert sum(h["school"] for h in past) == 3
    assert sum(h["enterprise"] for h in past) == 5
    assert sum(h["admitted"] for h in past) == 8
    assert report["phase"] == "past"
    assert [h["admitted"] for h in past] == [1, 2, 2, 3]


def test_the_cli_year_2023_per_cell_and_the_share(demo_runtime):
    report = _cli_json(demo_runtime, "--year", "2023")
    rows = {row["name"]: row for row in report["organisations"]}
    assert rows[CVA]["admitted"] == 2 and rows[CVA]["status"] == "met"
    assert rows["Chi bộ trường THPT Hoàng Hoa Thám"]["status"] == "missed"
    assert rows["Đảng bộ huyện Đức Trọng"]["admitted"] == 3
    [share] = report["enterprise_share"]
    # With the district's outside total (197, 1 worker): 2 workers of 200, the 2% missed.
    assert (share["enterprise"], share["total"], share["percent"]) == (2, 200, 1.0)
    assert share["met"] is False and share["status"] == "missed"
    assert report["totals"] == {"school": 2, "enterprise": 1, "other": 0, "all": 3}


def test_the_cli_current_year_shows_the_pipeline_and_the_difficulties(demo_runtime):
    report = _cli_json(demo_runtime, "--year", "2026")
    assert report["phase"] == "current"
    assert set(report["cells_without_pipeline"]) == {
        "Chi bộ trường THPT Hoàng Hoa Thám",
        "Chi bộ Công ty TNHH Nông sản Hiệp Thạnh",
        "Chi bộ trường THPT Nguyễn Bỉnh Khiêm",
    }
    rows = {row["name"]: row for row in report["organisations"]}
    assert rows["Chi bộ trường THPT Hoàng Hoa Thám"]["status"] == "at_risk"
    assert rows[DONG_THUY]["pipeline"]["dossier_submitted"] == 1
    assert {c["name"] for c in report["stuck"]} >= {"Nguyễn Văn Hòa"}
    quotas = {q["organisation"]: q for q in report["introductions"]}
    assert quotas["Công đoàn Công ty TNHH Đồng Thúy"]["introduced"] == 2
    assert quotas["Đoàn trường THPT Chu Văn An"]["introduced"] == 3


def test_the_cli_as_a_secretary_and_its_refusals(demo_runtime):
    report = _cli_json(demo_runtime, "--year", "2023", "--as", "bithu.chuvanan")
    assert [row["name"] for row in report["organisations"]] == [CVA]
    url = demo_runtime.engine.url.render_as_string(hide_password=False)
    runner = CliRunner()
    env = {"HOSO_DATABASE_URL": url}
    unknown = runner.invoke(cli, ["report", "targets", "--as", "nobody"], env=env)
    assert unknown.exit_code == 4 and "nobody" in unknown.output
    mentor = runner.invoke(cli, ["report", "targets", "--as", "giupdo.chuvanan"], env=env)
    assert mentor.exit_code == 3
    text = runner.invoke(cli, ["report", "targets", "--year", "2023"], env=env)
    assert text.exit_code == 0 and "2023" in text.output and "MISSED" in text.output


def test_the_page_shows_2020_2023_for_the_committee(login):
    page = login("bantochuc").get("/reports/targets?year=2023").get_data(as_text=True)
    rows = re.findall(
        r'<tr data-year="(\d{4})"[^>]*>\s*<th[^>]*>.*?</th>\s*'
        r'<td class="num">(\d+)</td>\s*<td class="num">(\d+)</td>\s*<td class="num">(\d+)</td>',
        page,
        re.S,
    )
    history = {int(year): [int(n) for n in numbers] for year, *numbers in rows}
    assert sorted(history) == [2020, 2021, 2022, 2023]
    assert sum(history[y][1] for y in history) == 3  # high schools
    assert sum(history[y][2] for y in history) == 5  # enterprises
    assert "<svg" in page and 'class="chart lines"' in page and 'class="chart bars"' in page
    assert "<script" not in page


def test_the_page_of_this_year_shows_who_has_no_candidate_and_who_is_stuck(login, demo_runtime):
    ids = _org_ids(demo_runtime)
    page = login("bantochuc").get("/reports/targets").get_data(as_text=True)
    assert "2026" in page
    empty = re.search(r'<ul class="empty-cells">(.*?)</ul>', page, re.S).group(1)
    assert f'data-org="{ids["Chi bộ trường THPT Hoàng Hoa Thám"]}"' in empty
    assert f'data-org="{ids[CVA]}"' not in empty
    assert "Nguyễn Văn Hòa" in page  # trained since May, stuck
    assert 'class="verdict at_risk"' in page


def test_a_bad_year_is_refused(login):
    browser = login("bantochuc")
    assert browser.get("/reports/targets?year=abc").status_code == 400
    assert browser.get("/reports/targets.csv?year=99999").status_code == 400


# --- exports --------------------------------------------------------------------------------------


def test_the_xlsx_opens_and_holds_the_rows_as_numbers(login):
    response = login("bantochuc").get("/reports/targets.xlsx?year=2023")
    assert response.status_code == 200
    assert "hoso-chi-tieu-2023.xlsx" in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Chỉ tiêu 2023", "Các năm", "Hồ sơ chậm"]
    sheet = book["Chỉ tiêu 2023"]
    headers = [c.value for c in sheet[1]]
    assert headers[:7] == [
        "Năm",
        "Tổ chức",
        "Loại tổ chức",
        "Khối",
        "Chỉ tiêu",
        "Mức chỉ tiêu",
        "Kết quả",
    ]
    rows = {
        row[1]: row
        for row in sheet.iter_rows(min_row=2, values_only=True)
        if row[4] == "Kết nạp đảng viên"
    }
    assert rows[CVA][6] == 2 and isinstance(rows[CVA][6], int)
    assert rows[CVA][5] == 1
    assert len([r for r in rows.values() if r[2] == "Chi bộ"]) == SCHOOLS + ENTERPRISES
    history = list(book["Các năm"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[2], r[3]) for r in history] == [
        (2020, 0, 1), (2021, 1, 1), (2022, 0, 2), (2023, 2, 1)
    ]  # fmt: skip
    share = next(
        r for r in sheet.iter_rows(min_row=2, values_only=True) if r[4].startswith("Tỷ lệ")
    )
    assert share[6] == 1.0 and share[5] == 2  # 2 workers of 200, with the outside total


def test_the_csv_has_a_bom_and_vietnamese_headers(login):
    response = login("bantochuc").get("/reports/targets.csv?year=2023")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeffNăm,Tổ chức,")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    cva = next(r for r in rows if r[1] == CVA)
    assert (cva[0], cva[5], cva[6]) == ("2023", "1", "2")


# --- who sees what --------------------------------------------------------------------------------


def test_a_secretary_sees_only_their_cell(login, demo_runtime):
    ids = _org_ids(demo_runtime)
    browser = login("bithu.chuvanan")
    page = browser.get("/reports/targets?year=2026").get_data(as_text=True)
    shown = set(map(int, re.findall(r'<tr data-org="(\d+)"', page)))
    assert ids[CVA] in shown
    assert ids[DONG_THUY] not in shown and ids["Đảng bộ huyện Đức Trọng"] not in shown
    assert "Đồng Thúy" not in page
    assert 'id="share"' not in page
    book = load_workbook(io.BytesIO(browser.get("/reports/targets.xlsx?year=2026").data))
    names = {row[1] for row in book.active.iter_rows(min_row=2, values_only=True)}
    assert names == {CVA, "Đoàn trường THPT Chu Văn An"}
    csv_text = browser.get("/reports/targets.csv?year=2026").data.decode("utf-8")
    assert "Đồng Thúy" not in csv_text


@pytest.mark.parametrize("username", ["giupdo.chuvanan", "doan.chuvanan", "trungtam"])
def test_other_roles_may_not_read_it(login, username):
    browser = login(username)
    assert browser.get("/reports/targets").status_code == 403
    assert browser.get("/reports/targets.xlsx").status_code == 403
    assert "/reports/targets" not in browser.get("/").get_data(as_text=True)


@pytest.mark.parametrize("username", ["bantochuc", "kiemtra", "admin", "bithu.dongthuy"])
def test_readers_find_it_in_the_menu(login, username):
    browser = login(username)
    assert 'href="/reports/targets"' in browser.get("/").get_data(as_text=True)
    assert browser.get("/reports/targets").status_code == 200


# --- admins edit the targets ----------------------------------------------------------------------


def _target_id(demo_runtime, org_id: int, year: int) -> int:
    with demo_runtime.sessions() as session:
        return session.scalar(
            select(Target.id).where(Target.organisation_id == org_id, Target.year == year)
        )


def _events(demo_runtime, action: str) -> list[Event]:
    with demo_runtime.sessions() as session:
        return list(session.scalars(select(Event).where(Event.action == action)))


def test_an_admin_edits_a_target_and_the_history_records_it(login, demo_runtime):
    ids = _org_ids(demo_runtime)
    browser = login("admin")
    page = browser.get("/reports/targets/edit?year=2026").get_data(as_text=True)
    target_id = _target_id(demo_runtime, ids[CVA], 2026)
    assert f'data-target="{target_id}"' in page
    saved = browser.post(
        f"/reports/targets/edit/{target_id}?year=2026",
        {"value": "2", "note": "Nâng chỉ tiêu"},
        token_from="/reports/targets/edit?year=2026",
    )
    assert saved.status_code == 302
    with demo_runtime.sessions() as session:
        assert session.get(Target, target_id).value == 2
    [event] = _events(demo_runtime, "admin_update_target")
    assert event.username == "admin" and event.organisation_id == ids[CVA]
    assert json.loads(event.data)["value"] == "2"
    report = browser.get("/reports/targets?year=2026").get_data(as_text=True)
    assert re.search(rf'<tr data-org="{ids[CVA]}"[^>]*>.*?≥&nbsp;2', report, re.S)


def test_an_admin_adds_and_removes_a_target(login, demo_runtime):
    ids = _org_ids(demo_runtime)
    browser = login("admin")
    form = "/reports/targets/edit?year=2027"
    created = browser.post(
        "/reports/targets/edit?year=2027",
        {"year": "2027", "organisation": str(ids[CVA]), "metric": "admissions",
         "unit_kind": "all", "value": "1", "note": ""},
        token_from=form,
    )  # fmt: skip
    assert created.status_code == 302
    target_id = _target_id(demo_runtime, ids[CVA], 2027)
    # The demo's own targets were set through the same use case (years 2020-2026).
    made = [json.loads(e.data) for e in _events(demo_runtime, "admin_create_target")]
    assert [e["target_id"] for e in made if e["year"] == 2027] == [target_id]
    again = browser.post(
        "/reports/targets/edit?year=2027",
        {"year": "2027", "organisation": str(ids[CVA]), "metric": "admissions",
         "unit_kind": "all", "value": "1"},
        token_from=form,
    )  # fmt: skip
    assert again.status_code == 422
    assert "đã có chỉ tiêu này" in again.get_data(as_text=True) or "already has" in again.get_data(
        as_text=True
    )
    removed = browser.post(f"/reports/targets/edit/{target_id}/delete?year=2027", token_from=form)
    assert removed.status_code == 302
    assert _target_id(demo_runtime, ids[CVA], 2027) is None
    assert len(_events(demo_runtime, "admin_delete_target")) == 1


def test_a_bad_value_is_refused_on_the_row(login, demo_runtime):
    ids = _org_ids(demo_runtime)
    browser = login("admin")
    target_id = _target_id(demo_runtime, ids[CVA], 2026)
    refused = browser.post(
        f"/reports/targets/edit/{target_id}?year=2026",
        {"value": "1.5"},
        token_from="/reports/targets/edit?year=2026",
    )
    assert refused.status_code == 422
    assert 'role="alert"' in refused.get_data(as_text=True)
    assert _events(demo_runtime, "admin_update_target") == []


@pytest.mark.parametrize("username", ["bantochuc", "kiemtra", "bithu.chuvanan"])
def test_only_admins_edit(login, demo_runtime, username):
    ids = _org_ids(demo_runtime)
    browser = login(username)
    target_id = _target_id(demo_runtime, ids[CVA], 2026)
    assert browser.get("/reports/targets/edit").status_code == 403
    posted = browser.post(
        f"/reports/targets/edit/{target_id}", {"value": "5"}, token_from="/reports/targets"
    )
    assert posted.status_code == 403
    assert "/reports/targets/edit" not in browser.get("/reports/targets").get_data(as_text=True)
