"""The packet is the dossier: a demo case's signed scans bound in place of their forms (a PDF
scan's pages, an image scan as a page), a bookmark per form in the order of the procedure, a
cover listing what is in it and what is missing, drafts marked, forms that do not apply left out."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select, update

from db.actors import actor_by_username
from db.models import Case, Organisation, Person
from db.packets import PacketCache, packet_pdf
from db.read.packets import plan_packet
from db.repositories.blobs import FileStore
from db.runtime import Runtime
from db.session import make_engine, session_factory
from documents.registry import FORMS
from tests.documents.conftest import nfc
from workflow import services
from workflow.settings import DEFAULT_SETTINGS, Settings
from workflow.uploads import Upload

TODAY = date(2026, 11, 25)
SECRETARY = "bithu.chuvanan"
CHU_VAN_AN = "Chi bộ trường THPT Chu Văn An"
MARK = "BẢN DỰ THẢO"


@pytest.fixture
def runtime(demo, tmp_path) -> Runtime:
    """A private copy of the session's demo district (these tests upload scans)."""
    with demo.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    path = tmp_path / "hoso.sqlite3"
    shutil.copy(demo.engine.url.database, path)
    engine = make_engine(f"sqlite:///{path}")
    yield Runtime(engine, session_factory(engine), Settings())
    engine.dispose()


@pytest.fixture
def instance(tmp_path) -> Path:
    return tmp_path / "instance"


def trained_youth(runtime: Runtime) -> int:
    """A trained Đoàn member at Chu Văn An with 1-KNĐ and 2-KNĐ on file, 3- to 6-KNĐ not."""
    with runtime.sessions() as session:
        for case_id in session.scalars(
            select(Case.id)
            .join(Organisation, Organisation.id == Case.cell_id)
            .join(Person, Person.id == Case.person_id)
            .where(Case.state == "trained", Organisation.name == CHU_VAN_AN, Person.is_doan_member)
            .order_by(Case.id)
        ):
            plan = plan_packet(session, case_id, DEFAULT_SETTINGS, TODAY)
            if "6-KNĐ" not in plan.dossier["documents"]:
                return case_id
    raise LookupError("the demo has no such case")


def scan_pdf() -> bytes:
    """A signed scan of two pages, each with a text of its own."""
    from weasyprint import HTML

    html = "<p>SCAN-PAGE-ONE</p><p style='break-before: page'>SCAN-PAGE-TWO</p>"
    return HTML(string=html).write_pdf()


def scan_png() -> bytes:
    image = Image.new("RGB", (120, 170), (250, 250, 245))
    for x in range(20, 100):
        for y in range(30, 60):
            image.putpixel((x, y), (200, 30, 30))
    out = BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def upload(runtime: Runtime, instance: Path, case_id: int, code: str, content: bytes) -> None:
    with runtime.sessions() as session:
        actor = actor_by_username(session, SECRETARY)
    raw = {"code": code, "dated": "2026-11-20", "number": ""}
    store = FileStore.in_instance(instance)
    services.upload_document(
        runtime.uow(), store, actor, case_id, raw, Upload(f"{code}.bin", content)
    )


def packet(runtime: Runtime, instance: Path, case_id: int):
    with runtime.sessions() as session:
        plan = plan_packet(session, case_id, DEFAULT_SETTINGS, TODAY)
    content, _cached = packet_pdf(plan, PacketCache.in_instance(instance))
    return plan, PdfReader(BytesIO(content))


def outline(reader: PdfReader) -> list[tuple[str, int]]:
    return [(item.title, reader.get_destination_page_number(item)) for item in reader.outline]


def text(reader: PdfReader, page: int) -> str:
    return " ".join(nfc(reader.pages[page].extract_text() or "").split())


def test_the_packet_binds_the_scans_with_a_bookmark_per_form_and_a_cover(runtime, instance):
    case_id = trained_youth(runtime)
    upload(runtime, instance, case_id, "1-KNĐ", scan_pdf())
    upload(runtime, instance, case_id, "3-KNĐ", scan_png())
    plan, reader = packet(runtime, instance, case_id)
    codes = list(plan.codes)
    assert codes == ["CN-NTVĐ", "1-KNĐ", "2-KNĐ", "3-KNĐ", "4-KNĐ", "5-KNĐ", "6-KNĐ"]

    # One bookmark per form, named by its title, in the order of the procedure, at its page.
    marks = outline(reader)
    assert [title for title, _page in marks] == [f"{c} {FORMS[c].title}" for c in codes]
    starts = [page for _title, page in marks]
    assert starts == sorted(starts) and starts[0] == 1  # after the one-page cover
    first = dict(zip(codes, starts, strict=True))
    ends = dict(zip(codes, [*starts[1:], len(reader.pages)], strict=True))

    # The PDF scan's two pages stand for 1-KNĐ; the image scan is one page of 3-KNĐ.
    assert ends["1-KNĐ"] - first["1-KNĐ"] == 2
    assert "SCAN-PAGE-ONE" in text(reader, first["1-KNĐ"])
    assert "SCAN-PAGE-TWO" in text(reader, first["1-KNĐ"] + 1)
    assert "Đơn xin vào Đảng".upper() not in text(reader, first["1-KNĐ"]).upper()
    assert ends["3-KNĐ"] - first["3-KNĐ"] == 1
    images = reader.pages[first["3-KNĐ"]].images
    assert len(images) == 1
    drawn = images[0].image.convert("RGB")
    original = Image.open(BytesIO(scan_png())).convert("RGB")
    assert drawn.size == original.size and drawn.tobytes() == original.tobytes()
    assert not text(reader, first["3-KNĐ"]).strip()  # nothing of ours on a scan: no mark

    # The cover: what is in the packet (form, source, pages) and what is missing.
    cover = text(reader, 0)
    assert "HỒ SƠ XIN VÀO ĐẢNG" in cover and plan.dossier["person"]["full_name"] in cover
    assert f"{len(reader.pages)} trang" in cover
    assert cover.count("Bản quét có chữ ký") == 2
    assert f"{first['1-KNĐ'] + 1}–{first['1-KNĐ'] + 2}" in cover  # 1-KNĐ's pages, counted from 1
    assert "Bản dự thảo" in cover and "Còn thiếu" in cover
    missing = cover.split("Còn thiếu", 1)[1]
    for code in ("4-KNĐ", "5-KNĐ", "6-KNĐ"):
        assert code in missing
    for code in ("1-KNĐ", "2-KNĐ", "3-KNĐ"):  # on file
        assert code not in missing

    # The cell's resolution before its vote is a draft, marked on each of its pages; a form
    # printed from final data is not.
    for page in range(first["6-KNĐ"], ends["6-KNĐ"]):
        assert MARK in text(reader, page)
    for page in range(first["2-KNĐ"], ends["2-KNĐ"]):
        assert MARK not in text(reader, page)


