"""The plain rows the storage layer hands over for the report and the edits."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from workflow.targets.names import ALL_CATEGORIES, ALL_UNITS


@dataclass(frozen=True)
class OrgNode:
    """An organisation; ``path`` is its materialised path (``/1/4/9/``)."""

    id: int
    parent_id: int | None
    name: str
    type: str
    unit_kind: str
    path: str
    mass_kind: str | None = None

    @property
    def depth(self) -> int:
        return self.path.strip("/").count("/")


@dataclass(frozen=True)
class Target:
    """A yearly target of an organisation."""

    id: int
    organisation_id: int
    year: int
    metric: str
    kind: str
    value: Decimal
    unit_kind: str = ALL_UNITS
    note: str | None = None
    #: ``all``, or the ``workflow.people.Category`` an admissions target counts.
    category: str = ALL_CATEGORIES


@dataclass(frozen=True)
class CellYearCount:
    """Admissions of one cell in one year (decisions signed that year), of one category of
    person (``None``: not recorded)."""

    cell_id: int
    year: int
    count: int
    category: str | None = None


@dataclass(frozen=True)
class CellStateCount:
    """Open cases of one cell in one state, now, of one category of person (``None``: not
    recorded)."""

    cell_id: int
    state: str
    count: int
    category: str | None = None


@dataclass(frozen=True)
class OutsideTotal:
    """Admissions decided outside hoso, entered as a yearly total by a committee.

    ``by_category`` is the whole total by ``workflow.people.Category`` when it is known (its
    counts add up to ``total``), else ``None``.
    """

    id: int
    organisation_id: int
    year: int
    total: int
    enterprise_workers: int
    by_category: Mapping[str, int] | None = None
    note: str | None = None


@dataclass(frozen=True)
class IntroducedCount:
    """Accepted introductions: cell, the organisation named as their source, year."""

    cell_id: int
    source_detail: str
    year: int
    count: int


@dataclass(frozen=True)
class OpenCase:
    """An open case and the day it entered its current state."""

    case_id: int
    name: str
    cell_id: int
    state: str
    since: date


def tree_order(org: OrgNode) -> list[int]:
    """Parents before children, siblings in the order they were created (ids along the path)."""
    return [int(part) for part in org.path.strip("/").split("/") if part]
