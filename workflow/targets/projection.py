"""The small formulas: rounding, shares, how much of the year has gone, the projection and
the verdicts on each kind of target (docs/targets.md explains them)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from fractions import Fraction

from workflow.targets.names import Phase, Status
from workflow.targets.settings import TargetSettings


def round_half_up(value: Fraction, places: int = 1) -> Decimal:
    """`value` rounded half away from zero to `places` decimals (2.05 → 2.1, 1.96 → 2.0)."""
    scale = 10**places
    magnitude = math.floor(abs(value) * scale + Fraction(1, 2))
    return (Decimal(-magnitude if value < 0 else magnitude) / scale).quantize(
        Decimal(1).scaleb(-places)
    )


def percent(part: int | Fraction, whole: int | Fraction) -> Fraction | None:
    """`part` of `whole` in per cent, exactly; ``None`` when `whole` is 0 (undefined)."""
    if not whole:
        return None
    return Fraction(part) * 100 / Fraction(whole)


def phase_of(year: int, today: date) -> Phase:
    if year < today.year:
        return Phase.past
    return Phase.current if year == today.year else Phase.future


def year_elapsed(year: int, today: date) -> Fraction:
    """How much of `year` has gone by on `today` (0 before it, 1 after it)."""
    if year < today.year:
        return Fraction(1)
    if year > today.year:
        return Fraction(0)
    days = (date(year, 12, 31) - date(year, 1, 1)).days + 1
    return Fraction(today.timetuple().tm_yday, days)


def expected(pipeline: Mapping[str, int], settings: TargetSettings) -> Fraction:
    """Admissions expected from the pipeline by the year's end: Σ rate(state) × cases(state)."""
    return sum(
        (settings.conversion.get(state, Fraction(0)) * n for state, n in pipeline.items()),
        Fraction(0),
    )


def judge_count(
    target: Decimal,
    reached: int,
    projection: Fraction,
    ripe: int,
    phase: Phase,
    elapsed: Fraction,
    settings: TargetSettings,
) -> Status:
    """The verdict on a count target (admissions)."""
    if reached >= target:
        return Status.met
    if phase is Phase.past:
        return Status.missed
    late = elapsed > settings.late_in_year
    if projection < target or (late and ripe == 0):
        return Status.at_risk
    return Status.on_track


def judge_pace(target: Decimal, reached: int, phase: Phase, elapsed: Fraction) -> Status:
    """The verdict on a quota that is met evenly over the year (introductions)."""
    if reached >= target:
        return Status.met
    if phase is Phase.past:
        return Status.missed
    return Status.on_track if reached >= Fraction(target) * elapsed else Status.at_risk


def judge_share(
    target: Decimal, exact: Fraction | None, projected: Fraction | None, phase: Phase
) -> Status:
    """The verdict on a percentage: the exact fraction is compared, never the rounded one.

    With no admission at all the share is undefined: met only by a target of 0.
    """
    goal = Fraction(target)
    reached = exact is not None and exact >= goal
    if goal <= 0:
        return Status.met
    if phase is Phase.past:
        return Status.met if reached else Status.missed
    holds = projected is not None and projected >= goal
    if reached and holds:
        return Status.met
    return Status.on_track if holds else Status.at_risk
