"""What the administration's use cases need from storage: users (and grants), party members,
organisations."""

from __future__ import annotations

from datetime import date
from typing import Any, Protocol

from workflow.admin import MemberLink, OrgRecord, UserRecord


class OrganisationRepository(Protocol):
    """The organisation tree."""

    def get(self, org_id: int) -> OrgRecord | None: ...

    def sibling_named(self, parent_id: int | None, name: str, but: int | None = None) -> bool:
        """Whether another child of `parent_id` (other than `but`) has `name`, case aside."""
        ...

    def add(self, parent: OrgRecord, name: str, type: str, **values: Any) -> OrgRecord:
        """A new organisation under `parent`, with its materialised path."""
        ...

    def update(self, org_id: int, **values: Any) -> None: ...


class UserRepository(Protocol):
    """Users and their role grants; passwords are given in clear and stored hashed."""

    def get(self, user_id: int) -> UserRecord | None: ...

    def username_taken(self, username: str) -> bool: ...

    def member_link(self, member_id: int) -> MemberLink | None: ...

    def add(
        self,
        *,
        username: str,
        full_name: str,
        email: str | None,
        password: str,
        active: bool,
        member_id: int | None,
    ) -> int | None:
        """The new user's id, or ``None`` when the username was taken meanwhile."""
        ...

    def update(
        self, user_id: int, *, full_name: str, email: str | None, member_id: int | None
    ) -> None: ...

    def set_active(self, user_id: int, active: bool) -> None: ...

    def set_password(self, user_id: int, password: str) -> None: ...

    def add_grant(self, user_id: int, role: str, organisation_id: int) -> int | None:
        """The new grant's id, or ``None`` when the user already holds it there."""
        ...

    def remove_grant(self, grant_id: int) -> None: ...

    def add_member(
        self,
        cell_id: int,
        person: dict[str, Any],
        *,
        status: str,
        admitted_on: date,
        official_since: date | None,
        excused: bool,
    ) -> int:
        """A party member of the cell (a new person with the biography `person`); its id."""
        ...
