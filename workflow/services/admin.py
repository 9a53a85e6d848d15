"""The admins' use cases: users, role grants, organisations, the deciding body, party members.

Every use case works only within the actor's admin scope (``policy.scope(actor,
Purpose.manage)``): a non-admin is refused (NotAllowed), an organisation or a user outside the
scope does not exist for the admin (NotFound). The rules are in ``workflow.admin``; each change
is an administrative event of the history, committed with it. A refused change changes nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from workflow import admin as rules
from workflow import tree as tree_rules
from workflow.admin import OrgRecord, UserRecord
from workflow.clock import Clock
from workflow.errors import InvalidInput, NotAllowed, NotFound
from workflow.facts import Actor
from workflow.policy import Scope
from workflow.ports import UnitOfWork
from workflow.services.admin_scope import (
    admin_event,
    check_not_dissolved,
    manage_scope,
    organisation_in_scope,
)
from workflow.states import OrgType, Role, UnitKind


def _user(uow: UnitOfWork, within: Scope, user_id: int, manage: bool = True) -> UserRecord:
    """The user if the admin sees them (NotFound) and, with `manage`, may manage them."""
    user = uow.users.get(user_id)
    paths = [g.path for g in user.grants] if user is not None else []
    if user is None or not rules.visible(within, paths):
        raise NotFound(f"user {user_id}")
    if manage and not rules.manageable(within, paths):
        raise NotAllowed("the user also holds roles outside your scope")
    return user


def _member(uow: UnitOfWork, within: Scope, member_id: int | None, user_id: int | None):
    if member_id is not None:
        rules.check_member(uow.users.member_link(member_id), within, user_id)
    return member_id


# --- users -------------------------------------------------------------------------------------


def create_user(
    uow: UnitOfWork,
    actor: Actor,
    *,
    username: str,
    full_name: str,
    password: str,
    email: str | None = None,
    active: bool = True,
    member_id: int | None = None,
    clock: Clock | None = None,
) -> int:
    """A new user with a hashed initial password and no role yet; returns their id."""
    within = manage_scope(actor)
    name = rules.check_username(username)
    full = rules.check_text("full_name", full_name, rules.NAME_MAX) or ""
    mail = rules.check_email(email)
    secret = rules.check_password(password, name, full)
    with uow:
        if uow.users.username_taken(name):
            raise InvalidInput("username", rules.USERNAME_TAKEN)
        member = _member(uow, within, member_id, None)
        user_id = uow.users.add(
            username=name,
            full_name=full,
            email=mail,
            password=secret,
            active=active,
            member_id=member,
        )
        if user_id is None:  # another admin took the name meanwhile
            raise InvalidInput("username", rules.USERNAME_TAKEN)
        event = admin_event(
            actor,
            "create_user",
            clock or Clock.system(),
            user=name,
            full_name=full,
            active=active,
            member_id=member,
        )
        uow.history.append(event)
        uow.commit()
        return user_id


def update_user(
    uow: UnitOfWork,
    actor: Actor,
    user_id: int,
    *,
    full_name: str,
    email: str | None = None,
    member_id: int | None = None,
    clock: Clock | None = None,
) -> None:
    """Change a user's name, e-mail and party member (the username stays: the history has it)."""
    within = manage_scope(actor)
    with uow:
        user = _user(uow, within, user_id)
        full = rules.check_text("full_name", full_name, rules.NAME_MAX) or ""
        mail = rules.check_email(email)
        member = _member(uow, within, member_id, user_id)
        uow.users.update(user_id, full_name=full, email=mail, member_id=member)
        event = admin_event(
            actor,
            "update_user",
            clock or Clock.system(),
            user=user.username,
            full_name=full,
            email=mail,
            member_id=member,
        )
        uow.history.append(event)
        uow.commit()


