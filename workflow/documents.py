"""The forms of a dossier as the domain knows them: their codes, which action produces which,
which belong to a case now, and whether a generated document still says what the case says.

Pure: no storage, no rendering. The registry of templates and titles is ``documents.registry``;
the numbered, verifiable copies are stored by ``db.repositories.documents``.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from workflow.dates import full_years
from workflow.effects import FORMS_PRODUCED
from workflow.settings import RuleSettings
from workflow.states import State, Trigger

#: Every form of Hướng dẫn 12-HD/BTCTW (2022) hồ sơ knows, in the dossier's order
#: (``documents.registry.FORMS`` draws each of them; a test keeps the two the same).
FORM_CODES: tuple[str, ...] = (
    "CN-NTVĐ",
    "1-KNĐ",
    "2-KNĐ",
    "3-KNĐ",
    "4-KNĐ",
    "4A-KNĐ",
    "5-KNĐ",
    "6-KNĐ",
    "7-KNĐ",
    "8-KNĐ",
    "9-KNĐ",
    "10-KNĐ",
    "11-KNĐ",
    "12-KNĐ",
    "13-KNĐ",
    "14-KNĐ",
    "15-KNĐ",
    "16-KNĐ",
)

#: The form each action produces as a numbered, verifiable document when it is fired (the
#: effects of the action name it: ``workflow.effects.IssueForm``).
PRODUCES: dict[str, str] = FORMS_PRODUCED

#: Verification codes: 10 characters of RFC 4648 base32 (no 0/1/8/9 to misread), 50 random bits.
CODE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
CODE_LENGTH = 10
_CODE = re.compile(f"[{CODE_ALPHABET}]{{{CODE_LENGTH}}}")

#: Where forms may still be put on file for the dossier (``submit_dossier`` asks for them).
PREPARING = frozenset({State.identified, State.mentored, State.trained, State.returned})
#: The transitions that require forms on file, in the order a case meets them.
GUARDED = (Trigger.submit_dossier, Trigger.recognize)


def produced_by(action: str) -> tuple[str, ...]:
    """The forms an action produces (``admit``: 9-KNĐ, ``recognize``: 16-KNĐ; others none)."""
    produced = PRODUCES.get(str(action))
    return (produced,) if produced else ()


# --- verification codes ---------------------------------------------------------------------


def new_verify_code() -> str:
    """A fresh random verification code (the store makes sure no other document carries it)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(raw: str | None) -> str | None:
    """A verification code as typed (any case, spaces or dashes) in its stored form, or None."""
    code = re.sub(r"[\s-]", "", raw or "").upper()
    return code if _CODE.fullmatch(code) else None


# --- what a generated document says, and whether it still holds -------------------------------


def data_hash(text: str) -> str:
    """The SHA-256 of a document's canonical JSON."""
    return hashlib.sha256(text.encode()).hexdigest()


def load_data(text: str) -> dict[str, Any]:
    """A document's stored data, as the renderer takes it (the dossier's plain values)."""
    return json.loads(text)


def still_true(then: Any, now: Any) -> bool:
    """Whether every value a document recorded (`then`) is the same in the case's data now.

    What was blank then, and what was recorded since (a later ceremony, decision or
    introduction, a list grown longer), does not count: a document goes out of date when
    something it says changes, not when the case moves on.
    """
    if then is None:
        return True
    if isinstance(then, dict):
        return isinstance(now, dict) and all(still_true(v, now.get(k)) for k, v in then.items())
    if isinstance(then, list):
        return (
            isinstance(now, list)
            and len(now) >= len(then)
            and all(still_true(a, b) for a, b in zip(then, now, strict=False))
        )
    return then == now


def settled(data: Mapping[str, Any]) -> dict[str, Any]:
    """`data` without what moves on by design: the case's state and its closing date."""
    case = {k: v for k, v in (data.get("case") or {}).items() if k not in ("state", "closed_on")}
    return {**data, "case": case}


def is_current(text: str, stored_hash: str, now: Mapping[str, Any]) -> bool:
    """The stored data `text` are intact (they hash to `stored_hash`) and still true of `now`,
    the case's data today."""
    intact = data_hash(text) == stored_hash
    return intact and still_true(settled(load_data(text)), settled(now))


def name_on(data: Mapping[str, Any]) -> str | None:
    """The candidate's name as a document's data give it, if they do."""
    person = data.get("person")
    name = person.get("full_name") if isinstance(person, Mapping) else None
    return name if isinstance(name, str) else None


@dataclass(frozen=True)
class Verification:
    """What ``/verify/<code>`` may tell anyone about a genuine document, and nothing more."""

    code: str
    title: str
    #: hồ sơ's register number of the document (``5/2026/9-KNĐ``).
    number: str
    #: The number printed on it (the decision's or resolution's), if it has one.
    printed_number: str | None
    issued_on: date
    name: str
    #: Everything the document says is still what the case says (``is_current``).
    current: bool
    #: The register number of the document re-issued in its place after a correction of the
    #: person's data (``workflow.services.corrections``), if it was: the old code says so.
    superseded_by: str | None = None


# --- which forms belong to a case -----------------------------------------------------------


def is_youth(birth_date: date | None, on: date, settings: RuleSettings) -> bool:
    """Of Đoàn age on `on` (the cell's vote, else today): the youth forms apply."""
    return birth_date is not None and full_years(birth_date, on) <= settings.youth_max_age_years


def forms_in_play(
    state: str,
    belonging: Iterable[str],
    required: Callable[[str], Iterable[str]],
) -> dict[str, str | None]:
    """The forms of a case now, each with the transition that requires it on file (or None).

    `belonging` are the forms of the case's stage (``documents.registry.forms_for_case``);
    `required(trigger)` the forms that trigger requires of this case. While the dossier is in
    preparation the forms of the submission belong to it from the start, to be put on file.
    """
    codes: dict[str, str | None] = dict.fromkeys(belonging)
    needed = {str(trigger): tuple(required(trigger)) for trigger in GUARDED}
    if state in PREPARING:
        codes.update(dict.fromkeys(needed[Trigger.submit_dossier]))
    for trigger, forms in needed.items():
        for code in forms:
            if code in codes:
                codes[code] = trigger
    return codes
