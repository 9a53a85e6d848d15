"""One try at a transition (:class:`Attempt`), the shape of a rule, and how rules are run.

A rule takes an :class:`Attempt` and returns ``None`` when it holds, or a :class:`Failure` whose
``rule`` is the rule's name. Rules never raise and never touch storage.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from workflow.errors import Failure
from workflow.facts import Actor, CaseFacts
from workflow.settings import RuleSettings


@dataclass(frozen=True)
class Attempt:
    """One try at a transition: the case, who tries, when, under which settings, with what."""

    facts: CaseFacts
    actor: Actor
    today: date
    settings: RuleSettings
    fields: Mapping[str, Any]
    #: The transition or fact tried (``admit``, ``record_introduction``); empty when a rule is
    #: judged on its own.
    trigger: str = ""

    @property
    def vote_date(self) -> date:
        return self.fields.get("vote_date") or self.today


Rule = Callable[[Attempt], Failure | None]


def fail(rule: Callable, vi: str, en: str) -> Failure:
    """The failure of `rule`, named after it, explained in Vietnamese and English."""
    return Failure(rule.__name__, vi, en)


def day_text(day: date) -> str:
    """A date as the messages write it (``05/03/2026``)."""
    return day.strftime("%d/%m/%Y")


def evaluate(rules: tuple[Rule, ...], attempt: Attempt) -> list[Failure]:
    """Every failure among the rules, in the order given."""
    return [failure for rule in rules if (failure := rule(attempt)) is not None]


def evaluate_all(rules: tuple[Rule, ...], attempt: Attempt) -> list[Failure]:
    """Every failure among the rules, each problem on its own: a rule that sums up several
    problems in one failure (``introducers``) names its ``every`` variant, used here."""
    found: list[Failure] = []
    for rule in rules:
        every = getattr(rule, "every", None)
        if every is not None:
            found.extend(every(attempt))
        elif (failure := rule(attempt)) is not None:
            found.append(failure)
    return found