def set_user_active(
    uow: UnitOfWork, actor: Actor, user_id: int, active: bool, clock: Clock | None = None
) -> None:
    """Deactivate (no more logins, the open session ends) or reactivate a user."""
    within = manage_scope(actor)
    with uow:
        user = _user(uow, within, user_id)
        if user.id == actor.user_id and not active:
            raise InvalidInput("active", rules.NOT_YOURSELF)
        uow.users.set_active(user_id, active)
        uow.logins.end_sessions(user_id)  # no session of before survives a reactivation
        action = "activate_user" if active else "deactivate_user"
        uow.history.append(admin_event(actor, action, clock or Clock.system(), user=user.username))
        uow.commit()


def reset_password(
    uow: UnitOfWork, actor: Actor, user_id: int, password: str, clock: Clock | None = None
) -> None:
    """Give a user a new password (stored hashed); every session of theirs ends."""
    within = manage_scope(actor)
    with uow:
        user = _user(uow, within, user_id)
        secret = rules.check_password(password, user.username, user.full_name)
        uow.users.set_password(user_id, secret)
        uow.logins.end_sessions(user_id)  # every session of the user ends, on every worker
        event = admin_event(actor, "reset_password", clock or Clock.system(), user=user.username)
        uow.history.append(event)
        uow.commit()


# --- role grants -------------------------------------------------------------------------------


def _check_grant(actor: Actor, user: UserRecord, role: str, org: OrgRecord) -> None:
    """What a grant must satisfy beyond scope: the user does not hold it there yet.

    Granting is separate from holding: no admin grants a role to their own account.
    """
    rules.check_grant_to(actor.user_id, user.id)
    if any(g.role == role and g.organisation_id == org.id for g in user.grants):
        raise InvalidInput("role", rules.GRANT_HELD)


def grant_role(
    uow: UnitOfWork,
    actor: Actor,
    user_id: int,
    role: str,
    organisation_id: int,
    clock: Clock | None = None,
) -> int:
    """Grant `role` within an organisation of the admin's scope; returns the grant's id."""
    within = manage_scope(actor)
    rules.check_role(role)
    with uow:
        user = _user(uow, within, user_id, manage=False)
        org = organisation_in_scope(uow, within, organisation_id)
        check_not_dissolved(uow, org, "organisation", tree_rules.GRANT_DISSOLVED)
        _check_grant(actor, user, role, org)
        grant_id = uow.users.add_grant(user.id, role, org.id)
        if grant_id is None:  # granted by another admin meanwhile
            raise InvalidInput("role", rules.GRANT_HELD)
        event = admin_event(
            actor,
            "grant_role",
            clock or Clock.system(),
            org.id,
            user=user.username,
            role=role,
            organisation=org.name,
        )
        uow.history.append(event)
        uow.commit()
        return grant_id


def revoke_grant(
    uow: UnitOfWork, actor: Actor, user_id: int, grant_id: int, clock: Clock | None = None
) -> None:
    """Remove one of a user's grants, if it lies in the admin's scope."""
    within = manage_scope(actor)
    with uow:
        user = _user(uow, within, user_id, manage=False)
        grant = next((g for g in user.grants if g.id == grant_id), None)
        if grant is None or not within.covers(grant.path):
            raise NotFound(f"grant {grant_id}")
        if user.id == actor.user_id and grant.role == Role.admin:
            raise InvalidInput("grant", rules.OWN_ADMIN)
        uow.users.remove_grant(grant_id)
        event = admin_event(
            actor,
            "revoke_role",
            clock or Clock.system(),
            grant.organisation_id,
            user=user.username,
            role=grant.role,
            organisation=grant.organisation,
        )
        uow.history.append(event)
        uow.commit()


# --- organisations -----------------------------------------------------------------------------


