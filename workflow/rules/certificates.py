"""Papers that age: the awareness-class certificate, and introductions gone stale by the vote."""

from __future__ import annotations

from datetime import date

from workflow.dates import add_months
from workflow.errors import Failure
from workflow.rules.attempt import Attempt, day_text, fail


def certificate_recorded(a: Attempt) -> Failure | None:
    """The certificate's number and date are given, and the date is not in the future."""
    number = (a.fields.get("certificate_number") or "").strip()
    issued = a.fields.get("certificate_date")
    if not number or issued is None:
        return fail(
            certificate_recorded,
            "Chưa ghi số và ngày cấp giấy chứng nhận học lớp nhận thức về Đảng.",
            "The awareness-class certificate's number and date are missing.",
        )
    if issued > a.today:
        return fail(
            certificate_recorded,
            f"Ngày cấp giấy chứng nhận {day_text(issued)} ở tương lai.",
            f"The certificate date {day_text(issued)} is in the future.",
        )
    return None


def _certificate_expired(issued: date, on: date, months: int) -> bool:
    return add_months(issued, months) < on


def certificate_fresh(a: Attempt) -> Failure | None:
    """A certificate older than its validity cannot be recorded."""
    issued = a.fields.get("certificate_date")
    months = a.settings.certificate_valid_months
    if issued is not None and _certificate_expired(issued, a.today, months):
        return fail(
            certificate_fresh,
            f"Giấy chứng nhận cấp ngày {day_text(issued)} đã quá {months} tháng.",
            f"The certificate of {day_text(issued)} is older than {months} months.",
        )
    return None


def certificate_valid_on_vote(a: Attempt) -> Failure | None:
    """The certificate is still valid on the date of the chi bộ vote."""
    issued = a.facts.certificate_date
    months = a.settings.certificate_valid_months
    if issued is None:
        return fail(
            certificate_valid_on_vote,
            "Chưa có giấy chứng nhận học lớp nhận thức về Đảng.",
            "There is no awareness-class certificate on file.",
        )
    if _certificate_expired(issued, a.vote_date, months):
        return fail(
            certificate_valid_on_vote,
            f"Giấy chứng nhận cấp ngày {day_text(issued)} đã hết hạn {months} tháng vào ngày biểu "
            f"quyết {day_text(a.vote_date)}.",
            f"The certificate of {day_text(issued)} is older than {months} months on the vote date "
            f"{day_text(a.vote_date)}.",
        )
    return None


def documents_fresh(a: Attempt) -> Failure | None:
    """Introductions and opinion summaries older than 12 months at the vote must be redone."""
    months = a.settings.staleness_months
    stale = [
        code
        for code in a.settings.stale_forms
        if code in a.facts.documents and add_months(a.facts.documents[code], months) < a.vote_date
    ]
    if stale:
        return fail(
            documents_fresh,
            f"Quá {months} tháng chưa biểu quyết, phải làm lại: {', '.join(stale)}.",
            f"Older than {months} months at the vote, must be redone: {', '.join(stale)}.",
        )
    return None
