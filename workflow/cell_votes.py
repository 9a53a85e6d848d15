"""The vote an action records, counted before the rules judge it; and what recognition dates.

The cell's vote record holds the official members on the vote date, those exempted from activity
(miễn sinh hoạt) who did not attend, those present, for and against (Hướng dẫn 12-HD/BTCTW); its
2/3 counts against the official members less the exempted absent. Whoever records the vote types
these numbers; the member register's count on that date (``CellRoll``, from the case
repository's ``cell_roll``) travels with the vote so that ``cell_vote_counts`` can compare them.
The grassroots committee's vote counts against the committee's size.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from workflow.dates import add_months
from workflow.facts import CaseFacts, CellRoll, VoteFacts
from workflow.rules.votes import carried, failed_recognition_votes
from workflow.settings import RuleSettings
from workflow.states import Trigger, VoteBody

#: The roll of a cell on a date: ``CaseRepository.cell_roll``.
RollOf = Callable[[int, date], CellRoll]


def resolve_vote(
    values: dict[str, Any],
    facts: CaseFacts,
    body: VoteBody | None,
    roll_of: RollOf,
    settings: RuleSettings,
    action: str,
) -> dict[str, Any]:
    """`values` with the vote counted (``vote``), the register's count of the cell on the vote
    date, whether this vote sends the case to the higher committee, and, for ``recognize``, the
    day the member is official from."""
    values = dict(values)
    if action == Trigger.recognize and facts.ceremony_on is not None:
        # Official from the end of probation, as 16-KNĐ states; not from the decision's date.
        values["official_since"] = add_months(facts.ceremony_on, settings.probation_months)
    if body == VoteBody.recognition and values.get("votes_for") is None:
        # The cell may have voted before (13-KNĐ, recorded as a fact): that vote is judged.
        recorded = facts.votes.get(VoteBody.recognition)
        if recorded is not None:
            values.update(vote=recorded, vote_date=recorded.held_on, vote_on_file=True)
            return values
    if body == VoteBody.grassroots and not facts.has_grassroots_committee:
        # A chi bộ cơ sở sends its resolution straight up: no committee between votes on it.
        for name in ("vote_date", "votes_for", "votes_against"):
            values.pop(name, None)
        return values
    if body is None or values.get("vote_date") is None or values.get("votes_for") is None:
        return values
    held, votes_for = values["vote_date"], values["votes_for"]
    against = values.get("votes_against") or 0
    if body == VoteBody.grassroots:
        size = facts.grassroots_committee_size
        values["vote"] = VoteFacts(body, held, votes_for, against, size)
        return values
    roll = roll_of(facts.cell_id, held)
    official = values.get("official_members")
    if official is None:
        official = values["official_members"] = roll.official  # not typed: the register's
    excused = values.get("excused_absent") or 0
    vote = VoteFacts(
        body,
        held,
        votes_for,
        against,
        max(official - excused, 0),
        official_members=official,
        excused_absent=excused,
        present=values.get("present"),
        roll=roll,
    )
    values["vote"] = vote
    if body == VoteBody.recognition and action == "recognition_vote":
        failed = failed_recognition_votes(facts, settings)
        if not carried(vote, settings.vote_threshold) and failed + 1 >= (
            settings.recognition_vote_attempts
        ):
            values["referred_to_higher_committee"] = True
    return values
