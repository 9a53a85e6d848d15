"""An office started from nothing through the ``hoso`` command, for the CLI tests."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from web.cli import cli

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
ADMIN = "nguyenvana"
PASSWORD = "Hoa-Sen-Tham-2025!"
ROOT = "Tỉnh ủy Lâm Đồng"


@dataclass
class Office:
    """``hoso`` on one database (HOSO_DATABASE_URL), in its own instance folder."""

    url: str
    folder: Path

    def run(self, *args: Any, input: str | None = None, lang: str | None = "en") -> Result:
        """Run ``hoso``; in English unless `lang` says otherwise (None: the default, Vietnamese),
        since these tests read the refusals' English words (tests/cli/test_language.py: vi)."""
        env = {"HOSO_INSTANCE": str(self.folder), "HOSO_DATABASE_URL": self.url, "HOSO_LANG": lang}
        return CliRunner().invoke(cli, [str(a) for a in args], env=env, input=input)

    def ok(self, *args: Any, input: str | None = None) -> Result:
        """Run a command that must succeed."""
        result = self.run(*args, input=input)
        assert result.exit_code == 0, (args, result.output, result.exception)
        return result

    def json(self, *args: Any) -> Any:
        return json.loads(self.ok(*args, "--json").output)

    def set_up(self) -> Result:
        return self.ok(
            "setup",
            "--username",
            ADMIN,
            "--full-name",
            "Nguyễn Văn An",
            "--organisation",
            ROOT,
            "--password-stdin",
            input=PASSWORD + "\n",
        )

    def organisation(self, name: str) -> int:
        rows = self.json("org", "list", "--as", ADMIN)
        return next(row["id"] for row in rows if row["name"] == name)
