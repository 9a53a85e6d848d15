"""The rules of administration: users, role grants, organisations and the deciding body.

An admin works within the subtrees of their admin grants (``policy.scope(actor,
Purpose.manage)``). A user is *visible* to an admin when they hold no grant yet or one in the
admin's scope, and *manageable* (edited, deactivated, password reset) only when all their grants
are in scope, so that an admin of one cell cannot lock out a district officer who also holds a
role there.

Refusals name the field and say why (InvalidInput); the message texts are the constants below so
that the web can word them in the user's language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from workflow import passwords
from workflow import text as texts
from workflow.errors import InvalidInput
from workflow.policy import Scope
from workflow.states import MemberStatus, OrgType, Role, UnitKind
from workflow.tree import RESTRUCTURE_ACTIONS

PASSWORD_MIN = 8
PASSWORD_MAX = 200
NAME_MAX = 200  # a user's full name, an organisation's name
EMAIL_MAX = 200
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
OWN_GRANT = "an admin grants no role to their own account: another admin does"
GRANT_HELD = "the user already holds this role there"
UNKNOWN_ROLE = "unknown role"
UNKNOWN_CHOICE = "not one of the choices"
PARENT_KIND = "this kind of organisation cannot be placed there"
NAME_TAKEN = "an organisation of this name already exists there"
SIZE_RANGE = "a number from 0 to 999"
NOT_A_CELL = "party members belong to a party cell"
NOT_A_DATE = "not a date"
OFFICIAL_DATES = "an official member has a date of recognition, after the admission"
NOT_A_COMMITTEE = "only a party committee can decide admissions"

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
        "add_member",
        "create_target",
        "update_target",
        "delete_target",
        "create_enterprise",
        "update_enterprise",
        "set_outside_admissions",
        "delete_outside_admissions",
    )
)
ADMIN_ACTIONS += RESTRUCTURE_ACTIONS  # restructuring the tree as of a date (workflow.tree)


# --- what storage hands over -------------------------------------------------------------------


@dataclass(frozen=True)
class OrgRecord:
    """A stored organisation; ``path`` is its materialised path (``/1/4/9/``)."""

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


@dataclass(frozen=True)
class GrantRecord:
    """A role held by a user, with the organisation's name and path."""

    id: int
    role: str
    organisation_id: int
    organisation: str
    path: str


@dataclass(frozen=True)
class UserRecord:
    """A stored user and their grants (the password hash stays in storage)."""

    id: int
    username: str
    full_name: str
    email: str | None
    active: bool
    member_id: int | None
    grants: tuple[GrantRecord, ...] = ()


@dataclass(frozen=True)
class MemberLink:
    """A party member a user may be linked to: their cell's path, whether they are still in the
    party, and the users already linked to them."""

    member_id: int
    cell_path: str
    active: bool
    holders: tuple[int, ...] = ()


# --- who is seen and managed -------------------------------------------------------------------


def visible(scope: Scope, grant_paths: list[str] | tuple[str, ...]) -> bool:
    """A user with grants at `grant_paths` exists for the admin: no grant, or one in scope."""
    return not grant_paths or any(scope.covers(p) for p in grant_paths)


def manageable(scope: Scope, grant_paths: list[str] | tuple[str, ...]) -> bool:
    """The admin may change the user: every one of their grants lies in scope."""
    return all(scope.covers(p) for p in grant_paths)


def linkable(link: MemberLink | None, scope: Scope, user_id: int | None) -> bool:
    """A member may be linked to user `user_id` (``None``: a new user): still in the party, of
    a cell in scope, and linked to no other user."""
    return (
        link is not None
        and link.active
        and scope.covers(link.cell_path)
        and not set(link.holders) - {user_id}
    )


def check_member(link: MemberLink | None, scope: Scope, user_id: int | None) -> None:
    """Refuse a member that may not be linked (naming why)."""
    if not linkable(link, scope, user_id):
        taken = link is not None and bool(link.holders)
        raise InvalidInput("member", MEMBER_TAKEN if taken else UNKNOWN_CHOICE)


def check_grant_to(actor_user_id: int | None, user_id: int) -> None:
    """Granting is separate from holding: no admin grants any role to their own account.

    (An admin who could give themselves committee or auditor would decide or audit what they
    administer; every grant to oneself is refused, so another admin in scope makes it.)
    """
    if actor_user_id is not None and actor_user_id == user_id:
        raise InvalidInput("role", OWN_GRANT)


