"""What the restructuring use cases need from storage: the tree's versions and what is left in
an organisation, and the grants the admin moves."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from workflow.tree import OrgVersion, Tree


@dataclass(frozen=True)
class Contents:
    """What is still in an organisation now: organisations under it, open cases and active party
    members in it (a cell)."""

    children: int = 0
    open_cases: int = 0
    active_members: int = 0


@dataclass(frozen=True)
class GrantPlace:
    """A role grant and where it is held (the organisation's current path)."""

    id: int
    user_id: int
    username: str
    role: str
    organisation_id: int
    organisation: str
    path: str


class TreeRepository(Protocol):
    """The organisation tree over time."""

    def version(self, org_id: int) -> OrgVersion | None:
        """The organisation's current version (``valid_until``: its dissolution, if any)."""
        ...

    def tree_on(self, day: date | None) -> Tree:
        """The whole tree as it stood on `day` (``None``: now)."""
        ...

    def contents(self, org_id: int) -> Contents: ...

    def change(self, org_id: int, as_of: date, **values: Any) -> None:
        """New current values from `as_of` (parent_id, name, decides_admissions,
        committee_size); the values held until then are kept as a version ending that day.
        A new parent moves the organisation's subtree (its paths)."""
        ...

    def found(self, parent_id: int, as_of: date, name: str, type: str, **values: Any) -> int:
        """A new organisation under `parent_id`, existing from `as_of`; its id."""
        ...

    def dissolve(self, org_id: int, as_of: date) -> None:
        """The organisation ceases to exist on `as_of` (it existed until the day before)."""
        ...

    def grant(self, grant_id: int) -> GrantPlace | None: ...

    def move_grant(self, grant_id: int, organisation_id: int) -> bool:
        """The grant now held on `organisation_id`; False when the user already holds it there."""
        ...
