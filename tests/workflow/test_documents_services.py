"""The document use cases on the fakes (no database, no Flask): generating a form on its own,
who may, what it records; and the public verification of a generated form."""

from __future__ import annotations

import pytest

from tests.workflow.fakes import ACTORS, CLOCK, FakeUnitOfWork, ready_case
from workflow.errors import InvalidInput, NotAllowed, NotFound
from workflow.services.documents import generate_document, verify_document
from workflow.settings import Settings

DOSSIER = {
    "case": {"id": 1, "state": "trained", "closed_on": None},
    "person": {"full_name": "Nguyễn Văn An", "birth_date": "1990-05-15"},
    "votes": {"cell": {"votes_for": 5}},
}


def uow_with(state: str = "trained", **overrides) -> FakeUnitOfWork:
    uow = FakeUnitOfWork(ready_case(state, **overrides))
    uow.documents.dossiers[1] = dict(DOSSIER)
    return uow


# --- generate_document ----------------------------------------------------------------------


@pytest.mark.parametrize("who", ["sec", "mentor", "com"])
def test_the_cell_the_mentor_and_the_committee_generate_a_form(who):
    uow = uow_with()
    made = generate_document(uow, ACTORS[who], 1, "1-KNĐ", clock=CLOCK)
    assert uow.committed
    assert (made.code, made.number) == ("1-KNĐ", "1/2026/1-KNĐ")
    assert uow.documents.generated == [(1, made)]
    assert uow.documents.kept[made.id].user_id == ACTORS[who].user_id


def test_the_event_names_the_form_its_number_and_its_data_hash():
    uow = uow_with()
    made = generate_document(uow, ACTORS["sec"], 1, "6-KNĐ", clock=CLOCK)
    [event] = uow.history.events
    assert (event.case_id, event.action, event.role) == (1, "generate_document", "secretary")
    assert (event.user_id, event.username, event.at) == (10, "sec", CLOCK.now)
    assert (event.from_state, event.to_state, event.reason) == (None, None, None)
    assert event.data == {"code": "6-KNĐ", "number": made.number, "data_hash": made.data_hash}
    assert event.ruleset == Settings().rules.version


def test_numbers_go_on_per_form():
    uow = uow_with()
    numbers = [
        generate_document(uow, ACTORS["sec"], 1, code, clock=CLOCK).number
        for code in ("1-KNĐ", "1-KNĐ", "2-KNĐ")
    ]
    assert numbers == ["1/2026/1-KNĐ", "2/2026/1-KNĐ", "1/2026/2-KNĐ"]
    assert len(uow.history.events) == 3


@pytest.mark.parametrize(
    ("who", "state", "refusal"),
    [
        ("sec_other", "trained", NotFound),  # out of scope: the case does not exist for them
        ("mentor2", "trained", NotFound),  # a mentor of another case
        ("adm", "trained", NotFound),  # admins read no case
        ("intro", "trained", NotFound),
        ("trainer", "trained", NotFound),  # the centre sees only those waiting for the class
        ("trainer", "mentored", NotAllowed),  # ... which it sees, and makes no form of
        ("aud", "trained", NotAllowed),  # reads, changes nothing
        ("sec", "official", NotAllowed),  # a closed case takes no more documents
    ],
)
def test_who_may_not_generate(who, state, refusal):
    uow = uow_with(state)
    with pytest.raises(refusal):
        generate_document(uow, ACTORS[who], 1, "1-KNĐ", clock=CLOCK)
    assert not uow.committed
    assert uow.documents.generated == [] and uow.history.events == []


def test_an_unknown_case_is_not_found():
    uow = uow_with()
    with pytest.raises(NotFound):
        generate_document(uow, ACTORS["com"], 99, "1-KNĐ", clock=CLOCK)


@pytest.mark.parametrize("code", ["99-KNĐ", "", "1-knđ", "9-KND"])
def test_an_unknown_form_is_refused_by_name(code):
    uow = uow_with()
    with pytest.raises(InvalidInput) as refused:
        generate_document(uow, ACTORS["sec"], 1, code, clock=CLOCK)
    assert refused.value.field == "code" and "unknown form" in refused.value.message
    assert uow.documents.generated == []


# --- verify_document ------------------------------------------------------------------------


def test_a_generated_form_verifies_by_its_code_as_typed():
    uow = uow_with()
    made = generate_document(uow, ACTORS["sec"], 1, "6-KNĐ", clock=CLOCK)
    typed = f" {made.verify_code[:5].lower()}-{made.verify_code[5:]} "
    found = verify_document(uow, typed)
    assert (found.code, found.number, found.issued_on) == ("6-KNĐ", made.number, CLOCK.today)
    assert (found.name, found.title, found.current) == ("Nguyễn Văn An", "Mẫu 6-KNĐ", True)
    assert not uow.committed and len(uow.history.events) == 1  # read-only


def test_what_moves_on_by_design_leaves_it_current_what_it_says_changing_does_not():
    uow = uow_with()
    made = generate_document(uow, ACTORS["sec"], 1, "6-KNĐ", clock=CLOCK)
    moved = {**DOSSIER, "case": {"id": 1, "state": "admitted", "closed_on": "2026-12-01"}}
    uow.documents.dossiers[1] = {**moved, "decisions": {"admission": {"number": "1"}}}
    assert verify_document(uow, made.verify_code).current
    uow.documents.dossiers[1] = {**DOSSIER, "votes": {"cell": {"votes_for": 6}}}
    outdated = verify_document(uow, made.verify_code)
    assert not outdated.current and outdated.name == "Nguyễn Văn An"


def test_the_name_now_stands_in_when_the_document_gives_none():
    uow = FakeUnitOfWork(ready_case("trained"))
    made = generate_document(uow, ACTORS["sec"], 1, "1-KNĐ", clock=CLOCK)
    uow.documents.dossiers[1] = {"person": {"full_name": "Trần Thị Bình"}}
    assert verify_document(uow, made.verify_code).name == "Trần Thị Bình"


@pytest.mark.parametrize("code", ["", "AAAAAAAAAA", "not a code", "A" * 50, "ABCDEFGHI1", None])
def test_an_unknown_or_malformed_code_is_none(code):
    uow = uow_with()
    generate_document(uow, ACTORS["sec"], 1, "1-KNĐ", clock=CLOCK)
    assert verify_document(uow, code) is None
