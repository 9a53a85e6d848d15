"""Whole months with the end-of-month convention, around month ends and leap years."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from workflow.dates import add_months, full_months, full_years


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap year
        (date(2024, 1, 31), 2, date(2024, 3, 31)),  # counted from the start, not step by step
        (date(2024, 3, 31), 1, date(2024, 4, 30)),
        (date(2024, 3, 31), -1, date(2024, 2, 29)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2024, 12, 15), 1, date(2025, 1, 15)),
        (date(2025, 1, 15), -1, date(2024, 12, 15)),
        (date(2024, 11, 30), 3, date(2025, 2, 28)),
        (date(2024, 5, 17), 0, date(2024, 5, 17)),
        (date(1966, 3, 10), 720, date(2026, 3, 10)),
    ],
)
def test_add_months(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    ("start", "on", "expected"),
    [
        (date(2023, 1, 31), date(2023, 2, 27), 0),
        (date(2023, 1, 31), date(2023, 2, 28), 1),  # the month's last day stands in for the 31st
        (date(2024, 1, 31), date(2024, 2, 28), 0),
        (date(2024, 1, 31), date(2024, 2, 29), 1),
        (date(2024, 1, 30), date(2024, 2, 29), 1),
        (date(2024, 1, 31), date(2024, 3, 30), 1),
        (date(2024, 1, 31), date(2024, 3, 31), 2),
        (date(2024, 5, 17), date(2024, 5, 17), 0),
        (date(2024, 5, 17), date(2024, 5, 16), 0),  # before the start
        (date(2024, 5, 17), date(2025, 5, 16), 11),
        (date(2024, 5, 17), date(2025, 5, 17), 12),
    ],
)
def test_full_months(start: date, on: date, expected: int) -> None:
    assert full_months(start, on) == expected


@pytest.mark.parametrize(
    ("born", "on", "years"),
    [
        (date(2008, 2, 29), date(2026, 2, 27), 17),
        (date(2008, 2, 29), date(2026, 2, 28), 18),  # no 29 February in 2026
        (date(2008, 2, 29), date(2028, 2, 28), 19),  # 2028 has one: not yet 20
        (date(2008, 2, 29), date(2028, 2, 29), 20),
        (date(2008, 3, 10), date(2026, 3, 9), 17),
        (date(2008, 3, 10), date(2026, 3, 10), 18),
    ],
)
def test_full_years(born: date, on: date, years: int) -> None:
    assert full_years(born, on) == years


def test_full_months_agrees_with_add_months_every_day_of_a_leap_cycle() -> None:
    starts = [date(2023, 1, 28) + timedelta(days=d) for d in range(0, 1500, 7)]
    for start in starts:
        for offset in range(0, 800, 13):
            on = start + timedelta(days=offset)
            n = full_months(start, on)
            assert add_months(start, n) <= on < add_months(start, n + 1), (start, on, n)
