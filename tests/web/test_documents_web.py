"""The documents on the web: uploads on the case page, downloads only for those who see the case,
the forms as PDFs, and the public verification page."""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from db.models import DocumentRecord, Event, GeneratedDocument, Person, StoredFile
from workflow.throttle import VERIFY_LIMIT

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
CHU_VAN_AN = "Chi bộ trường THPT Chu Văn An"


def case_of(runtime, state: str, cell: str = CHU_VAN_AN) -> int:
    """The first demo case in `state` of `cell`."""
    from db.models import Case, Organisation

    with runtime.sessions() as session:
        return session.scalar(
            select(Case.id)
            .join(Organisation, Organisation.id == Case.cell_id)
            .where(Case.state == state, Organisation.name == cell)
            .order_by(Case.id)
            .limit(1)
        )


def version_of(runtime, case_id: int) -> int:
    from db.models import Case

    with runtime.sessions() as session:
        return session.get(Case, case_id).version


def stored(runtime) -> dict[str, int]:
    with runtime.sessions() as session:
        return {
            model.__tablename__: session.scalar(select(func.count()).select_from(model))
            for model in (StoredFile, DocumentRecord, Event)
        }


def files_dir(app) -> Path:
    return Path(app.instance_path) / "files"


@pytest.fixture
def secretary(login):
    """The Chu Văn An secretary, reading English (the messages tested are the English ones)."""
    browser = login("bithu.chuvanan")
    browser.get("/?lang=en")
    return browser


def send(browser, runtime, case_id, content=PDF, name="scan.pdf", code="1-KNĐ", **form):
    data = {
        "code": code,
        "dated": "2026-09-01",
        "version": str(version_of(runtime, case_id)),
        "file": (io.BytesIO(content), name, "application/pdf"),
        **form,
    }
    return browser.post(
        f"/candidates/{case_id}/uploads",
        data=data,
        token_from=f"/candidates/{case_id}",
        content_type="multipart/form-data",
    )


def scan_links(page: str, case_id: int) -> list[str]:
    return re.findall(rf'href="(/candidates/{case_id}/scans/\d+)"', page)


# --- uploading ------------------------------------------------------------------------------


def test_the_case_page_offers_an_upload_per_missing_form(secretary, demo_runtime):
    case_id = case_of(demo_runtime, "trained")
    page = secretary.get(f"/candidates/{case_id}").get_data(as_text=True)
    section = re.search(r'<section class="card" id="documents">.*?</section>', page, re.S)
    assert section, "the documents section is on the case page"
    forms = re.findall(r'name="code" value="([^"]+)"', section.group(0))
    assert "1-KNĐ" in forms and 'enctype="multipart/form-data"' in section.group(0)
    assert 'name="csrf_token"' in section.group(0)
    assert f'href="/candidates/{case_id}/packet.pdf"' in section.group(0)


def test_a_good_upload_is_on_file_and_downloadable(secretary, demo_runtime, app):
    case_id = case_of(demo_runtime, "trained")
    response = send(secretary, demo_runtime, case_id, name="../../etc/passwd")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/candidates/{case_id}#documents")

    page = secretary.get(f"/candidates/{case_id}").get_data(as_text=True)
    [link] = scan_links(page, case_id)
    download = secretary.get(link)
    assert download.status_code == 200
    assert download.data == PDF
    assert download.mimetype == "application/pdf"
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    disposition = download.headers["Content-Disposition"]
    assert disposition.startswith("attachment") and "passwd.pdf" in disposition
    assert ".." not in disposition and "/" not in disposition
    sha = hashlib.sha256(PDF).hexdigest()
    assert {p for p in files_dir(app).rglob("*") if p.is_file()} == {
        files_dir(app) / sha[:2] / sha[2:4] / sha
    }


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"<html><script>alert(1)</script></html>", "scan.pdf", "Only PDF, JPEG or PNG"),
        (b"MZ\x90\x00" + b"\x00" * 60, "scan.exe", "Only PDF, JPEG or PNG"),
        (b"", "scan.pdf", "The file is empty"),
        (PDF + b"\x00" * 2000, "big.pdf", "The file is too large"),
    ],
    ids=["html", "exe", "empty", "too-large"],
)
def test_a_refused_upload_says_why_and_stores_nothing(
    secretary, demo_runtime, app, content, name, message
):
    app.config["HOSO_UPLOAD_MAX_BYTES"] = 1000
    case_id = case_of(demo_runtime, "trained")
    before = stored(demo_runtime)
    response = send(secretary, demo_runtime, case_id, content=content, name=name)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    assert 'id="form-1-KNĐ"' in page  # shown beside the form it was for
    assert stored(demo_runtime) == before
    assert not files_dir(app).exists()


