"""Which forms a packet binds, from what, and what it lacks (``workflow.documents``: pure)."""

from __future__ import annotations

import pytest

from workflow.documents import (
    Applicability,
    Bound,
    FormOnCase,
    Lacking,
    applies,
    is_draft,
    packet_contents,
)

YOUTH_DOAN = Applicability(youth=True, unit_has_doan=True, is_doan_member=True)


@pytest.mark.parametrize(
    ("facts", "doan", "union"),
    [
        (YOUTH_DOAN, True, False),
        # A youth who is not a Đoàn member: the Đoàn does not introduce them.
        (Applicability(youth=True, unit_has_doan=True, is_doan_member=False), False, False),
        # No Đoàn in the unit: the Công đoàn introduces the youth.
        (Applicability(youth=True, unit_has_doan=False, is_doan_member=False), False, True),
        (Applicability(youth=True, unit_has_doan=False, is_doan_member=True), False, True),
        # Past Đoàn age: two party members introduce; neither organisation's form applies.
        (Applicability(youth=False, unit_has_doan=True, is_doan_member=True), False, False),
        # An introduction on record makes its form apply (the paper exists).
        (
            Applicability(False, True, False, introduced_by=frozenset({"doan"})),
            True,
            False,
        ),
        (
            Applicability(False, True, False, introduced_by=frozenset({"congdoan"})),
            False,
            True,
        ),
    ],
)
def test_the_introducing_organisations_forms_apply_only_where_they_introduce(facts, doan, union):
    assert applies("4-KNĐ", facts) is doan
    assert applies("4A-KNĐ", facts) is union
    assert applies("1-KNĐ", facts) and applies("6-KNĐ", facts)


def dossier(**parts) -> dict:
    base = {"documents": {}, "votes": {}, "decisions": {}, "introductions": [], "certificate": None}
    return {**base, **parts}


@pytest.mark.parametrize(
    ("code", "data", "draft"),
    [
        ("6-KNĐ", dossier(), True),  # the cell's resolution before its vote
        ("6-KNĐ", dossier(votes={"cell": {"held_on": "2026-05-04"}}), False),
        ("6-KNĐ", dossier(documents={"6-KNĐ": {"dated": "2026-05-04"}}), False),  # on file
        ("8-KNĐ", dossier(votes={"cell": {"held_on": "2026-05-04"}}), True),
        ("8-KNĐ", dossier(votes={"grassroots": {"held_on": "2026-06-01"}}), False),
        ("13-KNĐ", dossier(), True),
        ("13-KNĐ", dossier(votes={"recognition": {"held_on": "2027-06-01"}}), False),
        ("15-KNĐ", dossier(votes={"recognition": {"held_on": "2027-06-01"}}), True),
        ("9-KNĐ", dossier(decisions={"admission": {"number": "12"}}), False),
        ("16-KNĐ", dossier(decisions={"admission": {"number": "12"}}), True),
        ("3-KNĐ", dossier(), True),
        ("3-KNĐ", dossier(introductions=[{"kind": "member"}]), False),
        ("4-KNĐ", dossier(introductions=[{"kind": "member"}]), True),
        ("4-KNĐ", dossier(introductions=[{"kind": "doan"}]), False),
        ("4A-KNĐ", dossier(introductions=[{"kind": "congdoan"}]), False),
        # Written and signed by a person: printed pre-filled, never a draft of a fact.
        ("1-KNĐ", dossier(), False),
        ("2-KNĐ", dossier(), False),
        ("10-KNĐ", dossier(), False),
    ],
)
def test_a_form_is_a_draft_until_the_fact_that_makes_it_final(code, data, draft):
    assert is_draft(code, data) is draft


def test_scans_stand_for_their_forms_and_what_is_not_on_file_is_missing():
    forms = [
        FormOnCase("CN-NTVĐ", on_file=False),
        FormOnCase("1-KNĐ", "submit_dossier", on_file=True, has_scan=True),
        FormOnCase("2-KNĐ", "submit_dossier", on_file=True),  # on file, no scan: printed
        FormOnCase("3-KNĐ", "submit_dossier", lacking=("introductions",)),
        FormOnCase("4-KNĐ", "submit_dossier"),
        FormOnCase("4A-KNĐ", "submit_dossier"),  # does not apply: left out, never missing
        FormOnCase("6-KNĐ", "submit_dossier"),
        FormOnCase("9-KNĐ", issued=True),
    ]
    bound, lacking = packet_contents(forms, YOUTH_DOAN, dossier())
    assert bound == [
        Bound("CN-NTVĐ", "draft"),  # no certificate recorded
        Bound("1-KNĐ", "scan"),
        Bound("2-KNĐ", "printed"),
        Bound("4-KNĐ", "draft"),
        Bound("6-KNĐ", "draft"),
        Bound("9-KNĐ", "issued"),
    ]
    assert lacking == [
        Lacking("3-KNĐ", "no_data", ("introductions",)),
        Lacking("4-KNĐ", "unsigned"),
        Lacking("6-KNĐ", "unsigned"),
    ]


def test_a_form_on_file_is_bound_even_where_it_would_not_apply():
    past_youth = Applicability(youth=False, unit_has_doan=True, is_doan_member=False)
    forms = [FormOnCase("4-KNĐ", on_file=True, has_scan=True), FormOnCase("4A-KNĐ")]
    assert packet_contents(forms, past_youth, dossier()) == ([Bound("4-KNĐ", "scan")], [])
