"""The numbers of the rules that the client may change: configuration, not code.

Defaults follow domain.md; an instance overrides them in its ``hoso.toml`` (section ``[rules]``).
Any change of a value that judges cases must bump ``version`` so that events stay explainable.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from datetime import date
from fractions import Fraction
from typing import Any

#: The codes of the forms a rule may require (Hướng dẫn 12-HD/BTCTW).
DOSSIER_FORMS = ("1-KNĐ", "2-KNĐ", "3-KNĐ", "5-KNĐ", "6-KNĐ")
YOUTH_FORMS = ("4-KNĐ", "4A-KNĐ")
RECOGNITION_FORMS = ("10-KNĐ", "11-KNĐ", "12-KNĐ", "13-KNĐ", "15-KNĐ")
#: Forms that go stale when the chi bộ has not voted within the staleness period.
STALE_FORMS = ("3-KNĐ", "4-KNĐ", "4A-KNĐ", "5-KNĐ")


@dataclass(frozen=True)
class RuleSettings:
    """Every threshold the eligibility rules use."""

    version: str = "2024.1"
    min_age_months: int = 18 * 12
    max_age_months: int = 60 * 12
    youth_max_age_years: int = 30
    introducer_known_months: int = 12
    introducers_required: int = 2
    vote_threshold: Fraction = Fraction(2, 3)
    certificate_valid_months: int = 60
    staleness_months: int = 12
    probation_months: int = 12
    #: Not confirmed by the client: whether members excused from activity (miễn sinh hoạt)
    #: count among "all official members" of the cell.
    count_excused_members: bool = True
    dossier_forms: tuple[str, ...] = DOSSIER_FORMS
    youth_forms: tuple[str, ...] = YOUTH_FORMS
    recognition_forms: tuple[str, ...] = RECOGNITION_FORMS
    stale_forms: tuple[str, ...] = STALE_FORMS
    #: Working-day limits of the deadlines (domain.md).
    deadlines: dict[str, int] = field(
        default_factory=lambda: {
            "decision": 60,
            "decision_extension": 30,
            "ceremony": 30,
            "recognition_vote": 30,
            "recognition_decision": 30,
        }
    )

    #: Corrections to the public-holiday calendar (``[calendar]`` in hoso.toml): a day off decreed
    #: late, a make-up Saturday.
    extra_closed_days: tuple[date, ...] = ()
    extra_working_days: tuple[date, ...] = ()

    @classmethod
    def from_mapping(cls, values: dict[str, Any]) -> RuleSettings:
        """Build settings from a TOML table, refusing names that do not exist."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(f"unknown rule settings: {', '.join(unknown)}")
        converted = dict(values)
        if "vote_threshold" in converted:
            converted["vote_threshold"] = Fraction(str(converted["vote_threshold"]))
        for name in ("extra_closed_days", "extra_working_days"):
            if name in converted:
                days = converted[name]
                if not all(isinstance(d, date) for d in days):
                    raise ValueError(f"{name} must be a list of dates (e.g. [2026-01-02])")
                converted[name] = tuple(days)
        for name in ("dossier_forms", "youth_forms", "recognition_forms", "stale_forms"):
            if name in converted:
                converted[name] = tuple(converted[name])
        if "deadlines" in converted:
            converted["deadlines"] = {**cls().deadlines, **converted["deadlines"]}
        return replace(cls(), **converted)


DEFAULT_SETTINGS = RuleSettings()
