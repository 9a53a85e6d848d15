"""The votes: held on a real date, and carried by 2/3 of all who may vote."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

from workflow.errors import Failure
from workflow.facts import CaseFacts, VoteFacts
from workflow.rules.attempt import Attempt, day_text, fail
from workflow.settings import RuleSettings
from workflow.states import Trigger


def carried(vote: VoteFacts, threshold: Fraction) -> bool:
    """The vote reached `threshold` of those who may vote."""
    return vote.eligible > 0 and Fraction(vote.votes_for, vote.eligible) >= threshold


def failed_recognition_votes(facts: CaseFacts, settings: RuleSettings) -> int:
    """How many of the cell's recognition votes fell short of the threshold."""
    return sum(not carried(v, settings.vote_threshold) for v in facts.recognition_votes)


def referred_up(facts: CaseFacts, settings: RuleSettings) -> bool:
    """Three recognition votes failed: the higher committee decides, the cell votes no more."""
    return facts.recognition_referred_on is not None or (
        failed_recognition_votes(facts, settings) >= settings.recognition_vote_attempts
    )


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


def grassroots_vote_needed(facts: CaseFacts) -> bool:
    """A đảng ủy cơ sở sits between the cell and the deciding body on the day of the action:
    only then does it vote (8-KNĐ, 15-KNĐ); a chi bộ cơ sở sends its resolution straight up."""
    return facts.has_grassroots_committee


def vote_date_not_future(a: Attempt) -> Failure | None:
    """A vote cannot be recorded before it is held (``admit`` without a grassroots committee
    records no vote)."""
    held = a.fields.get("vote_date")
    if held is None and a.trigger == Trigger.admit and not grassroots_vote_needed(a.facts):
        return None
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
    """At least 2/3 of the grassroots committee's members vote for admission, where a
    grassroots committee sits between the cell and the deciding body."""
    if not grassroots_vote_needed(a.facts):
        return None
    return _vote_share_failure(
        grassroots_vote_two_thirds,
        a.fields.get("vote"),
        a.settings.vote_threshold,
        "đảng ủy cơ sở",
        "grassroots committee",
    )


def recognition_vote_two_thirds(a: Attempt) -> Failure | None:
    """At least 2/3 of the chi bộ's official members vote to recognise; after three failed
    votes the higher committee decides without a fourth (``no_fourth_recognition_vote``)."""
    if a.fields.get("vote_on_file") and referred_up(a.facts, a.settings):
        return None
    return _vote_share_failure(
        recognition_vote_two_thirds,
        a.fields.get("vote"),
        a.settings.vote_threshold,
        "chi bộ (công nhận chính thức)",
        "chi bộ recognition",
    )


def cell_vote_counts(a: Attempt) -> Failure | None:
    """The cell's vote record adds up: the official members on the vote date as the register
    counts them, the exempted-and-absent no more than the exempted, those present no more than
    those who could attend, those for and against no more than those present."""
    vote: VoteFacts | None = a.fields.get("vote")
    if vote is None or vote.official_members is None:
        return None  # the share rules say that the vote is missing
    on, official, excused = day_text(vote.held_on), vote.official_members, vote.excused_absent
    roll = vote.roll
    if roll is not None and official != roll.official:
        return fail(
            cell_vote_counts,
            f"Ngày {on} chi bộ có {roll.official} đảng viên chính thức theo danh sách đảng viên, "
            f"không phải {official}.",
            f"On {on} the cell had {roll.official} official members by its register, not "
            f"{official}.",
        )
    if roll is not None and excused > roll.excused:
        return fail(
            cell_vote_counts,
            f"Ngày {on} chi bộ chỉ có {roll.excused} đảng viên được miễn sinh hoạt, không thể có "
            f"{excused} người miễn sinh hoạt vắng mặt.",
            f"On {on} the cell had {roll.excused} members exempted from activity: {excused} "
            "exempted and absent is more than that.",
        )
    can_attend = official - excused
    if can_attend <= 0:
        return fail(
            cell_vote_counts,
            f"Không còn đảng viên nào để biểu quyết ({official} chính thức, {excused} miễn sinh "
            "hoạt vắng mặt).",
            f"Nobody is left to vote ({official} official, {excused} exempted and absent).",
        )
    present = vote.present if vote.present is not None else can_attend
    if present > can_attend:
        return fail(
            cell_vote_counts,
            f"Số có mặt {present} nhiều hơn số đảng viên chính thức trừ người miễn sinh hoạt "
            f"vắng mặt ({official} − {excused} = {can_attend}).",
            f"{present} present is more than the official members less the exempted absent "
            f"({official} − {excused} = {can_attend}).",
        )
    if vote.votes_for + vote.votes_against > present:
        return fail(
            cell_vote_counts,
            f"{vote.votes_for} tán thành và {vote.votes_against} không tán thành nhiều hơn "
            f"{present} đảng viên có mặt.",
            f"{vote.votes_for} for and {vote.votes_against} against is more than the {present} "
            "members present.",
        )
    return None


def no_fourth_recognition_vote(a: Attempt) -> Failure | None:
    """After three recognition votes short of 2/3, the case is the higher committee's: the
    cell holds no fourth vote."""
    if a.fields.get("vote_on_file") or not referred_up(a.facts, a.settings):
        return None
    attempts = a.settings.recognition_vote_attempts
    return fail(
        no_fourth_recognition_vote,
        f"Chi bộ đã biểu quyết {attempts} lần không đạt 2/3 đề nghị công nhận đảng viên chính "
        "thức: hồ sơ đã chuyển cấp ủy cấp trên xem xét, quyết định; không biểu quyết lần thứ "
        f"{attempts + 1}.",
        f"The cell voted {attempts} times without reaching 2/3 for recognition: the case is with "
        f"the higher committee, and the cell holds no vote number {attempts + 1}.",
    )
