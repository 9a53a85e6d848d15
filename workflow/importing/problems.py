"""What can be wrong with a candidates file: a row's :class:`Problem`, or the whole file's
:class:`ImportFileError`, each said in Vietnamese and English."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from workflow.errors import InvalidInput
from workflow.importing.fields import FIELDS


@dataclass(frozen=True)
class Problem:
    """Why a row is refused: a kind for scripts, the field, and the reason in both languages.

    Kinds: ``missing``, ``bad_date``, ``bad_value``, ``unknown_cell``, ``not_allowed``,
    ``duplicate_in_file``, ``duplicate_open_case``, ``rule`` (``rule`` names the broken rule).
    """

    kind: str
    field: str | None
    vi: str
    en: str
    rule: str | None = None

    def text(self, locale: str = "vi") -> str:
        return self.en if locale == "en" else self.vi

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "field": self.field,
            "rule": self.rule,
            "message": self.en,
            "message_vi": self.vi,
        }


def labels(name: str) -> tuple[str, str]:
    """A field's Vietnamese and English labels (its name for an unknown field)."""
    spec = FIELDS.get(name)
    return (spec.vi, spec.en) if spec else (name, name)


def missing(name: str) -> Problem:
    """The field is empty in a row that needs it."""
    vi, en = labels(name)
    return Problem("missing", name, f"Thiếu {vi.lower()}.", f"{en} is missing.")


def bad(name: str, vi: str, en: str, kind: str = "bad_value") -> Problem:
    """The field's value is wrong: why, in both languages, after the field's label."""
    label_vi, label_en = labels(name)
    return Problem(kind, name, f"{label_vi}: {vi}", f"{label_en}: {en}")


class ImportFileError(InvalidInput):
    """The file as a whole cannot be imported (unreadable, no header, no rows, too large)."""

    def __init__(self, en: str, vi: str):
        super().__init__("FILE", en)
        self.en = en
        self.vi = vi

    def text(self, locale: str = "vi") -> str:
        return self.en if locale == "en" else self.vi
