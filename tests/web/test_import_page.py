"""The import page: upload, preview, confirm; who may import; the template."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from db.models import Case, Event, Organisation, Person
from db.read.history import verify
from tests.web.conftest import Browser
from tests.web.transfer_support import (
    CVA,
    GOOD,
    MIXED,
    SECRETARY,
    confirm_fields,
    csv_file,
    imported_people,
    snapshot,
    text_of,
    upload,
)

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
