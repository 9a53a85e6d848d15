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
    #: The register number of a newer copy of the same form of the case (generated again: a
    #: decision re-issued), if there is one: that copy, not this one, is the one in force.
    replaced_by: str | None = None
    #: The member was removed from the list of Party members (``remove``): what the case's
    #: documents decided no longer applies.
    member_removed: bool = False

    @property
    def applies(self) -> bool:
        """Whether the document is still the one in force (else the page says why not)."""
        return not (self.superseded_by or self.replaced_by or self.member_removed)


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


# --- which forms apply, and which are drafts (the packet: docs/forms.md) ----------------------

#: The Đoàn's resolution introducing a youth (4-KNĐ) and the Công đoàn's (4A-KNĐ).
DOAN_FORM, UNION_FORM = "4-KNĐ", "4A-KNĐ"


@dataclass(frozen=True)
class Applicability:
    """What decides whether the introducing organisations' forms apply to a case."""

    #: Of Đoàn age on the cell's vote (else today): ``is_youth``.
    youth: bool
    #: The candidate's unit has a Đoàn branch (else the Công đoàn introduces youth).
    unit_has_doan: bool
    is_doan_member: bool
    #: The kinds of introduction recorded (``member``, ``doan``, ``congdoan``).
    introduced_by: frozenset[str] = frozenset()


def applies(code: str, facts: Applicability) -> bool:
    """Whether form `code` belongs to this candidate's dossier at all (the stage aside).

    4-KNĐ: the Đoàn introduces a youth who is a Đoàn member of a unit with a Đoàn; 4A-KNĐ: the
    Công đoàn introduces a youth where the unit has no Đoàn. An introduction on record by either
    organisation makes its form apply whatever the rest says (the paper exists). Every other form
    applies; the stage and the committees above the cell decide the rest (``forms_for_case``).
    """
    if code == DOAN_FORM:
        return "doan" in facts.introduced_by or (
            facts.youth and facts.unit_has_doan and facts.is_doan_member
        )
    if code == UNION_FORM:
        return "congdoan" in facts.introduced_by or (facts.youth and not facts.unit_has_doan)
    return True


def offered(code: str, facts: Applicability, on_case: bool) -> bool:
    """Whether the case page lists form `code`: it applies (``applies``, the packet's rule), or
    it is on the case anyway (on file, scanned or generated)."""
    return on_case or applies(code, facts)


def _has_vote(body: str) -> Callable[[Mapping[str, Any]], bool]:
    return lambda dossier: bool((dossier.get("votes") or {}).get(body))


def _has_decision(kind: str) -> Callable[[Mapping[str, Any]], bool]:
    return lambda dossier: bool((dossier.get("decisions") or {}).get(kind))


def _introduced(kind: str) -> Callable[[Mapping[str, Any]], bool]:
    return lambda dossier: any(i.get("kind") == kind for i in dossier.get("introductions") or ())


#: The fact that makes a form final: before it is recorded, the form printed from the case is
#: only a draft (the cell's resolution before its vote, a decision before it is taken). Forms
#: written and signed by a person (1, 2, 5, 10, 11, 12-KNĐ) are printed pre-filled to be signed,
#: not drafts of a fact.
FINAL_WHEN: dict[str, Callable[[Mapping[str, Any]], bool]] = {
    "CN-NTVĐ": lambda dossier: bool(dossier.get("certificate")),
    "3-KNĐ": _introduced("member"),
    DOAN_FORM: _introduced("doan"),
    UNION_FORM: _introduced("congdoan"),
    "6-KNĐ": _has_vote("cell"),
    "8-KNĐ": _has_vote("grassroots"),
    "9-KNĐ": _has_decision("admission"),
    "13-KNĐ": _has_vote("recognition"),
    "15-KNĐ": _has_vote("recognition_grassroots"),
    "16-KNĐ": _has_decision("recognition"),
}


def is_draft(code: str, dossier: Mapping[str, Any]) -> bool:
    """Whether form `code`, printed from the case's data now, is only a draft: it is not on
    file and the fact that makes it final (``FINAL_WHEN``) is not recorded yet."""
    if code in (dossier.get("documents") or {}):
        return False
    final = FINAL_WHEN.get(code)
    return final is not None and not final(dossier)


# --- what a packet binds, and what it lacks ---------------------------------------------------

#: Where a form in the packet comes from: its signed scan, the numbered copy hoso issued (with
#: its verification code), the form printed from the case's data, or that print as a draft.
SOURCES = ("scan", "issued", "printed", "draft")


@dataclass(frozen=True)
class FormOnCase:
    """One form of a case as the packet sees it (plain values from the read side): one that
    belongs to its stage (``forms_for_case``) or is on file or issued."""

    code: str
    #: The transition that requires it on file (``submit_dossier``, ``recognize``), if any.
    needed_for: str | None = None
    on_file: bool = False
    has_scan: bool = False
    #: A generated copy (numbered, verifiable) that still says what the case says.
    issued: bool = False
    #: The data the form cannot be printed without and the case lacks (dotted keys).
    lacking: tuple[str, ...] = ()


@dataclass(frozen=True)
class Bound:
    """A form the packet binds, and from what (one of ``SOURCES``)."""

    code: str
    source: str


@dataclass(frozen=True)
class Lacking:
    """A form the procedure needs now that is not on file: ``unsigned`` when the packet holds
    it as printed (to be signed and put on file), ``no_data`` when it cannot be printed either
    (`data`: the keys missing)."""

    code: str
    reason: str
    data: tuple[str, ...] = ()


def packet_contents(
    forms: Iterable[FormOnCase], facts: Applicability, dossier: Mapping[str, Any]
) -> tuple[list[Bound], list[Lacking]]:
    """What the case's packet binds, in the order given, and what is missing.

    Bound: a form's signed scan where one is on file; else, where the data can fill it, the
    issued copy or the form printed now (a draft while ``is_draft``). Left out: forms that do
    not apply (``applies``) unless they are on file or issued. Missing: the applying forms a
    transition requires that are not on file.
    """
    bound: list[Bound] = []
    lacking: list[Lacking] = []
    for form in forms:
        if not (form.on_file or form.issued) and not applies(form.code, facts):
            continue
        if form.has_scan:
            bound.append(Bound(form.code, "scan"))
        elif not form.lacking:
            if form.issued:
                source = "issued"
            else:
                source = "draft" if is_draft(form.code, dossier) else "printed"
            bound.append(Bound(form.code, source))
        if form.needed_for and not form.on_file:
            if form.lacking and not form.has_scan:
                lacking.append(Lacking(form.code, "no_data", form.lacking))
            else:
                lacking.append(Lacking(form.code, "unsigned"))
    return bound, lacking
