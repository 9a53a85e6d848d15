"""Starting an instance: the first admin and the root of the organisation tree (``hoso setup``).

Nobody may act through the admin use cases before an admin exists, and nobody may create what
lies above an admin's scope: this use case does both, once, on an empty database. Its events are
recorded as done by ``setup`` (username ``SETUP_USER``, role ``SETUP_ROLE``): the operator at
the server's console, not the admin it creates. The history's user column must name a stored
user, so the events carry the new admin's id; the username and role say it was the setting up.
"""

from __future__ import annotations

from dataclasses import dataclass

from workflow import admin as rules
from workflow.clock import Clock
from workflow.errors import NotAllowed
from workflow.events import new_event
from workflow.facts import Actor
from workflow.ports import UnitOfWork
from workflow.services.admin_scope import NO_RULESET
from workflow.states import OrgType, Role, UnitKind

#: Who the setting-up events name, and in what role.
SETUP_USER = "setup"
SETUP_ROLE = "system"
NOT_EMPTY = "the database already holds users or organisations; hoso setup starts an empty one"


@dataclass(frozen=True)
class SetUp:
    """What ``set_up`` made: the first admin and the root organisation."""

    user_id: int
    username: str
    organisation_id: int
    organisation: str


def set_up(
    uow: UnitOfWork,
    *,
    username: str,
    full_name: str,
    password: str,
    organisation: str,
    email: str | None = None,
    clock: Clock | None = None,
) -> SetUp:
    """The first admin (admin of the root) and the root organisation, a party committee."""
    name = rules.check_username(username)
    full = rules.check_text("full_name", full_name, rules.NAME_MAX) or ""
    mail = rules.check_email(email)
    secret = rules.check_password(password, name, full)
    title = rules.check_text("organisation", organisation, rules.NAME_MAX) or ""
    clock = clock or Clock.system()
    with uow:
        if not uow.setup.is_empty():
            raise NotAllowed(NOT_EMPTY)
        values = rules.org_values(OrgType.committee, UnitKind.other, 0, None)
        root = uow.setup.add_root(title, OrgType.committee, **values)
        user_id = uow.users.add(
            username=name, full_name=full, email=mail, password=secret, active=True, member_id=None
        )
        if user_id is None:  # another setup ran meanwhile
            raise NotAllowed(NOT_EMPTY)
        uow.users.add_grant(user_id, Role.admin, root.id)
        by = Actor(user_id=user_id, username=SETUP_USER)

        def event(action: str, **data: object):
            return new_event(
                by, SETUP_ROLE, action, clock, NO_RULESET, organisation_id=root.id, data=data
            )

        uow.history.append(
            event("admin_create_organisation", name=title, type=OrgType.committee, **values)
        )
        uow.history.append(
            event("admin_create_user", user=name, full_name=full, active=True, member_id=None)
        )
        uow.history.append(
            event("admin_grant_role", user=name, role=Role.admin, organisation=title)
        )
        uow.commit()
    return SetUp(user_id, name, root.id, title)
