"""What can go wrong in a use case; the web and the CLI map each to a response."""

from __future__ import annotations

from dataclasses import dataclass


class DomainError(Exception):
    """Base of every refusal the domain can give."""


class NotFound(DomainError):
    """The thing does not exist, or the actor may not know that it does (404)."""


class NotAllowed(DomainError):
    """The actor sees the case but their role may not do this (403)."""


class InvalidTransition(DomainError):
    """The trigger cannot fire from the case's current state (409)."""


class Conflict(DomainError):
    """Someone changed the case since the actor loaded it (409)."""


class InvalidInput(DomainError):
    """A field given with the action is missing or malformed (422)."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Failure:
    """A broken rule, explained in both languages."""

    rule: str
    vi: str
    en: str

    def text(self, locale: str = "vi") -> str:
        return self.en if locale == "en" else self.vi


class RuleViolation(DomainError):
    """One or more rules refuse the transition (422); each failure names its rule."""

    def __init__(self, failures: list[Failure]):
        self.failures = failures
        super().__init__("; ".join(f"[{f.rule}] {f.en}" for f in failures))
