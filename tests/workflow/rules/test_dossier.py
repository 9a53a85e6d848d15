"""The dossier and decision rules: forms on file, four eyes, probation, decisions, reasons."""

from __future__ import annotations

from datetime import date

import pytest

from tests.workflow.rules.attempts import AGED_30, BASE, VOTE_DAY, attempt, fails, holds
from workflow import rules as r
from workflow.facts import Actor
from workflow.settings import DOSSIER_FORMS, RECOGNITION_FORMS


def test_missing_forms_are_named() -> None:
    documents = {code: VOTE_DAY for code in DOSSIER_FORMS if code not in ("2-KNĐ", "5-KNĐ")}
    failure = fails(r.dossier_forms_present, attempt(documents=documents), "dossier_forms_present")
    for text in (failure.vi, failure.en):
        assert "2-KNĐ" in text and "5-KNĐ" in text and "1-KNĐ" not in text
    holds(r.dossier_forms_present, attempt())


@pytest.mark.parametrize(
    ("has_doan", "needed", "other"), [(True, "4-KNĐ", "4A-KNĐ"), (False, "4A-KNĐ", "4-KNĐ")]
)
def test_a_youth_dossier_needs_the_resolution_of_the_units_organisation(
    has_doan: bool, needed: str, other: str
) -> None:
    youth = {"birth_date": AGED_30, "unit_has_doan": has_doan}
    failure = fails(r.dossier_forms_present, attempt(**youth), "dossier_forms_present")
    assert needed in failure.vi and needed in failure.en
    # The other organisation's resolution does not take its place.
    wrong = {**BASE.documents, other: VOTE_DAY}
    fails(r.dossier_forms_present, attempt(documents=wrong, **youth), "dossier_forms_present")
    right = {**BASE.documents, needed: VOTE_DAY}
    holds(r.dossier_forms_present, attempt(documents=right, **youth))


def test_four_eyes() -> None:
    fails(r.four_eyes, attempt(actor=Actor(10, "sec")), "four_eyes")
    holds(r.four_eyes, attempt(actor=Actor(30, "com")))
    holds(r.four_eyes, attempt(actor=Actor(10, "sec"), submitted_by_user_id=None))


@pytest.mark.parametrize(
    ("vote", "over"),
    [
        (date(2026, 3, 9), False),  # a day before the first anniversary of the ceremony
        (date(2026, 3, 10), True),  # 12 months from the ceremony of 10/03/2025
    ],
)
def test_probation_twelve_months_from_the_ceremony(vote: date, over: bool) -> None:
    a = attempt(vote_date=vote)
    if over:
        holds(r.probation_complete, a)
    else:
        assert "10/03/2026" in fails(r.probation_complete, a, "probation_complete").en


def test_no_ceremony_is_explained_by_its_own_rule() -> None:
    a = attempt(ceremony_on=None)
    holds(r.probation_complete, a)
    fails(r.ceremony_recorded, a, "ceremony_recorded")


def test_missing_recognition_forms_are_named() -> None:
    documents = {c: VOTE_DAY for c in RECOGNITION_FORMS if c != "11-KNĐ"}
    failure = fails(
        r.recognition_forms_present, attempt(documents=documents), "recognition_forms_present"
    )
    assert "11-KNĐ" in failure.vi and "11-KNĐ" in failure.en


@pytest.mark.parametrize(
    ("fields", "passes"),
    [
        ({}, False),
        ({"decision_number": "9-QĐ/HU"}, False),
        ({"decision_number": " ", "decision_date": VOTE_DAY}, False),
        ({"decision_number": "9-QĐ/HU", "decision_date": date(2026, 3, 11)}, False),  # future
        ({"decision_number": "9-QĐ/HU", "decision_date": date(2026, 3, 9)}, False),  # before vote
        ({"decision_number": "9-QĐ/HU", "decision_date": VOTE_DAY}, True),
    ],
)
def test_decision_recorded(fields: dict, passes: bool) -> None:
    a = attempt(fields=fields)
    if passes:
        holds(r.decision_recorded, a)
    else:
        fails(r.decision_recorded, a, "decision_recorded")


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_a_reason_is_required(reason: str | None) -> None:
    fails(r.reason_given, attempt(fields={"reason": reason}), "reason_given")
