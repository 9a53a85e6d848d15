"""What the API tokens' use cases need from storage: the tokens (secrets as hashes only), and the
actor a token acts as."""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol

from workflow.facts import Actor
from workflow.tokens import TokenRecord


class TokenRepository(Protocol):
    """Personal API tokens."""

    def add(
        self,
        *,
        user_id: int,
        name: str,
        grant_ids: tuple[int, ...],
        secret_hash: str,
        created_at: datetime,
        expires_on: date,
    ) -> TokenRecord: ...

    def get(self, token_id: int) -> TokenRecord | None: ...

    def by_hash(self, secret_hash: str) -> TokenRecord | None:
        """The token whose secret hashes to `secret_hash`, whatever its status."""
        ...

    def of_user(self, user_id: int) -> list[TokenRecord]:
        """The user's tokens, newest first."""
        ...

    def revoke(self, token_id: int, at: datetime) -> None: ...

    def actor(self, user_id: int, grant_ids: tuple[int, ...]) -> Actor | None:
        """The user as an Actor holding only those of `grant_ids` they still hold; ``None``
        when the user is missing or deactivated."""
        ...
