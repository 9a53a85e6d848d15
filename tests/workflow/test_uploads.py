"""Uploads judged by their bytes, and the upload use case on the fakes (no database, no Flask)."""

from __future__ import annotations

import hashlib

import pytest

from tests.workflow.fakes import ACTORS, CLOCK, FakeUnitOfWork, ready_case
from workflow.errors import Conflict, InvalidInput, NotAllowed, NotFound
from workflow.services import upload_document
from workflow.uploads import (
    DEFAULT_MAX_BYTES,
    Upload,
    UploadRefused,
    check_upload,
    display_name,
    download_name,
    sniff,
)

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32


class MemoryStore:
    """The BlobStore port in memory."""

    def __init__(self) -> None:
        self.blobs: dict[str, bytes] = {}

    def put(self, sha256: str, content: bytes) -> None:
        assert hashlib.sha256(content).hexdigest() == sha256
        self.blobs.setdefault(sha256, content)


@pytest.mark.parametrize(
    ("content", "media_type"),
    [(PDF, "application/pdf"), (JPEG, "image/jpeg"), (PNG, "image/png")],
)
def test_the_three_kinds_are_known_by_their_first_bytes(content: bytes, media_type: str) -> None:
    assert sniff(content).media_type == media_type
    scan = check_upload(Upload("scan", content))
    assert (scan.media_type, scan.size) == (media_type, len(content))
    assert scan.sha256 == hashlib.sha256(content).hexdigest()


@pytest.mark.parametrize(
    "content",
    [
        b"MZ\x90\x00\x03\x00\x00\x00",  # a Windows executable
        b"<!DOCTYPE html><html><script>alert(1)</script></html>",
        b"hello, this is plain text",
        b"\x7fELF\x02\x01\x01",
        b" %PDF-1.7",  # the signature must open the file
        b"GIF89a\x01\x00",
    ],
    ids=["exe", "html", "text", "elf", "late-pdf", "gif"],
)
def test_other_content_is_refused_whatever_the_name_and_declared_type(content: bytes) -> None:
    with pytest.raises(UploadRefused) as refused:
        check_upload(Upload("scan.pdf", content, "application/pdf"))
    assert refused.value.field == "file"
    assert "PDF, JPEG or PNG" in refused.value.text("en")
    assert "PDF, JPEG hoặc PNG" in refused.value.text("vi")


def test_the_content_decides_not_the_name_nor_the_declared_type() -> None:
    scan = check_upload(Upload("scan.pdf", PNG, "application/pdf"))
    assert scan.media_type == "image/png"
    assert scan.name == "scan.pdf"  # shown as sent
    assert download_name(scan.name, scan.media_type) == "scan.png"  # downloaded as what it is


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(UploadRefused, match="empty"):
        check_upload(Upload("scan.pdf", b""))


def test_the_size_limit_is_10_mb_unless_configured() -> None:
    assert DEFAULT_MAX_BYTES == 10 * 1024 * 1024
    check_upload(Upload("a.pdf", PDF + b"\x00" * (DEFAULT_MAX_BYTES - len(PDF))))
    with pytest.raises(UploadRefused, match="too large"):
        check_upload(Upload("a.pdf", PDF + b"\x00" * (DEFAULT_MAX_BYTES - len(PDF) + 1)))
    with pytest.raises(UploadRefused, match="too large"):
        check_upload(Upload("a.pdf", PDF), max_bytes=len(PDF) - 1)


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\Windows\\system.ini", "system.ini"),
        ("/absolute/path/đơn xin vào Đảng.pdf", "đơn xin vào Đảng.pdf"),
        ("evil\u202egpj.exe", "evilgpj.exe"),  # no right-to-left override
        ('a"b;c\r\nd<e>.pdf', "a_b_cd_e_.pdf"),
        ("...", "scan"),
        ("", "scan"),
        (None, "scan"),
        ("Bie\u0302n ba\u0309n.pdf", "Biên bản.pdf"),  # decomposed input comes out NFC
    ],
)
def test_names_are_display_text_only(raw: str | None, shown: str) -> None:
    assert display_name(raw) == shown


def test_a_long_name_is_cut() -> None:
    assert len(display_name("x" * 500 + ".pdf")) == 120


# --- the use case on the fakes --------------------------------------------------------------


def _upload(uow, store, username="sec", content=PDF, name="scan.pdf", **raw):
    fields = {"code": "1-KNĐ", "dated": "2026-11-01", **raw}
    return upload_document(
        uow, store, ACTORS[username], 1, fields, Upload(name, content), clock=CLOCK
    )


def test_an_upload_records_the_document_with_its_scan_in_one_event() -> None:
    uow, store = FakeUnitOfWork(ready_case("trained", documents={})), MemoryStore()
    _upload(uow, store, name="../../etc/passwd")
    sha = hashlib.sha256(PDF).hexdigest()
    assert store.blobs == {sha: PDF}
    assert uow.committed
    [event] = uow.history.events
    assert event.action == "record_document"
    assert event.data["file_sha256"] == sha
    assert event.data["file_type"] == "application/pdf"
    assert event.data["file_name"] == "passwd"
    assert uow.cases.items[1].documents == {"1-KNĐ": CLOCK.today.replace(day=1)}


@pytest.mark.parametrize(
    ("content", "raw"),
    [
        (b"", {}),
        (b"<html></html>", {}),
        (PDF, {"code": "99-KNĐ"}),  # not a form
        (PDF, {"dated": "2030-01-01"}),  # in the future
    ],
    ids=["empty", "html", "unknown-form", "future"],
)
def test_a_refused_upload_stores_nothing(content: bytes, raw: dict) -> None:
    uow, store = FakeUnitOfWork(ready_case("trained", documents={})), MemoryStore()
    with pytest.raises(InvalidInput):
        _upload(uow, store, content=content, **raw)
    assert store.blobs == {}
    assert uow.history.events == []
    assert uow.cases.items[1].documents == {}


@pytest.mark.parametrize(
    ("username", "error"),
    [("sec_other", NotFound), ("intro", NotFound), ("aud", NotAllowed)],
)
def test_who_may_not_record_documents_stores_nothing(username: str, error: type) -> None:
    uow, store = FakeUnitOfWork(ready_case("trained", documents={})), MemoryStore()
    with pytest.raises(error):
        _upload(uow, store, username)
    assert store.blobs == {} and uow.history.events == []


def test_a_stale_version_stores_nothing() -> None:
    uow, store = FakeUnitOfWork(ready_case("trained", documents={})), MemoryStore()
    with pytest.raises(Conflict):
        upload_document(
            uow,
            store,
            ACTORS["sec"],
            1,
            {"code": "1-KNĐ", "dated": "2026-11-01"},
            Upload("a.pdf", PDF),
            expected_version=99,
            clock=CLOCK,
        )
    assert store.blobs == {}
