"""The list's CSV and XLSX exports, and a round trip from an export back to the list."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from db.actors import actor_by_username
from db.models import Case, Organisation, Person
from db.read.history import verify
from tests.web.transfer_support import (
    CVA,
    SECRETARY,
    csv_file,
    run_import,
)
from workflow import services

# --- exports --------------------------------------------------------------------------------


def list_ids(browser, query: str = "") -> list[int]:
    ids: list[int] = []
    page = 1
    while True:
        html = browser.get(f"/candidates?{query}&page={page}").get_data(as_text=True)
        found = [int(i) for i in re.findall(r'<tr data-case="(\d+)"', html)]
        ids += found
        if 'rel="next"' not in html:
            return ids
        page += 1


def read_csv(data: bytes) -> list[dict[str, str]]:
    assert data.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_a_secretarys_csv_export_holds_only_their_cell(login, demo_runtime):
    browser = login(SECRETARY)
    response = browser.get("/candidates/export.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = read_csv(response.data)
    assert rows and {row["Chi bộ"] for row in rows} == {CVA}
    assert [int(row["Mã hồ sơ"]) for row in rows] == list_ids(browser)
    first = rows[0]
    assert list(first)[:4] == ["Mã hồ sơ", "Họ và tên", "Ngày sinh", "Giới tính"]
    assert re.fullmatch(r"\d\d/\d\d/\d{4}", first["Ngày sinh"])


def test_exports_take_the_lists_filters(login):
    browser = login("bantochuc")
    query = "state=mentored&sort=name"
    rows = read_csv(browser.get(f"/candidates/export.csv?{query}").data)
    assert [int(row["Mã hồ sơ"]) for row in rows] == list_ids(browser, query)
    assert {row["Trạng thái"] for row in rows} == {"Được phân công giúp đỡ"}
    everything = read_csv(browser.get("/candidates/export.csv").data)
    assert len(everything) == len(list_ids(browser)) > len(rows)
    assert len({row["Chi bộ"] for row in everything}) > 1


def test_the_xlsx_export_has_real_dates(login):
    browser = login(SECRETARY)
    response = browser.get("/candidates/export.xlsx?state=identified")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    book = load_workbook(io.BytesIO(response.data))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["Mã hồ sơ", "Họ và tên", "Ngày sinh"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert rows and all(isinstance(row[2], datetime) for row in rows if row[2] is not None)
    assert sheet.cell(row=2, column=3).number_format == "DD/MM/YYYY"
    assert {row[header.index("Chi bộ")] for row in rows} == {CVA}
    assert {row[header.index("Trạng thái")] for row in rows} == {"Cảm tình Đảng"}


def test_export_needs_a_case_list(login):
    browser = login("admin")
    assert browser.get("/candidates/export.csv").status_code == 403
    assert browser.get("/candidates/export.xlsx").status_code == 403


def test_exported_text_never_becomes_a_formula(login, demo_runtime):
    with demo_runtime.sessions() as session:
        actor = actor_by_username(session, SECRETARY)
    person = csv_file(
        '=HYPERLINK("http://x");01/01/2007;nam;', header="Họ và tên;Ngày sinh;Giới tính;Nơi cư trú"
    )
    assert run_import(demo_runtime, actor, person, "f.csv").committed
    browser = login(SECRETARY)
    rows = read_csv(browser.get("/candidates/export.csv?q=hyperlink").data)
    assert rows[0]["Họ và tên"].startswith("'=")
    book = load_workbook(io.BytesIO(browser.get("/candidates/export.xlsx?q=hyperlink").data))
    cell = book.active.cell(row=2, column=2)
    assert cell.data_type == "s" and cell.value.startswith("=")


# --- a round trip ---------------------------------------------------------------------------


PARTICULARS = (
    "full_name",
    "birth_date",
    "sex",
    "birth_place",
    "hometown",
    "ethnicity",
    "religion",
    "education",
    "residence",
    "occupation",
    "id_number",
    "is_doan_member",
)


def particulars(runtime, case_ids) -> list[tuple]:
    with runtime.sessions() as session:
        people = session.execute(
            select(*(getattr(Person, name) for name in PARTICULARS), Case.cell_id)
            .join(Case, Case.person_id == Person.id)
            .where(Case.id.in_(case_ids))
            .order_by(Person.full_name)
        )
        return [tuple(row) for row in people]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_an_export_imports_back_once_the_originals_are_withdrawn(login, demo_runtime, kind):
    with demo_runtime.sessions() as session:
        actor = actor_by_username(session, SECRETARY)
        cell_id = session.scalar(select(Organisation.id).where(Organisation.name == CVA))
    for name, number, doan in [
        ("Nguyễn Thị Ánh Tuyết", "001308000001", "1"),
        ("Lê-Trần Quốc Bảo", None, ""),
        ("=Ông Ích Khiêm", "068207000002", "1"),
    ]:
        services.identify_candidate(
            demo_runtime.uow(),
            actor,
            {
                "full_name": name,
                "birth_date": "2008-01-14",
                "sex": "nữ" if "Thị" in name else "nam",
                "birth_place": "Đà Lạt, Lâm Đồng",
                "hometown": "Đức Trọng; Lâm Đồng",
                "ethnicity": "K'Ho",
                "religion": "Công giáo",
                "education": "12/12",
                "residence": 'Thôn 3, "Liên Nghĩa"',
                "occupation": "Học sinh",
                "id_number": number,
                "is_doan_member": doan,
                "cell": str(cell_id),
                "source": "cell_review",
            },
        )
    browser = login(SECRETARY)
    exported = browser.get(f"/candidates/export.{kind}?state=identified").data
    with demo_runtime.sessions() as session:
        originals = session.scalars(
            select(Case.id)
            .join(Organisation, Organisation.id == Case.cell_id)
            .where(Organisation.name == CVA, Case.state == "identified")
        ).all()
    assert len(originals) >= 4

    # While the originals are open, every row is the same person again.
    refused = run_import(demo_runtime, actor, exported, f"export.{kind}", dry_run=True)
    assert refused.refused == len(originals)
    assert {p.kind for row in refused.rows for p in row.problems} == {"duplicate_open_case"}

    for case_id in originals:
        services.fire_transition(
            demo_runtime.uow(), actor, case_id, "withdraw", {"reason": "chuyển sang hệ thống mới"}
        )
    result = run_import(demo_runtime, actor, exported, f"export.{kind}")
    assert result.committed and result.imported == len(originals), result.as_dict()
    assert set(result.sheet.ignored) == {
        "Mã hồ sơ",
        "Trạng thái",
        "Đảng viên giúp đỡ",
        "Ngày vào danh sách",
    }
    new_ids = [row.case_id for row in result.rows]
    assert particulars(demo_runtime, new_ids) == particulars(demo_runtime, originals)
    assert verify(demo_runtime.engine).intact
