"""Replacing a wrong scan on the fakes: the new file is on file, the old one named in history."""

from __future__ import annotations

import hashlib

import pytest

from tests.workflow.fakes import ACTORS, CLOCK, FakeUnitOfWork, ready_case
from workflow.errors import InvalidInput, NotAllowed, NotFound
from workflow.ports.documents import ScanOnFile
from workflow.services.scans import replace_scan
from workflow.uploads import Upload

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


class Blobs:
    def __init__(self) -> None:
        self.kept: dict[str, bytes] = {}

    def put(self, sha256: str, content: bytes) -> None:
        self.kept[sha256] = content


def _uow() -> FakeUnitOfWork:
    uow = FakeUnitOfWork(ready_case("trained"))
    uow.documents.on_file[7] = ScanOnFile(7, "2-KNĐ", "a" * 64, "ly-lich-sai.pdf")
    uow.documents.scan_case[7] = 1
    return uow


def test_the_new_scan_is_on_file_and_the_old_one_in_history() -> None:
    uow, blobs = _uow(), Blobs()
    new = Upload("ly-lich.pdf", PDF, "application/pdf")
    old = replace_scan(uow, blobs, ACTORS["sec"], 1, 7, new, clock=CLOCK)
    assert old == "a" * 64 and uow.committed
    current = uow.documents.on_file[7]
    assert current.sha256 != old and current.sha256 in blobs.kept
    (event,) = uow.history.events
    assert event.action == "replace_scan"
    assert event.data["replaced_sha256"] == old
    assert event.data["replaced_name"] == "ly-lich-sai.pdf"
    assert event.data["file_sha256"] == current.sha256 and event.data["code"] == "2-KNĐ"


@pytest.mark.parametrize(
    ("username", "scan_id", "error"),
    [("aud", 7, NotAllowed), ("mentor2", 7, NotFound), ("sec", 8, NotFound)],
)
def test_who_may_not_replace_is_refused(username: str, scan_id: int, error: type) -> None:
    uow, blobs = _uow(), Blobs()
    upload = Upload("x.pdf", PDF, None)
    with pytest.raises(error):
        replace_scan(uow, blobs, ACTORS[username], 1, scan_id, upload, clock=CLOCK)
    assert not uow.history.events and not blobs.kept
    assert uow.documents.on_file[7].sha256 == "a" * 64


def test_the_same_file_again_is_refused() -> None:
    uow = _uow()
    same = hashlib.sha256(PDF).hexdigest()
    uow.documents.on_file[7] = ScanOnFile(7, "2-KNĐ", same, "ly-lich.pdf")
    with pytest.raises(InvalidInput):
        replace_scan(uow, Blobs(), ACTORS["sec"], 1, 7, Upload("x.pdf", PDF, None), clock=CLOCK)
