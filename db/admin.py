"""The admins' use cases: users, role grants, organisations and the deciding body.

Every use case takes the acting admin's Actor and works only within the subtrees of their admin
grants: an organisation or a user outside them does not exist for the admin (NotFound, 404).
A user is *visible* to an admin when they hold no grant yet or one in the admin's scope, and
*manageable* (edited, deactivated, password reset) only when all their grants are in scope, so
that an admin of one cell cannot lock out a district officer who also holds a role there.

Refusals name the field and say why (InvalidInput); the message texts are the constants below so
that the web can word them in the user's language. A refused change changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.security import generate_password_hash

from db.models import Member, Organisation, Person, RoleGrant, User
from db.organisations import add_organisation
from db.repositories.history import SqlHistory
from db.session import WRITE
from db.text import fold
from workflow.errors import InvalidInput, NotAllowed, NotFound
from workflow.facts import Actor
from workflow.ports import NewEvent
from workflow.states import OrgType, Role, UnitKind

PASSWORD_MIN = 8
USERNAME_RE = re.compile(r"[a-z0-9][a-z0-9._-]{1,79}")
EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
MASS_KINDS = ("doan", "congdoan", "mattran", "hoi", "other")
#: Which kinds of organisation may sit under which (the depth of the tree is free).
PARENT_TYPES: dict[str, tuple[str, ...]] = {
    OrgType.committee: (OrgType.committee,),
    OrgType.cell: (OrgType.committee,),
    OrgType.centre: (OrgType.committee,),
    OrgType.mass: (OrgType.committee, OrgType.cell),
}

# The refusals' texts (the web translates them).
USERNAME_TAKEN = "this username is already taken"
USERNAME_FORM = "2 to 80 lower-case letters, digits, dots, dashes or underscores"
REQUIRED = "required"
TOO_LONG = "too long"
PASSWORD_SHORT = f"at least {PASSWORD_MIN} characters"
EMAIL_FORM = "not an e-mail address"
MEMBER_TAKEN = "this party member already has a user"
NOT_YOURSELF = "you cannot do this to your own account"
OWN_ADMIN = "you cannot remove your own admin role"
GRANT_HELD = "the user already holds this role there"
UNKNOWN_ROLE = "unknown role"
UNKNOWN_CHOICE = "not one of the choices"
PARENT_KIND = "this kind of organisation cannot be placed there"
NAME_TAKEN = "an organisation of this name already exists there"
SIZE_RANGE = "a number from 0 to 999"
NOT_A_COMMITTEE = "only a party committee can decide admissions"


# --- scope -------------------------------------------------------------------------------------


def admin_paths(actor: Actor) -> list[str]:
    """The scope paths of the actor's admin grants."""
    return sorted({g.scope_path for g in actor.grants_for(Role.admin)})


def _require_admin(actor: Actor) -> list[str]:
    paths = admin_paths(actor)
    if not paths:
        raise NotAllowed("only an admin manages users and organisations")
    return paths


def _covers(paths: list[str], org_path: str) -> bool:
    return any(org_path.startswith(p) for p in paths)


def _org(session: Session, actor: Actor, org_id: int | None) -> Organisation:
    """The organisation if it is in the admin's scope, else NotFound."""
    paths = _require_admin(actor)
    org = session.get(Organisation, org_id) if org_id is not None else None
    if org is None or not _covers(paths, org.path):
        raise NotFound(f"organisation {org_id}")
    return org


def _grant_paths(user: User) -> list[str]:
    return [g.organisation.path for g in user.grants]


def _visible(paths: list[str], grant_paths: list[str]) -> bool:
    return not grant_paths or any(_covers(paths, p) for p in grant_paths)


def _manageable(paths: list[str], grant_paths: list[str]) -> bool:
    return all(_covers(paths, p) for p in grant_paths)


def _user(session: Session, actor: Actor, user_id: int, manage: bool = True) -> User:
    """The user if the admin sees them (NotFound) and, with `manage`, may manage them."""
    paths = _require_admin(actor)
    user = session.get(User, user_id)
    if user is None or not _visible(paths, _grant_paths(user)):
        raise NotFound(f"user {user_id}")
    if manage and not _manageable(paths, _grant_paths(user)):
        raise NotAllowed("the user also holds roles outside your scope")
    return user


