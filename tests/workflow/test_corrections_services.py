"""The correction use cases on the fakes: propose, approve (re-issue), refuse; who may."""

from __future__ import annotations

from datetime import date

import pytest

from tests.workflow.fakes import ACTORS, CLOCK, FakeUnitOfWork, ready_case
from tests.workflow.fakes.corrections import dossier_of
from workflow.corrections import Status
from workflow.errors import Conflict, InvalidInput, InvalidTransition, NotAllowed, NotFound
from workflow.services.corrections import (
    approve_correction,
    propose_correction,
    refuse_correction,
    view_correction,
)
from workflow.services.documents import verify_document
from workflow.uploads import Upload, UploadRefused

SEC, COM = ACTORS["sec"], ACTORS["com"]
PDF = b"%PDF-1.4 giay khai sinh"


class Store:
    """A BlobStore keeping what it is given."""

    def __init__(self) -> None:
        self.blobs: dict[str, bytes] = {}

    def put(self, sha256: str, content: bytes) -> None:
        self.blobs[sha256] = content


def _uow(state: str = "admitted") -> FakeUnitOfWork:
    uow = FakeUnitOfWork(ready_case(state))
    uow.documents.dossiers[1] = dossier_of(uow.corrections.particulars(500))
    return uow


def _propose(uow, **raw):
    return propose_correction(
        uow,
        SEC,
        1,
        raw or {"full_name": "Nguyễn Văn Ân"},
        "Sai dấu so với giấy khai sinh",
        evidence_text="Giấy khai sinh số 123/2008",
        clock=CLOCK,
    )


def test_a_proposal_keeps_before_and_after_and_changes_nothing_yet():
    uow = _uow()
    c = _propose(uow, full_name="Nguyễn Văn Ân", birth_date="16/05/1990", hometown="Lâm Đồng")
    assert c.status == Status.proposed
    assert c.changes == {
        "full_name": ("Nguyễn Văn An", "Nguyễn Văn Ân"),
        "birth_date": (date(1990, 5, 15), date(1990, 5, 16)),
        "hometown": (None, "Lâm Đồng"),
    }
    assert uow.cases.items[1].full_name == "Nguyễn Văn An"
    event = uow.history.events[-1]
    assert event.action == "propose_correction" and event.case_id == 1
    before_after = {"before": "Nguyễn Văn An", "after": "Nguyễn Văn Ân"}
    assert event.data["changes"]["full_name"] == before_after
    assert event.data["evidence"] == "Giấy khai sinh số 123/2008"


def test_approval_writes_the_person_and_reissues_outdated_documents():
    uow = _uow()
    old = uow.documents.generate(1, "9-KNĐ", 1, date(2026, 1, 5))
    c = _propose(uow)
    approved, reissued = approve_correction(uow, COM, c.id, clock=CLOCK)
    assert approved.status == Status.approved
    assert uow.cases.items[1].full_name == "Nguyễn Văn Ân"
    assert [(r.code, r.old_number) for r in reissued] == [("9-KNĐ", old.number)]
    new_number = reissued[0].new_number
    assert new_number != old.number
    event = uow.history.events[-1]
    assert event.action == "approve_correction"
    assert event.data["reissued"] == [
        {"code": "9-KNĐ", "old_number": old.number, "new_number": new_number}
    ]
    assert event.data["changes"]["full_name"]["before"] == "Nguyễn Văn An"
    superseded = verify_document(uow, old.verify_code)
    assert superseded is not None and superseded.superseded_by == new_number
    assert superseded.current is False
    fresh = verify_document(uow, reissued[0].new_verify_code)
    assert fresh is not None and fresh.superseded_by is None and fresh.current


def test_a_document_the_correction_does_not_touch_stays():
    uow = _uow()
    uow.documents.generate(1, "9-KNĐ", 1, date(2026, 1, 5))
    c = _propose(uow, religion="Phật giáo")
    uow.documents.dossiers[1]["person"].pop("religion")  # the form never said it
    uow.documents.kept[1] = uow.documents.kept[1].__class__(
        1, date(2026, 1, 5), '{"person": {"full_name": "Nguyễn Văn An"}}', 1
    )
    assert approve_correction(uow, COM, c.id, clock=CLOCK)[1] == []


