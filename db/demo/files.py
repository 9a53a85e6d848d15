"""Reading the demo's data files: TOML and CSV entries whose every fault names file and entry."""

from __future__ import annotations

import csv
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

#: A CSV cell or TOML value that stands for yes.
_YES = {"yes", "true", "1"}
_NO = {"no", "false", "0", ""}


class DataError(ValueError):
    """A malformed demo data file: the message names the file, the entry and the fault."""

    def __init__(self, file: str, entry: str, problem: str):
        super().__init__(f"demo data {file}, {entry}: {problem}")
        self.file = file
        self.entry = entry


def read_toml(folder: Path, name: str) -> dict[str, Any]:
    """A TOML file of the data folder; a syntax error names the file."""
    try:
        with (folder / name).open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as err:
        raise DataError(name, "syntax", str(err)) from err


def read_csv(folder: Path, name: str, columns: Iterable[str]) -> list[Entry]:
    """The rows of a CSV file with a header, each an entry named by its line; unknown columns
    are refused (a misspelt optional column would otherwise be silently ignored)."""
    with (folder / name).open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        unknown = sorted(set(reader.fieldnames or ()) - set(columns))
        if unknown:
            raise DataError(name, "header", f"unknown column(s) {', '.join(unknown)}")
        return [
            Entry(name, f"line {reader.line_num}", {k: v for k, v in row.items() if v != ""})
            for row in reader
        ]


def entries(file: str, values: Any, table: str) -> list[Entry]:
    """The entries of an array of tables (``[[table]]``), each named by its position."""
    if values is None:
        return []
    if not isinstance(values, list) or not all(isinstance(v, dict) for v in values):
        raise DataError(file, table, "must be an array of tables")
    return [Entry(file, f"{table} #{n}", value) for n, value in enumerate(values, 1)]


@dataclass
class Entry:
    """One entry of a data file, with typed getters that refuse what they cannot use."""

    file: str
    label: str
    values: Mapping[str, Any]

    def fail(self, problem: str) -> DataError:
        return DataError(self.file, self.label, problem)

    def named(self, label: str) -> Entry:
        """The same entry under a clearer name (``case H1`` rather than ``case #1``)."""
        return Entry(self.file, label, self.values)

    def only(self, *allowed: str) -> None:
        """Refuse keys nobody reads (a typo would otherwise vanish)."""
        unknown = sorted(set(self.values) - set(allowed))
        if unknown:
            raise self.fail(f"unknown key(s) {', '.join(unknown)}")

    def _get(self, key: str, required: bool) -> Any:
        value = self.values.get(key)
        if value is None and required:
            raise self.fail(f"`{key}` is missing")
        return value

    def text(self, key: str) -> str:
        value = self._get(key, True)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"`{key}` must be a non-empty text")
        return value

    def maybe_text(self, key: str) -> str | None:
        return None if self.values.get(key) is None else self.text(key)

    def day(self, key: str) -> date:
        value = self._get(key, True)
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        raise self.fail(f"`{key}` must be a date (YYYY-MM-DD), not {value!r}")

    def maybe_day(self, key: str) -> date | None:
        return None if self.values.get(key) is None else self.day(key)

    def moment(self, key: str) -> datetime:
        value = self._get(key, True)
        if not isinstance(value, datetime) or value.tzinfo is None:
            raise self.fail(f"`{key}` must be a date and time with its offset (…T09:00:00+07:00)")
        return value

    def number(self, key: str, default: int | None = None) -> int:
        value = self.values.get(key, default)
        if isinstance(value, str) and value.isdigit():
            return int(value)
        if not isinstance(value, int) or isinstance(value, bool):
            raise self.fail(f"`{key}` must be a whole number, not {value!r}")
        return value

    def flag(self, key: str, default: bool = False) -> bool:
        value = self.values.get(key, default)
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in _YES | _NO:
            return value.lower() in _YES
        raise self.fail(f"`{key}` must be yes or no, not {value!r}")

    def choice(self, key: str, choices: Iterable[str]) -> str:
        value = self.text(key)
        if value not in set(choices):
            raise self.fail(f"`{key}` = {value!r} is not one of {', '.join(sorted(choices))}")
        return value

    def texts(self, key: str) -> list[str]:
        value = self._get(key, True)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(f"`{key}` must be a list of texts")
        return value
