"""Admissions decided outside hoso: the rules of the yearly totals a committee enters.

Most of a district's new members are admitted by organisations that do not use hoso. Their
committee enters how many were admitted in a year, how many of them are workers of non-state
enterprises, and, when it knows it, the whole total by category; the 2% share and the yearly
statistics then measure the whole district (docs/statistics.md). Refusals name the field.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from workflow import text as texts
from workflow.errors import InvalidInput
from workflow.people import Category

#: The largest yearly total a committee may enter (a province admits a few thousand a year).
TOTAL_MAX = 99_999
#: The longest note kept.
NOTE_MAX = 500

BAD_COUNT = "a whole number from 0 to 99999"
MORE_WORKERS_THAN_TOTAL = "more enterprise workers than admitted in all"
BREAKDOWN_SUM = "the categories do not add up to the total"
BREAKDOWN_WORKERS = "the categories' enterprise workers differ from the number given"
UNKNOWN_CATEGORY = "not a category"
NOT_A_COMMITTEE = "only a party committee enters admissions outside hoso"
TOO_LONG = "too long"


def count(field: str, raw: Any) -> int:
    """A whole number from 0 to ``TOTAL_MAX``; refused naming `field`."""
    if isinstance(raw, bool):
        raise InvalidInput(field, BAD_COUNT)
    text = str(raw if raw is not None else "").strip()
    if not text.isdigit() or int(text) > TOTAL_MAX:
        raise InvalidInput(field, BAD_COUNT)
    return int(text)


def breakdown(raw: Mapping[str, Any] | None) -> dict[str, int] | None:
    """The counts by category (blank ones 0); ``None`` when nothing at all was given."""
    if not raw:
        return None
    given = {k: v for k, v in raw.items() if str(v if v is not None else "").strip() != ""}
    if not given:
        return None
    out = {c.value: 0 for c in Category}
    for name, value in given.items():
        if name not in out:
            raise InvalidInput(f"category_{name}", UNKNOWN_CATEGORY)
        out[name] = count(f"category_{name}", value)
    return out


def check_totals(
    total: Any, enterprise_workers: Any, by_category: Mapping[str, Any] | None
) -> tuple[int, int, dict[str, int] | None]:
    """The total, its enterprise workers and its breakdown, consistent with one another.

    With a breakdown, the enterprise workers may be left blank: they are the breakdown's.
    """
    whole = count("total", total)
    split = breakdown(by_category)
    blank = str(enterprise_workers if enterprise_workers is not None else "").strip() == ""
    if split is not None and blank:
        workers = split[Category.enterprise_worker.value]
    else:
        workers = count("enterprise_workers", enterprise_workers)
    if workers > whole:
        raise InvalidInput("enterprise_workers", MORE_WORKERS_THAN_TOTAL)
    if split is not None:
        if sum(split.values()) != whole:
            raise InvalidInput("by_category", BREAKDOWN_SUM)
        if split[Category.enterprise_worker.value] != workers:
            raise InvalidInput("enterprise_workers", BREAKDOWN_WORKERS)
    return whole, workers, split


def check_note(note: str | None) -> str | None:
    """The note trimmed (``None`` when blank); refused over ``NOTE_MAX`` characters."""
    text = (note or "").strip()
    texts.check_characters("note", text)
    if len(text) > NOTE_MAX:
        raise InvalidInput("note", TOO_LONG)
    return text or None
