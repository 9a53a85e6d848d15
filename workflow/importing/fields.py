"""The columns a candidates file may have: the ``identify`` fields, the headers that name them
(Vietnamese or English, compared without case, diacritics or punctuation), and their limits."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from workflow.definition import SPECS, FieldSpec
from workflow.states import Trigger

#: The identify action's fields that a file may give (the source is always the file itself).
IDENTIFY: tuple[FieldSpec, ...] = SPECS[Trigger.identify].fields
FIELDS: dict[str, FieldSpec] = {
    spec.name: spec for spec in IDENTIFY if spec.name not in ("source", "source_detail")
}

#: Headers accepted for each field besides its name and its Vietnamese and English labels
#: (docs/import.md lists them); compared folded: lower case, without diacritics or punctuation.
ALIASES: dict[str, tuple[str, ...]] = {
    "full_name": ("ho ten", "ho va ten quan chung", "ho ten quan chung", "name"),
    "birth_date": (
        "ngay thang nam sinh",
        "sinh ngay",
        "birth date",
        "birthday",
        "dob",
    ),
    "sex": ("gioi", "nam nu", "gender"),
    "birth_place": ("birthplace",),
    "hometown": ("que", "nguyen quan", "home town"),
    "ethnicity": (),
    "religion": (),
    "education": ("trinh do", "hoc van", "trinh do van hoa", "van hoa"),
    "residence": (
        "noi o",
        "noi o hien nay",
        "cho o hien nay",
        "dia chi",
        "dia chi thuong tru",
        "thuong tru",
        "address",
    ),
    "occupation": ("nghe nghiep hien nay", "cong viec", "job"),
    "id_number": (
        "cccd",
        "so can cuoc",
        "so can cuoc cong dan",
        "can cuoc cong dan",
        "so cmnd",
        "cmnd",
        "so cmnd cccd",
        "so cccd cmnd",
        "cmnd cccd",
        "cccd cmnd",
        "so dinh danh",
        "so dinh danh ca nhan",
        "ma dinh danh",
        "id no",
        "national id",
    ),
    # Without this column the people are "not recorded" (docs/import.md): never guessed.
    "category": ("thanh phan", "doi tuong ket nap", "phan loai", "loai doi tuong"),
    "is_doan_member": ("doan vien", "doan vien tncs hcm", "is doan member", "doan member"),
    "cell": ("ten chi bo", "ma chi bo", "chi bo dang", "cell id"),
}

#: The fields a row cannot go without (the cell may come from the importer's only cell).
REQUIRED_COLUMNS = ("full_name", "birth_date")

#: The longest text each field's column stores (db/models/people.py); longer is refused here
#: rather than by the database in the middle of the import.
MAX_LENGTHS = {
    "full_name": 200,
    "sex": 10,
    "birth_place": 200,
    "hometown": 200,
    "ethnicity": 50,
    "religion": 50,
    "education": 100,
    "residence": 300,
    "occupation": 200,
    "id_number": 20,
}
#: The longest source detail a case keeps (the file's name).
SOURCE_DETAIL_MAX = 300

_EXTRA = str.maketrans({"đ": "d", "Đ": "d"})
_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_NOT_WORD = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """Lower case, without diacritics, single spaces (as ``db.text.fold`` folds names)."""
    decomposed = unicodedata.normalize("NFD", text.translate(_EXTRA))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())


def fold_header(text: Any) -> str:
    """A header as it is compared: folded, without bracketed notes, punctuation or underscores.

    ``"Ngày sinh (dd/mm/yyyy)"`` → ``"ngay sinh"``; ``"Số CMND/CCCD"`` → ``"so cmnd cccd"``;
    ``"full_name"`` → ``"full name"``.
    """
    if text is None:
        return ""
    folded = fold(_BRACKETS.sub(" ", str(text)))
    return " ".join(_NOT_WORD.sub(" ", folded).split())


def _header_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for name, spec in FIELDS.items():
        for alias in (name, spec.vi, spec.en, *ALIASES.get(name, ())):
            key = fold_header(alias)
            if table.setdefault(key, name) != name:
                raise AssertionError(f"header {alias!r} names two fields")
    return table


#: Folded header → field name.
HEADERS: dict[str, str] = _header_table()


def accepted_headers() -> dict[str, list[str]]:
    """For each field, the headers accepted (folded), its Vietnamese label first."""
    listed: dict[str, list[str]] = {name: [] for name in FIELDS}
    for key, name in HEADERS.items():
        listed[name].append(key)
    return listed
