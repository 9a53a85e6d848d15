"""A page of a long list: its rows, the total over all pages, and where this page is."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Page:
    """One page of plain rows (the candidates list, the audit log...)."""

    rows: list[dict[str, Any]]
    #: Rows over all pages; only a lower bound when `more` is set.
    total: int
    page: int
    page_size: int
    #: The count stopped at `total`: there are more rows ("more than 1,000").
    more: bool = False

    @property
    def pages(self) -> int:
        """How many pages (at least, when `more` is set)."""
        return max(1, -(-self.total // self.page_size))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.more or self.page < self.pages

    @property
    def first_index(self) -> int:
        """The 1-based position of the page's first row in the whole list (0 when empty)."""
        return (self.page - 1) * self.page_size + 1 if self.rows else 0

    @property
    def last_index(self) -> int:
        """The 1-based position of the page's last row (0 when empty)."""
        return self.first_index + len(self.rows) - 1 if self.rows else 0
