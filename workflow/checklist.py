"""What a case still needs before its next step, all at once, each with what fixes it.

The dossier checklist (OpenCRVS's "what is still needed" before sending) runs every rule of the
case's next step that judges what is on file, without stopping at the first failure
(``rules.evaluate_all``): a youth lacking the Đoàn resolution and a member introducer is told
both in one look. Rules that judge the values typed in the action's own form (the vote, the
decision) are not on the list: the form's refusal names them. The same judgement disables an
action that cannot succeed now (``blocker``), with the first unmet rule as the reason.

Pure: it reads the case's facts (``CaseFacts`` loaded with the dossier) and touches no storage.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from workflow import rules as r
from workflow.dates import full_months
from workflow.errors import Failure
from workflow.facts import Actor, CaseFacts
from workflow.introductions import evidenced_kind
from workflow.rules.attempt import Attempt, Rule, evaluate_all
from workflow.rules.dossier import missing_dossier_forms, missing_recognition_forms
from workflow.rules.person import OVER_AGE
from workflow.settings import RuleSettings
from workflow.states import State, Trigger, VoteBody

S = State


@dataclass(frozen=True)
class Fix:
    """Where an item is put right: upload a form (``document``, its code), record a fact
    (``fact``, its kind), take an action (``transition``, its trigger), the verification panel
    (``verification``); ``wait`` and ``none`` have no link."""

    kind: str
    name: str = ""


@dataclass(frozen=True)
class Item:
    """One thing missing before `step`: the unmet rule (in two languages) and its fix."""

    step: str
    failure: Failure
    fix: Fix
    #: Whether the step cannot succeed until this is put right. Rules judged on the vote's date
    #: are judged here on today's: they are listed, but do not disable the action.
    blocks: bool = True

    def text(self, locale: str = "vi") -> str:
        """The item as the page says it."""
        return self.failure.text(locale)


@dataclass(frozen=True)
class Checklist:
    """The case's next step (``goal``) and every item still missing before it, in order."""

    goal: str | None
    items: tuple[Item, ...] = ()


#: The step each open state works towards: its checklist is that step's.
GOALS: dict[str, str] = {
    S.identified: Trigger.submit_dossier,
    S.mentored: Trigger.submit_dossier,
    S.trained: Trigger.submit_dossier,
    S.returned: Trigger.submit_dossier,
    S.dossier_submitted: Trigger.admit,
    S.admitted: Trigger.recognize,
}

#: Per action, the rules that judge what is on file (not the action's own form), in the order
#: the checklist lists them.
PAPERWORK: dict[str, tuple[Rule, ...]] = {
    Trigger.submit_dossier: (
        r.introducers,
        r.dossier_forms_present,
        r.certificate_valid_on_vote,
        r.verification_favourable,
        r.age_in_range,
        r.education_floor,
        r.documents_fresh,
    ),
    Trigger.admit: (),
    Trigger.recognize: (
        r.ceremony_recorded,
        r.probation_complete,
        r.no_fourth_recognition_vote,
        r.recognition_forms_present,
    ),
    "record_recognition_vote": (
        r.ceremony_recorded,
        r.probation_complete,
        r.no_fourth_recognition_vote,
    ),
}

#: Rules that judge the person or the papers on the vote's date: judged on today's, they are
#: listed but never disable the action (the vote may have been held earlier).
ON_VOTE_DATE = frozenset(
    rule.__name__
    for rule in (
        r.age_in_range,
        r.certificate_valid_on_vote,
        r.documents_fresh,
        r.verification_favourable,
    )
)

#: Rules judging the actor, not the case: they disable an action but are no one's to-do.
ACTOR_RULES: dict[str, tuple[Rule, ...]] = {Trigger.admit: (r.four_eyes,)}

_FIXES: dict[str, Fix] = {
    "introducers": Fix("fact", "introduction"),
    "education_floor": Fix("fact", "education_exception"),
    "verification_favourable": Fix("verification"),
    "ceremony_recorded": Fix("fact", "ceremony"),
    "probation_complete": Fix("wait"),
    "documents_fresh": Fix("document"),
}


