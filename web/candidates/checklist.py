"""The case page's dossier checklist and disabled actions, from ``workflow.checklist``.

The domain says what is missing and what fixes it; this module turns each fix into a link to
the form on the page that puts it right (the upload of a form, the action's form, the
verification panel), when this user has that form; and marks the actions that cannot succeed
now with the first unmet rule as the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from web.context import actor, runtime
from web.labels import action_label, locale
from workflow.checklist import Checklist, Item, blocker, checklist
from workflow.clock import Clock
from workflow.facts import CaseFacts


@dataclass(frozen=True)
class Line:
    """One line of the checklist: what is missing, and the link that fixes it (if any)."""

    text: str
    href: str | None
    fix: str | None
    blocks: bool


def _link(item: Item, actions: list[Any], verification: bool):
    """The anchor and label of the form fixing `item`, if this page offers it to the user."""
    fix = item.fix
    offered = {(a.kind, a.name) for a in actions if not getattr(a, "blocked", None)}
    if fix.kind == "document" and fix.name:  # a missing form is one the documents list shows
        may_upload = ("fact", "document") in offered
        label = _("Upload %(code)s", code=fix.name) if may_upload else fix.name
        return f"#form-{fix.name}", label
    if fix.kind == "document":
        return "#documents", _("Forms and signed scans")
    if fix.kind == "fact" and ("fact", fix.name) in offered:
        return f"#action-fact-{fix.name}", action_label(f"record_{fix.name}")
    if fix.kind == "transition" and ("transition", fix.name) in offered:
        return f"#action-transition-{fix.name}", action_label(fix.name)
    if fix.kind == "verification" and verification:
        return "#verification", _("Biography verification")
    return None, None


def lines(found: Checklist, actions: list[Any], verification: bool) -> list[Line]:
    """The checklist as the page shows it, in the domain's order."""
    shown = []
    for item in found.items:
        href, fix = _link(item, actions, verification)
        shown.append(Line(item.text(locale()), href, fix, item.blocks))
    return shown


def case_checklist(facts: CaseFacts) -> Checklist:
    """What the case still needs before its next step (``workflow.checklist``)."""
    return checklist(facts, actor(), Clock.system().today, runtime().settings.rules)


def disable_blocked(facts: CaseFacts, actions: list[Any]) -> None:
    """Mark each action that cannot succeed now with the first unmet rule's text; a form just
    refused stays open and live, showing its refusal."""
    today, settings, who = Clock.system().today, runtime().settings.rules, actor()
    for action in actions:
        if action.open:
            continue
        key = action.name if action.kind == "transition" else f"record_{action.name}"
        failure = blocker(facts, who, today, settings, key)
        if failure is not None:
            action.blocked = failure.text(locale())
