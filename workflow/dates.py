"""Calendar arithmetic the rules count in: whole months, with the end-of-month convention."""

from __future__ import annotations

import calendar
from datetime import date
from zoneinfo import ZoneInfo

#: The local calendar the rules count days in.
LOCAL_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the month's last day when that day does not exist.

    A person born on 29 February is thus 18 on 28 February of a common year: a period counted in
    months ends on the corresponding day, or the month's last day where there is none.
    """
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def full_months(start: date, on: date) -> int:
    """How many whole months have passed from `start` to `on` (0 if `on` is before `start`)."""
    if on < start:
        return 0
    months = (on.year - start.year) * 12 + (on.month - start.month)
    if add_months(start, months) > on:
        months -= 1
    return months


def full_years(start: date, on: date) -> int:
    """Age in whole years, counted through whole months."""
    return full_months(start, on) // 12
