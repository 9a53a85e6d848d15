"""Who a person is for the counts: their category (học sinh, giáo viên, công nhân...).

The category is asked when a candidate is identified (the ``identify`` form, the new-candidate
page, the import's column) and kept on the person. It is what the targets count ("≥ 1 student a
year" is not met by a teacher) and what the yearly statistics group by. A person whose category
was never recorded (everyone before migration 0016, an imported file without the column) has
none: the counts show them as "not recorded" and never guess.
"""

from __future__ import annotations

import unicodedata
from enum import StrEnum


class Category(StrEnum):
    """The person's category as the yearly statistics of new members report it."""

    student = "student"  # học sinh, sinh viên
    teacher = "teacher"  # giáo viên
    enterprise_worker = "enterprise_worker"  # công nhân, lao động DN ngoài Nhà nước
    enterprise_owner = "enterprise_owner"  # chủ doanh nghiệp tư nhân
    farmer = "farmer"  # nông dân
    public_servant = "public_servant"  # cán bộ, công chức, viên chức
    other = "other"

    @property
    def label_vi(self) -> str:
        return CATEGORY_LABELS[self][0]

    @property
    def label_en(self) -> str:
        return CATEGORY_LABELS[self][1]


CATEGORY_LABELS: dict[Category, tuple[str, str]] = {
    Category.student: ("Học sinh, sinh viên", "Student"),
    Category.teacher: ("Giáo viên", "Teacher"),
    Category.enterprise_worker: (
        "Công nhân, người lao động DN ngoài Nhà nước",
        "Worker of a non-state enterprise",
    ),
    Category.enterprise_owner: ("Chủ doanh nghiệp tư nhân", "Enterprise owner"),
    Category.farmer: ("Nông dân", "Farmer"),
    Category.public_servant: ("Cán bộ, công chức, viên chức", "Public servant"),
    Category.other: ("Khác", "Other"),
}

#: How a count names the people whose category was never recorded (never stored).
#: A person's particulars as stored (``people``), in the order of the identify form.
PERSON_FIELDS: tuple[str, ...] = (
    "full_name",
    "birth_date",
    "sex",
    "birth_place",
    "hometown",
    "ethnicity",
    "religion",
    "education",
    "residence",
    "occupation",
    "id_number",
    "category",
)

NOT_RECORDED = "not_recorded"
NOT_RECORDED_LABELS = ("Chưa ghi nhận", "Not recorded")

#: The longest category value stored (``people.category``, ``targets.category``).
CATEGORY_MAX = 30

#: Words a spreadsheet may write for each category besides its value and labels (folded:
#: lower case, no diacritics).
_ALIASES: dict[Category, tuple[str, ...]] = {
    Category.student: ("hoc sinh", "sinh vien", "hs", "hssv"),
    Category.teacher: ("giao vien", "gv"),
    Category.enterprise_worker: (
        "cong nhan",
        "nguoi lao dong",
        "lao dong dn",
        "cong nhan lao dong",
        "worker",
    ),
    Category.enterprise_owner: ("chu doanh nghiep", "chu dn", "owner"),
    Category.farmer: ("nong dan",),
    Category.public_servant: ("can bo", "cong chuc", "vien chuc", "ccvc", "cbccvc"),
    Category.other: ("khac",),
}


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "d"))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().replace(",", " ").split())


def _table() -> dict[str, Category]:
    table: dict[str, Category] = {}
    for category in Category:
        vi, en = CATEGORY_LABELS[category]
        for word in (category.value, vi, en, *_ALIASES[category]):
            table[_fold(word)] = category
    return table


_WORDS = _table()


def parse_category(text: str | None) -> Category | None:
    """A category from its value, its Vietnamese or English label or a usual word for it
    (``"Học sinh"``, ``"công nhân"``); ``None`` for blank; ``ValueError`` when unknown."""
    folded = _fold(text or "")
    if not folded:
        return None
    found = _WORDS.get(folded) or _WORDS.get(folded.replace("_", " "))
    if found is None:
        raise ValueError(f"{text!r} is not a category")
    return found


def category_label(value: str | None, lang: str = "vi") -> str:
    """A stored category (or ``None``/"not_recorded") in `lang`."""
    if value in (None, NOT_RECORDED):
        return NOT_RECORDED_LABELS[0 if lang == "vi" else 1]
    try:
        category = Category(value)
    except ValueError:
        return str(value)
    return category.label_vi if lang == "vi" else category.label_en