def test_an_upload_for_no_form_is_refused_with_its_reason(secretary, demo_runtime, app):
    case_id = case_of(demo_runtime, "trained")
    before = stored(demo_runtime)
    response = send(secretary, demo_runtime, case_id, code="99-KNĐ")
    assert response.status_code == 422
    assert "unknown form" in response.get_data(as_text=True)
    assert stored(demo_runtime) == before and not files_dir(app).exists()


def test_a_request_over_the_limit_is_refused_before_it_is_read(secretary, demo_runtime, app):
    app.config["MAX_CONTENT_LENGTH"] = 4096
    case_id = case_of(demo_runtime, "trained")
    before = stored(demo_runtime)
    token = secretary.csrf(f"/candidates/{case_id}")
    response = secretary.client.post(
        f"/candidates/{case_id}/uploads",
        data={
            "csrf_token": token,
            "code": "1-KNĐ",
            "dated": "2026-09-01",
            "version": "1",
            "file": (io.BytesIO(PDF + b"\x00" * 10_000), "big.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    assert stored(demo_runtime) == before and not files_dir(app).exists()


def test_an_upload_without_csrf_token_is_refused(secretary, demo_runtime, app):
    case_id = case_of(demo_runtime, "trained")
    before = stored(demo_runtime)
    response = secretary.client.post(
        f"/candidates/{case_id}/uploads",
        data={
            "code": "1-KNĐ",
            "dated": "2026-09-01",
            "version": "1",
            "file": (io.BytesIO(PDF), "a.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert stored(demo_runtime) == before


def test_a_stale_page_is_not_saved(secretary, demo_runtime, app):
    case_id = case_of(demo_runtime, "trained")
    before = stored(demo_runtime)
    response = send(secretary, demo_runtime, case_id, version="0")
    assert response.status_code == 409
    assert stored(demo_runtime) == before


# --- who may see the files ------------------------------------------------------------------


def test_another_cells_secretary_gets_404_for_everything(login, demo_runtime, app):
    case_id = case_of(demo_runtime, "admitted")
    owner = login("bithu.chuvanan")
    send(owner, demo_runtime, case_id, code="10-KNĐ", dated="2026-11-01")
    [scan] = scan_links(owner.get(f"/candidates/{case_id}").get_data(as_text=True), case_id)
    with demo_runtime.sessions() as session:
        made = session.scalar(select(GeneratedDocument).where(GeneratedDocument.case_id == case_id))
    owner.client.post("/logout", data={"csrf_token": owner.csrf("/")})

    other = login("bithu.dongthuy")
    for path in (
        scan,
        f"/candidates/{case_id}/documents/9-KNĐ.pdf",
        f"/candidates/{case_id}/generated/{made.id}.pdf",
        f"/candidates/{case_id}/packet.pdf",
    ):
        assert other.get(path).status_code == 404, path
    before = stored(demo_runtime)
    assert send(other, demo_runtime, case_id, code="11-KNĐ").status_code == 404
    assert stored(demo_runtime) == before


def test_files_need_a_login(browser, demo_runtime):
    case_id = case_of(demo_runtime, "admitted")
    response = browser.get(f"/candidates/{case_id}/documents/9-KNĐ.pdf")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_scan_of_another_case_is_not_found_through_this_one(secretary, demo_runtime):
    first, second = case_of(demo_runtime, "trained"), case_of(demo_runtime, "mentored")
    send(secretary, demo_runtime, first)
    [link] = scan_links(secretary.get(f"/candidates/{first}").get_data(as_text=True), first)
    assert secretary.get(link.replace(f"/{first}/", f"/{second}/")).status_code == 404


# --- generated documents and their verification ---------------------------------------------


def generated_of(runtime, case_id: int) -> GeneratedDocument:
    with runtime.sessions() as session:
        return session.scalar(
            select(GeneratedDocument)
            .where(GeneratedDocument.case_id == case_id, GeneratedDocument.code == "9-KNĐ")
            .order_by(GeneratedDocument.id.desc())
        )


def test_the_generated_decision_downloads_with_its_number_and_code(secretary, demo_runtime):
    from pypdf import PdfReader

    case_id = case_of(demo_runtime, "admitted")
    made = generated_of(demo_runtime, case_id)
    page = secretary.get(f"/candidates/{case_id}").get_data(as_text=True)
    assert made.number in page and made.verify_code in page

    response = secretary.get(f"/candidates/{case_id}/documents/9-KNĐ.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    assert made.verify_code in text
    # Drawn again from the data it keeps: the same document every time.
    again = secretary.get(f"/candidates/{case_id}/generated/{made.id}.pdf")
    assert again.status_code == 200
    assert made.verify_code in "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(again.data)).pages
    )


def test_a_form_without_its_data_says_so(secretary, demo_runtime):
    case_id = case_of(demo_runtime, "trained")  # no decision yet: 9-KNĐ cannot be drawn
    response = secretary.get(f"/candidates/{case_id}/documents/9-KNĐ.pdf")
    assert response.status_code == 303
    page = secretary.get(response.headers["Location"]).get_data(as_text=True)
    assert "The PDF cannot be made" in page and "9-KNĐ" in page


def test_an_unknown_form_is_not_found(secretary, demo_runtime):
    case_id = case_of(demo_runtime, "trained")
    assert secretary.get(f"/candidates/{case_id}/documents/99-KNĐ.pdf").status_code == 404


def test_the_packet_is_one_pdf(secretary, demo_runtime):
    case_id = case_of(demo_runtime, "mentored")
    response = secretary.get(f"/candidates/{case_id}/packet.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF-")


def test_verification_is_public_and_tells_only_what_the_document_says(browser, demo_runtime):
    case_id = case_of(demo_runtime, "admitted")
    made = generated_of(demo_runtime, case_id)
    response = browser.get(f"/verify/{made.verify_code}?lang=en")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Genuine" in page and made.number in page and "9-KNĐ" in page
    assert "Quyết định kết nạp đảng viên" in page
    assert made.issued_on.strftime("%d/%m/%Y") in page
    assert "current: the case still says what this document says" in page


def test_verification_reports_a_document_whose_case_changed(browser, demo_runtime):
    from db.models import Case

    case_id = case_of(demo_runtime, "admitted")
    made = generated_of(demo_runtime, case_id)
    with demo_runtime.sessions() as session:
        person = session.get(Case, case_id).person
        name, born = person.full_name, person.birth_date
    assert name in browser.get(f"/verify/{made.verify_code}").get_data(as_text=True)
    with demo_runtime.engine.begin() as conn:
        conn.execute(update(Person).where(Person.full_name == name).values(full_name=name + " Ân"))
    page = browser.get(f"/verify/{made.verify_code.lower()}?lang=en").get_data(as_text=True)
    assert "outdated: the case has changed since this document was made" in page
    assert name in page  # as the document gives it
    assert born.strftime("%d/%m/%Y") not in page  # no other personal data


def test_an_unknown_code_is_not_found_and_guessing_is_rationed(browser, app):
    response = browser.get("/verify/AAAAAAAAAA?lang=en")
    assert response.status_code == 404
    assert "Not found" in response.get_data(as_text=True)
    for _ in range(VERIFY_LIMIT.rule.free):
        browser.get("/verify/BBBBBBBBBB")
    assert browser.get("/verify/CCCCCCCCCC").status_code == 429


def test_a_typed_code_goes_to_its_page(browser):
    response = browser.get("/verify?code=abcd efgh 23")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/verify/abcd%20efgh%2023")
    assert browser.get("/verify").status_code == 200
