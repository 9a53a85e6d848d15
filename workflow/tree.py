"""The organisation tree over time: versions valid from a date to a date, the tree as it stood
on a day, who decides for a cell on that day, and the rules of restructuring.

An organisation's parent, name, kind, committee size and whether it decides admissions hold
from ``valid_from`` (included) to ``valid_until`` (excluded; ``None`` while they still hold).
Storage keeps the current values on the organisation itself and the past ones as closed
versions; this module sees both as ``OrgVersion`` values. Restructuring (rename, move, merge,
split, dissolve, the deciding flag) happens *as of a date*: it closes the current version on that
day and opens the next, so that a decision, a form or a report of an earlier day still sees the
tree of its day (domain.md: the 01/07/2025 reform).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from workflow import text as texts
from workflow.errors import InvalidInput
from workflow.states import OrgType

#: The first day of an organisation whose beginning is not recorded: it has always been there.
BEGINNING = date(1900, 1, 1)
NAME_MAX = 200
#: A cycle in a broken tree must not loop for ever.
DEPTH_MAX = 64

#: The restructuring actions, as the history names them (administrative events).
RESTRUCTURE_ACTIONS = tuple(
    f"admin_{name}"
    for name in (
        "rename_organisation",
        "move_organisation",
        "merge_organisations",
        "split_organisation",
        "dissolve_organisation",
        "set_decides_admissions",
        "move_grant",
    )
)

# The refusals' texts (the web translates them); each names its field through InvalidInput.
BEFORE_CURRENT = "before the date the organisation's current version began"
IN_FUTURE = "a restructuring cannot take effect after today"
NOT_A_DATE = "not a date"
CYCLE = "an organisation cannot be placed under itself or under one of its own"
DISSOLVED = "this organisation is dissolved"
NOT_YET = "this organisation did not exist yet on that date"
NO_ROOT_CHANGE = "the root of the tree cannot be moved, merged or dissolved"
SAME_ORGANISATION = "an organisation cannot be merged into itself"
KIND_DIFFERS = "only organisations of the same kind can be merged"
HAS_CHILDREN = "organisations still sit under it: move or merge them first"
OPEN_CASES = "cases are still open in its cells: hand them over first"
ACTIVE_MEMBERS = "party members still belong to it: transfer them first"
NOT_A_CHILD = "not an organisation directly under the one being split"
NO_CHILDREN = "choose at least one organisation to take over"
UNCHANGED = "nothing would change"
GRANT_DISSOLVED = "a role cannot be granted on a dissolved organisation"


@dataclass(frozen=True)
class OrgVersion:
    """An organisation as it stood from ``valid_from`` until the day before ``valid_until``."""

    org_id: int
    valid_from: date
    valid_until: date | None
    parent_id: int | None
    name: str
    type: str
    decides_admissions: bool = False
    committee_size: int = 0

    def valid_on(self, day: date) -> bool:
        """Whether these values held on `day`."""
        return self.valid_from <= day and (self.valid_until is None or day < self.valid_until)


@dataclass(frozen=True)
class Tree:
    """The tree as it stood on ``on`` (``None``: now): each organisation that existed then,
    with its values."""

    on: date | None
    nodes: Mapping[int, OrgVersion]
    _children: dict[int | None, list[int]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for org in sorted(self.nodes.values(), key=lambda o: o.org_id):
            self._children.setdefault(org.parent_id, []).append(org.org_id)

    def get(self, org_id: int | None) -> OrgVersion | None:
        """The organisation on that day, or None if it did not exist."""
        return self.nodes.get(org_id) if org_id is not None else None

    def children(self, org_id: int | None) -> list[OrgVersion]:
        """The organisations directly under `org_id` (``None``: the roots), by id."""
        return [self.nodes[i] for i in self._children.get(org_id, ())]

    def chain(self, org_id: int) -> list[OrgVersion]:
        """The organisation and every one above it, the organisation first, the root last."""
        found: list[OrgVersion] = []
        org = self.get(org_id)
        while org is not None and len(found) < DEPTH_MAX:
            found.append(org)
            org = self.get(org.parent_id)
        return found

    def path(self, org_id: int) -> str:
        """The materialised path (``/1/4/9/``) the organisation had on that day."""
        ids = [o.org_id for o in reversed(self.chain(org_id))]
        return "/" + "".join(f"{i}/" for i in ids) if ids else ""

    def below(self, org_id: int) -> set[int]:
        """The organisation and everything under it on that day."""
        found, todo = set(), [org_id]
        while todo:
            current = todo.pop()
            if current not in found:
                found.add(current)
                todo.extend(c.org_id for c in self.children(current))
        return found


def tree_on(versions: Iterable[OrgVersion], day: date) -> Tree:
    """The tree of `day` from an organisation's versions (those not valid that day are left out)."""
    return Tree(day, {v.org_id: v for v in versions if v.valid_on(day)})


