"""What logging in needs from storage: the failed attempts, the credentials, session versions."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from workflow.logins import Failures, Tally


class LoginRepository(Protocol):
    """Failed login attempts (kept centrally, so every worker and host sees them) and the users'
    credentials and session versions; passwords are given in clear and compared with the hash."""

    def tally(self, username: str, address: str, device: str | None, since: datetime) -> Tally:
        """The failures since `since` that concern this attempt (`username` already normal)."""
        ...

    def record_failure(
        self, username: str, address: str, device: str | None, at: datetime
    ) -> None: ...

    def forget(self, username: str, address: str, device: str | None) -> None:
        """After a success: drop the device's failures, or without a device those of this username
        from this address (a stranger's failures there stay when a known device logs in)."""
        ...

    def prune(self, before: datetime) -> int:
        """Drop the failures older than `before`; how many."""
        ...

    def api_failures(self, address: str, since: datetime) -> Failures:
        """The API's failed token checks from `address` since `since` (``logins.API_KEY``)."""
        ...

    def record_api_failure(self, address: str, at: datetime, prune_before: datetime) -> None:
        """Count one failed token check from `address`; drop the API's failures older than
        `prune_before` (the logins' are left to their own, longer window)."""
        ...

    def credentials(self, username: str, password: str) -> tuple[int, int] | None:
        """(user id, session version) of the active user `username` whose password this is."""
        ...

    def password_matches(self, user_id: int, password: str) -> bool: ...

    def session_version(self, user_id: int) -> int | None:
        """The user's session version (``None``: no such active user)."""
        ...

    def end_sessions(self, user_id: int) -> int:
        """Every session of the user ends (their version moves on); the new version."""
        ...