#: The actions of administrative events, as the history names them.
ADMIN_ACTIONS = tuple(
    f"admin_{name}"
    for name in (
        "create_user",
        "update_user",
        "activate_user",
        "deactivate_user",
        "reset_password",
        "grant_role",
        "revoke_role",
        "create_organisation",
        "update_organisation",
        "set_deciding_body",
        "create_target",
        "update_target",
        "delete_target",
        "create_enterprise",
        "update_enterprise",
    )
)


def _log(
    session: Session, actor: Actor, action: str, organisation_id: int | None = None, **data
) -> None:
    """Append the administrative event to the history, in the change's own transaction."""
    if organisation_id is None:
        organisation_id = actor.grants_for(Role.admin)[0].organisation_id
    SqlHistory(session).append(
        NewEvent(
            case_id=None,
            organisation_id=organisation_id,
            at=datetime.now(UTC),
            user_id=actor.user_id,
            username=actor.username,
            role=Role.admin,
            action=_known(f"admin_{action}"),
            from_state=None,
            to_state=None,
            reason=None,
            data=data,
            ruleset="-",
        )
    )


def _known(action: str) -> str:
    assert action in ADMIN_ACTIONS, action
    return action


@contextmanager
def _unit(sessions: sessionmaker[Session]) -> Iterator[Session]:
    """One write transaction: committed by the use case, rolled back otherwise."""
    with sessions() as session:
        session.connection(execution_options=WRITE)
        yield session


# --- reading -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrgRow:
    """An organisation as the admin pages show it; ``depth`` is its indentation in the tree."""

    id: int
    parent_id: int | None
    name: str
    type: str
    unit_kind: str
    has_doan: bool
    committee_size: int
    decides_admissions: bool
    mass_kind: str | None
    path: str
    depth: int


_TYPE_ORDER = {OrgType.committee: 0, OrgType.centre: 1, OrgType.cell: 2, OrgType.mass: 3}


def organisation_tree(session: Session, actor: Actor) -> list[OrgRow]:
    """The organisations in the admin's scope, parents before children, siblings by kind, name."""
    paths = _require_admin(actor)
    orgs = list(
        session.scalars(select(Organisation).where(_scope_clause(paths)).order_by(Organisation.id))
    )
    ids = {o.id for o in orgs}
    children: dict[int | None, list[Organisation]] = {}
    for org in orgs:
        parent = org.parent_id if org.parent_id in ids else None
        children.setdefault(parent, []).append(org)
    rows: list[OrgRow] = []

    def walk(parent: int | None, depth: int) -> None:
        kids = children.get(parent, [])
        for org in sorted(kids, key=lambda o: (_TYPE_ORDER.get(o.type, 9), fold(o.name))):
            rows.append(_org_row(org, depth))
            walk(org.id, depth + 1)

    walk(None, 0)
    return rows


def _scope_clause(paths: list[str]) -> ColumnElement[bool]:
    return or_(*(Organisation.path.startswith(p) for p in paths))


def _org_row(org: Organisation, depth: int = 0) -> OrgRow:
    return OrgRow(
        id=org.id,
        parent_id=org.parent_id,
        name=org.name,
        type=org.type,
        unit_kind=org.unit_kind,
        has_doan=org.has_doan,
        committee_size=org.committee_size,
        decides_admissions=org.decides_admissions,
        mass_kind=org.mass_kind,
        path=org.path,
        depth=depth,
    )


def organisation(session: Session, actor: Actor, org_id: int) -> OrgRow:
    """One organisation in scope (NotFound otherwise)."""
    return _org_row(_org(session, actor, org_id))


@dataclass(frozen=True)
class DecidingFor:
    """Who decides for a cell: the nearest deciding ancestor, else the root of the tree."""

    cell: OrgRow
    body_id: int
    body_name: str
    by_default: bool  # no ancestor decides: the root of the tree does
    committee_size: int  # of the grassroots committee whose 2/3 vote counts (0: none set)


def deciding_bodies(session: Session, actor: Actor) -> list[DecidingFor]:
    """For each cell in scope, the body that decides its admissions (as ``db.cases`` finds it)."""
    cells = [row for row in organisation_tree(session, actor) if row.type == OrgType.cell]
    ancestor_ids = {int(part) for row in cells for part in row.path.strip("/").split("/")}
    ancestors = {
        o.id: o
        for o in session.scalars(select(Organisation).where(Organisation.id.in_(ancestor_ids)))
    }
    result = []
    for cell in cells:
        chain = [ancestors[int(part)] for part in cell.path.strip("/").split("/")]
        deciding = next((o for o in reversed(chain) if o.decides_admissions), None)
        committee = next(
            (o for o in reversed(chain) if o.type == OrgType.committee and o.committee_size),
            None,
        )
        body = deciding or chain[0]
        result.append(
            DecidingFor(
                cell=cell,
                body_id=body.id,
                body_name=body.name,
                by_default=deciding is None,
                committee_size=committee.committee_size if committee else 0,
            )
        )
    return result


