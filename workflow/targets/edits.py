"""The rules of the admins' target edits: who may hold which target, and the values allowed.

Refusals name the field (InvalidInput) with the texts below, which the web words in the user's
language.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from workflow import text as texts
from workflow.errors import InvalidInput
from workflow.people import Category
from workflow.states import OrgType, UnitKind
from workflow.targets.names import ALL_CATEGORIES, ALL_UNITS, METRIC_KIND, Metric, TargetKind

# The refusals' texts (the web translates them).
TARGET_EXISTS = "this organisation already has this target for the year"
WRONG_ORGANISATION = "this kind of organisation cannot hold this target"
BAD_VALUE = "a whole number from 0 to 9999"
BAD_PERCENT = "a percentage from 0 to 100, at most two decimals"
BAD_YEAR = "a year from 2000 to 2100"
UNKNOWN_CHOICE = "not one of the choices"
TOO_LONG = "too long"

#: The longest note a target keeps.
NOTE_MAX = 500
#: The organisations that may hold each metric.
HOLDERS: dict[str, tuple[str, ...]] = {
    Metric.admissions: (OrgType.committee, OrgType.cell),
    Metric.enterprise_share: (OrgType.committee,),
    Metric.introductions: (OrgType.mass,),
}
#: Every kind of organisation that may hold some target.
HOLDER_TYPES = frozenset(kind for kinds in HOLDERS.values() for kind in kinds)
UNIT_CHOICES = (ALL_UNITS, *(k.value for k in UnitKind))
CATEGORY_CHOICES = (ALL_CATEGORIES, *(c.value for c in Category))


def parse_value(metric: str, raw: object) -> Decimal:
    """A target's value: a whole count, or a percentage with at most two decimals."""
    percentage = METRIC_KIND.get(metric) == TargetKind.percentage
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        value = Decimal("NaN")
    if percentage:
        if (
            not value.is_finite()
            or not 0 <= value <= 100
            or value != value.quantize(Decimal("0.01"))
        ):
            raise InvalidInput("value", BAD_PERCENT)
        return value.quantize(Decimal("0.01"))
    if not value.is_finite() or value != value.to_integral_value() or not 0 <= value <= 9999:
        raise InvalidInput("value", BAD_VALUE)
    return value.quantize(Decimal(1))


def check_note(note: str | None) -> str | None:
    """The note trimmed (``None`` when blank); refused over ``NOTE_MAX`` characters."""
    text = (note or "").strip()
    texts.check_characters("note", text)
    if len(text) > NOTE_MAX:
        raise InvalidInput("note", TOO_LONG)
    return text or None


def check_year(year: object) -> int:
    """A target's year: from 2000 to 2100."""
    try:
        value = int(str(year))
    except ValueError:
        value = 0
    if not 2000 <= value <= 2100:
        raise InvalidInput("year", BAD_YEAR)
    return value


def check_metric(metric: str, unit_kind: str | None) -> str:
    """The metric is known; returns the unit kind it counts (only admissions count one kind)."""
    if metric not in HOLDERS:
        raise InvalidInput("metric", UNKNOWN_CHOICE)
    unit = unit_kind or ALL_UNITS
    if unit not in UNIT_CHOICES or (metric != Metric.admissions and unit != ALL_UNITS):
        raise InvalidInput("unit_kind", UNKNOWN_CHOICE)
    return unit


def check_category(metric: str, category: str | None) -> str:
    """Who the target counts: everyone, or one category of person (admissions only)."""
    chosen = category or ALL_CATEGORIES
    if chosen not in CATEGORY_CHOICES or (metric != Metric.admissions and chosen != ALL_CATEGORIES):
        raise InvalidInput("category", UNKNOWN_CHOICE)
    return chosen


def check_holder(metric: str, org_type: str) -> None:
    """The organisation's kind may hold `metric`."""
    if org_type not in HOLDERS[metric]:
        raise InvalidInput("organisation", WRONG_ORGANISATION)
