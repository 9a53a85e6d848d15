"""Corrections of a person's particulars: what may be corrected, how a proposal is judged, and
the plain values the storage layer hands back. Pure: the use cases are
``workflow.services.corrections``.

Nothing is overwritten in place: the cell's secretary proposes new values with a reason and
evidence (a scan or a reference), the committee approves or refuses; the person's row changes
only on approval, and every step's history event keeps the values before and after.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from workflow import text as texts
from workflow.definition import PERSON, FieldSpec
from workflow.errors import InvalidInput
from workflow.fields import parse_fields
from workflow.people import Category

#: The longest reason, evidence reference or answer (the columns' sizes).
TEXT_LIMIT = 500

#: The particulars a correction may change: the person's fields of ``identify`` (less the Đoàn
#: membership, a fact that changes rather than an error) and the category the counts use.
FIELDS: tuple[FieldSpec, ...] = (
    *(spec for spec in PERSON if spec.name != "is_doan_member"),
    FieldSpec(
        "category",
        "choice",
        "Thành phần",
        "Category",
        choices=tuple(c.value for c in Category),
    ),
)
NAMES: tuple[str, ...] = tuple(spec.name for spec in FIELDS)
#: The longest text each field may hold (the columns of ``people``).
LIMITS: dict[str, int] = {
    "full_name": 200,
    "birth_place": 200,
    "hometown": 200,
    "ethnicity": 50,
    "religion": 50,
    "education": 100,
    "residence": 300,
    "occupation": 200,
    "id_number": 20,
    "sex": 10,
    "category": 30,
}
#: Fields that may not be cleared by a correction.
REQUIRED = frozenset({"full_name", "birth_date"})


class CorrectionAction(StrEnum):
    """The history actions of a correction (events of the case it was proposed on)."""

    propose_correction = "propose_correction"
    approve_correction = "approve_correction"
    refuse_correction = "refuse_correction"


#: The actions' labels, for the timeline and the audit log.
ACTION_LABELS: dict[str, tuple[str, str]] = {
    CorrectionAction.propose_correction: ("Đề nghị đính chính thông tin", "Propose a correction"),
    CorrectionAction.approve_correction: ("Duyệt đính chính thông tin", "Approve a correction"),
    CorrectionAction.refuse_correction: ("Không duyệt đính chính", "Refuse a correction"),
}


class Status(StrEnum):
    """Where a correction stands."""

    proposed = "proposed"
    approved = "approved"
    refused = "refused"


STATUS_LABELS: dict[str, tuple[str, str]] = {
    Status.proposed: ("Chờ ban tổ chức duyệt", "Awaiting the committee"),
    Status.approved: ("Đã duyệt", "Approved"),
    Status.refused: ("Không duyệt", "Refused"),
}


@dataclass(frozen=True)
class Correction:
    """A proposed correction: each changed field's value before and after."""

    id: int
    person_id: int
    case_id: int
    status: Status
    changes: dict[str, tuple[Any, Any]]
    reason: str
    proposed_on: date
    proposed_by: int
    evidence_text: str | None = None
    evidence_sha256: str | None = None
    evidence_name: str | None = None
    decided_on: date | None = None
    decided_by: int | None = None
    answer: str | None = None
    version: int = 1


@dataclass(frozen=True)
class IssuedDocument:
    """A generated document still in force (not superseded), to be checked after a correction."""

    id: int
    case_id: int
    code: str
    number: str
    data: str
    data_hash: str


@dataclass(frozen=True)
class Reissued:
    """A document an approval re-issued: the old number and the new one."""

    code: str
    old_number: str
    new_number: str
    new_verify_code: str = field(default="")


def check_text(value: str | None, name: str, *, required: bool) -> str | None:
    """A reason, evidence reference or answer: trimmed, within its column, present if required."""
    text = (value or "").strip()
    texts.check_characters(name, text)
    if not text:
        if required:
            raise InvalidInput(name, "is required")
        return None
    if len(text) > TEXT_LIMIT:
        raise InvalidInput(name, f"at most {TEXT_LIMIT} characters")
    return text


def proposed_changes(
    raw: Mapping[str, Any], current: Mapping[str, Any], today: date
) -> dict[str, tuple[Any, Any]]:
    """The changes `raw` proposes against the person's `current` values, each (before, after).

    Only the fields given (and different from now) change; ``clear`` lists fields to empty.
    Refusals name the field: unknown, malformed, too long, required, implausible, or nothing.
    """
    given = {k: v for k, v in raw.items() if k != "clear" and v not in (None, "")}
    clear = [name for name in raw.get("clear") or () if name]
    values = parse_fields(FIELDS, given)
    for name in clear:
        if name not in NAMES:
            raise InvalidInput(name, "is not a particular a correction may change")
        if name in REQUIRED:
            raise InvalidInput(name, "may be corrected, not cleared")
        values[name] = None
    for name, limit in LIMITS.items():
        if isinstance(values.get(name), str) and len(values[name]) > limit:
            raise InvalidInput(name, f"at most {limit} characters")
    born = values.get("birth_date")
    if born is not None and (born >= today or born.year < 1900):
        raise InvalidInput("birth_date", "is not plausible")
    if values.get("id_number") is not None and not values["id_number"].isdigit():
        raise InvalidInput("id_number", "must be digits only")
    changes = {
        name: (current.get(name), values[name])
        for name in NAMES
        if name in values and (name in given or name in clear) and values[name] != current.get(name)
    }
    if not changes:
        raise InvalidInput("changes", "nothing differs from the person's data now")
    return changes


def changes_data(changes: Mapping[str, tuple[Any, Any]]) -> dict[str, dict[str, Any]]:
    """The changes as an event records them: ``{field: {"before": ..., "after": ...}}``."""
    return {name: {"before": old, "after": new} for name, (old, new) in changes.items()}


def field_label(name: str, locale: str = "vi") -> str:
    """The field's label in `locale`."""
    spec = next((s for s in FIELDS if s.name == name), None)
    if spec is None:
        return name
    return spec.en if locale == "en" else spec.vi
