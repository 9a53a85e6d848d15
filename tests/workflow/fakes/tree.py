"""The TreeRepository port in memory, over the fake organisations, users and cases.

The fake organisations (``FakeOrganisations``) keep the current values; this fake keeps, per
organisation, the day they began and its dissolution (``since``, ``dissolved``) and the past
versions; ``members`` counts the active members of a cell (none unless a test says so).
"""

from __future__ import annotations

import copy
from dataclasses import replace
from datetime import date
from typing import Any

from tests.workflow.fakes.admin import FakeOrganisations, FakeUsers
from workflow.admin import GrantRecord
from workflow.ports.tree import Contents, GrantPlace
from workflow.states import CLOSED_STATES
from workflow.tree import BEGINNING, OrgVersion, Tree, tree_on


class FakeTree:
    """The tree over time, in memory."""

    def __init__(self, orgs: FakeOrganisations, users: FakeUsers, cases: Any) -> None:
        self.orgs = orgs
        self.users = users
        self.cases = cases
        self.since: dict[int, date] = {}
        self.dissolved: dict[int, date] = {}
        self.past: list[OrgVersion] = []
        self.members: dict[int, int] = {}

    def snapshot(self) -> Any:
        return copy.deepcopy((self.since, self.dissolved, self.past, self.members))

    def restore(self, saved: Any) -> None:
        self.since, self.dissolved, self.past, self.members = saved

    def version(self, org_id: int) -> OrgVersion | None:
        org = self.orgs.get(org_id)
        if org is None:
            return None
        return OrgVersion(
            org.id,
            self.since.get(org.id, BEGINNING),
            self.dissolved.get(org.id),
            org.parent_id,
            org.name,
            org.type,
            org.decides_admissions,
            org.committee_size,
        )

    def tree_on(self, day: date | None) -> Tree:
        current = [self.version(i) for i in self.orgs.items]
        if day is None:
            return Tree(None, {v.org_id: v for v in current if v.valid_until is None})
        return tree_on([*current, *self.past], day)

    def contents(self, org_id: int) -> Contents:
        org = self.orgs.get(org_id)
        below = {o.id for o in self.orgs.items.values() if o.path.startswith(org.path)}
        children = sum(
            1
            for o in self.orgs.items.values()
            if o.parent_id == org_id and o.id not in self.dissolved
        )
        open_cases = sum(
            1
            for c in self.cases.items.values()
            if c.cell_id in below and c.state not in CLOSED_STATES
        )
        return Contents(children, open_cases, self.members.get(org_id, 0))

    def change(self, org_id: int, as_of: date, **values: Any) -> None:
        current = self.version(org_id)
        if as_of > current.valid_from:
            self.past.append(replace(current, valid_until=as_of))
            self.since[org_id] = as_of
        old = self.orgs.get(org_id)
        self.orgs.update(org_id, **values)
        if "parent_id" in values and values["parent_id"] != old.parent_id:
            new_path = f"{self.orgs.get(values['parent_id']).path}{org_id}/"
            for o in list(self.orgs.items.values()):
                if o.path.startswith(old.path):
                    self.orgs.update(o.id, path=new_path + o.path[len(old.path) :])

    def found(self, parent_id: int, as_of: date, name: str, type: str, **values: Any) -> int:
        parent = self.orgs.get(parent_id)
        new = self.orgs.add(parent, name, type, **values)
        self.since[new.id] = as_of
        return new.id

    def dissolve(self, org_id: int, as_of: date) -> None:
        self.dissolved[org_id] = as_of

    def _grants(self) -> list[tuple[int, GrantRecord]]:
        return [(u.id, g) for u in self.users.items.values() for g in u.grants]

    def grant(self, grant_id: int) -> GrantPlace | None:
        for user_id, g in self._grants():
            if g.id == grant_id:
                org = self.orgs.get(g.organisation_id)
                username = self.users.items[user_id].username
                return GrantPlace(g.id, user_id, username, g.role, org.id, org.name, org.path)
        return None

    def move_grant(self, grant_id: int, organisation_id: int) -> bool:
        place = self.grant(grant_id)
        user = self.users.items[place.user_id]
        if any(g.role == place.role and g.organisation_id == organisation_id for g in user.grants):
            return False
        org = self.orgs.get(organisation_id)
        moved = GrantRecord(grant_id, place.role, org.id, org.name, org.path)
        grants = tuple(moved if g.id == grant_id else g for g in user.grants)
        self.users.items[user.id] = replace(user, grants=grants)
        return True
