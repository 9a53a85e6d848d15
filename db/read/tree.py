"""The tree as it stood on a day: each organisation's values of that day (its row while they are
current, else the version valid then), the chain above a cell, and the tree of a report's year.

Scopes read the current tree (``organisations.path``); what a decision, a form or a report of a
past day says reads the tree of that day through this module and ``workflow.tree``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, and_, bindparam, literal_column, or_, select, union_all
from sqlalchemy.orm import Session

from db.models import Organisation, OrganisationVersion, RoleGrant, User
from db.read.scope import scope_clause
from workflow.policy import Scope
from workflow.tree import DEPTH_MAX, OrgVersion, Placement, Tree, placement

ORGS = Organisation.__table__
VERSIONS = OrganisationVersion.__table__

#: An organisation's current values, as an ``OrgVersion``'s columns.
_CURRENT = select(
    ORGS.c.id.label("org_id"),
    ORGS.c.valid_from,
    ORGS.c.dissolved_on.label("valid_until"),
    ORGS.c.parent_id,
    ORGS.c.name,
    ORGS.c.type,
    ORGS.c.decides_admissions,
    ORGS.c.committee_size,
)
#: Its past values, likewise.
_PAST = select(
    VERSIONS.c.organisation_id.label("org_id"),
    VERSIONS.c.valid_from,
    VERSIONS.c.valid_until,
    VERSIONS.c.parent_id,
    VERSIONS.c.name,
    VERSIONS.c.type,
    VERSIONS.c.decides_admissions,
    VERSIONS.c.committee_size,
)
_DAY = bindparam("day", type_=ORGS.c.valid_from.type)


def _valid_on(columns: Any, day: Any) -> Any:
    """The values `columns` (a select) held on `day`."""
    c = columns.selected_columns
    return columns.where(c.valid_from <= day, or_(c.valid_until.is_(None), c.valid_until > day))


#: Every organisation's values on ``:day``.
ON_DAY = union_all(_valid_on(_CURRENT, _DAY), _valid_on(_PAST, _DAY))
#: Every version ever (for the year's tree).
ALL_VERSIONS = union_all(_CURRENT, _PAST)


def _chain(source: Any) -> Any:
    """The organisation ``:org_id`` and every one above it in `source` (one recursive CTE)."""
    nodes = source.cte("nodes")
    anchor = (
        select(*nodes.c, literal_column("0").label("depth"))
        .where(nodes.c.org_id == bindparam("org_id"))
        .cte("up", recursive=True)
    )
    parent = nodes.alias("parent")
    up = anchor.union_all(
        select(*parent.c, anchor.c.depth + literal_column("1"))
        .join(anchor, parent.c.org_id == anchor.c.parent_id)
        # A cycle in a broken tree must not loop for ever.
        .where(anchor.c.depth < literal_column(str(DEPTH_MAX)))
    )
    return select(*(up.c[name] for name in _COLUMNS)).order_by(up.c.depth)


_COLUMNS = tuple(c.name for c in _CURRENT.selected_columns)
CHAIN_ON = _chain(ON_DAY)
CHAIN_NOW = _chain(_CURRENT)


def _version(row: Any) -> OrgVersion:
    return OrgVersion(*row)


def chain_on(connection: Connection, org_id: int, day: date | None) -> Tree:
    """The organisation and those above it as they stood on `day` (``None``: now), as a tree."""
    if day is None:
        rows = connection.execute(CHAIN_NOW, {"org_id": org_id})
    else:
        rows = connection.execute(CHAIN_ON, {"org_id": org_id, "day": day})
    return Tree(day, {v.org_id: v for v in map(_version, rows)})


def placement_on(connection: Connection, cell_id: int, day: date | None) -> Placement | None:
    """Where the cell sat on `day` (``None``: now): its deciding body and the grassroots
    committee between them; None if it did not exist then."""
    return placement(chain_on(connection, cell_id, day), cell_id)


def tree_at(session: Session, day: date | None) -> Tree:
    """The whole tree as it stood on `day` (``None``: now, dissolved organisations left out)."""
    connection = session.connection()
    if day is None:
        query = _CURRENT.where(ORGS.c.dissolved_on.is_(None))
        return Tree(None, {v.org_id: v for v in map(_version, connection.execute(query))})
    return Tree(day, {v.org_id: v for v in map(_version, connection.execute(ON_DAY, {"day": day}))})


def versions_of(session: Session, org_id: int) -> list[OrgVersion]:
    """Every version of one organisation, the oldest first."""
    versions = ALL_VERSIONS.subquery()
    rows = session.connection().execute(select(versions).where(versions.c.org_id == org_id))
    return sorted(map(_version, rows), key=lambda v: v.valid_from)


def tree_of_year(session: Session, year: int, today: date) -> Tree:
    """The tree of a report's year: every organisation that existed at some time in `year`, as
    it stood on its last day in that year (the year's end, today for the current year, the day
    before its dissolution). Paths follow those parents."""
    first, last = date(year, 1, 1), min(date(year, 12, 31), today)
    latest: dict[int, OrgVersion] = {}
    for row in session.connection().execute(ALL_VERSIONS):
        v = _version(row)
        if v.valid_from > last or (v.valid_until is not None and v.valid_until <= first):
            continue  # not in that year
        if v.org_id not in latest or latest[v.org_id].valid_from < v.valid_from:
            latest[v.org_id] = v
    return Tree(last, latest)


# --- the admin's view of the tree on a day ------------------------------------------------------


@dataclass(frozen=True)
class TreeRow:
    """One organisation of the tree on a day, for the restructuring page."""

    id: int
    name: str
    type: str
    depth: int
    path: str
    decides_admissions: bool
    valid_from: date
    valid_until: date | None
    #: The body that decided admissions for it that day (cells only).
    deciding: str | None = None
    #: The grassroots committee between the cell and its deciding body, if any.
    grassroots: str | None = None


def tree_rows(session: Session, scope: Scope | None, day: date | None) -> list[TreeRow]:
    """The tree on `day` (``None``: now), parents before children, limited to the organisations
    whose current place lies in `scope` (scopes follow the current tree)."""
    tree = tree_at(session, day)
    visible = {
        org_id
        for (org_id,) in session.connection().execute(
            select(Organisation.id).where(scope_clause(scope, Organisation.path))
        )
    }
    rows = []
    for org in tree.nodes.values():
        if org.org_id not in visible:
            continue
        place = placement(tree, org.org_id) if org.type == "cell" else None
        path = tree.path(org.org_id)
        rows.append(
            TreeRow(
                id=org.org_id,
                name=org.name,
                type=org.type,
                depth=path.strip("/").count("/"),
                path=path,
                decides_admissions=org.decides_admissions,
                valid_from=org.valid_from,
                valid_until=org.valid_until,
                deciding=place.deciding.name if place else None,
                grassroots=place.grassroots.name if place and place.grassroots else None,
            )
        )
    rows.sort(key=lambda r: [int(p) for p in r.path.strip("/").split("/") if p])
    return rows


@dataclass(frozen=True)
class DissolvedGrant:
    """A role held on an organisation that no longer exists: the admin moves it."""

    grant_id: int
    user_id: int
    username: str
    role: str
    organisation_id: int
    organisation: str
    dissolved_on: date


def grants_on_dissolved(session: Session, scope: Scope | None) -> list[DissolvedGrant]:
    """The grants held on dissolved organisations of the admin's scope."""
    query = (
        select(
            RoleGrant.id,
            User.id,
            User.username,
            RoleGrant.role,
            Organisation.id,
            Organisation.name,
            Organisation.dissolved_on,
        )
        .join(User, User.id == RoleGrant.user_id)
        .join(Organisation, Organisation.id == RoleGrant.organisation_id)
        .where(and_(Organisation.dissolved_on.is_not(None), scope_clause(scope, Organisation.path)))
        .order_by(Organisation.name, User.username, RoleGrant.role)
    )
    return [DissolvedGrant(*row) for row in session.connection().execute(query)]
