"""The reminder digest: which of the missed and near deadlines each person must act on.

Pure: due items in (``workflow.worklist.due_items``), one digest per recipient out. Which cases
fall in whose scope is the read model's business, how the digest is worded the mail templates'
(``web/templates/mail/``), how it travels the mail sender's (``workflow.ports.mail``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from workflow.states import Role
from workflow.worklist import DEFAULT_WITHIN, DueItem

#: The roles that get a digest, in the order their cases are gathered.
REMINDED_ROLES = (Role.secretary, Role.committee, Role.mentor)


@dataclass(frozen=True)
class Recipient:
    """A user who gets a digest (``email`` empty: they cannot be reached)."""

    user_id: int
    username: str
    full_name: str
    email: str

    @property
    def display_name(self) -> str:
        return self.full_name or self.username


@dataclass(frozen=True)
class DigestItem:
    """A due item as one recipient gets it: with the roles under which they must act on it."""

    item: DueItem
    roles: tuple[Role, ...]


@dataclass(frozen=True)
class Digest:
    """One e-mail's content: the recipient's missed and near deadlines on one day."""

    recipient: Recipient
    today: date
    within: int
    items: tuple[DigestItem, ...]
    #: The address of the web interface, for links (none: the digest has no link).
    base_url: str | None = None

    @property
    def overdue(self) -> list[DigestItem]:
        return [i for i in self.items if i.item.overdue]

    @property
    def due_soon(self) -> list[DigestItem]:
        return [i for i in self.items if not i.item.overdue]

    def link(self, path: str) -> str | None:
        """The web address of `path`, or ``None`` when no base address is configured."""
        if not self.base_url:
            return None
        return self.base_url.rstrip("/") + path


def build_digest(
    recipient: Recipient,
    assignments: Iterable[tuple[str, Iterable[DueItem]]],
    today: date,
    within: int = DEFAULT_WITHIN,
    base_url: str | None = None,
) -> Digest | None:
    """The recipient's digest from the due items in each of their roles' scope, or ``None``.

    `assignments` pairs a role with the items of the cases in the recipient's scope for that role;
    an item is kept only under a role that must act on it, and listed once whatever the number of
    roles it is kept under.
    """
    roles: dict[tuple[int, str], list[Role]] = {}
    items: dict[tuple[int, str], DueItem] = {}
    for role, role_items in assignments:
        for item in role_items:
            if role not in item.roles:
                continue
            items.setdefault(item.key, item)
            held = roles.setdefault(item.key, [])
            if role not in held:
                held.append(Role(role))
    if not items:
        return None
    ordered = sorted(items.values(), key=DueItem.sort_key)
    kept = tuple(
        DigestItem(item, tuple(r for r in item.roles if r in roles[item.key])) for item in ordered
    )
    return Digest(recipient, today, within, kept, base_url)
