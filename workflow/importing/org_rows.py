"""The rows of an organisations file (``hoso org import``): its columns, each row's values, and
the rows of one organisation grouped as its versions over time.

A row is one organisation as it stood from ``valid_from`` (blank: always) to ``valid_until``
(blank: still). An organisation whose name, parent, deciding flag or committee size changed (the
01/07/2025 reform) has one row per period, all with the same ``code``; the rows of a code follow
each other without gap or overlap, and only the last may end (the organisation dissolved).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from workflow import admin as rules
from workflow.errors import InvalidInput
from workflow.importing.fields import fold
from workflow.importing.records import Column, RecordRow, RecordSheet, day, flag, number
from workflow.states import OrgType, UnitKind
from workflow.tree import BEGINNING

CODE_MAX = 50

COLUMNS: tuple[Column, ...] = (
    Column("code", "Mã", "Code", ("ma to chuc", "ma so", "key")),
    Column("name", "Tên tổ chức", "Name", ("ten", "to chuc", "organisation", "organization")),
    Column("parent", "Cấp trên", "Parent", ("truc thuoc", "ma cap tren", "cap tren truc tiep")),
    Column("type", "Loại", "Kind", ("loai to chuc", "type")),
    Column("mass_kind", "Loại đoàn thể", "Mass kind", ("doan the",)),
    Column("unit_kind", "Loại đơn vị", "Unit kind", ("don vi",)),
    Column(
        "decides_admissions",
        "Quyết định kết nạp",
        "Decides admissions",
        ("cap quyet dinh", "quyet dinh", "decides", "deciding body"),
    ),
    Column(
        "committee_size",
        "Số ủy viên",
        "Committee size",
        ("so uy vien ban chap hanh", "so thanh vien", "size"),
    ),
    Column("has_doan", "Có Đoàn", "Has Đoàn", ("co chi doan", "co doan thanh nien")),
    Column("valid_from", "Từ ngày", "Valid from", ("hieu luc tu", "thanh lap", "tu")),
    Column("valid_until", "Đến ngày", "Valid until", ("hieu luc den", "giai the", "den")),
)
REQUIRED = ("name", "type")

#: The kinds a file may write (folded), as (type, mass kind).
KINDS: dict[str, tuple[str, str | None]] = {
    "committee": (OrgType.committee, None),
    "dang uy": (OrgType.committee, None),
    "dang bo": (OrgType.committee, None),
    "cap uy": (OrgType.committee, None),
    "cell": (OrgType.cell, None),
    "chi bo": (OrgType.cell, None),
    "centre": (OrgType.centre, None),
    "center": (OrgType.centre, None),
    "trung tam": (OrgType.centre, None),
    "trung tam chinh tri": (OrgType.centre, None),
    "mass": (OrgType.mass, None),
    "doan the": (OrgType.mass, None),
    "doan": (OrgType.mass, "doan"),
    "doan thanh nien": (OrgType.mass, "doan"),
    "cong doan": (OrgType.mass, "congdoan"),
    "congdoan": (OrgType.mass, "congdoan"),
    "mat tran": (OrgType.mass, "mattran"),
    "mattran": (OrgType.mass, "mattran"),
    "hoi": (OrgType.mass, "hoi"),
}
MASS_KINDS = {"doan": "doan", "cong doan": "congdoan", "mat tran": "mattran", "hoi": "hoi"}
UNIT_KINDS = {"truong hoc": "school", "truong": "school", "doanh nghiep": "enterprise"}


@dataclass(frozen=True)
class OrgValues:
    """One row's organisation, checked on its own."""

    key: str
    name: str
    parent: str | None
    type: str
    mass_kind: str | None
    unit_kind: str
    decides: bool
    committee_size: int
    has_doan: bool
    valid_from: date
    valid_until: date | None
    #: Whether the row gave ``valid_from`` (else the organisation begins with its parent).
    dated: bool = True


def org_values(row: RecordRow) -> OrgValues | None:
    """The row's values, or None with the row's problems added."""
    name = _checked(row, lambda: rules.check_text("name", row.text("name"), rules.NAME_MAX))
    row.label = name or row.text("name")[:60]
    code = _checked(row, lambda: rules.check_text("code", row.text("code"), CODE_MAX, False))
    parent = _checked(row, lambda: rules.check_text("parent", row.text("parent"), 250, False))
    kind = KINDS.get(fold(row.text("type")))
    if kind is None:
        row.refuse("type", f"'{row.text('type')}' is not committee, cell, centre or mass")
    mass = _choice(row, "mass_kind", MASS_KINDS, rules.MASS_KINDS) or (kind[1] if kind else None)
    unit = _choice(row, "unit_kind", UNIT_KINDS, tuple(UnitKind)) or UnitKind.other
    size = number(row, "committee_size")
    valid_from, valid_until = day(row, "valid_from"), day(row, "valid_until")
    if valid_from and valid_until and valid_until <= valid_from:
        row.refuse("valid_until", "must come after valid_from", "phải sau ngày bắt đầu")
    decides, has_doan = flag(row, "decides_admissions"), flag(row, "has_doan", True)
    if kind and decides and kind[0] != OrgType.committee:
        row.refuse("decides_admissions", rules.NOT_A_COMMITTEE)
    if kind:
        _checked(row, lambda: rules.org_values(kind[0], unit, size, mass))
    if row.refused or name is None or kind is None:
        return None
    return OrgValues(
        key=fold(code or name),
        name=name,
        parent=parent,
        type=kind[0],
        mass_kind=mass if kind[0] == OrgType.mass else None,
        unit_kind=unit,
        decides=decides,
        committee_size=(size or 0) if kind[0] == OrgType.committee else 0,
        has_doan=has_doan,
        valid_from=valid_from or BEGINNING,
        valid_until=valid_until,
        dated=valid_from is not None,
    )


def _checked(row: RecordRow, check):
    try:
        return check()
    except InvalidInput as err:
        row.refuse_input(err)
        return None


def _choice(row: RecordRow, name: str, aliases: dict[str, str], values) -> str | None:
    text = row.text(name)
    if not text:
        return None
    key = fold(text)
    found = aliases.get(key) or (key if key in values else None)
    if found is None:
        row.refuse(name, f"'{text}' is not one of {', '.join(values)}")
    return found


@dataclass
class OrgPlan:
    """One organisation of the file: its rows (versions) in date order."""

    key: str
    rows: list[tuple[RecordRow, OrgValues]]

    @property
    def first(self) -> OrgValues:
        return self.rows[0][1]


def plans(sheet: RecordSheet) -> list[OrgPlan]:
    """The file's organisations, each with its versions in order; the versions of one
    organisation that do not follow each other, or change its kind, are refused."""
    grouped: dict[str, list[tuple[RecordRow, OrgValues]]] = {}
    for row in sheet.rows:
        values = org_values(row)
        if values is not None:
            grouped.setdefault(values.key, []).append((row, values))
    found = []
    for key, rows in grouped.items():
        rows.sort(key=lambda item: item[1].valid_from)
        for (_, before), (row, after) in zip(rows, rows[1:], strict=False):
            if after.type != before.type:
                row.refuse("type", "an organisation keeps its kind: another code for another kind")
            elif before.valid_until is None and not sheet.has("code"):
                row.refuse("name", rules.NAME_TAKEN + " in the file (give each a code)")
            elif before.valid_until != after.valid_from:
                row.refuse(
                    "valid_from",
                    "the rows of one code must follow each other: this one begins on the day "
                    "the one before ends (its 'valid until')",
                )
        found.append(OrgPlan(key, rows))
    return found