@dataclass(frozen=True)
class Placement:
    """Where a cell sat on a day: the body that decided its admissions, and the grassroots
    committee (đảng ủy cơ sở) between them, if any."""

    on: date | None
    cell: OrgVersion
    deciding: OrgVersion
    grassroots: OrgVersion | None

    @property
    def has_grassroots_committee(self) -> bool:
        """8-KNĐ and 15-KNĐ (the committee's vote) are needed only where one sits between."""
        return self.grassroots is not None

    @property
    def names(self) -> dict[str, str | None]:
        """The names of the cell, the deciding body and the grassroots committee of that day."""
        return {
            "cell": self.cell.name,
            "deciding": self.deciding.name,
            "grassroots": self.grassroots.name if self.grassroots else None,
        }


def placement(tree: Tree, cell_id: int) -> Placement | None:
    """Where cell `cell_id` sat in `tree`: the nearest organisation (itself included) that
    decided admissions, else the root; and the nearest committee strictly between the cell and
    that body. None when the cell did not exist that day."""
    chain = tree.chain(cell_id)
    if not chain:
        return None
    deciding = next((o for o in chain if o.decides_admissions), chain[-1])
    between = chain[1 : chain.index(deciding)]
    grassroots = next((o for o in between if o.type == OrgType.committee), None)
    return Placement(tree.on, chain[0], deciding, grassroots)


# --- the rules of restructuring ----------------------------------------------------------------


def check_name(value: str | None, field_name: str = "name") -> str:
    """An organisation's name: trimmed, required, at most ``NAME_MAX`` characters."""
    name = (value or "").strip()
    texts.check_characters(field_name, name, one_line=True)
    if not name:
        raise InvalidInput(field_name, "required")
    if len(name) > NAME_MAX:
        raise InvalidInput(field_name, "too long")
    return name


def check_as_of(current: OrgVersion, as_of: object, today: date) -> date:
    """A restructuring of `current` takes effect on `as_of`: a date, not after today, not before
    the day the current version began (history is not rewritten), not after a dissolution."""
    if not isinstance(as_of, date):
        raise InvalidInput("as_of", NOT_A_DATE)
    if as_of > today:
        raise InvalidInput("as_of", IN_FUTURE)
    if current.valid_until is not None:
        raise InvalidInput("organisation", DISSOLVED)
    if as_of < current.valid_from:
        raise InvalidInput("as_of", BEFORE_CURRENT)
    return as_of


def check_exists_on(org: OrgVersion | None, day: date, field_name: str) -> OrgVersion:
    """`org` is an organisation that exists now and already existed on `day`."""
    if org is None or org.valid_until is not None:
        raise InvalidInput(field_name, DISSOLVED)
    if org.valid_from > day:
        raise InvalidInput(field_name, NOT_YET)
    return org


def check_no_cycle(trees: Iterable[Tree], org_id: int, new_parent_id: int) -> None:
    """Placing `org_id` under `new_parent_id` makes no cycle in any of `trees` (the tree on the
    day it takes effect, and today's)."""
    for tree in trees:
        if new_parent_id in tree.below(org_id):
            raise InvalidInput("parent", CYCLE)


def check_not_root(org: OrgVersion) -> None:
    """The root (the province) stays where it is."""
    if org.parent_id is None:
        raise InvalidInput("organisation", NO_ROOT_CHANGE)


def check_may_dissolve(children: int, open_cases: int, active_members: int) -> None:
    """An organisation is dissolved only when nothing is left in it (naming what is)."""
    if children:
        raise InvalidInput("organisation", HAS_CHILDREN)
    if open_cases:
        raise InvalidInput("organisation", OPEN_CASES)
    if active_members:
        raise InvalidInput("organisation", ACTIVE_MEMBERS)
