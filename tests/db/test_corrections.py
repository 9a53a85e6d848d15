"""Corrections on a real database (SQLite and PostgreSQL): the person's row changes only on
approval, the admission decision is re-issued in the same unit of work and the old code answers
"superseded"; a refusal changes nothing; the scan goes through the upload checks."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from db.models import Case, DocumentSupersession, Event, GeneratedDocument, Person, PersonCorrection
from db.read import corrections as read
from db.read.history import verify
from tests.factories import NOW
from workflow.corrections import Status
from workflow.errors import Conflict, InvalidTransition
from workflow.services import corrections as s
from workflow.services.documents import verify_document
from workflow.uploads import Upload

EVIDENCE = "Giấy khai sinh số 45/2008, UBND xã Hiệp An"


class Store:
    def __init__(self) -> None:
        self.blobs: dict[str, bytes] = {}

    def put(self, sha256: str, content: bytes) -> None:
        self.blobs[sha256] = content


def _propose(district, case_id, raw, **kw):
    kw.setdefault("evidence_text", EVIDENCE)
    return s.propose_correction(
        district.runtime.uow(),
        district.actor("sec"),
        case_id,
        raw,
        "Sai so với giấy khai sinh",
        clock=NOW,
        **kw,
    )


def _person(district, case_id):
    with district.runtime.sessions() as session:
        return session.scalar(select(Person).join(Case).where(Case.id == case_id))


def _nine(district, case_id):
    with district.runtime.sessions() as session:
        return session.scalars(
            select(GeneratedDocument)
            .where(GeneratedDocument.case_id == case_id, GeneratedDocument.code == "9-KNĐ")
            .order_by(GeneratedDocument.id)
        ).all()


def test_an_approval_reissues_the_decision_and_supersedes_the_old_code(district):
    case = district.to_admitted()
    (old,) = _nine(district, case.id)
    c = _propose(district, case.id, {"full_name": "Nguyễn Văn Ân", "birth_date": "16/05/1990"})
    assert _person(district, case.id).full_name == "Nguyễn Văn An"
    approved, reissued = s.approve_correction(
        district.runtime.uow(), district.actor("com"), c.id, clock=NOW
    )
    assert approved.status == Status.approved
    person = _person(district, case.id)
    assert (person.full_name, person.birth_date) == ("Nguyễn Văn Ân", date(1990, 5, 16))
    assert person.search_name == "nguyen van an"
    old_again, new = _nine(district, case.id)
    assert old_again.data == old.data  # the old document is kept as it was
    assert [(r.old_number, r.new_number) for r in reissued] == [(old.number, new.number)]
    assert "Nguyễn Văn Ân" in new.data and new.verify_code != old.verify_code
    answer = verify_document(district.runtime.uow(write=False), old.verify_code)
    assert answer.superseded_by == new.number and not answer.current
    fresh = verify_document(district.runtime.uow(write=False), new.verify_code)
    assert fresh.superseded_by is None and fresh.current
    with district.runtime.sessions() as session:
        events = session.execute(
            select(Event.action, Event.data).where(Event.case_id == case.id).order_by(Event.id)
        ).all()
    assert [a for a, _ in events[-2:]] == ["propose_correction", "approve_correction"]
    assert '"before":"Nguyễn Văn An"' in events[-1][1] and new.number in events[-1][1]
    assert verify(district.runtime.engine).intact


def test_a_second_correction_chains_the_supersession(district):
    case = district.to_admitted()
    (first,) = _nine(district, case.id)
    for name in ("Nguyễn Văn Ân", "Nguyễn Văn Ấn"):
        c = _propose(district, case.id, {"full_name": name})
        s.approve_correction(district.runtime.uow(), district.actor("com"), c.id, clock=NOW)
    newest = _nine(district, case.id)[-1]
    answer = verify_document(district.runtime.uow(write=False), first.verify_code)
    assert answer.superseded_by == newest.number


def test_a_refusal_changes_nothing(district):
    case = district.to_admitted()
    c = _propose(district, case.id, {"hometown": "Huế"})
    refused = s.refuse_correction(
        district.runtime.uow(), district.actor("com"), c.id, "Không khớp", clock=NOW
    )
    assert refused.status == Status.refused and refused.answer == "Không khớp"
    assert _person(district, case.id).hometown is None
    assert len(_nine(district, case.id)) == 1
    with district.runtime.sessions() as session:
        assert session.scalar(select(func.count()).select_from(DocumentSupersession)) == 0
    with pytest.raises(InvalidTransition):
        s.approve_correction(district.runtime.uow(), district.actor("com"), c.id, clock=NOW)


def test_a_stale_decision_is_a_conflict(district):
    case = district.to_mentored()
    c = _propose(district, case.id, {"religion": "Phật giáo"})
    with pytest.raises(Conflict):
        s.approve_correction(
            district.runtime.uow(), district.actor("com"), c.id, expected_version=9, clock=NOW
        )
    with district.runtime.sessions() as session:
        assert session.get(PersonCorrection, c.id).status == "proposed"


def test_a_scan_as_evidence_and_the_read_models(district):
    case = district.to_mentored()
    store = Store()
    c = _propose(
        district,
        case.id,
        {"ethnicity": "Tày"},
        evidence_text=None,
        upload=Upload("khai-sinh.pdf", b"%PDF-1.4 scan"),
        store=store,
    )
    assert c.evidence_sha256 in store.blobs
    with district.runtime.sessions() as session:
        (row,) = read.of_case(session, case.id)
        awaiting = read.awaiting(session, district.actor("com"))
        others = read.awaiting(session, district.actor("sec_other"))
    assert row.changes == [("ethnicity", None, "Tày")] and row.evidence_sha256 == c.evidence_sha256
    assert [r.id for r in awaiting] == [c.id] and others == []
