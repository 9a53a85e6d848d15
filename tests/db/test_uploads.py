"""Uploads on a real database: one unit of work each, the blobs stored by their hash outside the
database (``db.repositories.blobs``), the forms they put on file gating the transitions, and the
case page's list of forms (``db.read.documents``). Generated forms: test_generated_documents.py."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from db.models import DocumentRecord, DocumentScan, Event, StoredFile
from db.read.documents import case_documents
from db.read.history import verify
from db.repositories.blobs import FileStore
from db.repositories.history import SqlHistory
from tests.factories import NOW, TODAY
from tests.grassroots_support import under_grassroots_committee
from workflow import services
from workflow.errors import InvalidInput, NotFound, RuleViolation
from workflow.settings import DEFAULT_SETTINGS, DOSSIER_FORMS, RECOGNITION_FORMS
from workflow.uploads import Upload

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32


@pytest.fixture
def store(tmp_path) -> FileStore:
    return FileStore(tmp_path / "files")


def upload(district, store, case_id, code="1-KNĐ", content=PDF, name="scan.pdf", **kw):
    """Upload a scan of form `code` as the cell's secretary."""
    raw = {"code": code, "dated": kw.pop("dated", "2026-09-01")}
    return services.upload_document(
        district.runtime.uow(),
        store,
        district.actor(kw.pop("username", "sec")),
        case_id,
        raw,
        Upload(name, content),
        clock=NOW,
        **kw,
    )


def counts(district) -> dict[str, int]:
    with district.runtime.sessions() as session:
        return {
            model.__tablename__: session.scalar(select(func.count()).select_from(model))
            for model in (StoredFile, DocumentScan, DocumentRecord, Event)
        }


