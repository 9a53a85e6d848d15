"""Tasks a use case defers go through its unit of work: handed over only once it commits, never
for a change refused or rolled back (``workflow.ports.tasks.AfterCommit``, on the fakes)."""

from __future__ import annotations

from datetime import date

import pytest

from tests.workflow.fakes import ACTORS, CLOCK, FakeUnitOfWork
from tests.workflow.test_corrections_services import _propose, _uow
from tests.workflow.test_documents_services import uow_with
from workflow.errors import Conflict, NotAllowed
from workflow.ports.tasks import RENDER_DOCUMENTS, SEND_MAIL, AfterCommit, Deferred
from workflow.services.corrections import approve_correction, refuse_correction
from workflow.services.documents import generate_document

COM = ACTORS["com"]


class FailingCommit(FakeUnitOfWork):
    """A unit of work whose commit fails (a concurrent change won at the last moment)."""

    def commit(self) -> None:
        raise Conflict("a concurrent change won; reload and retry")


def test_an_approval_hands_over_the_reissued_documents_after_its_commit():
    uow = _uow()
    uow.documents.generate(1, "9-KNĐ", 1, date(2026, 1, 5))
    correction = _propose(uow)
    assert uow.tasks.handed == []  # a proposal re-issues nothing
    _approved, reissued = approve_correction(uow, COM, correction.id, clock=CLOCK)
    new_id = next(f.id for _, f in uow.documents.generated if f.number == reissued[0].new_number)
    assert uow.tasks.handed == [
        Deferred(RENDER_DOCUMENTS, None, {"case_id": 1, "doc_ids": [new_id]})
    ]
    assert uow.tasks.pending == []


def test_an_approval_that_reissues_nothing_defers_nothing():
    uow = _uow()
    approve_correction(uow, COM, _propose(uow).id, clock=CLOCK)
    assert uow.tasks.handed == []


def test_a_refusal_defers_nothing():
    uow = _uow()
    uow.documents.generate(1, "9-KNĐ", 1, date(2026, 1, 5))
    refuse_correction(uow, COM, _propose(uow).id, "Giấy tờ không khớp", clock=CLOCK)
    assert uow.tasks.handed == [] and uow.tasks.pending == []


def test_an_approval_whose_commit_fails_hands_over_nothing():
    uow = _uow()
    uow.documents.generate(1, "9-KNĐ", 1, date(2026, 1, 5))
    correction = _propose(uow)
    failing = FailingCommit(repository=uow.cases)
    failing.documents, failing.corrections = uow.documents, uow.corrections
    with pytest.raises(Conflict):
        approve_correction(failing, COM, correction.id, clock=CLOCK)
    assert failing.tasks.handed == [] and failing.tasks.pending == []


def test_an_approval_refused_by_policy_defers_nothing():
    uow = _uow()
    uow.documents.generate(1, "9-KNĐ", 1, date(2026, 1, 5))
    with pytest.raises(NotAllowed):
        approve_correction(uow, ACTORS["sec"], _propose(uow).id, clock=CLOCK)
    assert uow.tasks.handed == [] and uow.tasks.pending == []


def test_a_form_generated_again_is_drawn_after_its_commit():
    uow = uow_with()
    first = generate_document(uow, ACTORS["sec"], 1, "1-KNĐ", clock=CLOCK)
    again = generate_document(uow, ACTORS["sec"], 1, "1-KNĐ", clock=CLOCK)
    assert [d.args for d in uow.tasks.handed] == [
        {"case_id": 1, "doc_ids": [first.id]},
        {"case_id": 1, "doc_ids": [again.id]},
    ]
    with pytest.raises(NotAllowed):
        generate_document(uow, ACTORS["aud"], 1, "1-KNĐ", clock=CLOCK)
    assert len(uow.tasks.handed) == 2


def test_after_commit_keeps_takes_and_forgets():
    tasks = AfterCommit()
    assert tasks.inline is False
    tasks.defer(SEND_MAIL, lock="m", to_address="a@example.vn")
    tasks.defer(RENDER_DOCUMENTS, case_id=1, doc_ids=[2])
    assert [t.name for t in tasks.take()] == [SEND_MAIL, RENDER_DOCUMENTS]
    assert tasks.take() == []
    tasks.defer(SEND_MAIL)
    tasks.clear()
    assert tasks.pending == []
    with pytest.raises(KeyError):
        tasks.defer("format_disk")
