"""Who waits for a class: mentored candidates in no open class, and the cells that wait longest."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Waiting:
    """A mentored candidate not enrolled in an open class, since `since`."""

    case_id: int
    name: str
    cell_id: int
    cell: str
    since: date
    missed_classes: int = 0


@dataclass(frozen=True)
class CellWait:
    """How long a cell's candidates have waited for a class."""

    cell_id: int
    cell: str
    waiting: int
    longest_days: int
    average_days: int
    missed_classes: int


def waited_days(since: date, today: date) -> int:
    """Whole days from `since` to `today` (0 when `since` is later)."""
    return max(0, (today - since).days)


def cell_waits(rows: Iterable[Waiting], today: date) -> list[CellWait]:
    """The cells whose candidates wait, the longest wait first."""
    by_cell: dict[int, list[Waiting]] = {}
    for row in rows:
        by_cell.setdefault(row.cell_id, []).append(row)
    cells = []
    for cell_id, waiting in by_cell.items():
        days = [waited_days(w.since, today) for w in waiting]
        cells.append(
            CellWait(
                cell_id,
                waiting[0].cell,
                len(waiting),
                max(days),
                round(sum(days) / len(days)),
                sum(w.missed_classes for w in waiting),
            )
        )
    return sorted(cells, key=lambda c: (-c.longest_days, -c.waiting, c.cell))
