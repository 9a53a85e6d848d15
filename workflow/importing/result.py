"""What an import did, row by row: the report the page, the CLI and ``--json`` show."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from workflow.importing.sheet import Sheet, SheetRow


class RowReport:
    """The counts and the ``--json`` shape every import's report shares (candidates,
    organisations, users); a report names its rows and what they made (`_row`)."""

    sheet: Any
    committed: bool
    dry_run: bool

    @property
    def rows(self) -> list[Any]:
        return self.sheet.rows

    @property
    def refused(self) -> int:
        return sum(1 for row in self.rows if row.refused)

    @property
    def accepted(self) -> int:
        """Rows that pass every check (imported, or would be)."""
        return len(self.rows) - self.refused

    @property
    def imported(self) -> int:
        return self.accepted if self.committed else 0

    def status(self, row: Any) -> str:
        if row.refused:
            return "refused"
        return "imported" if self.committed else "ok"

    def _options(self) -> dict[str, Any]:
        """The import's own options, written after ``dry_run``."""
        return {}

    def _row(self, row: Any) -> dict[str, Any]:
        """A row's name and what it made, between its status and its problems."""
        raise NotImplementedError

    def as_dict(self) -> dict[str, Any]:
        """The report as ``--json`` gives it."""
        return {
            "file": self.sheet.filename,
            "dry_run": self.dry_run,
            **self._options(),
            "committed": self.committed,
            "rows": len(self.rows),
            "accepted": self.accepted,
            "refused": self.refused,
            "imported": self.imported,
            "ignored_columns": self.sheet.ignored,
            "results": [
                {"row": row.line, **self._row(row), "problems": [p.as_dict() for p in row.problems]}
                for row in self.rows
            ],
        }


@dataclass
class ImportResult(RowReport):
    """What an import of candidates did: each row's outcome, and whether anything was kept."""

    sheet: Sheet
    committed: bool
    dry_run: bool
    skip_bad: bool

    @property
    def rows(self) -> list[SheetRow]:
        return self.sheet.rows

    def _options(self) -> dict[str, Any]:
        return {"skip_bad": self.skip_bad}

    def _row(self, row: SheetRow) -> dict[str, Any]:
        return {"name": row.name, "status": self.status(row), "case_id": row.case_id}