def files_under(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*") if p.is_file()}


# --- uploads --------------------------------------------------------------------------------


def test_a_scan_is_stored_once_under_its_hash_and_its_event_is_chained(district, store):
    case = district.to_trained()
    upload(district, store, case.id, "1-KNĐ")
    upload(district, store, case.id, "2-KNĐ", name="other name.pdf")  # the same bytes

    sha = hashlib.sha256(PDF).hexdigest()
    assert files_under(store.root) == {store.root / sha[:2] / sha[2:4] / sha}
    assert store.read(sha) == PDF
    with district.runtime.sessions() as session:
        [stored] = session.scalars(select(StoredFile)).all()
        assert (stored.sha256, stored.size, stored.media_type) == (sha, len(PDF), "application/pdf")
        assert stored.created_by == district.actor("sec").user_id
        scans = session.scalars(select(DocumentScan).order_by(DocumentScan.id)).all()
        assert [(s.document.code, s.name, s.file_id) for s in scans] == [
            ("1-KNĐ", "scan.pdf", stored.id),
            ("2-KNĐ", "other name.pdf", stored.id),
        ]
        events = session.scalars(
            select(Event).where(Event.action == "record_document").order_by(Event.id)
        ).all()
    assert [json.loads(e.data)["file_sha256"] for e in events] == [sha, sha]
    assert verify(district.runtime.engine).intact


REFUSED = {
    "html": dict(content=b"<!doctype html><script>alert(1)</script>", name="scan.pdf"),
    "exe": dict(content=b"MZ\x90\x00" + b"\x00" * 60, name="scan.pdf"),
    "text": dict(content=b"just text", name="scan.png"),
    "empty": dict(content=b""),
    "too-large": dict(content=PDF + b"\x00" * 100, max_bytes=len(PDF)),
}


@pytest.mark.parametrize("how", REFUSED, ids=list(REFUSED))
def test_a_refused_upload_leaves_no_row_no_event_no_file(district, store, tmp_path, how):
    case = district.to_trained()
    before, files = counts(district), files_under(tmp_path)
    with pytest.raises(InvalidInput) as refused:
        upload(district, store, case.id, **REFUSED[how])
    assert refused.value.field == "file"
    assert refused.value.message  # says what is wrong (test_uploads.py checks the words)
    assert counts(district) == before
    assert files_under(tmp_path) == files
    assert not store.root.exists()


def test_a_path_as_name_is_only_a_name(district, store, tmp_path):
    case = district.to_trained()
    outside = files_under(tmp_path.parent)
    upload(district, store, case.id, name="../../etc/passwd")
    sha = hashlib.sha256(PDF).hexdigest()
    # Nothing was written but the blob under its hash (and the database's own files).
    created = files_under(tmp_path.parent) - outside
    assert {p for p in created if not p.name.startswith("hoso.sqlite3")} == {store.path(sha)}
    with district.runtime.sessions() as session:
        assert session.scalar(select(DocumentScan.name)) == "passwd"


def test_the_type_is_the_contents(district, store):
    case = district.to_trained()
    upload(district, store, case.id, content=PNG, name="scan.pdf")
    with district.runtime.sessions() as session:
        assert session.scalar(select(StoredFile.media_type)) == "image/png"


def test_a_failed_transaction_keeps_no_row_and_no_event(district, store, monkeypatch):
    case = district.to_trained()
    before = counts(district)

    def fail(self, new):
        raise RuntimeError("disk full")

    monkeypatch.setattr(SqlHistory, "append", fail)
    with pytest.raises(RuntimeError, match="disk full"):
        upload(district, store, case.id)
    assert counts(district) == before
    # The blob may stay behind, unreferenced: harmless, and reused by the next upload.
    monkeypatch.undo()
    upload(district, store, case.id)
    assert counts(district)["stored_files"] == 1


def test_the_other_cells_secretary_may_not_upload(district, store):
    case = district.to_trained()
    before = counts(district)
    with pytest.raises(NotFound):
        upload(district, store, case.id, username="sec_other")
    assert counts(district) == before and not store.root.exists()


# --- completeness: each required form gates its transition until it is on file --------------


#: The member introducers' letters (3-KNĐ) are put on file by their introductions (one each).
TYPED_FORMS = tuple(code for code in DOSSIER_FORMS if code != "3-KNĐ")


def _introduced_by_two_members(district, case_id: int) -> None:
    for member in district.members[1:3]:
        district.record(
            case_id,
            "introduction",
            kind="member",
            member=member.id,
            known_since="2020-01-01",
            dated="2026-09-01",
        )


@pytest.mark.parametrize("missing", TYPED_FORMS)
def test_submission_waits_for_each_dossier_form(district, store, missing):
    case = district.to_trained()
    _introduced_by_two_members(district, case.id)
    for code in TYPED_FORMS:
        if code != missing:
            district.record(case.id, "document", code=code, dated="2026-09-01")
    district.verify(case.id, "2026-09-01")
    vote = dict(vote_date="2026-10-01", votes_for=len(district.members))
    with pytest.raises(RuleViolation) as refused:
        district.fire(case.id, "submit_dossier", **vote)
    [failure] = refused.value.failures
    assert failure.rule == "dossier_forms_present" and missing in failure.en

    upload(district, store, case.id, missing)
    assert district.fire(case.id, "submit_dossier", **vote).state == "dossier_submitted"


def test_the_member_introductions_are_the_3_knd_on_file(district, store):
    """Entered once: each member's introduction puts its letter (3-KNĐ) on file."""
    case = district.to_trained()
    for code in TYPED_FORMS:
        district.record(case.id, "document", code=code, dated="2026-09-01")
    district.verify(case.id, "2026-09-01")
    vote = dict(vote_date="2026-10-01", votes_for=len(district.members))
    with pytest.raises(RuleViolation) as refused:
        district.fire(case.id, "submit_dossier", **vote)
    assert "introducers" in {f.rule for f in refused.value.failures}
    _introduced_by_two_members(district, case.id)
    with district.runtime.sessions() as session:
        letters = session.scalars(
            select(DocumentRecord.code).where(
                DocumentRecord.case_id == case.id, DocumentRecord.code == "3-KNĐ"
            )
        ).all()
    assert len(letters) == 2
    assert district.fire(case.id, "submit_dossier", **vote).state == "dossier_submitted"


def test_a_youth_submission_waits_for_the_doan_resolution(district, store):
    """A Đoàn member of Đoàn age needs the Đoàn's introduction: its resolution (4-KNĐ) on file
    is that introduction, entered once."""
    case = district.to_trained(birth_date="2000-01-01", is_doan_member="1")
    district.ready_dossier(case.id)
    vote = dict(vote_date="2026-10-01", votes_for=len(district.members))
    with pytest.raises(RuleViolation) as refused:
        district.fire(case.id, "submit_dossier", **vote)
    assert any("4-KNĐ" in f.en or "Đoàn" in f.en for f in refused.value.failures), [
        f.en for f in refused.value.failures
    ]

    upload(district, store, case.id, "4-KNĐ")
    assert district.fire(case.id, "submit_dossier", **vote).state == "dossier_submitted"


@pytest.mark.parametrize("missing", RECOGNITION_FORMS)
def test_recognition_waits_for_each_recognition_form(district, store, missing):
    # 15-KNĐ, the đảng ủy cơ sở's resolution, only where one sits between the cell and the
    # deciding body: the test district's cell is put under one (see below for a chi bộ cơ sở).
    under_grassroots_committee(district)
    case = district.to_state("admitted")
    for code in RECOGNITION_FORMS:
        if code != missing:
            district.record(case.id, "document", code=code, dated="2025-06-10")
    recognise = dict(
        vote_date="2025-06-10",
        votes_for=len(district.members),
        decision_number="77-QĐ/HU",
        decision_date="2025-06-20",
    )
    with pytest.raises(RuleViolation) as refused:
        district.fire(case.id, "recognize", "com", **recognise)
    [failure] = refused.value.failures
    assert failure.rule == "recognition_forms_present" and missing in failure.en

    upload(district, store, case.id, missing, dated="2025-06-10")
    assert district.fire(case.id, "recognize", "com", **recognise).state == "official"


def test_a_chi_bo_co_so_is_recognised_without_15_knd(district, store):
    """The test district's cell sits directly under the deciding committee: its resolution goes
    straight up, and nobody waits for a grassroots committee's 15-KNĐ."""
    case = district.to_state("admitted")
    for code in RECOGNITION_FORMS:
        if code != "15-KNĐ":
            district.record(case.id, "document", code=code, dated="2025-06-10")
    recognise = dict(
        vote_date="2025-06-10",
        votes_for=len(district.members),
        decision_number="77-QĐ/HU",
        decision_date="2025-06-20",
    )
    assert district.fire(case.id, "recognize", "com", **recognise).state == "official"
    with district.runtime.sessions() as session:
        rows = case_documents(session, case.id, DEFAULT_SETTINGS, date(2025, 6, 20))
    assert {"8-KNĐ", "15-KNĐ"}.isdisjoint(r.code for r in rows)


def test_the_case_page_lists_the_forms_with_their_status(district, store):
    case = district.to_trained()
    district.record(case.id, "document", code="2-KNĐ", dated="2026-09-01")
    upload(district, store, case.id, "1-KNĐ")
    with district.runtime.sessions() as session:
        rows = {
            r.code: r
            for r in case_documents(session, case.id, district.runtime.settings.rules, TODAY)
        }
    assert {code: rows[code].status for code in DOSSIER_FORMS} == {
        "1-KNĐ": "on_file",
        "2-KNĐ": "on_file",
        "3-KNĐ": "missing",
        "5-KNĐ": "missing",
        "6-KNĐ": "missing",
    }
    assert [s.name for s in rows["1-KNĐ"].scans] == ["scan.pdf"] and not rows["2-KNĐ"].scans
    assert rows["1-KNĐ"].needed_for == "submit_dossier"
