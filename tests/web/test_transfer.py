"""Candidates in and out: the import page, ``hoso import``, the list's CSV and XLSX exports, and
a round trip from an export back to the list."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, datetime

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from db.actors import actor_by_username
from db.models import Case, ChainHead, Event, Organisation, Person
from db.read.history import verify
from tests.web.conftest import Browser
from web.cli import cli
from workflow import services
from workflow.importing.sheet import parse_sheet
from workflow.services.importing import import_candidates

CVA = "Chi bộ trường THPT Chu Văn An"
DONG_THUY = "Chi bộ Công ty TNHH Đồng Thúy"
SECRETARY = "bithu.chuvanan"


def run_import(runtime, actor, data: bytes, name: str, **options):
    """What ``hoso import`` does: read the file, then the use case, in one unit of work."""
    return import_candidates(runtime.uow(), actor, parse_sheet(data, name), **options)


def csv_file(*lines: str, header: str = "Họ và tên;Ngày sinh;Giới tính;Số CCCD") -> bytes:
    return ("\ufeff" + "\r\n".join((header, *lines)) + "\r\n").encode("utf-8")


GOOD = csv_file(
    "Nguyễn Thị Ánh Tuyết;14/01/2008;nữ;068308000001",
    "Đặng Văn Đức;01/12/2007;nam;068207000002",
)
MIXED = csv_file(
    "Nguyễn Thị Ánh Tuyết;14/01/2008;nữ;068308000001",
    "Sai Ngày Sinh;31/02/2007;nam;068207000003",
    "Trùng Số;01/01/2007;nam;068308000001",
)


def snapshot(runtime) -> tuple:
    with runtime.sessions() as session:
        return (
            session.scalar(select(func.count()).select_from(Case)),
            session.scalar(select(func.count()).select_from(Event)),
            session.scalar(select(ChainHead.digest)),
        )


def imported_people(runtime) -> list[tuple[str, str, str | None]]:
    with runtime.sessions() as session:
        rows = session.execute(
            select(Person.full_name, Case.source, Case.source_detail)
            .join(Case, Case.person_id == Person.id)
            .where(Case.source == "import_file")
            .order_by(Case.id)
        )
        return [tuple(row) for row in rows]


def upload(browser, data: bytes, name: str = "danh sách.csv"):
    token = browser.csrf("/candidates/import")
    return browser.client.post(
        "/candidates/import",
        data={"csrf_token": token, "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def confirm_fields(page: str) -> dict[str, str]:
    form = re.search(
        r'<form method="post" action="/candidates/import/confirm".*?</form>', page, re.S
    )
    assert form, "no confirmation form"
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form.group(0)))


def text_of(markup: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", markup))


# --- the import page ------------------------------------------------------------------------


def test_preview_then_confirm(login, demo_runtime):
    browser = login(SECRETARY)
    page = browser.get("/candidates/import")
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.get_data(as_text=True)
    before = snapshot(demo_runtime)

    preview = upload(browser, GOOD)
    assert preview.status_code == 200
    html = preview.get_data(as_text=True)
    assert 'data-accepted="2"' in html and 'data-refused="0"' in html
    assert "Nguyễn Thị Ánh Tuyết" in html and CVA in html
    assert snapshot(demo_runtime) == before  # a preview stores nothing

    done = browser.post("/candidates/import/confirm", confirm_fields(html), token_from="/")
    assert done.status_code == 303 and done.headers["Location"].endswith("/candidates/import/done")
    result = browser.get("/candidates/import/done").get_data(as_text=True)
    assert 'data-imported="2"' in result and "danh sách.csv" in result
    assert imported_people(demo_runtime) == [
        ("Nguyễn Thị Ánh Tuyết", "import_file", "danh sách.csv"),
        ("Đặng Văn Đức", "import_file", "danh sách.csv"),
    ]
    with demo_runtime.sessions() as session:
        last = session.scalars(select(Event).order_by(Event.id.desc()).limit(2)).all()
    assert {(e.action, e.username, e.role) for e in last} == {("identify", SECRETARY, "secretary")}
    assert verify(demo_runtime.engine).intact

    # The same confirmation again: the upload is gone.
    again = browser.post("/candidates/import/confirm", confirm_fields(html), token_from="/")
    assert again.status_code == 409
    assert len(imported_people(demo_runtime)) == 2


def test_refused_rows_are_listed_and_only_the_good_ones_imported_on_request(login, demo_runtime):
    browser = login(SECRETARY)
    before = snapshot(demo_runtime)
    preview = upload(browser, MIXED)
    html = preview.get_data(as_text=True)
    assert 'data-accepted="1"' in html and 'data-refused="2"' in html
    refused = re.search(r'<table class="import-refused">.*?</table>', html, re.S).group(0)
    assert re.findall(r'<tr data-row="(\d+)">', refused) == ["3", "4"]
    assert 'data-kind="bad_date"' in refused and 'data-kind="duplicate_in_file"' in refused
    assert "31/02/2007" in text_of(refused) and "dòng 2" in text_of(refused)
    fields = confirm_fields(html)
    assert fields["skip_bad"] == "1"

    # Without skip_bad (a forged form) the refused rows keep everything out.
    forged = {k: v for k, v in fields.items() if k != "skip_bad"}
    refusal = browser.post("/candidates/import/confirm", forged, token_from="/")
    assert refusal.status_code == 422 and snapshot(demo_runtime) == before

    done = browser.post("/candidates/import/confirm", fields, token_from="/")
    assert done.status_code == 303
    assert [name for name, *_ in imported_people(demo_runtime)] == ["Nguyễn Thị Ánh Tuyết"]


def test_a_duplicate_of_an_open_case_names_it(login, demo_runtime):
    with demo_runtime.sessions() as session:
        case_id, number = session.execute(
            select(Case.id, Person.id_number)
            .join(Person, Person.id == Case.person_id)
            .join(Organisation, Organisation.id == Case.cell_id)
            .where(Organisation.name == CVA, Case.state == "identified")
            .where(Person.id_number.is_not(None))
            .limit(1)
        ).one()
    browser = login(SECRETARY)
    html = upload(browser, csv_file(f"Tên Khác;01/01/2007;;{number}")).get_data(as_text=True)
    assert 'data-kind="duplicate_open_case"' in html
    assert f"hồ sơ số {case_id}, {CVA}" in html


def test_a_file_that_cannot_be_read(login, demo_runtime):
    browser = login(SECRETARY)
    response = upload(browser, b"just,some\ntext,here\n", "x.csv")
    assert response.status_code == 422
    assert "Họ và tên" in response.get_data(as_text=True)
    assert upload(browser, b"", "x.csv").status_code == 422


def test_uploads_are_size_limited(app, login, demo_runtime):
    app.config["IMPORT_MAX_BYTES"] = 2_000
    browser = login(SECRETARY)
    before = snapshot(demo_runtime)
    rows = csv_file(*(f"Người Thứ {i};01/01/2007;nam;{i:012d}" for i in range(100)))
    assert 2_000 < len(rows) < 64 * 1024
    assert upload(browser, rows).status_code == 413  # read, and found too large
    huge = rows + b"x" * (100 * 1024)
    assert upload(browser, huge).status_code == 413  # refused before the form is parsed
    assert snapshot(demo_runtime) == before


def test_uploads_need_the_csrf_token(login, demo_runtime):
    browser = login(SECRETARY)
    response = browser.client.post(
        "/candidates/import",
        data={"file": (io.BytesIO(GOOD), "x.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400


def test_a_confirmation_needs_this_sessions_upload(login, demo_runtime, app):
    browser = login(SECRETARY)
    html = upload(browser, GOOD).get_data(as_text=True)
    fields = confirm_fields(html)
    before = snapshot(demo_runtime)
    wrong = {**fields, "token": "A" * 43}
    assert browser.post("/candidates/import/confirm", wrong, token_from="/").status_code == 409
    traversal = {**fields, "token": "../../hoso"}
    assert browser.post("/candidates/import/confirm", traversal, token_from="/").status_code == 409
    # Another user's session does not hold the token.
    stranger = Browser(app.test_client())
    stranger.login("bithu.dongthuy")
    theirs = {k: v for k, v in fields.items() if k != "csrf_token"}
    answer = stranger.post("/candidates/import/confirm", theirs, token_from="/")
    assert answer.status_code == 409
    assert snapshot(demo_runtime) == before


@pytest.mark.parametrize("username", ["bantochuc", "giupdo.chuvanan", "kiemtra", "admin"])
def test_only_secretaries_import(login, username):
    browser = login(username)
    assert browser.get("/candidates/import").status_code == 403
    assert upload(browser, GOOD).status_code == 403
    assert browser.post("/candidates/import/confirm", {"token": "x" * 43}).status_code == 403
    assert browser.get("/candidates/import/template.xlsx").status_code == 403


def test_the_template_has_the_headers_the_import_reads(login):
    browser = login(SECRETARY)
    response = browser.get("/candidates/import/template.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data), read_only=True).active
    header = next(sheet.iter_rows(values_only=True))
    assert header[:3] == ("Họ và tên", "Ngày sinh", "Giới tính") and "Chi bộ" in header


def test_the_list_links_to_exports_with_its_filters(login, app):
    browser = login(SECRETARY)
    html = browser.get("/candidates?state=identified&sort=name&page=1").get_data(as_text=True)
    assert "/candidates/export.csv?state=identified&amp;sort=name" in html
    assert "/candidates/export.xlsx?state=identified&amp;sort=name" in html
    assert 'href="/candidates/import"' in html
    mentor = Browser(app.test_client())
    mentor.login("giupdo.chuvanan")
    html = mentor.get("/candidates").get_data(as_text=True)
    assert 'href="/candidates/import"' not in html and "/candidates/export.csv" in html


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


# --- hoso import ----------------------------------------------------------------------------


@pytest.fixture
def hoso(demo_runtime, tmp_path):
    """Run ``hoso`` on the demo database."""

    def run(*args):
        env = {
            "HOSO_DATABASE_URL": demo_runtime.engine.url.render_as_string(hide_password=False),
            "HOSO_INSTANCE": str(tmp_path / "instance"),
        }
        return CliRunner().invoke(cli, [str(a) for a in args], env=env)

    return run


def write(tmp_path, data: bytes, name: str = "danh_sach.csv"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_cli_import(hoso, tmp_path, demo_runtime):
    path = write(tmp_path, GOOD)
    result = hoso("import", path, "--as", SECRETARY)
    assert result.exit_code == 0, result.output
    assert "imported 2 candidate(s) from danh_sach.csv" in result.output
    assert "Importing" not in result.output  # no progress bar without a terminal
    assert imported_people(demo_runtime) == [
        ("Nguyễn Thị Ánh Tuyết", "import_file", "danh_sach.csv"),
        ("Đặng Văn Đức", "import_file", "danh_sach.csv"),
    ]


def test_cli_progress_bar_on_a_terminal(hoso, tmp_path, monkeypatch):
    import web.cli.importing

    monkeypatch.setattr(web.cli.importing, "_terminal", lambda: True)
    result = hoso("import", write(tmp_path, GOOD), "--as", SECRETARY)
    assert result.exit_code == 0, result.output
    assert "Importing" in result.stderr  # click draws the bar itself only on a real terminal
    assert "Importing" not in result.stdout


def test_cli_refused_rows_are_a_table_and_nothing_is_imported(hoso, tmp_path, demo_runtime):
    before = snapshot(demo_runtime)
    path = write(tmp_path, MIXED)
    result = hoso("import", path, "--as", SECRETARY)
    assert result.exit_code == 7
    lines = result.output.splitlines()
    assert lines[0].split() == ["row", "name", "field", "problem"]
    assert any(line.startswith("3 ") and "31/02/2007" in line for line in lines)
    assert any(line.startswith("4 ") and "row 2 of the file" in line for line in lines)
    assert "nothing imported from danh_sach.csv: 2 of 3 row(s) refused" in result.output
    assert snapshot(demo_runtime) == before


def test_cli_dry_run_and_json(hoso, tmp_path, demo_runtime):
    before = snapshot(demo_runtime)
    good = hoso("import", write(tmp_path, GOOD), "--as", SECRETARY, "--dry-run")
    assert good.exit_code == 0 and "nothing was stored" in good.output
    bad = hoso("import", write(tmp_path, MIXED), "--as", SECRETARY, "--dry-run", "--json")
    assert bad.exit_code == 7
    report = json.loads(bad.stdout)
    assert (report["dry_run"], report["committed"], report["accepted"], report["refused"]) == (
        True,
        False,
        1,
        2,
    )
    assert [r["status"] for r in report["results"]] == ["ok", "refused", "refused"]
    assert report["results"][1]["problems"][0]["kind"] == "bad_date"
    assert report["results"][1]["problems"][0]["message_vi"]
    assert snapshot(demo_runtime) == before


def test_cli_skip_bad(hoso, tmp_path, demo_runtime):
    result = hoso("import", write(tmp_path, MIXED), "--as", SECRETARY, "--skip-bad", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["committed"], report["imported"], report["refused"]) == (True, 1, 2)
    assert [name for name, *_ in imported_people(demo_runtime)] == ["Nguyễn Thị Ánh Tuyết"]


def test_cli_refusals_of_the_whole_command(hoso, tmp_path):
    path = write(tmp_path, GOOD)
    assert hoso("import", path, "--as", "nobody").exit_code == 2
    not_secretary = hoso("import", path, "--as", "bantochuc")
    assert not_secretary.exit_code == 3 and "secretary" in not_secretary.output
    unreadable = hoso("import", write(tmp_path, b"a,b\n1,2\n", "x.csv"), "--as", SECRETARY)
    assert unreadable.exit_code == 2 and "no header row" in unreadable.output
    assert hoso("import", tmp_path / "missing.csv", "--as", SECRETARY).exit_code == 2


def test_cli_reads_xlsx_with_excel_serials(hoso, tmp_path, demo_runtime):
    book = Workbook()
    sheet = book.active
    sheet.append(["Họ và tên", "Ngày sinh", "Chi bộ"])
    sheet.append(["Vũ Thị Thu Hà", 39000, CVA])
    buffer = io.BytesIO()
    book.save(buffer)
    result = hoso("import", write(tmp_path, buffer.getvalue(), "ds.xlsx"), "--as", SECRETARY)
    assert result.exit_code == 0, result.output
    with demo_runtime.sessions() as session:
        born = session.scalar(select(Person.birth_date).where(Person.full_name == "Vũ Thị Thu Hà"))
    assert born == date(2006, 10, 10)
