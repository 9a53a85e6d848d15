"""The domain of the forms (``workflow.documents``): codes, what produces what, which forms
belong to a case now, and whether a generated document still says what the case says."""

from __future__ import annotations

from datetime import date

import pytest

from workflow.documents import (
    CODE_ALPHABET,
    CODE_LENGTH,
    data_hash,
    forms_in_play,
    is_current,
    is_youth,
    name_on,
    new_verify_code,
    normalise_code,
    produced_by,
    still_true,
)
from workflow.history import canonical_data
from workflow.settings import DEFAULT_SETTINGS

# --- codes ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "forms"),
    [("admit", ("9-KNĐ",)), ("recognize", ("16-KNĐ",)), ("submit_dossier", ()), ("nope", ())],
)
def test_what_an_action_produces(action, forms):
    assert produced_by(action) == forms


def test_a_new_verification_code_is_well_formed():
    codes = {new_verify_code() for _ in range(50)}
    assert len(codes) == 50
    assert all(len(c) == CODE_LENGTH and set(c) <= set(CODE_ALPHABET) for c in codes)
    assert all(normalise_code(c) == c for c in codes)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("ABCDE-FGHJK", "ABCDEFGHJK"),
        (" abcde fghjk ", "ABCDEFGHJK"),
        ("abcdefghjk", "ABCDEFGHJK"),
        ("ABCDEFGHI1", None),  # 1 is not in the alphabet
        ("ABCDEFGHJ", None),
        ("ABCDEFGHJKL", None),
        ("", None),
        (None, None),
    ],
)
def test_a_code_as_typed(typed, stored):
    assert normalise_code(typed) == stored


# --- still true -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("then", "now", "holds"),
    [
        ({"a": 1, "b": None}, {"a": 1, "b": 2}, True),  # filled in since
        ({"a": 1}, {"a": 1, "c": 3}, True),  # recorded since
        ({"a": 1}, {"a": 2}, False),
        ({"a": 1}, {}, False),  # gone
        ({"v": {"cell": {"for": 5}}}, {"v": {"cell": {"for": 6}}}, False),
        ({"l": [1, 2]}, {"l": [1, 2, 3]}, True),  # a list grown longer
        ({"l": [1, 2]}, {"l": [2]}, False),
        ({"f": False}, {"f": True}, False),
    ],
)
def test_what_a_document_says_still_holds(then, now, holds):
    assert still_true(then, now) is holds


THEN = {"case": {"id": 1, "state": "dossier_submitted", "closed_on": None}, "person": {"a": 1}}


def test_a_document_is_current_while_intact_and_true():
    text = canonical_data(THEN)
    moved_on = {
        "case": {"id": 1, "state": "rejected", "closed_on": "2026-12-01"},
        "person": {"a": 1},
    }
    assert is_current(text, data_hash(text), THEN)
    assert is_current(text, data_hash(text), moved_on)  # its state and closing move by design
    assert not is_current(text, data_hash(text), {**THEN, "person": {"a": 2}})
    edited = text.replace('"a":1', '"a":3')
    assert not is_current(edited, data_hash(text), {**THEN, "person": {"a": 3}})


def test_the_name_a_document_gives():
    assert name_on({"person": {"full_name": "Nguyễn Văn An"}}) == "Nguyễn Văn An"
    assert name_on({"person": {"full_name": None}}) is None
    assert name_on({"person": None}) is None and name_on({}) is None


# --- which forms belong to a case -----------------------------------------------------------


@pytest.mark.parametrize(
    ("born", "on", "youth"),
    [(date(2000, 1, 1), date(2026, 1, 1), True), (date(1990, 1, 1), date(2026, 1, 1), False)],
)
def test_youth_is_counted_in_full_years(born, on, youth):
    assert is_youth(born, on, DEFAULT_SETTINGS) is youth
    assert is_youth(None, on, DEFAULT_SETTINGS) is False


#: A made-up registry: the certificate and 1-2 belong once trained; 1-3 are required to submit,
#: 10 to recognise (the real one is checked with ``documents.registry`` in tests/documents).
BELONGING = {"trained": ("CN", "1", "2"), "admitted": ("CN", "1", "2", "9", "10")}
REQUIRED = {"submit_dossier": ("1", "2", "3"), "recognize": ("10",)}


def _in_play(state: str) -> dict[str, str | None]:
    return forms_in_play(state, BELONGING.get(state, ()), lambda t: REQUIRED.get(t, ()))


def test_the_submission_forms_belong_from_the_start_of_the_preparation():
    submit = dict.fromkeys(REQUIRED["submit_dossier"], "submit_dossier")
    assert _in_play("identified") == _in_play("mentored") == submit
    assert _in_play("trained") == {"CN": None, **submit}
    assert _in_play("returned") == submit


def test_each_form_names_the_transition_that_requires_it():
    assert _in_play("admitted") == {
        "CN": None,
        "1": "submit_dossier",
        "2": "submit_dossier",
        "9": None,
        "10": "recognize",
    }
    assert _in_play("withdrawn") == {}
