"""Personal API tokens: what one is, how its secret is made and kept, and the rules of a new one.

A token is ``hoso_`` and 43 URL-safe characters (32 random bytes). Only its SHA-256 is stored:
the secret is shown once, when it is made, and a stolen database holds nothing that opens the
API. A token acts with only the grants chosen when it was made (a subset of its user's), until
it expires or is revoked, and only while its user is active and still holds those grants.
"""

from __future__ import annotations

import hashlib
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from workflow.errors import InvalidInput

PREFIX = "hoso_"
#: Bytes of randomness in a secret (256 bits: guessing is out of the question).
SECRET_BYTES = 32
#: A secret's length: the prefix and 32 bytes in URL-safe base64 (43 characters).
SECRET_LENGTH = len(PREFIX) + 43
MAX_NAME = 100
#: The longest life a token may be given.
MAX_DAYS = 365
#: The most live tokens one user may hold (each is a way in: keep them few).
MAX_LIVE = 20


class TokenStatus(StrEnum):
    active = "active"
    expired = "expired"
    revoked = "revoked"


@dataclass(frozen=True)
class TokenRecord:
    """A stored token: never its secret, only what it may do and until when."""

    id: int
    user_id: int
    name: str
    #: The ids of the user's role grants the token acts with.
    grant_ids: tuple[int, ...]
    created_at: datetime
    #: The last day the token works (local date): it stops at that day's end.
    expires_on: date
    revoked_at: datetime | None = None

    def status(self, today: date) -> TokenStatus:
        """Revoked, expired (after its last day), or active."""
        if self.revoked_at is not None:
            return TokenStatus.revoked
        if today > self.expires_on:
            return TokenStatus.expired
        return TokenStatus.active


def new_secret() -> str:
    """A fresh secret, to be shown once and stored only as its hash."""
    return PREFIX + secrets.token_urlsafe(SECRET_BYTES)


def secret_hash(secret: str) -> str:
    """The SHA-256 (hex) a secret is stored and looked up as."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def looks_like_secret(text: str) -> bool:
    """Whether `text` has a secret's shape (anything else is refused before any lookup)."""
    return (
        len(text) == SECRET_LENGTH
        and text.startswith(PREFIX)
        and text.isascii()
        and all(c.isalnum() or c in "-_" for c in text[len(PREFIX) :])
    )


def check_name(name: str | None) -> str:
    """The token's name, trimmed: required, at most MAX_NAME characters, printable."""
    text = (name or "").strip()
    if not text:
        raise InvalidInput("name", "a token needs a name (what it is for)")
    if len(text) > MAX_NAME:
        raise InvalidInput("name", f"at most {MAX_NAME} characters")
    # Control, format (zero-width, direction) and unassigned characters would hide what a name
    # says in the list of tokens.
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cn", "Co", "Cs") for c in text):
        raise InvalidInput("name", "contains invisible or control characters")
    return text


def check_expiry(expires_on: date | None, today: date) -> date:
    """The token's last day: from today to MAX_DAYS ahead."""
    if expires_on is None:
        raise InvalidInput("expires_on", "a token needs an expiry date")
    if expires_on < today:
        raise InvalidInput("expires_on", "is in the past")
    if expires_on > today + timedelta(days=MAX_DAYS):
        raise InvalidInput("expires_on", f"at most {MAX_DAYS} days from today")
    return expires_on


def check_grants(chosen: tuple[int, ...] | list[int], held: set[int]) -> tuple[int, ...]:
    """The grants a token acts with: at least one, each one its user holds."""
    picked = tuple(sorted(set(chosen)))
    if not picked:
        raise InvalidInput("grants", "choose at least one of your roles")
    if not set(picked) <= held:
        raise InvalidInput("grants", "a token may only act with roles you hold")
    return picked
