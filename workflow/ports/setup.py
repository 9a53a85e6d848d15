"""What starting an instance needs from storage beyond the admin repositories: whether it is
still empty, its root organisation, and users who have no usable password yet."""

from __future__ import annotations

from typing import Any, Protocol

from workflow.admin import OrgRecord


class SetupRepository(Protocol):
    """The writes of ``hoso setup`` and of the users' import that no admin use case makes."""

    def is_empty(self) -> bool:
        """No user and no organisation exist yet."""
        ...

    def add_root(self, name: str, type: str, **values: Any) -> OrgRecord:
        """The root of the organisation tree (nothing sits above it)."""
        ...

    def add_user_without_password(
        self, *, username: str, full_name: str, email: str | None, member_id: int | None
    ) -> int | None:
        """A new active user with no usable password (nobody logs in as them until an admin
        sets one); ``None`` when the username was taken meanwhile."""
        ...
