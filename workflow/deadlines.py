"""Legal deadlines of a case, counted in Vietnamese working days.

A working day is Monday to Friday, less the public holidays (Tết Nguyên Đán, Giỗ Tổ, 30/4, 1/5,
2/9...) and their substitute days as the ``holidays`` package knows them, plus the Saturdays the
government decrees as make-up working days. Deadlines are plain data: the web and the reports
decide how to show them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import cache, lru_cache

import holidays

from workflow.dates import add_months
from workflow.settings import RuleSettings
from workflow.states import State

_DAY = timedelta(days=1)


@cache
def _public_calendar(year: int) -> tuple[frozenset[date], frozenset[date]]:
    """The public holidays of a year and its make-up Saturdays, built once per process."""
    # Building a holidays object costs about a millisecond; a report asks thousands of times.
    known = holidays.country_holidays("VN", years=year)
    closed = frozenset(known)
    # A swap (2/5/2025 off, Saturday 26/4/2025 worked) may be decreed in the year before, so the
    # package lists make-up Saturdays of every year: keep this year's.
    working = frozenset(d for d in known.weekend_workdays if d.year == year)
    return closed, working


class WorkingCalendar:
    """Working days: Monday–Friday less Vietnamese public holidays, with local corrections."""

    def __init__(
        self, extra_closed_days: Iterable[date] = (), extra_working_days: Iterable[date] = ()
    ) -> None:
        # Corrections for what the package does not know yet: a day off decreed late, or a
        # make-up Saturday; they win over the package.
        self.extra_closed_days = frozenset(extra_closed_days)
        self.extra_working_days = frozenset(extra_working_days)
        both = self.extra_closed_days & self.extra_working_days
        if both:
            listed = ", ".join(d.isoformat() for d in sorted(both))
            raise ValueError(f"days both closed and working: {listed}")

    def is_working_day(self, day: date) -> bool:
        """Whether offices work on `day`."""
        if day in self.extra_closed_days:
            return False
        if day in self.extra_working_days:
            return True
        closed, working = _public_calendar(day.year)
        if day.weekday() >= 5:
            return day in working
        return day not in closed

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after `start` (`start` itself never counts); `start` if n is 0."""
        if n < 0:
            raise ValueError(f"cannot count {n} working days: deadlines run forward")
        day = start
        while n:
            day += _DAY
            if self.is_working_day(day):
                n -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end`; negative if `end` < `start`."""
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        day = start + _DAY
        while day <= end:
            count += self.is_working_day(day)
            day += _DAY
        return count


class DeadlineStatus(StrEnum):
    """How close a deadline is."""

    open = "open"
    due_soon = "due_soon"
    overdue = "overdue"


@dataclass(frozen=True)
class Deadline:
    """When an act of the procedure is due, and the date the period counts from."""

    name: str
    due: date
    vi: str
    en: str
    basis: date

    def days_left(self, calendar: WorkingCalendar, today: date) -> int:
        """Working days left until `due` (0 on the day itself); negative once past."""
        if today > self.due:
            # Missed on the Saturday after a Friday deadline, though no working day has gone by:
            # a late deadline is never shown with 0 days left.
            return -max(1, calendar.working_days_between(self.due, today))
        return calendar.working_days_between(today, self.due)

    def status(self, calendar: WorkingCalendar, today: date, *, soon: int = 5) -> DeadlineStatus:
        """Overdue once past, due soon within `soon` working days, open otherwise."""
        left = self.days_left(calendar, today)
        if left < 0:
            return DeadlineStatus.overdue
        if left <= soon:
            return DeadlineStatus.due_soon
        return DeadlineStatus.open


LABELS: dict[str, tuple[str, str]] = {
    "decision": ("Quyết định kết nạp", "Admission decision"),
    "ceremony": ("Tổ chức lễ kết nạp", "Admission ceremony"),
    "probation_end": ("Hết thời gian dự bị", "End of probation"),
    "recognition_vote": ("Chi bộ xét công nhận chính thức", "Cell vote on full membership"),
    "recognition_decision": ("Quyết định công nhận chính thức", "Decision on full membership"),
    "verification_answer": ("Trả lời thẩm tra lý lịch", "Answer to the biography verification"),
}

#: The states in which a verification's requests wait for answers (``workflow.verification``).
_VERIFYING = frozenset({State.mentored, State.trained, State.returned})


def _deadline(name: str, due: date, basis: date) -> Deadline:
    vi, en = LABELS[name]
    return Deadline(name=name, due=due, vi=vi, en=en, basis=basis)


def case_deadlines(
    calendar: WorkingCalendar,
    settings: RuleSettings,
    *,
    state: str,
    cell_vote_date: date | None = None,
    extension_days: int = 0,
    decision_received: date | None = None,
    ceremony_on: date | None = None,
    recognition_vote_date: date | None = None,
    verification_sent_on: date | None = None,
) -> list[Deadline]:
    """The deadlines still pending for a case in `state`, earliest first.

    A deadline is listed while the act it governs is not recorded: the ceremony until
    `ceremony_on` is given, the recognition vote (and the end of probation it follows) until
    `recognition_vote_date` is given; the answers to a biography verification while its oldest
    unanswered request (`verification_sent_on`) waits.
    """
    limits = settings.deadlines
    max_extension = limits["decision_extension"]
    if not 0 <= extension_days <= max_extension:
        raise ValueError(
            f"the decision may be extended by 0 to {max_extension} working days,"
            f" not {extension_days}"
        )
    found: list[Deadline] = []
    if state in _VERIFYING and verification_sent_on is not None:
        # The oldest unanswered request of a verification under way (none once concluded).
        due = calendar.add_working_days(verification_sent_on, limits["verification_answer"])
        found.append(_deadline("verification_answer", due, verification_sent_on))
    if state == State.dossier_submitted and cell_vote_date is not None:
        due = calendar.add_working_days(cell_vote_date, limits["decision"] + extension_days)
        found.append(_deadline("decision", due, cell_vote_date))
    if state == State.admitted:
        if ceremony_on is None and decision_received is not None:
            due = calendar.add_working_days(decision_received, limits["ceremony"])
            found.append(_deadline("ceremony", due, decision_received))
        if ceremony_on is not None and recognition_vote_date is None:
            # Probation is counted in calendar months, the vote after it in working days.
            end = add_months(ceremony_on, settings.probation_months)
            found.append(_deadline("probation_end", end, ceremony_on))
            due = calendar.add_working_days(end, limits["recognition_vote"])
            found.append(_deadline("recognition_vote", due, end))
        if recognition_vote_date is not None:
            due = calendar.add_working_days(recognition_vote_date, limits["recognition_decision"])
            found.append(_deadline("recognition_decision", due, recognition_vote_date))
    return sorted(found, key=lambda d: d.due)


@lru_cache(maxsize=8)
def _calendar(closed: tuple[date, ...], working: tuple[date, ...]) -> WorkingCalendar:
    return WorkingCalendar(closed, working)


def calendar_for(settings: RuleSettings) -> WorkingCalendar:
    """The working calendar with the instance's corrections, built once per set of them."""
    return _calendar(settings.extra_closed_days, settings.extra_working_days)
