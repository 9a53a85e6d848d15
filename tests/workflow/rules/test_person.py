"""The person and age rules at their boundaries: identify, one open case, source, 18 to 60."""

from __future__ import annotations

from datetime import date

import pytest

from tests.workflow.rules.attempts import VOTE_DAY, attempt, fails, holds
from workflow import rules as r


@pytest.mark.parametrize(
    ("vote", "eligible"),
    [
        (date(2026, 3, 9), False),  # turns 18 the day after the vote
        (date(2026, 3, 10), True),  # turns 18 on the day of the vote
        (date(2026, 3, 11), True),  # turned 18 the day before the vote
    ],
)
def test_eighteen_on_the_vote_date(vote: date, eligible: bool) -> None:
    a = attempt(birth_date=date(2008, 3, 10), vote_date=vote, today=vote)
    if eligible:
        holds(r.age_in_range, a)
    else:
        failure = fails(r.age_in_range, a, "age_in_range")
        assert "17 years 11 months" in failure.en


def test_born_on_29_february() -> None:
    born = date(2008, 2, 29)
    holds(r.age_in_range, attempt(birth_date=born, vote_date=date(2026, 2, 28)))
    fails(r.age_in_range, attempt(birth_date=born, vote_date=date(2026, 2, 27)), "age_in_range")


@pytest.mark.parametrize(
    ("vote", "eligible"),
    [
        (date(2026, 3, 10), True),  # exactly 720 months
        (date(2026, 4, 9), True),  # still 720 full months
        (date(2026, 4, 10), False),  # 721 months
    ],
)
def test_sixty_years_counted_in_months(vote: date, eligible: bool) -> None:
    a = attempt(birth_date=date(1966, 3, 10), vote_date=vote, today=vote)
    if eligible:
        holds(r.age_in_range, a)
    else:
        assert "Over 60" in fails(r.age_in_range, a, "age_in_range").en


def test_age_without_birth_date() -> None:
    fails(r.age_in_range, attempt(birth_date=None), "age_in_range")


@pytest.mark.parametrize(
    "fields",
    [
        {"birth_date": date(2000, 1, 1)},
        {"full_name": "  ", "birth_date": date(2000, 1, 1)},
        {"full_name": "An"},
        {"full_name": "An", "birth_date": VOTE_DAY},
        {"full_name": "An", "birth_date": date(1899, 12, 31)},
    ],
)
def test_person_valid(fields: dict) -> None:
    fails(r.person_valid, attempt(fields=fields), "person_valid")


def test_single_open_case() -> None:
    fails(r.single_open_case, attempt(has_other_open_case=True), "single_open_case")
    holds(r.single_open_case, attempt())


@pytest.mark.parametrize(
    ("fields", "passes"),
    [
        ({}, False),
        ({"source": "rumour"}, False),
        ({"source": "mass_organisation"}, False),  # which one?
        ({"source": "mass_organisation", "source_detail": "Đoàn trường"}, True),
        ({"source": "cell_review"}, True),
        ({"source": "commune_application"}, True),
    ],
)
def test_source_recorded(fields: dict, passes: bool) -> None:
    a = attempt(fields=fields)
    if passes:
        holds(r.source_recorded, a)
    else:
        fails(r.source_recorded, a, "source_recorded")
