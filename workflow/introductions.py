"""An introduction and the form that evidences it are one fact, entered once.

The Đoàn's introduction of a youth IS the Đoàn's resolution (4-KNĐ) on file, the Công đoàn's is
4A-KNĐ, a party member's is their letter (3-KNĐ). This module is the one place that says so:

- recording an introduction puts its form on file in the same unit of work (its date and the
  number typed with it: ``form_put_on_file``): each member's own letter, the organisation's
  resolution unless it is on file already;
- the rules count a form as on file when the introduction it evidences is recorded
  (``forms_on_file``), and an organisation's introduction as recorded when its resolution is on
  file (``kinds_introducing``): a member's letter alone does not name the member, so only the
  recorded introduction counts for a member;
- the checklist lists the introduction, not also its form (``evidenced_kind``).

Pure: no storage.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from workflow.facts import CaseFacts
from workflow.states import IntroducerKind

#: The form that evidences each kind of introduction.
EVIDENCE: dict[str, str] = {
    IntroducerKind.member: "3-KNĐ",
    IntroducerKind.doan: "4-KNĐ",
    IntroducerKind.congdoan: "4A-KNĐ",
}
#: The kinds of introduction whose form on file counts as the introduction itself: an
#: organisation's resolution names who introduces; a member's letter needs the member recorded.
BY_RESOLUTION = frozenset({IntroducerKind.doan, IntroducerKind.congdoan})


def evidencing_form(kind: str) -> str | None:
    """The form that evidences an introduction of `kind` (``doan``: 4-KNĐ)."""
    return EVIDENCE.get(kind)


def evidenced_kind(code: str) -> str | None:
    """The kind of introduction form `code` evidences (4-KNĐ: ``doan``), if any."""
    return next((kind for kind, form in EVIDENCE.items() if form == code), None)


def forms_on_file(facts: CaseFacts) -> dict[str, date]:
    """The case's forms on file with their dates, counting each recorded introduction's form
    (dated as the introduction) where no copy of it is on file."""
    found = dict(facts.documents)
    for intro in facts.introductions:
        code = EVIDENCE.get(intro.kind)
        if code is not None and code not in found:
            found[code] = intro.dated
    return found


def kinds_introducing(facts: CaseFacts) -> frozenset[str]:
    """The kinds of introduction on record: those recorded, and the organisations whose
    resolution is on file."""
    recorded = {str(intro.kind) for intro in facts.introductions}
    by_form = {kind for kind in BY_RESOLUTION if EVIDENCE[kind] in facts.documents}
    return frozenset(recorded | by_form)


def form_put_on_file(kind: str, values: Mapping[str, Any], facts: CaseFacts) -> dict[str, Any]:
    """The document fact (``code``, ``dated``, ``number``) that recording a fact of `kind` with
    `values` puts on file with it: an introduction's form, dated as the introduction, with the
    number typed once; empty when nothing goes on file (another fact, or the organisation's
    resolution is there already: it introduces once, whereas each member signs a letter)."""
    if kind != "introduction":
        return {}
    code = EVIDENCE.get(values.get("kind") or "")
    if code is None or (values["kind"] in BY_RESOLUTION and code in facts.documents):
        return {}
    return {"code": code, "dated": values["dated"], "number": values.get("number")}
