"""How the forms write dates, shares and the names of party bodies (Vietnamese conventions)."""

from __future__ import annotations

import unicodedata
from datetime import date
from fractions import Fraction

#: What the forms print where a value is to be written by hand.
DOTS = "…………………"


def nfc(text: str | None) -> str | None:
    """`text` in Unicode NFC (one code point per accented letter), as PDFs and searches expect."""
    return unicodedata.normalize("NFC", text) if text is not None else None


def upper(text: str | None) -> str | None:
    """Capitals, diacritics kept: ``Chi bộ trường THPT`` → ``CHI BỘ TRƯỜNG THPT``."""
    return nfc(text).upper() if text is not None else None


def parse_day(value: str | date | None) -> date | None:
    """A date from the dossier's ISO string."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def day_number(day: date) -> str:
    """The day, two digits below 10 (``05``)."""
    return f"{day.day:02d}"


def month_number(day: date) -> str:
    """The month, with a leading zero for January and February only (``01``, ``02``, ``3``)."""
    return f"{day.month:02d}" if day.month < 3 else str(day.month)


def numeric(day: date | None) -> str | None:
    """``12/01/2005``."""
    return day.strftime("%d/%m/%Y") if day is not None else None


def words(day: date | None) -> str:
    """``ngày 05 tháng 3 năm 2025``, or the dotted blank to fill by hand."""
    if day is None:
        return "ngày …… tháng …… năm ………"
    return f"ngày {day_number(day)} tháng {month_number(day)} năm {day.year}"


def share(part: int, whole: int) -> str:
    """``part`` of ``whole`` in per cent with a decimal comma: ``83,33``; ``100``."""
    if whole <= 0:
        return "0"
    value = Fraction(100 * part, whole)
    text = f"{float(value):.2f}".replace(".", ",")
    return text.removesuffix(",00")


#: A committee's name and the party organisation it leads (``Huyện ủy X`` / ``Đảng bộ huyện X``).
_LEVELS = (
    ("Tỉnh ủy ", "Đảng bộ tỉnh "),
    ("Thành ủy ", "Đảng bộ thành phố "),
    ("Huyện ủy ", "Đảng bộ huyện "),
    ("Quận ủy ", "Đảng bộ quận "),
    ("Thị ủy ", "Đảng bộ thị xã "),
    ("Đảng ủy xã ", "Đảng bộ xã "),
    ("Đảng ủy phường ", "Đảng bộ phường "),
    ("Đảng ủy ", "Đảng bộ "),
)
#: Abbreviations of the issuing body in a document's number (``05-NQ/CB``, ``321-QĐ/HU``).
_ABBREVIATIONS = (
    ("Tỉnh ủy ", "TU"),
    ("Thành ủy ", "TU"),
    ("Huyện ủy ", "HU"),
    ("Quận ủy ", "QU"),
    ("Thị ủy ", "TU"),
    ("Đảng ủy ", "ĐU"),
    ("Chi bộ ", "CB"),
)


def _casefold(text: str) -> str:
    # "uỷ" (old placement of the mark) and "ủy" are one word; both have the same length.
    return nfc(text).casefold().replace("uỷ", "ủy")


def _swap(name: str, pairs: tuple[tuple[str, str], ...], to_committee: bool) -> str:
    name = nfc(name)
    for committee, organisation in pairs:
        source, target = (organisation, committee) if to_committee else (committee, organisation)
        if _casefold(name).startswith(_casefold(source)):
            return target + name[len(source) :]
    return name


def committee_name(name: str) -> str:
    """The committee that leads the party organisation `name`: ``Đảng bộ huyện Đức Trọng`` →
    ``Huyện ủy Đức Trọng``; a committee's or a cell's name is kept."""
    return _swap(name, _LEVELS, to_committee=True)


def organisation_name(name: str) -> str:
    """The party organisation a committee leads: ``Tỉnh ủy X`` → ``Đảng bộ tỉnh X``."""
    return _swap(name, _LEVELS, to_committee=False)


def cell_committee(name: str) -> str:
    """The committee of a cell, as an application is addressed to it: ``Chi bộ trường X`` →
    ``Chi ủy chi bộ trường X``."""
    name = nfc(name)
    if _casefold(name).startswith("chi bộ "):
        return "Chi ủy chi bộ " + name[len("Chi bộ ") :]
    return f"Chi ủy {name}"


def locality(name: str | None) -> str | None:
    """The place a body sits, for the date line: ``Đảng bộ huyện Đức Trọng`` → ``Đức Trọng``;
    ``None`` for a body named after no place (``Đảng ủy Công ty …``)."""
    if name is None:
        return None
    short = committee_name(name)
    for committee, _ in _LEVELS[:-1]:  # the last level, "Đảng ủy …", names no place
        if _casefold(short).startswith(_casefold(committee)):
            return short[len(committee) :]
    return None


#: The no-break space that glues two words on one line.
NBSP = "\u00a0"


def keep_last_words(text: str | None) -> str | None:
    """`text` with its last two words glued by a no-break space, so that a name that wraps never
    leaves one word alone on its last line (``ĐỨC TRỌNG`` stays together).
    A blank (dots) or one word is kept."""
    if not text or " " not in text.strip():
        return text
    head, _, last = text.rstrip().rpartition(" ")
    return f"{head}{NBSP}{last}"


def abbreviation(name: str | None) -> str:
    """The body's letters in a number: ``HU`` for a huyện ủy, ``CB`` for a chi bộ."""
    if name is None:
        return ""
    short = committee_name(name)
    for prefix, letters in _ABBREVIATIONS:
        if _casefold(short).startswith(_casefold(prefix)):
            return letters
    return ""


def signs_as_standing_committee(name: str) -> bool:
    """A committee above the grassroots (tỉnh, huyện...) signs ``T/M BAN THƯỜNG VỤ``."""
    return abbreviation(name) in ("TU", "HU", "QU")


#: How a form calls the person, by its stage (``documents.registry``): a candidate is a "quần
#: chúng" until admitted, a "đảng viên dự bị" during probation, a "đảng viên" once recognised.
_CALLED = {"recognition": "đảng viên dự bị", "official": "đảng viên"}


def called(stage: str) -> str:
    """The word a form of `stage` calls the person by: ``quần chúng``, ``đảng viên dự bị``..."""
    return _CALLED.get(stage, "quần chúng")
