"""Personal API tokens: a user makes one (shown once), lists and revokes theirs; the API turns a
secret into the Actor it acts as, and rations failed attempts per address (``ApiLimit``).

A token is its user's own business: nobody else lists or revokes it (another's token is
NotFound). Making and revoking one are events in the history, naming the token and never its
secret.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from workflow.clock import Clock
from workflow.errors import InvalidInput, NotFound
from workflow.events import new_event
from workflow.facts import Actor
from workflow.logins import ApiLimit
from workflow.ports import UnitOfWork
from workflow.tokens import (
    MAX_LIVE,
    TokenRecord,
    TokenStatus,
    check_expiry,
    check_grants,
    check_name,
    looks_like_secret,
    new_secret,
    secret_hash,
)

#: Token events are judged by no rule set, as administrative ones.
NO_RULESET = "-"
#: The role a token's events are recorded under: the user acts as themselves.
USER_ROLE = "user"


@dataclass(frozen=True)
class NewToken:
    """A token just made, with its secret: the only time the secret is known."""

    token: TokenRecord
    secret: str


@dataclass(frozen=True)
class TokenActor:
    """Who an API call acts as: the token and the Actor limited to its grants."""

    token_id: int
    actor: Actor


def _event(actor: Actor, action: str, clock: Clock, token: TokenRecord, org_id: int | None):
    return new_event(
        actor,
        USER_ROLE,
        action,
        clock,
        NO_RULESET,
        organisation_id=org_id,
        data={
            "token_id": token.id,
            "name": token.name,
            "expires_on": token.expires_on.isoformat(),
            "grant_ids": list(token.grant_ids),
        },
    )


def create_token(
    uow: UnitOfWork,
    actor: Actor,
    name: str | None,
    expires_on: date | None,
    grant_ids: tuple[int, ...] | list[int],
    *,
    clock: Clock | None = None,
) -> NewToken:
    """A new token of the actor's, acting with `grant_ids` (some of their grants) until
    `expires_on` (at most a year ahead)."""
    clock = clock or Clock.system()
    with uow:
        user = uow.users.get(actor.user_id)
        if user is None or not user.active:
            raise NotFound(f"no active user {actor.user_id}")
        clean_name = check_name(name)
        last_day = check_expiry(expires_on, clock.today)
        held = {g.id: g for g in user.grants}
        picked = check_grants(tuple(grant_ids), set(held))
        live = [
            t for t in uow.tokens.of_user(user.id) if t.status(clock.today) is TokenStatus.active
        ]
        if len(live) >= MAX_LIVE:
            raise InvalidInput("tokens", f"at most {MAX_LIVE} live tokens: revoke one first")
        secret = new_secret()
        token = uow.tokens.add(
            user_id=user.id,
            name=clean_name,
            grant_ids=picked,
            secret_hash=secret_hash(secret),
            created_at=clock.now,
            expires_on=last_day,
        )
        org_id = held[picked[0]].organisation_id
        uow.history.append(_event(actor, "create_api_token", clock, token, org_id))
        uow.commit()
        return NewToken(token, secret)


def list_tokens(uow: UnitOfWork, actor: Actor) -> list[TokenRecord]:
    """The actor's own tokens, newest first."""
    with uow:
        return uow.tokens.of_user(actor.user_id)


def revoke_token(
    uow: UnitOfWork, actor: Actor, token_id: int, *, clock: Clock | None = None
) -> TokenRecord:
    """Revoke one of the actor's tokens (another's is NotFound); revoking twice changes nothing."""
    clock = clock or Clock.system()
    with uow:
        token = uow.tokens.get(token_id)
        if token is None or token.user_id != actor.user_id:
            raise NotFound(f"no token {token_id}")
        if token.revoked_at is not None:
            return token
        uow.tokens.revoke(token.id, clock.now)
        user = uow.users.get(actor.user_id)
        grants = {g.id: g.organisation_id for g in user.grants} if user else {}
        org_id = next((grants[g] for g in token.grant_ids if g in grants), None)
        uow.history.append(_event(actor, "revoke_api_token", clock, token, org_id))
        uow.commit()
        return uow.tokens.get(token.id) or token


def authenticate(uow: UnitOfWork, secret: str, *, clock: Clock | None = None) -> TokenActor | None:
    """The actor an API call with `secret` acts as; ``None`` for an unknown, expired or revoked
    token, a deactivated user, or one who no longer holds any of the token's grants."""
    today = (clock or Clock.system()).today
    with uow:
        return _token_actor(uow, secret, today)


def _token_actor(uow: UnitOfWork, secret: str, today: date) -> TokenActor | None:
    if not looks_like_secret(secret):
        return None
    token = uow.tokens.by_hash(secret_hash(secret))
    if token is None or token.status(today) is not TokenStatus.active:
        return None
    actor = uow.tokens.actor(token.user_id, token.grant_ids)
    if actor is None or not actor.grants:
        return None
    return TokenActor(token.id, actor)


@dataclass(frozen=True)
class ApiAccess:
    """What an API call's token came to: the actor it acts as, or none (and whether the
    address was refused before the token was even looked at)."""

    caller: TokenActor | None = None
    throttled: bool = False


def authenticate_from(
    uow: UnitOfWork,
    secret: str,
    address: str,
    *,
    limit: ApiLimit | None = None,
    clock: Clock | None = None,
) -> ApiAccess:
    """As ``authenticate``, unless `address` has failed too often lately (the failures are kept
    in the database, so every worker and host counts them together)."""
    limit = limit or ApiLimit()
    clock = clock or Clock.system()
    with uow:
        if limit.refused(uow.logins.api_failures(address, clock.now - limit.window)):
            return ApiAccess(throttled=True)
        return ApiAccess(_token_actor(uow, secret, clock.today))


def record_api_failure(
    uow: UnitOfWork, address: str, *, limit: ApiLimit | None = None, clock: Clock | None = None
) -> None:
    """Count a failed token check from `address` (and forget those older than the window)."""
    limit = limit or ApiLimit()
    now = (clock or Clock.system()).now
    with uow:
        uow.logins.record_api_failure(address, now, now - limit.window)
        uow.commit()
