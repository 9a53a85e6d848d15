"""A user's own account: logging in (throttled), logging out everywhere, changing one's password.

Logging in judges the client's past failures before the password is even compared
(``workflow.logins``): a throttled client waits, whatever it sends. Logging out and changing
one's password move the user's session version on, so every session issued before ends on every
worker; the current one carries the new version when it stays.
"""

from __future__ import annotations

from dataclasses import dataclass

from workflow import admin as rules
from workflow import logins
from workflow.clock import Clock
from workflow.errors import InvalidInput, NotFound
from workflow.events import new_event
from workflow.facts import Actor
from workflow.logins import Limits
from workflow.ports import UnitOfWork
from workflow.services.admin_scope import NO_RULESET


@dataclass(frozen=True)
class LoginOutcome:
    """What a login attempt came to: a user (and their session version), a failure, or a wait."""

    user_id: int | None = None
    session_version: int | None = None
    #: Seconds the client must wait before trying again; the password was not looked at.
    wait: int = 0

    @property
    def ok(self) -> bool:
        return self.user_id is not None

    @property
    def throttled(self) -> bool:
        return self.wait > 0


def log_in(
    uow: UnitOfWork,
    username: str,
    password: str,
    address: str,
    device: str | None = None,
    limits: Limits | None = None,
    clock: Clock | None = None,
) -> LoginOutcome:
    """Check a password unless this client must wait; `device`: the known device's id, given only
    when the client's signed device cookie names this username."""
    limits = limits or Limits()
    now = (clock or Clock.system()).now
    counted = logins.normal_username(username)
    with uow:
        tally = uow.logins.tally(counted, address, device, now - limits.window)
        wait = logins.wait(limits, tally, now, known_device=device is not None)
        if wait:
            return LoginOutcome(wait=wait)
        found = uow.logins.credentials(username.strip(), password)
        if found is None:
            uow.logins.record_failure(counted, address, device, now)
            uow.logins.prune(now - limits.window)
            uow.commit()
            return LoginOutcome()
        uow.logins.forget(counted, address, device)
        uow.commit()
        return LoginOutcome(user_id=found[0], session_version=found[1])


def log_out(uow: UnitOfWork, actor: Actor) -> None:
    """End every session of the actor, on every worker and host (not only this browser's)."""
    with uow:
        uow.logins.end_sessions(actor.user_id)
        uow.commit()


def change_own_password(
    uow: UnitOfWork, actor: Actor, current: str, new: str, clock: Clock | None = None
) -> int:
    """Change the actor's own password; every other session ends. Returns the session version
    the current session is to carry."""
    with uow:
        user = uow.users.get(actor.user_id)
        if user is None or not user.active:
            raise NotFound(f"user {actor.user_id}")
        if not current or not uow.logins.password_matches(user.id, current):
            raise InvalidInput("current", logins.WRONG_PASSWORD)
        secret = rules.check_password(new, user.username, user.full_name)
        if secret == current:
            raise InvalidInput("password", logins.SAME_PASSWORD)
        uow.users.set_password(user.id, secret)
        version = uow.logins.end_sessions(user.id)
        # The event names the user, never the password; it is scoped to the organisation of the
        # user's first grant (none for a user without one), so the auditors there see it.
        organisation = actor.grants[0].organisation_id if actor.grants else None
        event = new_event(
            actor,
            logins.ACCOUNT_ROLE,
            "change_own_password",
            clock or Clock.system(),
            NO_RULESET,
            organisation_id=organisation,
            data={"user": user.username},
        )
        uow.history.append(event)
        uow.commit()
        return version
