"""The votes: held on a real date, and carried by 2/3 of all who may vote."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

from workflow.errors import Failure
from workflow.facts import VoteFacts
from workflow.rules.attempt import Attempt, day_text, fail


def _vote_share_failure(
    rule: Callable, vote: VoteFacts | None, threshold: Fraction, what_vi: str, what_en: str
) -> Failure | None:
    if vote is None:
        return fail(
            rule,
            f"Chưa ghi kết quả biểu quyết của {what_vi}.",
            f"The {what_en} vote is not recorded.",
        )
    if vote.eligible <= 0 or vote.votes_for + vote.votes_against > vote.eligible:
        return fail(
            rule,
            f"Kết quả biểu quyết của {what_vi} không hợp lệ ({vote.votes_for} tán thành, "
            f"{vote.votes_against} không tán thành trên {vote.eligible}).",
            f"The {what_en} vote does not add up ({vote.votes_for} for, {vote.votes_against} "
            f"against, of {vote.eligible}).",
        )
    if Fraction(vote.votes_for, vote.eligible) < threshold:
        return fail(
            rule,
            f"{what_vi.capitalize()} chỉ có {vote.votes_for}/{vote.eligible} tán thành, chưa đạt "
            f"{threshold.numerator}/{threshold.denominator}.",
            f"The {what_en} vote has {vote.votes_for} of {vote.eligible} in favour, under "
            f"{threshold.numerator}/{threshold.denominator}.",
        )
    return None


def vote_date_not_future(a: Attempt) -> Failure | None:
    """A vote cannot be recorded before it is held."""
    held = a.fields.get("vote_date")
    if held is None:
        return fail(vote_date_not_future, "Chưa ghi ngày biểu quyết.", "The vote date is missing.")
    if held > a.today:
        return fail(
            vote_date_not_future,
            f"Ngày biểu quyết {day_text(held)} ở tương lai.",
            f"The vote date {day_text(held)} is in the future.",
        )
    return None


def cell_vote_two_thirds(a: Attempt) -> Failure | None:
    """At least 2/3 of all official members of the chi bộ vote for admission."""
    return _vote_share_failure(
        cell_vote_two_thirds, a.fields.get("vote"), a.settings.vote_threshold, "chi bộ", "chi bộ"
    )


def grassroots_vote_two_thirds(a: Attempt) -> Failure | None:
    """At least 2/3 of the grassroots committee's members vote for admission."""
    return _vote_share_failure(
        grassroots_vote_two_thirds,
        a.fields.get("vote"),
        a.settings.vote_threshold,
        "đảng ủy cơ sở",
        "grassroots committee",
    )


def recognition_vote_two_thirds(a: Attempt) -> Failure | None:
    """At least 2/3 of the chi bộ's official members vote to recognise."""
    return _vote_share_failure(
        recognition_vote_two_thirds,
        a.fields.get("vote"),
        a.settings.vote_threshold,
        "chi bộ (công nhận chính thức)",
        "chi bộ recognition",
    )