@dataclass(frozen=True)
class GrantRow:
    """A role grant; ``in_scope``: the admin may remove it."""

    id: int
    role: str
    organisation_id: int
    organisation: str
    in_scope: bool


@dataclass(frozen=True)
class UserRow:
    """A user as the admin pages show them."""

    id: int
    username: str
    full_name: str
    email: str | None
    active: bool
    has_password: bool
    member_id: int | None
    member_name: str | None
    manageable: bool
    grants: list[GrantRow] = field(default_factory=list)


def _user_row(session: Session, paths: list[str], user: User) -> UserRow:
    member_name = None
    if user.member_id is not None:
        member_name = session.scalar(
            select(Person.full_name)
            .join(Member, Member.person_id == Person.id)
            .where(Member.id == user.member_id)
        )
    grants = [
        GrantRow(
            id=g.id,
            role=g.role,
            organisation_id=g.organisation_id,
            organisation=g.organisation.name,
            in_scope=_covers(paths, g.organisation.path),
        )
        for g in sorted(user.grants, key=lambda g: (g.organisation.path, g.role))
    ]
    return UserRow(
        id=user.id,
        username=user.username,
        full_name=user.full_name,
        email=user.email,
        active=user.active,
        has_password=bool(user.password_hash),
        member_id=user.member_id,
        member_name=member_name,
        manageable=_manageable(paths, _grant_paths(user)),
        grants=grants,
    )


def users(session: Session, actor: Actor) -> list[UserRow]:
    """The users the admin sees, by username."""
    paths = _require_admin(actor)
    rows = []
    for user in session.scalars(select(User).order_by(User.username)):
        if _visible(paths, _grant_paths(user)):
            rows.append(_user_row(session, paths, user))
    return rows


def user(session: Session, actor: Actor, user_id: int) -> UserRow:
    """One user the admin sees (NotFound otherwise)."""
    return _user_row(session, admin_paths(actor), _user(session, actor, user_id, manage=False))


def linkable_members(
    session: Session, actor: Actor, user_id: int | None = None
) -> list[tuple[int, str]]:
    """Party members of cells in scope with no user yet (or linked to `user_id`): (id, label)."""
    paths = _require_admin(actor)
    taken = select(User.member_id).where(User.member_id.is_not(None))
    if user_id is not None:
        taken = taken.where(User.id != user_id)
    rows = session.execute(
        select(Member.id, Person.full_name, Organisation.name)
        .join(Person, Person.id == Member.person_id)
        .join(Organisation, Organisation.id == Member.cell_id)
        .where(_scope_clause(paths), Member.left_on.is_(None), Member.id.not_in(taken))
        .order_by(Organisation.path, Person.full_name)
    )
    return [(row.id, f"{row.full_name} — {row.name}") for row in rows]


# --- checking input ----------------------------------------------------------------------------


def _text(name: str, value: str | None, limit: int, required: bool = True) -> str | None:
    value = (value or "").strip()
    if not value:
        if required:
            raise InvalidInput(name, REQUIRED)
        return None
    if len(value) > limit:
        raise InvalidInput(name, TOO_LONG)
    return value


def _password(value: str | None) -> str:
    if not value or not value.strip():
        raise InvalidInput("password", REQUIRED)
    if len(value) < PASSWORD_MIN:
        raise InvalidInput("password", PASSWORD_SHORT)
    if len(value) > 200:
        raise InvalidInput("password", TOO_LONG)
    return value


def _email(value: str | None) -> str | None:
    email = _text("email", value, 200, required=False)
    if email is not None and not EMAIL_RE.fullmatch(email):
        raise InvalidInput("email", EMAIL_FORM)
    return email


def _member(session: Session, actor: Actor, member_id: int | None, user_id: int | None):
    if member_id is None:
        return None
    if member_id not in {i for i, _ in linkable_members(session, actor, user_id)}:
        holder = session.scalar(select(User.id).where(User.member_id == member_id))
        raise InvalidInput("member", MEMBER_TAKEN if holder else UNKNOWN_CHOICE)
    return member_id


