"""The audit pages' query string: case, user, action and local dates, checked and parsed."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _

from db.read.audit_log import ACTIONS, EventFilters

#: The query-string keys of the filters; links to other pages keep them (and only them).
FILTER_KEYS = ("case", "user", "action", "since", "until")
_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_day(text: str) -> date | None:
    """A day written dd/mm/yyyy or yyyy-mm-dd; ``None`` if it is neither or no such day."""
    text = text.strip()
    try:
        if match := _DMY.fullmatch(text):
            day, month, year = (int(part) for part in match.groups())
            return date(year, month, day)
        if _ISO.fullmatch(text):
            return date.fromisoformat(text)
    except ValueError:
        return None
    return None


@dataclass
class ParsedFilters:
    """The filters that could be read, what the user typed, and what was wrong with it."""

    filters: EventFilters
    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)


def read_filters(args: Mapping[str, str]) -> ParsedFilters:
    """The filters of a request; each bad value is named in ``errors`` and not applied."""
    values = {key: args.get(key, "").strip()[:100] for key in FILTER_KEYS}
    errors: dict[str, str] = {}
    case_id = None
    if values["case"]:
        digits = values["case"].removeprefix("#")
        if digits.isdigit() and len(digits) < 10:
            case_id = int(digits)
        else:
            errors["case"] = _("A case is given by its number, e.g. 12.")
    action = values["action"] or None
    if action is not None and action not in ACTIONS:
        errors["action"] = _("Unknown action.")
        action = None
    days: dict[str, date | None] = {}
    for key in ("since", "until"):
        days[key] = parse_day(values[key]) if values[key] else None
        if values[key] and days[key] is None:
            errors[key] = _("Not a date: write it as dd/mm/yyyy.")
    if days["since"] and days["until"] and days["since"] > days["until"]:
        errors["until"] = _("The end comes before the start.")
    filters = EventFilters(
        case_id=case_id,
        username=values["user"] or None,
        action=action,
        since=days["since"],
        until=days["until"],
    )
    return ParsedFilters(filters, values, errors)


def kept_args(values: Mapping[str, str], **changes: object) -> dict[str, object]:
    """The non-empty filter values, with `changes` applied (for links)."""
    kept: dict[str, object] = {k: values[k] for k in FILTER_KEYS if values.get(k)}
    kept.update(changes)
    return {k: v for k, v in kept.items() if v not in (None, "")}
