"""In-memory fakes of the administration's ports: users, organisations, targets, enterprises.

The fake district's tree: the district committee ``/1/`` (it decides), the grassroots committee
``/1/2/``, our school cell ``/1/2/3/`` with its Đoàn ``/1/2/3/5/``, the enterprise cell
``/1/2/4/``, and the political centre ``/1/6/``. Each fake keeps its state in ``items`` and
serves the unit of work's rollback with ``snapshot``/``restore``.
"""

from __future__ import annotations

import copy
from dataclasses import replace
from decimal import Decimal
from typing import Any

from workflow.admin import GrantRecord, MemberLink, OrgRecord, UserRecord
from workflow.targets import Target


def _org(id: int, parent: int | None, name: str, type: str, path: str, **more: Any) -> OrgRecord:
    values = {
        "unit_kind": "other",
        "has_doan": True,
        "committee_size": 0,
        "decides_admissions": False,
        "mass_kind": None,
    }
    values.update(more)
    return OrgRecord(id, parent, name, type, path=path, **values)


ORGANISATIONS = (
    _org(1, None, "Huyện ủy Thử", "committee", "/1/", decides_admissions=True),
    _org(2, 1, "Đảng ủy xã Thử", "committee", "/1/2/", committee_size=15),
    _org(3, 2, "Chi bộ trường THPT Thử", "cell", "/1/2/3/", unit_kind="school"),
    _org(4, 2, "Chi bộ Công ty Thử", "cell", "/1/2/4/", unit_kind="enterprise"),
    _org(5, 3, "Đoàn trường THPT Thử", "mass", "/1/2/3/5/", mass_kind="doan"),
    _org(6, 1, "Trung tâm Chính trị", "centre", "/1/6/"),
)


class _Store:
    """What every fake here shares: ``items`` by id, the next id, snapshot and restore."""

    def __init__(self, items: dict[int, Any], first_id: int = 1000) -> None:
        self.items = items
        self.next_id = first_id

    def _new_id(self) -> int:
        self.next_id += 1
        return self.next_id

    def snapshot(self) -> Any:
        return copy.deepcopy(self.items), self.next_id

    def restore(self, saved: Any) -> None:
        self.items, self.next_id = saved


class FakeOrganisations(_Store):
    """The OrganisationRepository port in memory."""

    def __init__(self, orgs: tuple[OrgRecord, ...] = ORGANISATIONS) -> None:
        super().__init__({o.id: o for o in orgs}, 100)

    def get(self, org_id: int) -> OrgRecord | None:
        return self.items.get(org_id)

    def sibling_named(self, parent_id: int | None, name: str, but: int | None = None) -> bool:
        return any(
            o.parent_id == parent_id and o.name.lower() == name.lower() and o.id != but
            for o in self.items.values()
        )

    def add(self, parent: OrgRecord, name: str, type: str, **values: Any) -> OrgRecord:
        new_id = self._new_id()
        org = _org(new_id, parent.id, name, type, f"{parent.path}{new_id}/", **values)
        self.items[new_id] = org
        return org

    def update(self, org_id: int, **values: Any) -> None:
        self.items[org_id] = replace(self.items[org_id], **values)


def _grant(id: int, role: str, org: OrgRecord) -> GrantRecord:
    return GrantRecord(id, role, org.id, org.name, org.path)


_BY_ID = {o.id: o for o in ORGANISATIONS}
#: The users of the fake district (ids as in ``tests.workflow.fakes.cases.ACTORS``).
USERS = (
    UserRecord(50, "adm", "Quản trị", None, True, None, (_grant(1, "admin", _BY_ID[1]),)),
    UserRecord(10, "sec", "Bí thư", None, True, 104, (_grant(2, "secretary", _BY_ID[3]),)),
    UserRecord(
        11, "sec_other", "Bí thư khác", None, True, None, (_grant(3, "secretary", _BY_ID[4]),)
    ),
    UserRecord(
        30,
        "com",
        "Ban tổ chức",
        None,
        True,
        None,
        (_grant(4, "committee", _BY_ID[1]), _grant(5, "auditor", _BY_ID[3])),
    ),
    UserRecord(80, "moi", "Người mới", None, True, None, ()),  # no role yet
)
#: Party members a user may be linked to: (cell path, still in the party).
MEMBER_CELLS = {100: ("/1/2/3/", True), 104: ("/1/2/3/", True), 200: ("/1/2/4/", True)}
MEMBER_CELLS[300] = ("/1/2/3/", False)  # left the party