# --- users -------------------------------------------------------------------------------------


def create_user(
    sessions: sessionmaker[Session],
    actor: Actor,
    *,
    username: str,
    full_name: str,
    password: str,
    email: str | None = None,
    active: bool = True,
    member_id: int | None = None,
) -> int:
    """A new user with a hashed initial password and no role yet; returns their id."""
    _require_admin(actor)
    name = (username or "").strip().lower()
    if not name:
        raise InvalidInput("username", REQUIRED)
    if not USERNAME_RE.fullmatch(name):
        raise InvalidInput("username", USERNAME_FORM)
    full = _text("full_name", full_name, 200)
    mail = _email(email)
    secret = _password(password)
    with _unit(sessions) as session:
        if session.scalar(select(User.id).where(func.lower(User.username) == name)):
            raise InvalidInput("username", USERNAME_TAKEN)
        user = User(
            username=name,
            full_name=full,
            email=mail,
            password_hash=generate_password_hash(secret),
            active=active,
            member_id=_member(session, actor, member_id, None),
        )
        session.add(user)
        try:
            session.flush()
            _log(
                session,
                actor,
                "create_user",
                user=name,
                full_name=full,
                active=active,
                member_id=user.member_id,
            )
            session.commit()
        except IntegrityError as err:  # another admin took the name meanwhile
            raise InvalidInput("username", USERNAME_TAKEN) from err
        return user.id


def update_user(
    sessions: sessionmaker[Session],
    actor: Actor,
    user_id: int,
    *,
    full_name: str,
    email: str | None = None,
    member_id: int | None = None,
) -> None:
    """Change a user's name, e-mail and party member (the username stays: the history has it)."""
    full = _text("full_name", full_name, 200)
    mail = _email(email)
    with _unit(sessions) as session:
        user = _user(session, actor, user_id)
        user.full_name = full or ""
        user.email = mail
        user.member_id = _member(session, actor, member_id, user_id)
        _log(
            session,
            actor,
            "update_user",
            user=user.username,
            full_name=user.full_name,
            email=mail,
            member_id=user.member_id,
        )
        session.commit()


def set_user_active(
    sessions: sessionmaker[Session], actor: Actor, user_id: int, active: bool
) -> None:
    """Deactivate (no more logins, the open session ends) or reactivate a user."""
    with _unit(sessions) as session:
        user = _user(session, actor, user_id)
        if user.id == actor.user_id and not active:
            raise InvalidInput("active", NOT_YOURSELF)
        user.active = active
        _log(session, actor, "activate_user" if active else "deactivate_user", user=user.username)
        session.commit()


def reset_password(
    sessions: sessionmaker[Session], actor: Actor, user_id: int, password: str
) -> None:
    """Give a user a new password (hashed)."""
    secret = _password(password)
    with _unit(sessions) as session:
        user = _user(session, actor, user_id)
        user.password_hash = generate_password_hash(secret)
        _log(session, actor, "reset_password", user=user.username)
        session.commit()


# --- role grants -------------------------------------------------------------------------------


def grant_role(
    sessions: sessionmaker[Session], actor: Actor, user_id: int, role: str, organisation_id: int
) -> int:
    """Grant `role` within an organisation of the admin's scope; returns the grant's id."""
    if role not in Role.__members__:
        raise InvalidInput("role", UNKNOWN_ROLE)
    with _unit(sessions) as session:
        user = _user(session, actor, user_id, manage=False)
        org = _org(session, actor, organisation_id)
        if any(g.role == role and g.organisation_id == org.id for g in user.grants):
            raise InvalidInput("role", GRANT_HELD)
        grant = RoleGrant(user_id=user.id, role=role, organisation_id=org.id)
        session.add(grant)
        try:
            session.flush()
            _log(
                session,
                actor,
                "grant_role",
                org.id,
                user=user.username,
                role=role,
                organisation=org.name,
            )
            session.commit()
        except IntegrityError as err:
            raise InvalidInput("role", GRANT_HELD) from err
        return grant.id


