"""The introducers and mentor rules: two official members, or the Đoàn and one for youth."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from tests.workflow.rules.attempts import (
    AGED_30,
    AGED_31,
    BASE,
    CONGDOAN,
    DOAN,
    A,
    B,
    attempt,
    by_member,
    fails,
    holds,
    member,
)
from workflow import rules as r
from workflow.settings import RuleSettings
from workflow.states import MemberStatus, UnitKind


@pytest.mark.parametrize(
    ("born", "introductions", "passes"),
    [
        (AGED_30, (DOAN, by_member(A)), True),
        (AGED_30, (by_member(A), by_member(B)), False),  # youth: the Đoàn resolution is needed
        (AGED_30, (DOAN,), False),  # and one official member with it
        (AGED_31, (DOAN, by_member(A)), False),  # no longer youth: two members
        (AGED_31, (by_member(A), by_member(B)), True),
    ],
)
def test_youth_age_switches_the_introducers_rule(
    born: date, introductions: tuple, passes: bool
) -> None:
    a = attempt(birth_date=born, is_doan_member=True, introductions=introductions)
    if passes:
        holds(r.introducers, a)
    else:
        fails(r.introducers, a, "introducers")


def test_a_youth_must_be_a_doan_member_where_there_is_a_doan() -> None:
    a = attempt(birth_date=AGED_30, is_doan_member=False, introductions=(DOAN, by_member(A)))
    assert "Đoàn member" in fails(r.introducers, a, "introducers").en


def test_the_cong_doan_replaces_the_doan_where_the_unit_has_none() -> None:
    youth = {"birth_date": AGED_30, "unit_has_doan": False, "unit_kind": UnitKind.enterprise}
    holds(r.introducers, attempt(introductions=(CONGDOAN, by_member(A)), **youth))
    failure = fails(
        r.introducers, attempt(introductions=(DOAN, by_member(A)), **youth), "introducers"
    )
    assert "Công đoàn" in failure.vi and "Công đoàn" in failure.en
    # Where the unit has a Đoàn, the Công đoàn's resolution does not take its place.
    where_doan = {**youth, "unit_has_doan": True, "is_doan_member": True}
    fails(
        r.introducers, attempt(introductions=(CONGDOAN, by_member(A)), **where_doan), "introducers"
    )


def test_a_probationary_introducer_fails_and_is_named() -> None:
    probationary = member(7, MemberStatus.probationary)
    a = attempt(introductions=(by_member(A), by_member(probationary)))
    failure = fails(r.introducers, a, "introducers")
    assert probationary.name in failure.vi and probationary.name in failure.en


@pytest.mark.parametrize(
    ("known_since", "passes"),
    [
        (date(2025, 2, 5), False),  # 11 months before the introduction of 05/01/2026
        (date(2025, 1, 6), False),  # a day short of 12 months
        (date(2025, 1, 5), True),  # exactly 12 months by the day of the introduction
    ],
)
def test_an_introducer_has_known_the_candidate_twelve_months(
    known_since: date, passes: bool
) -> None:
    a = attempt(introductions=(by_member(A), by_member(B, known_since)))
    if passes:
        holds(r.introducers, a)
    else:
        assert B.name in fails(r.introducers, a, "introducers").en


def test_an_introducer_who_never_said_since_when_fails() -> None:
    a = attempt(introductions=(by_member(A), replace(by_member(B), known_since=None)))
    fails(r.introducers, a, "introducers")


def test_two_introductions_by_the_same_member_count_once() -> None:
    a = attempt(introductions=(by_member(A), by_member(A, date(2021, 1, 1))))
    fails(r.introducers, a, "introducers")


def test_fewer_introducers_than_required() -> None:
    assert (
        "there are 1"
        in fails(r.introducers, attempt(introductions=(by_member(A),)), "introducers").en
    )
    three = RuleSettings(introducers_required=3)
    fails(r.introducers, attempt(settings=three), "introducers")


def test_the_mentor_is_an_official_member_of_the_cell() -> None:
    name = "mentor_official_member_of_cell"
    fails(r.mentor_official_member_of_cell, attempt(fields={"mentor": None}), name)
    elsewhere = replace(A, cell_id=4)
    fails(r.mentor_official_member_of_cell, attempt(fields={"mentor": elsewhere}), name)
    probationary = member(7, MemberStatus.probationary)
    fails(r.mentor_official_member_of_cell, attempt(fields={"mentor": probationary}), name)
    holds(r.mentor_official_member_of_cell, attempt(fields={"mentor": A}))


def test_the_mentor_is_not_the_candidate() -> None:
    themself = replace(A, person_id=BASE.person_id)
    fails(r.mentor_not_candidate, attempt(fields={"mentor": themself}), "mentor_not_candidate")
    holds(r.mentor_not_candidate, attempt(fields={"mentor": replace(A, person_id=501)}))
