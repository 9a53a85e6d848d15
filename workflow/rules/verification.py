"""The biography verification (thẩm tra lý lịch) before the cell's vote."""

from __future__ import annotations

from workflow.errors import Failure
from workflow.rules.attempt import Attempt, day_text, fail


def verification_favourable(a: Attempt) -> Failure | None:
    """The committee concluded the biography verification, favourably, by the cell's vote.

    Required once a verification is on file, and for every vote from the setting
    ``verification_required_from`` on (by default the reform, 01/07/2025; dossiers voted
    earlier were verified on paper).
    """
    v = a.facts.verification
    started = v is not None and (v.requests > 0 or v.concluded_on is not None)
    required_from = a.settings.verification_required_from
    if not started and (required_from is None or a.vote_date < required_from):
        return None
    if v is None or v.concluded_on is None:
        waiting = v.unanswered if v is not None else 0
        return fail(
            verification_favourable,
            "Chưa có kết luận thẩm tra lý lịch của cấp ủy"
            + (f" (còn {waiting} nơi chưa trả lời)." if waiting else "."),
            "The committee has not concluded the biography verification"
            + (f" ({waiting} request(s) unanswered)." if waiting else "."),
        )
    if not v.favourable:
        return fail(
            verification_favourable,
            f"Cấp ủy kết luận thẩm tra lý lịch ngày {day_text(v.concluded_on)} là không tốt.",
            f"The committee concluded on {day_text(v.concluded_on)} that the biography "
            "verification is not favourable.",
        )
    if v.concluded_on > a.vote_date:
        return fail(
            verification_favourable,
            f"Kết luận thẩm tra lý lịch ngày {day_text(v.concluded_on)} sau ngày chi bộ biểu quyết "
            f"{day_text(a.vote_date)}.",
            f"The verification was concluded on {day_text(v.concluded_on)}, after the cell's vote "
            f"of {day_text(a.vote_date)}.",
        )
    return None