def _fields(facts: CaseFacts, action: str) -> dict[str, Any]:
    """The values the action's form would carry that are already on file: the cell's
    recognition vote, when recorded, is the one ``recognize`` judges."""
    recorded = facts.votes.get(VoteBody.recognition)
    if action == Trigger.recognize and recorded is not None:
        return {"vote": recorded, "vote_date": recorded.held_on, "vote_on_file": True}
    return {}


def _attempt(
    facts: CaseFacts, actor: Actor, today: date, settings: RuleSettings, action: str
) -> Attempt:
    return Attempt(facts, actor, today, settings, _fields(facts, action), action)


def _fix(failure: Failure, attempt: Attempt) -> Fix:
    facts = attempt.facts
    if failure.rule == "certificate_valid_on_vote" and facts.certificate_date is None:
        return Fix("transition", Trigger.complete_training)
    if failure.rule == "age_in_range" and facts.birth_date is not None:
        # Only the over-60s have a paper that helps (the provincial approval); the under-18s wait.
        too_young = (
            full_months(facts.birth_date, attempt.vote_date) < attempt.settings.min_age_months
        )
        if too_young or OVER_AGE in facts.exceptions:
            return Fix("none")
        return Fix("fact", "over_age_approval")
    return _FIXES.get(failure.rule, Fix("none"))


def _form_items(step: str, rule: Rule, codes: list[str]) -> list[Item]:
    """One item per form missing, each fixed by uploading that form; not the forms that
    evidence an introduction (3-KNĐ, 4-KNĐ, 4A-KNĐ): the introducers' item asks for the
    introduction, whose recording puts its form on file (``workflow.introductions``)."""
    return [
        Item(
            step,
            Failure(rule.__name__, f"Hồ sơ còn thiếu: {code}.", f"The dossier lacks: {code}."),
            Fix("document", code),
        )
        for code in codes
        if evidenced_kind(code) is None or r.introducers not in PAPERWORK.get(step, ())
    ]


def _items(
    facts: CaseFacts, actor: Actor, today: date, settings: RuleSettings, step: str
) -> list[Item]:
    attempt = _attempt(facts, actor, today, settings, step)
    found: list[Item] = []
    for rule in PAPERWORK.get(step, ()):
        if rule is r.dossier_forms_present:
            found += _form_items(step, rule, missing_dossier_forms(attempt))
        elif rule is r.recognition_forms_present:
            found += _form_items(step, rule, missing_recognition_forms(attempt))
        else:
            for failure in evaluate_all((rule,), attempt):
                blocks = failure.rule not in ON_VOTE_DATE
                found.append(Item(step, failure, _fix(failure, attempt), blocks))
    return found


def checklist(facts: CaseFacts, actor: Actor, today: date, settings: RuleSettings) -> Checklist:
    """Everything the case still needs before its next step, each with what fixes it."""
    goal = GOALS.get(facts.state)
    if goal is None:
        return Checklist(None)
    found: list[Item] = []
    if facts.mentor is None and goal == Trigger.submit_dossier:
        found.append(
            Item(
                Trigger.assign_mentor,
                Failure(
                    "mentor_assigned",
                    "Chưa phân công đảng viên giúp đỡ.",
                    "No mentor is assigned.",
                ),
                Fix("transition", Trigger.assign_mentor),
            )
        )
    found += _items(facts, actor, today, settings, goal)
    if goal == Trigger.recognize and VoteBody.recognition not in facts.votes:
        found.append(
            Item(
                goal,
                Failure(
                    "recognition_vote_recorded",
                    "Chưa ghi nhận chi bộ biểu quyết công nhận đảng viên chính thức.",
                    "The cell's recognition vote is not recorded.",
                ),
                Fix("fact", "recognition_vote"),
                blocks=False,  # the committee may type the cell's vote with its decision
            )
        )
    return Checklist(goal, tuple(found))


def blocker(
    facts: CaseFacts, actor: Actor, today: date, settings: RuleSettings, action: str
) -> Failure | None:
    """Why `action` (a trigger, or ``record_<kind>``) cannot succeed now, from what is on file
    and who tries: the first unmet rule, or ``None`` when the form may succeed."""
    attempt = _attempt(facts, actor, today, settings, action)
    for rule in (*ACTOR_RULES.get(action, ()), *PAPERWORK.get(action, ())):
        if rule.__name__ in ON_VOTE_DATE:
            continue
        failure = rule(attempt)
        if failure is not None:
            return failure
    return None