class FakeUsers(_Store):
    """The UserRepository port in memory; ``passwords`` keeps what was set (storage hashes it)."""

    def __init__(
        self, orgs: FakeOrganisations | None = None, users: tuple[UserRecord, ...] = USERS
    ) -> None:
        super().__init__({u.id: u for u in users}, 100)
        self.passwords: dict[int, str] = {}
        self.orgs = orgs or FakeOrganisations()  # a grant names its organisation
        #: The party members added (``add_member``), by id: their cell and values.
        self.members: dict[int, dict[str, Any]] = {}

    def snapshot(self) -> Any:
        return super().snapshot(), dict(self.passwords), copy.deepcopy(self.members)

    def restore(self, saved: Any) -> None:
        base, self.passwords, self.members = saved
        super().restore(base)

    def get(self, user_id: int) -> UserRecord | None:
        return self.items.get(user_id)

    def username_taken(self, username: str) -> bool:
        return any(u.username.lower() == username.lower() for u in self.items.values())

    def member_link(self, member_id: int) -> MemberLink | None:
        if member_id in self.members:
            path, active = self.orgs.items[self.members[member_id]["cell_id"]].path, True
        elif member_id in MEMBER_CELLS:
            path, active = MEMBER_CELLS[member_id]
        else:
            return None
        holders = tuple(u.id for u in self.items.values() if u.member_id == member_id)
        return MemberLink(member_id, path, active, holders)

    def add(self, *, username, full_name, email, password, active, member_id) -> int | None:
        if self.username_taken(username):
            return None
        new_id = self._new_id()
        self.items[new_id] = UserRecord(new_id, username, full_name, email, active, member_id)
        self.passwords[new_id] = password
        return new_id

    def update(self, user_id: int, *, full_name, email, member_id) -> None:
        user = self.items[user_id]
        self.items[user_id] = replace(user, full_name=full_name, email=email, member_id=member_id)

    def set_active(self, user_id: int, active: bool) -> None:
        self.items[user_id] = replace(self.items[user_id], active=active)

    def set_password(self, user_id: int, password: str) -> None:
        self.passwords[user_id] = password

    def add_grant(self, user_id: int, role: str, organisation_id: int) -> int | None:
        user = self.items[user_id]
        if any(g.role == role and g.organisation_id == organisation_id for g in user.grants):
            return None
        grant = _grant(self._new_id(), role, self.orgs.items[organisation_id])
        self.items[user_id] = replace(user, grants=(*user.grants, grant))
        return grant.id

    def remove_grant(self, grant_id: int) -> None:
        for user in list(self.items.values()):
            kept = tuple(g for g in user.grants if g.id != grant_id)
            if kept != user.grants:
                self.items[user.id] = replace(user, grants=kept)

    def add_member(self, cell_id: int, person: dict[str, Any], **membership: Any) -> int:
        new_id = self._new_id()
        self.members[new_id] = {"cell_id": cell_id, **person, **membership}
        return new_id


class FakeTargets(_Store):
    """The TargetRepository port in memory."""

    def __init__(self, targets: tuple[Target, ...] = ()) -> None:
        super().__init__({t.id: t for t in targets}, 100)

    def get(self, target_id: int) -> Target | None:
        return self.items.get(target_id)

    def exists(self, organisation_id: int, year: int, metric: str, unit_kind: str) -> bool:
        return any(
            (t.organisation_id, t.year, t.metric, t.unit_kind)
            == (organisation_id, year, metric, unit_kind)
            for t in self.items.values()
        )

    def add(self, target: Target) -> int:
        new_id = self._new_id()
        self.items[new_id] = replace(target, id=new_id)
        return new_id

    def update(self, target_id: int, value: Decimal, note: str | None) -> None:
        self.items[target_id] = replace(self.items[target_id], value=value, note=note)

    def delete(self, target_id: int) -> None:
        del self.items[target_id]


class FakeEnterprises(_Store):
    """The EnterpriseRepository port in memory: each enterprise as its dict of values."""

    def __init__(self, enterprises: dict[int, dict[str, Any]] | None = None) -> None:
        super().__init__(dict(enterprises or {}), 100)

    def committee_of(self, enterprise_id: int) -> int | None:
        found = self.items.get(enterprise_id)
        return found["committee_id"] if found else None

    def tax_code_taken(self, tax_code: str, but: int | None = None) -> bool:
        return any(v["tax_code"] == tax_code and i != but for i, v in self.items.items())

    def add(self, values: dict[str, Any]) -> int:
        new_id = self._new_id()
        self.items[new_id] = dict(values)
        return new_id

    def update(self, enterprise_id: int, values: dict[str, Any]) -> None:
        self.items[enterprise_id] = dict(values)
