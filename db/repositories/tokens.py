"""Personal API tokens on a session: the TokenRepository port (no permission check, no commit)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from db.actors import actor_of
from db.models import User
from db.models.tokens import ApiToken
from workflow.facts import Actor
from workflow.tokens import TokenRecord


def token_record(row: ApiToken) -> TokenRecord:
    """The plain record of a stored token (no secret: storage never had it)."""
    return TokenRecord(
        id=row.id,
        user_id=row.user_id,
        name=row.name,
        grant_ids=tuple(int(g) for g in row.grant_ids or ()),
        created_at=row.created_at,
        expires_on=row.expires_on,
        revoked_at=row.revoked_at,
    )


class SqlTokens:
    """The TokenRepository port on a session."""

    def __init__(self, session: Session):
        self.session = session

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
        row = ApiToken(
            user_id=user_id,
            name=name,
            grant_ids=list(grant_ids),
            secret_hash=secret_hash,
            created_at=created_at,
            expires_on=expires_on,
        )
        self.session.add(row)
        self.session.flush()
        return token_record(row)

    def get(self, token_id: int) -> TokenRecord | None:
        row = self.session.get(ApiToken, token_id)
        return token_record(row) if row is not None else None

    def by_hash(self, secret_hash: str) -> TokenRecord | None:
        row = self.session.scalar(select(ApiToken).where(ApiToken.secret_hash == secret_hash))
        return token_record(row) if row is not None else None

    def of_user(self, user_id: int) -> list[TokenRecord]:
        rows = self.session.scalars(
            select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.id.desc())
        )
        return [token_record(row) for row in rows]

    def revoke(self, token_id: int, at: datetime) -> None:
        self.session.execute(
            update(ApiToken)
            .where(ApiToken.id == token_id, ApiToken.revoked_at.is_(None))
            .values(revoked_at=at)
        )
        self.session.expire_all()

    def actor(self, user_id: int, grant_ids: tuple[int, ...]) -> Actor | None:
        user = self.session.get(User, user_id)
        if user is None or not user.active:
            return None
        whole = actor_of(user, self.session)
        kept = set(grant_ids)
        # actor_of lists the grants in the user's order: keep those the token was given.
        grants = tuple(
            g for g, row in zip(whole.grants, user.grants, strict=True) if row.id in kept
        )
        return Actor(
            user_id=whole.user_id, username=whole.username, grants=grants, member_id=whole.member_id
        )