def revoke_grant(
    sessions: sessionmaker[Session], actor: Actor, user_id: int, grant_id: int
) -> None:
    """Remove one of a user's grants, if it lies in the admin's scope."""
    with _unit(sessions) as session:
        user = _user(session, actor, user_id, manage=False)
        grant = next((g for g in user.grants if g.id == grant_id), None)
        if grant is None or not _covers(admin_paths(actor), grant.organisation.path):
            raise NotFound(f"grant {grant_id}")
        if user.id == actor.user_id and grant.role == Role.admin:
            raise InvalidInput("grant", OWN_ADMIN)
        _log(
            session,
            actor,
            "revoke_role",
            grant.organisation_id,
            user=user.username,
            role=grant.role,
            organisation=grant.organisation.name,
        )
        user.grants.remove(grant)
        session.commit()


# --- organisations -----------------------------------------------------------------------------


def _org_values(
    type: str, unit_kind: str, committee_size: int | None, mass_kind: str | None
) -> dict:
    if unit_kind not in UnitKind.__members__:
        raise InvalidInput("unit_kind", UNKNOWN_CHOICE)
    size = committee_size or 0
    if not 0 <= size <= 999:
        raise InvalidInput("committee_size", SIZE_RANGE)
    kind = mass_kind or None
    if kind is not None and kind not in MASS_KINDS:
        raise InvalidInput("mass_kind", UNKNOWN_CHOICE)
    return {
        "unit_kind": unit_kind,
        "committee_size": size if type == OrgType.committee else 0,
        "mass_kind": kind if type == OrgType.mass else None,
    }


def _sibling_named(session: Session, parent_id: int | None, name: str, but: int | None) -> bool:
    query = select(Organisation.id).where(
        Organisation.parent_id == parent_id, func.lower(Organisation.name) == name.lower()
    )
    if but is not None:
        query = query.where(Organisation.id != but)
    return session.scalar(query.limit(1)) is not None


def create_organisation(
    sessions: sessionmaker[Session],
    actor: Actor,
    parent_id: int,
    *,
    name: str,
    type: str,
    unit_kind: str = UnitKind.other,
    has_doan: bool = True,
    committee_size: int | None = 0,
    mass_kind: str | None = None,
) -> int:
    """A new organisation under one in the admin's scope; returns its id."""
    title = _text("name", name, 200)
    if type not in OrgType.__members__:
        raise InvalidInput("type", UNKNOWN_CHOICE)
    values = _org_values(type, unit_kind, committee_size, mass_kind)
    with _unit(sessions) as session:
        parent = _org(session, actor, parent_id)
        if parent.type not in PARENT_TYPES[OrgType(type)]:
            raise InvalidInput("parent", PARENT_KIND)
        if _sibling_named(session, parent.id, title or "", None):
            raise InvalidInput("name", NAME_TAKEN)
        org = add_organisation(session, title or "", type, parent, has_doan=has_doan, **values)
        _log(
            session,
            actor,
            "create_organisation",
            org.id,
            name=org.name,
            type=type,
            parent=parent.name,
            has_doan=has_doan,
            **values,
        )
        session.commit()
        return org.id


def update_organisation(
    sessions: sessionmaker[Session],
    actor: Actor,
    org_id: int,
    *,
    name: str,
    unit_kind: str,
    has_doan: bool,
    committee_size: int | None = 0,
    mass_kind: str | None = None,
) -> None:
    """Change an organisation's name and flags (its kind and place in the tree stay)."""
    title = _text("name", name, 200)
    with _unit(sessions) as session:
        org = _org(session, actor, org_id)
        values = _org_values(org.type, unit_kind, committee_size, mass_kind)
        if _sibling_named(session, org.parent_id, title or "", org.id):
            raise InvalidInput("name", NAME_TAKEN)
        org.name = title or ""
        org.has_doan = has_doan
        for key, value in values.items():
            setattr(org, key, value)
        _log(
            session,
            actor,
            "update_organisation",
            org.id,
            name=org.name,
            has_doan=has_doan,
            **values,
        )
        session.commit()


def set_deciding_body(
    sessions: sessionmaker[Session], actor: Actor, org_id: int, decides: bool
) -> None:
    """Make a party committee decide admissions for everything below it, or stop it doing so."""
    with _unit(sessions) as session:
        org = _org(session, actor, org_id)
        if decides and org.type != OrgType.committee:
            raise InvalidInput("decides_admissions", NOT_A_COMMITTEE)
        org.decides_admissions = decides
        _log(session, actor, "set_deciding_body", org.id, organisation=org.name, decides=decides)
        session.commit()
