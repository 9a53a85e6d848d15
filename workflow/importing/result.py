"""What an import did, row by row: the report the page, the CLI and ``--json`` show."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from workflow.importing.sheet import Sheet, SheetRow


@dataclass
class ImportResult:
    """What an import did: each row's outcome, and whether anything was kept."""

    sheet: Sheet
    committed: bool
    dry_run: bool
    skip_bad: bool

    @property
    def rows(self) -> list[SheetRow]:
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

    def status(self, row: SheetRow) -> str:
        if row.refused:
            return "refused"
        return "imported" if self.committed else "ok"

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.sheet.filename,
            "dry_run": self.dry_run,
            "skip_bad": self.skip_bad,
            "committed": self.committed,
            "rows": len(self.rows),
            "accepted": self.accepted,
            "refused": self.refused,
            "imported": self.imported,
            "ignored_columns": self.sheet.ignored,
            "results": [
                {
                    "row": row.line,
                    "name": row.name,
                    "status": self.status(row),
                    "case_id": row.case_id,
                    "problems": [p.as_dict() for p in row.problems],
                }
                for row in self.rows
            ],
        }