# --- checking input ----------------------------------------------------------------------------


def check_text(name: str, value: str | None, limit: int, required: bool = True) -> str | None:
    """`value` trimmed; refused when required and blank, or longer than `limit`."""
    value = (value or "").strip()
    # Names, e-mails, a biography's one-line fields: no control or invisible character.
    texts.check_characters(name, value, one_line=True)
    if not value:
        if required:
            raise InvalidInput(name, REQUIRED)
        return None
    if len(value) > limit:
        raise InvalidInput(name, TOO_LONG)
    return value


def check_username(value: str | None) -> str:
    """A username, lower-cased: 2 to 80 letters, digits, dots, dashes or underscores."""
    name = (value or "").strip().lower()
    if not name:
        raise InvalidInput("username", REQUIRED)
    if not USERNAME_RE.fullmatch(name):
        raise InvalidInput("username", USERNAME_FORM)
    return name


def check_password(value: str | None, *personal: str | None) -> str:
    """A new password: at least ``PASSWORD_MIN`` characters, not a common one nor the user's
    name (`personal`: the username, the full name), kept as given."""
    if not value or not value.strip():
        raise InvalidInput("password", REQUIRED)
    if len(value) < PASSWORD_MIN:
        raise InvalidInput("password", PASSWORD_SHORT)
    if len(value) > PASSWORD_MAX:
        raise InvalidInput("password", TOO_LONG)
    weak = passwords.weakness(value, *personal)
    if weak:
        raise InvalidInput("password", weak)
    return value


def check_email(value: str | None) -> str | None:
    """An e-mail address, or ``None`` when blank."""
    email = check_text("email", value, EMAIL_MAX, required=False)
    if email is not None and not EMAIL_RE.fullmatch(email):
        raise InvalidInput("email", EMAIL_FORM)
    return email


def check_role(role: str) -> str:
    """One of the roles."""
    if role not in Role.__members__:
        raise InvalidInput("role", UNKNOWN_ROLE)
    return role


def check_org_type(type: str) -> str:
    """One of the kinds of organisation."""
    if type not in OrgType.__members__:
        raise InvalidInput("type", UNKNOWN_CHOICE)
    return type


def check_parent(parent_type: str, type: str) -> None:
    """An organisation of kind `type` may sit under one of `parent_type`."""
    if parent_type not in PARENT_TYPES[OrgType(type)]:
        raise InvalidInput("parent", PARENT_KIND)


def org_values(
    type: str, unit_kind: str, committee_size: int | None, mass_kind: str | None
) -> dict:
    """The checked flags of an organisation of kind `type` (what does not apply is reset)."""
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


#: A party member's biography fields (as 2-KNĐ records them) and their longest lengths.
PERSON_LIMITS: dict[str, int] = {
    "full_name": NAME_MAX,
    "sex": 10,
    "birth_place": 200,
    "hometown": 200,
    "ethnicity": 50,
    "religion": 50,
    "education": 100,
    "residence": 300,
    "occupation": 200,
    "id_number": 20,
}


def check_person(person: dict[str, Any]) -> dict[str, Any]:
    """A member's biography: the known fields only, every text trimmed and length-checked, the
    full name required, ``birth_date`` a date or none."""
    unknown = set(person) - set(PERSON_LIMITS) - {"birth_date"}
    if unknown:
        raise InvalidInput(sorted(unknown)[0], UNKNOWN_CHOICE)
    values: dict[str, Any] = {
        name: check_text(name, person.get(name), limit, required=name == "full_name")
        for name, limit in PERSON_LIMITS.items()
    }
    born = person.get("birth_date")
    if born is not None and not isinstance(born, date):
        raise InvalidInput("birth_date", NOT_A_DATE)
    values["birth_date"] = born
    return values


def check_membership(status: str, admitted_on: object, official_since: object) -> None:
    """A member's status and dates: admitted on a date; official ones recognised on a later one,
    probationary ones not yet."""
    if status not in MemberStatus.__members__:
        raise InvalidInput("status", UNKNOWN_CHOICE)
    if not isinstance(admitted_on, date):
        raise InvalidInput("admitted_on", NOT_A_DATE)
    if official_since is not None and not isinstance(official_since, date):
        raise InvalidInput("official_since", NOT_A_DATE)
    official = status == MemberStatus.official
    if official != (official_since is not None) or (official and official_since < admitted_on):
        raise InvalidInput("official_since", OFFICIAL_DATES)
