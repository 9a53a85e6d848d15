"""A committee meeting's decisions: read from the form, then fired one dossier at a time.

Each dossier is judged by its own rules through ``workflow.services.fire_transition``, in its own
unit of work, so that one refusal stops nothing else.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import BadRequest

from db.runtime import Runtime
from workflow.definition import SPECS
from workflow.errors import (
    Conflict,
    InvalidInput,
    InvalidTransition,
    NotAllowed,
    NotFound,
    RuleViolation,
)
from workflow.facts import Actor
from workflow.services import fire_transition
from workflow.states import Trigger

#: The choices of the form, and the trigger each fires.
ACTIONS = {"admit": Trigger.admit, "return": Trigger.return_dossier, "reject": Trigger.reject}
ACTION_LABELS = {
    "admit": _l("Admit"),
    "return": _l("Return for correction"),
    "reject": _l("Reject"),
}
#: Values of the meeting entered once for every admitted dossier (each may be overridden).
MEETING_FIELDS = ("vote_date", "votes_for", "votes_against", "decision_date")


@dataclass(frozen=True)
class CaseDecision:
    """What the meeting decided for one dossier, as typed."""

    case_id: int
    action: str
    version: int
    raw: dict[str, str]


@dataclass
class Outcome:
    """What became of one decision: done (with the new state), or refused with the reasons."""

    case_id: int
    name: str
    action: str
    done: bool = False
    state: str | None = None
    #: (rule or field, explanation in the current language)
    reasons: list[tuple[str, str]] = field(default_factory=list)


def _case_id(key: str) -> int:
    ident = key.removeprefix("action-")
    if not ident.isdigit():
        raise BadRequest(f"bad field {key!r}")
    return int(ident)


def read_decisions(form: Mapping[str, str]) -> list[CaseDecision]:
    """The decisions of the form, in its order: every case whose action is chosen.

    A case's own vote date, counts and decision date win over the meeting's.
    """
    decisions = []
    for key in form:
        if not key.startswith("action-") or not form[key]:
            continue
        case_id, action = _case_id(key), form[key]
        if action not in ACTIONS:
            raise BadRequest(f"unknown decision {action!r}")
        version = (form.get(f"version-{case_id}") or "").strip()
        if not version.isdigit():
            raise BadRequest(f"no version for case {case_id}")
        if action == "admit":
            raw = {
                name: (form.get(f"{name}-{case_id}") or "").strip() or form.get(name, "")
                for name in MEETING_FIELDS
            }
            raw["decision_number"] = form.get(f"decision_number-{case_id}", "")
        else:
            raw = {"reason": form.get(f"reason-{case_id}", "")}
        decisions.append(CaseDecision(case_id, action, int(version), raw))
    return decisions


def _field_label(trigger: str, name: str, locale: str) -> str:
    for spec in SPECS[trigger].fields:
        if spec.name == name:
            return spec.en if locale == "en" else spec.vi
    return name


def decide(
    runtime: Runtime,
    actor: Actor,
    decisions: list[CaseDecision],
    names: Mapping[int, str],
    locale: str,
) -> list[Outcome]:
    """Fire each decision in its own unit of work; collect what became of each."""
    outcomes = []
    for decision in decisions:
        outcome = Outcome(
            decision.case_id, names.get(decision.case_id, f"#{decision.case_id}"), decision.action
        )
        try:
            case = fire_transition(
                runtime.uow(),
                actor,
                decision.case_id,
                ACTIONS[decision.action],
                decision.raw,
                expected_version=decision.version,
            )
        except RuleViolation as err:
            outcome.reasons = [(f.rule, f.text(locale)) for f in err.failures]
        except InvalidInput as err:
            message = _(
                "%(field)s: %(message)s",
                field=_field_label(ACTIONS[decision.action], err.field, locale),
                message=err.message,
            )
            outcome.reasons = [(err.field, message)]
        except NotFound:
            outcome.reasons = [("not_found", _("No such dossier in your scope."))]
        except NotAllowed:
            outcome.reasons = [("not_allowed", _("Your committee does not decide this dossier."))]
        except InvalidTransition:
            outcome.reasons = [("state", _("This dossier no longer waits for a decision."))]
        except Conflict:
            outcome.reasons = [
                (
                    "conflict",
                    _("Someone changed this dossier after you opened the page; reload it."),
                )
            ]
        else:
            outcome.done, outcome.state = True, case.state
        outcomes.append(outcome)
    return outcomes
