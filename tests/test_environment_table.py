"""The README's table of environment variables lists every ``HOSO_*`` variable the code reads,
and nothing else."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("web", "db", "workflow", "documents")
NAME = re.compile(r"\bHOSO_[A-Z0-9_]+")


def code_names() -> dict[str, list[str]]:
    """Every ``HOSO_*`` name in the packages' Python files → where it occurs (an app config key
    named so, such as HOSO_UPLOAD_MAX_BYTES, is also the variable that sets it)."""
    found: dict[str, list[str]] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            for name in set(NAME.findall(path.read_text(encoding="utf-8"))):
                found.setdefault(name, []).append(str(path.relative_to(ROOT)))
    return found


def table_names() -> list[str]:
    """The variables of the README's table (the first column of each row)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `HOSO_")]
    return [re.match(r"\| `(HOSO_[A-Z0-9_]+)`", row).group(1) for row in rows]


def test_the_code_reads_names_the_scan_finds():
    """The scan itself works: variables read today are found."""
    names = code_names()
    for name in ("HOSO_DATABASE_URL", "HOSO_SECRET_KEY", "HOSO_PROXY_FIX", "HOSO_SMTP_HOST"):
        assert name in names


def test_every_variable_the_code_reads_is_in_the_readme():
    documented = set(table_names())
    missing = []
    for name, where in sorted(code_names().items()):
        if name.endswith("_"):  # a prefix in prose ("HOSO_SMTP_*"): some row must start so
            if not any(row.startswith(name) for row in documented):
                missing.append(f"{name}* ({', '.join(where)})")
        elif name not in documented:
            missing.append(f"{name} ({', '.join(where)})")
    assert not missing, "not in the README's table of environment variables:\n" + "\n".join(missing)


def test_the_readme_lists_no_variable_the_code_does_not_read():
    names = code_names()
    stale = sorted(set(table_names()) - set(names))
    assert not stale, f"the README's table names variables no code reads: {', '.join(stale)}"


def test_each_variable_has_one_row():
    rows = table_names()
    assert len(rows) == len(set(rows)), sorted(name for name in rows if rows.count(name) > 1)