def test_a_new_scan_makes_a_new_packet(runtime, instance):
    case_id = trained_youth(runtime)
    before, _ = packet(runtime, instance, case_id)
    upload(runtime, instance, case_id, "2-KNĐ", scan_png())
    after, reader = packet(runtime, instance, case_id)
    assert after.key != before.key
    assert after.meta["2-KNĐ"]["scan"]["media_type"] == "image/png"
    assert len(PacketCache.in_instance(instance).files()) == 2
    # The same scan again (a replacement with the same bytes) is the same packet.
    with runtime.sessions() as session:
        assert plan_packet(session, case_id, DEFAULT_SETTINGS, TODAY).key == after.key


def test_a_candidate_who_is_not_a_doan_member_has_no_4_KND(runtime, instance):
    case_id = trained_youth(runtime)
    with runtime.sessions() as session:
        person_id = session.get(Case, case_id).person_id
        session.execute(update(Person).where(Person.id == person_id).values(is_doan_member=False))
        session.commit()
    plan, reader = packet(runtime, instance, case_id)
    assert "4-KNĐ" not in plan.codes and "4A-KNĐ" not in plan.codes
    assert not any(title.startswith("4-KNĐ") for title, _ in outline(reader))
    assert "4-KNĐ" not in text(reader, 0)


def test_a_youth_where_the_unit_has_no_doan_gets_the_cong_doans_form(runtime, instance):
    case_id = trained_youth(runtime)
    with runtime.sessions() as session:
        cell_id = session.get(Case, case_id).cell_id
        session.execute(
            update(Organisation).where(Organisation.id == cell_id).values(has_doan=False)
        )
        session.commit()
        plan = plan_packet(session, case_id, DEFAULT_SETTINGS, TODAY)
    assert "4A-KNĐ" in plan.codes and "4-KNĐ" not in plan.codes
    assert plan.meta["4A-KNĐ"]["draft"]


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_the_cover_and_a_draft_page_as_pictures(runtime, instance, tmp_path):
    """pdftoppm draws the cover and the draft page (the files are kept to be looked at)."""
    case_id = trained_youth(runtime)
    upload(runtime, instance, case_id, "1-KNĐ", scan_pdf())
    plan, reader = packet(runtime, instance, case_id)
    draft = dict(outline(reader))[f"6-KNĐ {FORMS['6-KNĐ'].title}"] + 1
    path = tmp_path / "packet.pdf"
    with runtime.sessions():
        path.write_bytes(packet_pdf(plan, PacketCache.in_instance(instance))[0])
    printed = dict(outline(reader))[f"5-KNĐ {FORMS['5-KNĐ'].title}"] + 1
    shades = {}
    for page, name in ((1, "cover"), (draft, "draft"), (printed, "printed")):
        prefix = tmp_path / name
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", "-f", str(page), "-l", str(page), path, prefix],
            check=True,
        )
        picture = Image.open(next(tmp_path.glob(f"{name}*.png"))).convert("L")
        assert picture.size[0] < picture.size[1]  # A4 upright
        histogram = picture.histogram()
        assert sum(histogram[:128]) > 2000, f"the {name} page is (nearly) blank"
        shades[name] = sum(histogram[170:235])
    # The watermark: light grey across the draft page, which a form printed final lacks.
    assert shades["draft"] > 1.5 * shades["printed"], shades


def test_a_pdf_scan_is_bound_without_its_links_and_actions(runtime, instance):
    """A scan is pages to read and print: its links, form fields and scripts stay out."""
    from weasyprint import HTML

    linked = HTML(string='<p><a href="https://evil.example/x">SCAN-WITH-LINK</a></p>').write_pdf()
    assert "/Annots" in PdfReader(BytesIO(linked)).pages[0]
    case_id = trained_youth(runtime)
    upload(runtime, instance, case_id, "1-KNĐ", linked)
    _plan, reader = packet(runtime, instance, case_id)
    page = dict(outline(reader))[f"1-KNĐ {FORMS['1-KNĐ'].title}"]
    assert "SCAN-WITH-LINK" in text(reader, page)
    assert "/Annots" not in reader.pages[page] and "/AA" not in reader.pages[page]