def test_a_refusal_changes_nothing_but_its_record():
    uow = _uow()
    doc = uow.documents.generate(1, "9-KNĐ", 1, date(2026, 1, 5))
    c = _propose(uow)
    refused = refuse_correction(uow, COM, c.id, "Giấy tờ không khớp", clock=CLOCK)
    assert refused.status == Status.refused and refused.answer == "Giấy tờ không khớp"
    assert uow.cases.items[1].full_name == "Nguyễn Văn An"
    assert len(uow.documents.generated) == 1
    assert verify_document(uow, doc.verify_code).superseded_by is None
    assert uow.history.events[-1].action == "refuse_correction"
    with pytest.raises(InvalidTransition):
        approve_correction(uow, COM, c.id, clock=CLOCK)
    with pytest.raises(InvalidInput) as no_reason:
        refuse_correction(uow, COM, _propose(uow).id, "", clock=CLOCK)
    assert no_reason.value.field == "reason"


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ({"full_name": "x" * 201}, "full_name"),
        ({"birth_date": "31/02/1990"}, "birth_date"),
        ({"birth_date": "2027-01-01"}, "birth_date"),
        ({"id_number": "06820A"}, "id_number"),
        ({"sex": "khác"}, "sex"),
        ({"category": "astronaut"}, "category"),
        ({"nickname": "An"}, "nickname"),
        ({"full_name": "Nguyễn Văn An"}, "changes"),
        ({"clear": ["full_name"]}, "full_name"),
    ],
)
def test_bad_proposals_name_the_field(raw, field):
    uow = _uow()
    with pytest.raises(InvalidInput) as refused:
        _propose(uow, **raw)
    assert refused.value.field == field
    assert uow.history.events == [] and uow.corrections.items == {}


def test_a_reason_and_evidence_are_required():
    uow = _uow()
    with pytest.raises(InvalidInput) as no_reason:
        propose_correction(uow, SEC, 1, {"full_name": "A"}, "", evidence_text="x", clock=CLOCK)
    with pytest.raises(InvalidInput) as no_evidence:
        propose_correction(uow, SEC, 1, {"full_name": "A"}, "Sai", clock=CLOCK)
    with pytest.raises(InvalidInput) as long_evidence:
        propose_correction(
            uow, SEC, 1, {"full_name": "A"}, "Sai", evidence_text="x" * 501, clock=CLOCK
        )
    assert (no_reason.value.field, no_evidence.value.field) == ("reason", "evidence")
    assert long_evidence.value.field == "evidence"


def test_a_scan_as_evidence_goes_through_the_upload_checks():
    uow, store = _uow(), Store()
    c = propose_correction(
        uow,
        SEC,
        1,
        {"full_name": "Nguyễn Văn Ân"},
        "Sai dấu",
        upload=Upload("khai-sinh.pdf", PDF),
        store=store,
        clock=CLOCK,
    )
    assert c.evidence_sha256 in store.blobs and c.evidence_name == "khai-sinh.pdf"
    assert uow.history.events[-1].data["evidence_sha256"] == c.evidence_sha256
    with pytest.raises(UploadRefused):
        propose_correction(
            uow,
            SEC,
            1,
            {"full_name": "B"},
            "Sai",
            upload=Upload("x.pdf", b"<html>"),
            store=store,
            clock=CLOCK,
        )


def test_who_may_propose_and_decide():
    uow = _uow()
    with pytest.raises(NotFound):
        _propose_as(uow, ACTORS["sec_other"])
    with pytest.raises(NotAllowed):
        _propose_as(uow, COM)
    with pytest.raises(NotAllowed):
        _propose_as(uow, ACTORS["aud"])
    c = _propose(uow)
    with pytest.raises(InvalidTransition):
        _propose(uow, hometown="Huế")  # one pending correction per person
    with pytest.raises(NotAllowed):
        approve_correction(uow, SEC, c.id, clock=CLOCK)
    with pytest.raises(NotFound):
        approve_correction(uow, ACTORS["sec_other"], c.id, clock=CLOCK)
    with pytest.raises(NotFound):
        view_correction(uow, ACTORS["sec_other"], c.id)
    assert view_correction(uow, ACTORS["aud"], c.id).id == c.id


def _propose_as(uow, who):
    return propose_correction(
        uow, who, 1, {"full_name": "A"}, "Sai", evidence_text="x", clock=CLOCK
    )


def test_a_person_changed_meanwhile_is_a_conflict():
    uow = _uow()
    c = _propose(uow)
    uow.corrections.people[500]["full_name"] = "Đổi cách khác"
    with pytest.raises(Conflict):
        approve_correction(uow, COM, c.id, clock=CLOCK)
    with pytest.raises(Conflict):
        approve_correction(uow, COM, c.id, expected_version=7, clock=CLOCK)
    assert uow.corrections.items[c.id].status == Status.proposed