def create_organisation(
    uow: UnitOfWork,
    actor: Actor,
    parent_id: int,
    *,
    name: str,
    type: str,
    unit_kind: str = UnitKind.other,
    has_doan: bool = True,
    committee_size: int | None = 0,
    mass_kind: str | None = None,
    clock: Clock | None = None,
) -> int:
    """A new organisation under one in the admin's scope; returns its id."""
    within = manage_scope(actor)
    title = rules.check_text("name", name, rules.NAME_MAX) or ""
    rules.check_org_type(type)
    values = rules.org_values(type, unit_kind, committee_size, mass_kind)
    with uow:
        parent = organisation_in_scope(uow, within, parent_id)
        check_not_dissolved(uow, parent, "parent")
        rules.check_parent(parent.type, type)
        if uow.organisations.sibling_named(parent.id, title):
            raise InvalidInput("name", rules.NAME_TAKEN)
        org = uow.organisations.add(parent, title, type, has_doan=has_doan, **values)
        event = admin_event(
            actor,
            "create_organisation",
            clock or Clock.system(),
            org.id,
            name=org.name,
            type=type,
            parent=parent.name,
            has_doan=has_doan,
            **values,
        )
        uow.history.append(event)
        uow.commit()
        return org.id


def update_organisation(
    uow: UnitOfWork,
    actor: Actor,
    org_id: int,
    *,
    name: str,
    unit_kind: str,
    has_doan: bool,
    committee_size: int | None = 0,
    mass_kind: str | None = None,
    clock: Clock | None = None,
) -> None:
    """Change an organisation's name and flags (its kind and place in the tree stay)."""
    within = manage_scope(actor)
    with uow:
        org = organisation_in_scope(uow, within, org_id)
        check_not_dissolved(uow, org, "organisation")
        title = rules.check_text("name", name, rules.NAME_MAX) or ""
        values = rules.org_values(org.type, unit_kind, committee_size, mass_kind)
        if uow.organisations.sibling_named(org.parent_id, title, but=org.id):
            raise InvalidInput("name", rules.NAME_TAKEN)
        uow.organisations.update(org.id, name=title, has_doan=has_doan, **values)
        event = admin_event(
            actor,
            "update_organisation",
            clock or Clock.system(),
            org.id,
            name=title,
            has_doan=has_doan,
            **values,
        )
        uow.history.append(event)
        uow.commit()


def set_deciding_body(
    uow: UnitOfWork, actor: Actor, org_id: int, decides: bool, clock: Clock | None = None
) -> None:
    """Make a party committee decide admissions for everything below it, or stop it doing so."""
    within = manage_scope(actor)
    with uow:
        org = organisation_in_scope(uow, within, org_id)
        check_not_dissolved(uow, org, "decides_admissions")
        if decides and org.type != OrgType.committee:
            raise InvalidInput("decides_admissions", rules.NOT_A_COMMITTEE)
        uow.organisations.update(org.id, decides_admissions=decides)
        event = admin_event(
            actor,
            "set_deciding_body",
            clock or Clock.system(),
            org.id,
            organisation=org.name,
            decides=decides,
        )
        uow.history.append(event)
        uow.commit()


# --- party members -----------------------------------------------------------------------------


def add_member(
    uow: UnitOfWork,
    actor: Actor,
    cell_id: int,
    *,
    person: dict[str, Any],
    status: str,
    admitted_on: date,
    official_since: date | None = None,
    excused: bool = False,
    clock: Clock | None = None,
) -> int:
    """Enter a party member on the rolls of a cell in the admin's scope (one admitted before
    hoso, or transferred in); returns the member's id."""
    within = manage_scope(actor)
    values = rules.check_person(person)
    rules.check_membership(status, admitted_on, official_since)
    with uow:
        cell = organisation_in_scope(uow, within, cell_id)
        if cell.type != OrgType.cell:
            raise InvalidInput("cell", rules.NOT_A_CELL)
        check_not_dissolved(uow, cell, "cell")
        member_id = uow.users.add_member(
            cell.id,
            values,
            status=status,
            admitted_on=admitted_on,
            official_since=official_since,
            excused=excused,
        )
        event = admin_event(
            actor,
            "add_member",
            clock or Clock.system(),
            cell.id,
            member_id=member_id,
            full_name=values["full_name"],
            cell=cell.name,
            status=status,
            admitted_on=admitted_on.isoformat(),
            official_since=official_since.isoformat() if official_since else None,
            excused=excused,
        )
        uow.history.append(event)
        uow.commit()
        return member_id
