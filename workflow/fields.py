"""Turning what a user typed into the typed values the rules judge; bad input names its field."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from workflow import text as texts
from workflow.definition import FieldSpec
from workflow.definition_fields import FIELD_LIMITS
from workflow.education import EducationLevel, parse_education
from workflow.errors import InvalidInput

_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
_TRUE = {"1", "true", "yes", "on", "có", "co"}
_FALSE = {"0", "false", "no", "off", "không", "khong", ""}


def parse_date(field: str, value: Any) -> date | None:
    """A date from a date, ``YYYY-MM-DD`` or ``dd/mm/yyyy``; empty is ``None``."""
    if value is None or isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, datetime):
        return value.date()
    text = str(value).strip()
    if not text:
        return None
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise InvalidInput(field, f"'{text}' is not a date (YYYY-MM-DD or dd/mm/yyyy)")


#: The largest whole number a field takes: every count, size, year and id is stored in a 32-bit
#: integer column, and a larger one would be a database error on PostgreSQL (a 500), not a
#: refusal. The rules then judge the numbers against each other (votes against members).
INT_MAX = 2**31 - 1


def _parse_int(field: str, value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value  # already a number (JSON, the CLI's callers): still bounded
    else:
        text = str(value).strip()
        if not text:
            return None
        # A long run of digits is refused by its size, before int() reads it (past 4,300 digits
        # int() fails as if it were no number).
        if len(text) > len(str(INT_MAX)) and text.isdigit():
            raise InvalidInput(field, f"must be at most {INT_MAX}")
        try:
            number = int(text)
        except ValueError:
            raise InvalidInput(field, f"'{text}' is not a whole number") from None
    if number < 0:
        raise InvalidInput(field, "must not be negative")
    if number > INT_MAX:
        raise InvalidInput(field, f"must be at most {INT_MAX}")
    return number


def _parse_bool(field: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value or "").strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise InvalidInput(field, f"'{value}' is not yes or no")


def parse_fields(specs: tuple[FieldSpec, ...], raw: Mapping[str, Any]) -> dict[str, Any]:
    """Parse `raw` against `specs`; unknown names and malformed values raise InvalidInput.

    Presence is the rules' business (so that a missing value is explained by its rule), except for
    fields marked ``required``, without which the action cannot even be judged.
    """
    known = {s.name for s in specs} | {"reason"}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise InvalidInput(
            unknown[0], f"unknown field (this action takes: {', '.join(sorted(known))})"
        )
    values: dict[str, Any] = {}
    for spec in specs:
        value = raw.get(spec.name)
        if isinstance(value, str):
            value = _clean_text(spec, value)
        if spec.kind == "date":
            value = parse_date(spec.name, value)
        elif spec.kind in ("int", "member", "organisation"):
            value = _parse_int(spec.name, value)
        elif spec.kind == "bool":
            value = _parse_bool(spec.name, value)
        elif spec.kind == "education":
            value = _parse_education(spec.name, value)
        elif spec.kind == "choice" and value and value not in spec.choices:
            raise InvalidInput(spec.name, f"'{value}' is not one of {', '.join(spec.choices)}")
        if spec.required and value in (None, ""):
            raise InvalidInput(spec.name, "is required")
        values[spec.name] = value if value != "" else None
    if "reason" in raw and "reason" not in values:
        reason = raw["reason"]
        values["reason"] = None if reason is None else (_clean_text(_REASON, str(reason)) or None)
    return values


def _parse_education(field: str, value: Any) -> str | None:
    """A level of ``workflow.education`` from its value or the usual words ("12/12", "THPT")."""
    try:
        level = parse_education(None if value is None else str(value))
    except ValueError:
        levels = ", ".join(level.value for level in EducationLevel)
        raise InvalidInput(field, f"'{value}' is not an education level ({levels})") from None
    return level.value if level is not None else None


def _clean_text(spec: FieldSpec, value: str) -> str:
    """Trimmed, NFC-normalised text within the field's length; control and invisible characters
    (but line breaks and tabs) are refused (``workflow.text``)."""
    if spec.kind not in ("str", "text"):
        # A date, a number or a choice: never long, but a megabyte of it is refused unread.
        return texts.clean(spec.name, value, texts.NAME_MAX) or ""
    return texts.clean(spec.name, value, spec.max_length, one_line=spec.name == "full_name") or ""


#: The reason any action may carry (``parse_fields``'s extra field).
_REASON = FieldSpec("reason", "text", "Lý do", "Reason", limit=FIELD_LIMITS["reason"])
