"""Generated forms on a real database: the decisions an action produces in its own unit of work,
a form generated on its own (``workflow.services.documents``), the repository that numbers them
(``db.repositories.documents``) and the public verification of what hoso generated."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date

import pytest
from sqlalchemy import select, update

import db.repositories.documents
from db.models import DocumentRecord, DocumentScan, Event, GeneratedDocument, Person, StoredFile
from db.read.documents import case_generated
from db.read.history import verify
from db.repositories.documents import SqlDocuments
from tests.factories import NOW, TODAY
from workflow.errors import InvalidInput, NotFound, RuleViolation
from workflow.services.documents import generate_document, verify_document
from workflow.uploads import Scan


def generated(district, case_id: int) -> list[GeneratedDocument]:
    with district.runtime.sessions() as session:
        return session.scalars(
            select(GeneratedDocument)
            .where(GeneratedDocument.case_id == case_id)
            .order_by(GeneratedDocument.id)
        ).all()


def verified(district, code: str):
    """What ``/verify/<code>`` tells, through the read-only use case."""
    return verify_document(district.runtime.uow(write=False), code)


# --- the forms an action produces -----------------------------------------------------------


def test_admission_generates_the_decision_in_its_own_unit_of_work(district):
    first = district.to_admitted()
    second = district.to_admitted(full_name="Trần Thị Bình", birth_date="1995-02-02")

    [made] = generated(district, first.id)
    assert (made.code, made.number, made.issued_on) == ("9-KNĐ", "1/2026/9-KNĐ", TODAY)
    assert [g.number for g in generated(district, second.id)] == ["2/2026/9-KNĐ"]
    assert made.data_hash == hashlib.sha256(made.data.encode()).hexdigest()
    assert json.loads(made.data)["decisions"]["admission"]["number"] == "123-QĐ/HU"
    assert re.fullmatch(r"[A-Z2-7]{10}", made.verify_code)
    assert made.created_by == district.actor("com").user_id
    with district.runtime.sessions() as session:
        admit = session.scalars(
            select(Event).where(Event.case_id == first.id, Event.action == "admit")
        ).one()
    recorded = json.loads(admit.data)
    assert recorded["generated_number"] == "1/2026/9-KNĐ"
    assert recorded["generated_data_hash"] == made.data_hash
    assert verify(district.runtime.engine).intact


def test_a_refused_admission_generates_nothing(district):
    case = district.to_submitted()
    with pytest.raises(RuleViolation):
        district.fire(
            case.id, "admit", "com", vote_date="2026-10-10", votes_for=1, decision_number="1"
        )
    assert generated(district, case.id) == []


def test_recognition_generates_its_decision(district):
    case = district.to_state("official")
    assert [g.code for g in generated(district, case.id)] == ["9-KNĐ", "16-KNĐ"]
    assert generated(district, case.id)[1].number == "1/2026/16-KNĐ"


# --- a form generated on its own ------------------------------------------------------------


def test_generating_a_form_is_an_event(district):
    case = district.to_trained()
    made = generate_document(
        district.runtime.uow(), district.actor("sec"), case.id, "1-KNĐ", clock=NOW
    )
    assert made.number == "1/2026/1-KNĐ"
    with district.runtime.sessions() as session:
        event = session.scalars(select(Event).order_by(Event.id.desc()).limit(1)).one()
    assert event.action == "generate_document"
    assert json.loads(event.data) == {
        "code": "1-KNĐ",
        "number": "1/2026/1-KNĐ",
        "data_hash": made.data_hash,
    }
    with pytest.raises(NotFound):
        generate_document(district.runtime.uow(), district.actor("sec_other"), case.id, "1-KNĐ")
    with pytest.raises(InvalidInput):
        generate_document(district.runtime.uow(), district.actor("sec"), case.id, "99-KNĐ")
    assert verify(district.runtime.engine).intact


def test_the_read_model_gives_the_newest_copy_as_plain_values(district):
    case = district.to_trained()
    uow, sec = district.runtime.uow, district.actor("sec")
    first = generate_document(uow(), sec, case.id, "1-KNĐ", clock=NOW)
    second = generate_document(uow(), sec, case.id, "1-KNĐ", clock=NOW)
    with district.runtime.sessions() as session:
        newest = case_generated(session, case.id, code="1-KNĐ")
        by_id = case_generated(session, case.id, doc_id=first.id)
        assert case_generated(session, case.id + 1, doc_id=first.id) is None
    assert (newest.id, newest.number, newest.seq, newest.year) == (
        second.id,
        "2/2026/1-KNĐ",
        2,
        2026,
    )
    assert by_id.verify_code == first.verify_code
    assert newest.data["person"]["full_name"] == "Nguyễn Văn An"


# --- the repository -------------------------------------------------------------------------


def test_numbers_count_per_form_and_year(district):
    case = district.to_trained()
    user = district.actor("sec").user_id
    with district.runtime.uow() as uow:
        made = [
            uow.documents.generate(case.id, code, user, day)
            for code, day in [
                ("1-KNĐ", date(2026, 12, 30)),
                ("2-KNĐ", date(2026, 12, 30)),
                ("1-KNĐ", date(2026, 12, 31)),
                ("1-KNĐ", date(2027, 1, 1)),
            ]
        ]
        uow.commit()
    assert [m.number for m in made] == [
        "1/2026/1-KNĐ",
        "1/2026/2-KNĐ",
        "2/2026/1-KNĐ",
        "1/2027/1-KNĐ",
    ]
    assert len({m.verify_code for m in made}) == 4


def test_a_verification_code_already_taken_is_drawn_again(district, monkeypatch):
    case = district.to_admitted()
    [taken] = generated(district, case.id)
    draws = iter([taken.verify_code, "ABCDEFGHJK"])
    monkeypatch.setattr(db.repositories.documents, "new_verify_code", lambda: next(draws))
    with district.runtime.uow() as uow:
        made = uow.documents.generate(case.id, "1-KNĐ", district.actor("sec").user_id, TODAY)
        uow.rollback()
    assert made.verify_code == "ABCDEFGHJK"


def test_the_repository_finds_by_code_and_links_scans(district):
    case = district.to_admitted()
    [made] = generated(district, case.id)
    scan = Scan("ab" * 32, 1234, "application/pdf", "decision.pdf")
    with district.runtime.uow() as uow:
        found = uow.documents.find(made.verify_code)
        assert uow.documents.find("ABCDEFGHJK") is None
        assert uow.documents.dossier(case.id)["case"]["id"] == case.id
        with pytest.raises(LookupError):
            uow.documents.dossier(case.id + 100)
        record = DocumentRecord(case_id=case.id, code="9-KNĐ", dated=TODAY)
        uow.session.add(record)
        uow.session.flush()
        uow.documents.attach_scan(record.id, scan, district.actor("com").user_id)
        uow.session.flush()
        stored = uow.session.scalars(select(StoredFile)).one()
        linked = uow.session.scalars(select(DocumentScan)).one()
    assert (found.code, found.number, found.printed_number) == ("9-KNĐ", made.number, "123-QĐ/HU")
    assert found.title == "Quyết định kết nạp đảng viên" and found.data == made.data
    assert (stored.sha256, stored.size, stored.media_type) == (scan.sha256, 1234, scan.media_type)
    assert (linked.document_id, linked.file_id, linked.name) == (record.id, stored.id, scan.name)
    assert isinstance(uow.documents, SqlDocuments)


# --- verification ---------------------------------------------------------------------------


def test_a_genuine_decision_verifies_current_until_what_it_says_changes(district):
    case = district.to_admitted()
    [made] = generated(district, case.id)

    def check():
        return verified(district, made.verify_code.lower())

    found = check()
    assert (found.code, found.number, found.name) == ("9-KNĐ", "1/2026/9-KNĐ", "Nguyễn Văn An")
    assert found.printed_number == "123-QĐ/HU"  # the decision's own number, as on paper
    assert found.current
    # A later fact the decision does not draw on leaves it current ...
    district.record(case.id, "ceremony", "com", ceremony_date="2026-11-20")
    assert check().current
    # ... a correction of the person's name does not.
    with district.runtime.engine.begin() as conn:
        conn.execute(update(Person).values(full_name="Nguyễn Văn Ân"))
    found = check()
    assert not found.current
    assert found.name == "Nguyễn Văn An"  # as the document gives it


def test_a_resolution_is_outdated_once_the_cell_votes_again(district):
    case = district.to_submitted()
    made = generate_document(
        district.runtime.uow(), district.actor("sec"), case.id, "6-KNĐ", clock=NOW
    )

    def current():
        return verified(district, made.verify_code).current

    assert current()
    district.fire(case.id, "return_dossier", "com", reason="bổ sung lý lịch")
    assert current()  # the case moved on; what the resolution says still holds
    district.fire(case.id, "submit_dossier", vote_date="2026-11-20", votes_for=5)
    assert not current()


def test_an_edited_document_row_is_outdated(district):
    case = district.to_admitted()
    [made] = generated(district, case.id)
    with district.runtime.engine.begin() as conn:
        conn.execute(
            update(GeneratedDocument)
            .where(GeneratedDocument.id == made.id)
            .values(data=made.data.replace("123-QĐ/HU", "999-QĐ/HU"))
        )
    assert not verified(district, made.verify_code).current


@pytest.mark.parametrize("code", ["", "AAAAAAAAAA", "not a code", "A" * 50, "ABCDEFGHI1"])
def test_an_unknown_code_is_not_found(district, code):
    district.to_admitted()
    assert verified(district, code) is None
