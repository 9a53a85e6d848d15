"""The certificate and staleness rules: validity counted in months, stale introductions."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from tests.workflow.rules.attempts import BASE, VOTE_DAY, attempt, fails, holds
from workflow import rules as r
from workflow.settings import DEFAULT_SETTINGS, RuleSettings


@pytest.mark.parametrize(
    ("issued", "on", "valid"),
    [
        (date(2021, 3, 10), date(2026, 3, 10), True),  # exactly 60 months old
        (date(2021, 3, 10), date(2026, 3, 11), False),  # 60 months and a day
        (date(2020, 2, 29), date(2025, 2, 28), True),  # no 29/02/2025: the month's last day
        (date(2020, 2, 29), date(2025, 3, 1), False),
    ],
)
def test_certificate_sixty_months(issued: date, on: date, valid: bool) -> None:
    recorded = attempt(today=on, fields={"certificate_number": "CN-1", "certificate_date": issued})
    on_vote = attempt(certificate_date=issued, vote_date=on, today=on)
    if valid:
        holds(r.certificate_fresh, recorded)
        holds(r.certificate_valid_on_vote, on_vote)
    else:
        fails(r.certificate_fresh, recorded, "certificate_fresh")
        fails(r.certificate_valid_on_vote, on_vote, "certificate_valid_on_vote")


def test_certificate_recorded_needs_number_date_and_no_future() -> None:
    name = "certificate_recorded"
    fails(r.certificate_recorded, attempt(fields={"certificate_date": VOTE_DAY}), name)
    fails(r.certificate_recorded, attempt(fields={"certificate_number": "CN-1"}), name)
    future = {"certificate_number": "CN-1", "certificate_date": date(2026, 3, 11)}
    fails(r.certificate_recorded, attempt(fields=future), name)
    holds(r.certificate_recorded, attempt(fields={**future, "certificate_date": VOTE_DAY}))


def test_no_certificate_on_file_at_the_vote() -> None:
    fails(r.certificate_valid_on_vote, attempt(certificate_date=None), "certificate_valid_on_vote")


def test_a_shorter_certificate_validity_from_the_settings() -> None:
    settings = RuleSettings.from_mapping({"certificate_valid_months": 24})
    a = attempt(certificate_date=date(2024, 1, 1), settings=settings)
    assert "24" in fails(r.certificate_valid_on_vote, a, "certificate_valid_on_vote").en
    holds(r.certificate_valid_on_vote, replace(a, settings=DEFAULT_SETTINGS))


@pytest.mark.parametrize(
    ("dated", "fresh"),
    [
        (date(2025, 3, 10), True),  # 12 months before the vote
        (date(2025, 3, 9), False),  # 12 months and a day
    ],
)
def test_staleness_of_the_introductions(dated: date, fresh: bool) -> None:
    a = attempt(documents={**BASE.documents, "3-KNĐ": dated, "1-KNĐ": date(2020, 1, 1)})
    if fresh:
        holds(r.documents_fresh, a)  # the application itself does not go stale
    else:
        failure = fails(r.documents_fresh, a, "documents_fresh")
        assert "3-KNĐ" in failure.vi and "3-KNĐ" in failure.en
        assert "1-KNĐ" not in failure.en


def test_a_longer_staleness_period_from_the_settings() -> None:
    a = attempt(documents={**BASE.documents, "5-KNĐ": date(2024, 12, 1)})
    fails(r.documents_fresh, a, "documents_fresh")
    holds(r.documents_fresh, replace(a, settings=RuleSettings(staleness_months=18)))
