"""The person's education (trình độ học vấn) as a level, not free text: what the floor judges.

The Party's rules ask for a lower-secondary diploma (tốt nghiệp THCS) or above; mountain, island
and ethnic-minority hardship areas may admit below it, each case with a recorded exception. The
level is the highest one completed: a student now in grade 12 has lower-secondary, not
upper-secondary. ``parse_education`` reads the usual ways a form or a spreadsheet writes it
("12/12", "THPT", "Đại học sư phạm"); migration 0015 used the same words on the old free text.
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum


class EducationLevel(StrEnum):
    """The highest level of general or further education completed, lowest first."""

    primary = "primary"  # tiểu học
    lower_secondary = "lower_secondary"  # trung học cơ sở (THCS)
    upper_secondary = "upper_secondary"  # trung học phổ thông (THPT)
    vocational = "vocational"  # trung cấp, nghề
    college = "college"  # cao đẳng
    university = "university"  # đại học
    postgraduate = "postgraduate"  # thạc sĩ, tiến sĩ


LEVELS: tuple[EducationLevel, ...] = tuple(EducationLevel)
EDUCATION_LABELS: dict[EducationLevel, tuple[str, str]] = {
    EducationLevel.primary: ("Tiểu học", "Primary"),
    EducationLevel.lower_secondary: ("Trung học cơ sở (THCS)", "Lower secondary"),
    EducationLevel.upper_secondary: ("Trung học phổ thông (THPT)", "Upper secondary"),
    EducationLevel.vocational: ("Trung cấp, nghề", "Vocational"),
    EducationLevel.college: ("Cao đẳng", "College"),
    EducationLevel.university: ("Đại học", "University"),
    EducationLevel.postgraduate: ("Sau đại học", "Postgraduate"),
}
#: The floor of the rules: tốt nghiệp THCS.
FLOOR = EducationLevel.lower_secondary

#: The hardship areas where an exception to the floor may be recorded (domain.md).
HARDSHIP_AREAS: dict[str, tuple[str, str]] = {
    "mountain": ("Vùng cao, miền núi", "Mountain area"),
    "island": ("Hải đảo", "Island"),
    "ethnic_minority": ("Vùng đồng bào dân tộc thiểu số", "Ethnic-minority area"),
}

# Words, folded (lower case, no diacritics), naming each level; the longer phrases first.
_WORDS: tuple[tuple[str, EducationLevel], ...] = (
    ("sau dai hoc", EducationLevel.postgraduate),
    ("thac si", EducationLevel.postgraduate),
    ("tien si", EducationLevel.postgraduate),
    ("postgraduate", EducationLevel.postgraduate),
    ("dai hoc", EducationLevel.university),
    ("cu nhan", EducationLevel.university),
    ("ky su", EducationLevel.university),
    ("university", EducationLevel.university),
    ("cao dang", EducationLevel.college),
    ("college", EducationLevel.college),
    ("trung cap", EducationLevel.vocational),
    ("so cap nghe", EducationLevel.vocational),
    ("nghe", EducationLevel.vocational),
    ("vocational", EducationLevel.vocational),
    ("trung hoc pho thong", EducationLevel.upper_secondary),
    ("thpt", EducationLevel.upper_secondary),
    ("bo tuc thpt", EducationLevel.upper_secondary),
    ("upper secondary", EducationLevel.upper_secondary),
    ("trung hoc co so", EducationLevel.lower_secondary),
    ("thcs", EducationLevel.lower_secondary),
    ("lower secondary", EducationLevel.lower_secondary),
    ("tieu hoc", EducationLevel.primary),
    ("primary", EducationLevel.primary),
)
_GRADE = re.compile(r"\b(\d{1,2})\s*/\s*(10|12)\b")
_GRADE_ALONE = re.compile(r"\blop\s*(\d{1,2})\b")


def fold(text: str) -> str:
    """Lower case without diacritics, ``đ`` as ``d``, single spaces."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "d"))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().replace("_", " ").split())


def _grade_level(grade: int, system: int) -> EducationLevel:
    """The level completed with `grade` of a 12-year (or the old 10-year) school system."""
    upper, lower = (12, 9) if system == 12 else (10, 7)
    if grade >= upper:
        return EducationLevel.upper_secondary
    if grade >= lower:
        return EducationLevel.lower_secondary
    return EducationLevel.primary


def _below(level: EducationLevel) -> EducationLevel | None:
    index = LEVELS.index(level)
    if level in (EducationLevel.college, EducationLevel.university, EducationLevel.vocational):
        return EducationLevel.upper_secondary  # studying for a degree: finished THPT
    return LEVELS[index - 1] if index > 0 else None


def parse_education(text: str | None) -> EducationLevel | None:
    """A level from its value, its label or the usual words (``"12/12"``, ``"Đại học"``); None
    for blank; ``ValueError`` when nothing known is named. "Đang học ..." (still studying) is
    the level below the one named: a grade-12 student has finished lower secondary."""
    folded = fold(text or "")
    if not folded:
        return None
    for level in LEVELS:
        label_vi, label_en = EDUCATION_LABELS[level]
        if folded in (level.value.replace("_", " "), fold(label_vi), fold(label_en)):
            return level
    studying = folded.startswith(("dang hoc", "dang theo hoc"))
    found: EducationLevel | None = None
    if grade := _GRADE.search(folded):
        found = _grade_level(int(grade.group(1)), int(grade.group(2)))
    else:
        padded = f" {folded} "
        found = next((lvl for word, lvl in _WORDS if f" {word} " in padded), None)
        if found is None and (alone := _GRADE_ALONE.search(folded)):
            found = _grade_level(int(alone.group(1)), 12)
    if found is None:
        raise ValueError(f"{text!r} is not an education level")
    if studying:
        found = _below(found) or EducationLevel.primary
    return found


def education_label(value: str | None, lang: str = "vi") -> str | None:
    """A stored level in `lang` (an unknown value as it is; None stays None)."""
    if value is None:
        return None
    try:
        level = EducationLevel(value)
    except ValueError:
        return value
    return EDUCATION_LABELS[level][0 if lang == "vi" else 1]


def meets_floor(value: str | None) -> bool:
    """The level is lower secondary or above."""
    try:
        return value is not None and LEVELS.index(EducationLevel(value)) >= LEVELS.index(FLOOR)
    except ValueError:
        return False
