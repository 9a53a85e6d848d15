"""The vote rules at their boundaries: 2/3 of all who may vote, held on a real date."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from tests.workflow.rules.attempts import VOTE_DAY, attempt, fails, holds
from workflow import rules as r
from workflow.facts import VoteFacts
from workflow.rules import Attempt, Rule
from workflow.settings import RuleSettings
from workflow.states import VoteBody

VOTES = [
    (r.cell_vote_two_thirds, "cell_vote_two_thirds", VoteBody.cell),
    (r.grassroots_vote_two_thirds, "grassroots_vote_two_thirds", VoteBody.grassroots),
    (r.recognition_vote_two_thirds, "recognition_vote_two_thirds", VoteBody.recognition),
]


def voted(body: VoteBody, votes_for: int, against: int, eligible: int, **kw) -> Attempt:
    return attempt(fields={"vote": VoteFacts(body, VOTE_DAY, votes_for, against, eligible)}, **kw)


@pytest.mark.parametrize(("rule", "name", "body"), VOTES)
@pytest.mark.parametrize(
    ("votes_for", "against", "eligible", "passes"),
    [
        (6, 0, 9, True),  # exactly 2/3
        (6, 3, 9, True),
        (5, 0, 9, False),  # just under
        (5, 4, 9, False),
        (2, 1, 3, True),
        (1, 0, 3, False),
        (9, 0, 9, True),
        (6, 4, 9, False),  # 10 votes cast out of 9 who may vote
        (10, 0, 9, False),
        (0, 0, 0, False),  # nobody may vote
    ],
)
def test_two_thirds_of_all_who_may_vote(
    rule: Rule, name: str, body: VoteBody, votes_for: int, against: int, eligible: int, passes: bool
) -> None:
    a = voted(body, votes_for, against, eligible)
    if passes:
        holds(rule, a)
    else:
        fails(rule, a, name)


@pytest.mark.parametrize(("rule", "name", "body"), VOTES)
def test_a_vote_must_be_recorded(rule: Rule, name: str, body: VoteBody) -> None:
    fails(rule, attempt(), name)


def test_the_message_gives_the_count_and_the_threshold() -> None:
    failure = fails(r.cell_vote_two_thirds, voted(VoteBody.cell, 5, 0, 9), "cell_vote_two_thirds")
    assert "5/9" in failure.vi and "2/3" in failure.vi
    assert "5 of 9" in failure.en and "2/3" in failure.en


def test_a_threshold_of_three_quarters_from_the_settings() -> None:
    settings = RuleSettings.from_mapping({"vote_threshold": "3/4", "version": "2026.1"})
    assert settings.vote_threshold == Fraction(3, 4)
    holds(r.cell_vote_two_thirds, voted(VoteBody.cell, 6, 0, 9))
    failure = fails(
        r.cell_vote_two_thirds,
        voted(VoteBody.cell, 6, 0, 9, settings=settings),
        "cell_vote_two_thirds",
    )
    assert "3/4" in failure.en
    holds(r.cell_vote_two_thirds, voted(VoteBody.cell, 7, 0, 9, settings=settings))


def test_vote_date_not_future() -> None:
    fails(r.vote_date_not_future, attempt(vote_date=None), "vote_date_not_future")
    fails(r.vote_date_not_future, attempt(vote_date=date(2026, 3, 11)), "vote_date_not_future")
    holds(r.vote_date_not_future, attempt())
