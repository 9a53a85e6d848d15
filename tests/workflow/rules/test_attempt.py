"""Every rule of the definition fails with a name and two languages; evaluate; the vote date."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from tests.workflow.rules.attempts import VOTE_DAY, A, attempt, fails
from workflow import rules as r
from workflow.definition import TRANSITIONS
from workflow.facts import Actor, VerificationFacts, VoteFacts
from workflow.rules import Attempt
from workflow.states import VoteBody

# One failing attempt for each rule a transition uses.
FAILING: dict[str, Attempt] = {
    "person_valid": attempt(),
    "single_open_case": attempt(has_other_open_case=True),
    "source_recorded": attempt(),
    "mentor_official_member_of_cell": attempt(),
    "mentor_not_candidate": attempt(fields={"mentor": replace(A, person_id=500)}),
    "certificate_recorded": attempt(),
    "certificate_fresh": attempt(fields={"certificate_date": date(2000, 1, 1)}),
    "vote_date_not_future": attempt(vote_date=None),
    "age_in_range": attempt(birth_date=date(2010, 1, 1)),
    "introducers": attempt(introductions=()),
    "cell_vote_two_thirds": attempt(),
    "dossier_forms_present": attempt(documents={}),
    "certificate_valid_on_vote": attempt(certificate_date=None),
    "documents_fresh": attempt(documents={"3-KNĐ": date(2020, 1, 1)}),
    "reason_given": attempt(),
    "grassroots_vote_two_thirds": attempt(),
    "decision_recorded": attempt(),
    "four_eyes": attempt(actor=Actor(10, "sec")),
    "ceremony_recorded": attempt(ceremony_on=None),
    "probation_complete": attempt(ceremony_on=VOTE_DAY),
    "recognition_vote_two_thirds": attempt(),
    "recognition_forms_present": attempt(documents={}),
    "education_floor": attempt(education=None),
    "cell_vote_counts": attempt(
        fields={"vote": VoteFacts(VoteBody.cell, VOTE_DAY, 5, 0, 0, official_members=0)}
    ),
    "no_fourth_recognition_vote": attempt(recognition_referred_on=VOTE_DAY),
    "verification_favourable": attempt(verification=VerificationFacts(requests=1, unanswered=1)),
}
RULES = {rule.__name__: rule for spec in TRANSITIONS for rule in spec.rules}


def test_every_rule_of_the_definition_has_a_failing_example() -> None:
    assert set(RULES) == set(FAILING)


@pytest.mark.parametrize("name", sorted(FAILING))
def test_every_rule_names_itself_in_both_languages(name: str) -> None:
    fails(RULES[name], FAILING[name], name)


def test_evaluate_reports_every_failure_in_order() -> None:
    a = attempt(has_other_open_case=True)
    failures = r.evaluate((r.person_valid, r.single_open_case, r.source_recorded), a)
    assert [f.rule for f in failures] == ["person_valid", "single_open_case", "source_recorded"]
    assert r.evaluate((r.single_open_case,), attempt()) == []


def test_the_vote_date_defaults_to_today() -> None:
    assert attempt(vote_date=None, today=date(2026, 5, 1)).vote_date == date(2026, 5, 1)
