"""The TokenRepository port in memory."""

from __future__ import annotations

import copy
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from workflow.facts import Actor, Grant
from workflow.tokens import TokenRecord


class FakeTokens:
    """Tokens by id, with their secrets' hashes; the actor from the fake users' grants."""

    def __init__(self, users: Any) -> None:
        self.users = users
        self.items: dict[int, TokenRecord] = {}
        self.hashes: dict[str, int] = {}

    def snapshot(self) -> Any:
        return copy.deepcopy(self.items), dict(self.hashes)

    def restore(self, saved: Any) -> None:
        self.items, self.hashes = saved

    def add(
        self,
        *,
        user_id: int,
        name: str,
        grant_ids: tuple[int, ...],
        secret_hash: str,
        created_at: datetime,
        expires_on: date,
    ) -> TokenRecord:
        token = TokenRecord(len(self.items) + 1, user_id, name, grant_ids, created_at, expires_on)
        self.items[token.id] = token
        self.hashes[secret_hash] = token.id
        return token

    def get(self, token_id: int) -> TokenRecord | None:
        return self.items.get(token_id)

    def by_hash(self, secret_hash: str) -> TokenRecord | None:
        token_id = self.hashes.get(secret_hash)
        return self.items.get(token_id) if token_id is not None else None

    def of_user(self, user_id: int) -> list[TokenRecord]:
        return sorted((t for t in self.items.values() if t.user_id == user_id), key=lambda t: -t.id)

    def revoke(self, token_id: int, at: datetime) -> None:
        token = self.items[token_id]
        if token.revoked_at is None:
            self.items[token_id] = replace(token, revoked_at=at)

    def actor(self, user_id: int, grant_ids: tuple[int, ...]) -> Actor | None:
        user = self.users.get(user_id)
        if user is None or not user.active:
            return None
        grants = tuple(
            Grant(g.role, g.organisation_id, g.path) for g in user.grants if g.id in grant_ids
        )
        return Actor(user.id, user.username, grants, user.member_id)
