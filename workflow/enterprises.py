"""The enterprise registry's rules: what an enterprise record holds and the values allowed.

The committee and the auditors read the enterprises kept by the committees in the scope of their
grants (``policy.scope(actor, Purpose.enterprises)``); admins also register and edit them within
theirs. Refusals name the field (InvalidInput) with the texts below, which the web words in the
user's language.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from workflow import text as texts
from workflow.errors import InvalidInput

SURVEY_STATUSES = ("not_surveyed", "surveyed", "plan_agreed")
TAX_CODE_RE = re.compile(r"\d{10}|\d{13}")
WORKFORCE_MAX = 1_000_000
NAME_MAX = 200
ADDRESS_MAX = 300
PLAN_MAX = 4000

# The refusals' texts (the web translates them).
REQUIRED = "required"
TOO_LONG = "too long"
TAX_CODE_FORM = "a tax code has 10 or 13 digits"
TAX_CODE_TAKEN = "an enterprise with this tax code is already registered"
WORKFORCE_RANGE = "a whole number from 0 to 1000000"
UNKNOWN_CHOICE = "not one of the choices"


def parse_tax_code(raw: str | None) -> str | None:
    """A tax code (mã số thuế): 10 digits, or 13 for a branch ("0101234567-001"); blank: none."""
    text = re.sub(r"[\s.-]", "", raw or "")
    if not text:
        return None
    if not TAX_CODE_RE.fullmatch(text):
        raise InvalidInput("tax_code", TAX_CODE_FORM)
    return text


def _text(field: str, raw: str | None, limit: int, required: bool = False) -> str | None:
    text = (raw or "").strip()
    texts.check_characters(field, text, one_line=field == "name")
    if required and not text:
        raise InvalidInput(field, REQUIRED)
    if len(text) > limit:
        raise InvalidInput(field, TOO_LONG)
    return text or None


def enterprise_values(
    *,
    name: str,
    tax_code: str | None = None,
    address: str | None = None,
    workforce: int | None = 0,
    cell_id: int | None = None,
    has_doan: bool = False,
    has_congdoan: bool = False,
    committee_id: int | None = None,
    survey_status: str = "not_surveyed",
    surveyed_on: date | None = None,
    plan: str | None = None,
) -> dict[str, Any]:
    """The checked fields of an enterprise record (texts trimmed, the tax code's digits)."""
    if workforce is None or not 0 <= workforce <= WORKFORCE_MAX:
        raise InvalidInput("workforce", WORKFORCE_RANGE)
    if survey_status not in SURVEY_STATUSES:
        raise InvalidInput("survey_status", UNKNOWN_CHOICE)
    if committee_id is None:
        raise InvalidInput("committee_id", REQUIRED)
    return {
        "name": _text("name", name, NAME_MAX, required=True),
        "tax_code": parse_tax_code(tax_code),
        "address": _text("address", address, ADDRESS_MAX),
        "workforce": workforce,
        "cell_id": cell_id,
        "has_doan": bool(has_doan),
        "has_congdoan": bool(has_congdoan),
        "committee_id": committee_id,
        "survey_status": survey_status,
        "surveyed_on": surveyed_on,
        "plan": _text("plan", plan, PLAN_MAX),
    }


def logged(values: dict[str, Any]) -> dict[str, Any]:
    """What the history keeps of an edit: the given values, dates as ISO text."""
    return {
        k: v.isoformat() if isinstance(v, date) else v for k, v in values.items() if v is not None
    }
