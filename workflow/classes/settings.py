"""What the client configures about classes, the certificate numbers, the class events."""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from workflow.settings_check import section

#: Events of classes, as the history names them.
ACTIONS = (
    "class_schedule",
    "class_enrol",
    "class_cancel_enrolment",
    "class_attendance",
    "class_issue_certificates",
)


@dataclass(frozen=True)
class ClassSettings:
    """What the client may configure (``[classes]`` of ``hoso.toml``)."""

    #: Names the rules in the history's ``ruleset`` column of class events (bump on change).
    version: str = "classes.2026.1"
    #: The share of the sessions a candidate must attend to finish.
    attendance_share: Fraction = Fraction(1)
    #: A certificate's number: ``{year}`` of the certificate date and the centre's ``{seq}``.
    certificate_pattern: str = "CN-{year}-{seq:04d}"
    max_capacity: int = 200

    def __post_init__(self) -> None:
        if not 0 < self.attendance_share <= 1:
            raise ValueError("attendance_share must be above 0 and at most 1")
        if self.max_capacity < 1:
            raise ValueError("max_capacity must be at least 1")
        certificate_number(self.certificate_pattern, 2026, 1)  # refuses a bad pattern

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> ClassSettings:
        """Settings from a TOML table; unknown names, wrong types and impossible values refused."""
        return section(cls, values, "classes")


def certificate_number(pattern: str, year: int, seq: int) -> str:
    """The `seq`-th certificate of `year` under `pattern` (``CN-2026-0041``)."""
    names = {name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None}
    if "seq" not in names or not names <= {"year", "seq"}:
        raise ValueError("certificate_pattern takes {seq} and optionally {year}")
    number = pattern.format(year=year, seq=seq)
    if not number or len(number) > 50:
        raise ValueError("a certificate number has 1 to 50 characters")
    return number


DEFAULT_CLASS_SETTINGS = ClassSettings()
