"""What a case may record in exception to a rule, and the checks of those facts before storing.

- ``over_age_approval``: the provincial committee's approval (number, date, body) of admitting a
  candidate over 60 on the vote date (``age_in_range``).
- ``education_exception``: a hardship area (mountain, island, ethnic-minority area) where the
  candidate may be admitted below lower-secondary education, with the reason (``education_floor``).
- an introduction by a replacement introducer the cell named (``replacement``), with its reason:
  no 12 months' acquaintance needed (``introducers``).

Each text has a maximum length (its column's), refused as bad input naming the field.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from workflow.errors import InvalidInput
from workflow.rules.person import EDUCATION, OVER_AGE

#: The kind stored for each fact (``case_exceptions.kind``).
KIND_OF_FACT = {"over_age_approval": OVER_AGE, "education_exception": EDUCATION}

#: The longest text each field may hold (the columns of migration 0015).
MAX_LENGTHS = {"number": 50, "issued_by": 200, "reason": 500, "replacement_reason": 500}


def _too_long(values: dict[str, Any]) -> None:
    for name, limit in MAX_LENGTHS.items():
        text = values.get(name)
        if isinstance(text, str) and len(text) > limit:
            raise InvalidInput(name, f"is longer than {limit} characters ({len(text)})")


def check_exception_fact(kind: str, values: dict[str, Any], today: date) -> None:
    """Refuse an exception or a replacement introduction that lacks what it must say."""
    if kind not in (*KIND_OF_FACT, "introduction"):
        return
    _too_long(values)
    if kind == "introduction":
        if values.get("replacement") and not (values.get("replacement_reason") or "").strip():
            raise InvalidInput(
                "replacement_reason",
                "a replacement introducer needs the cell's reason (moved, died, disciplined)",
            )
        if values.get("replacement") and values.get("kind") != "member":
            raise InvalidInput("replacement", "only a party member replaces an introducer")
        return
    if values["dated"] > today:
        raise InvalidInput("dated", "is in the future")
    if kind == "education_exception" and not (values.get("reason") or "").strip():
        raise InvalidInput("reason", "a hardship exception says why (the area, the situation)")
