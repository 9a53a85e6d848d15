"""Which rules a date falls under: the legal bases (a regulation and its guidance), each in force
from a date to a date, as data (the ``legal_bases`` table).

A decision (9-KNĐ, 16-KNĐ) cites the bases in force on its date: Quy định 29-QĐ/TW and Hướng
dẫn 01-HD/TW before 2021, Quy định 24-QĐ/TW and Hướng dẫn 12-HD/BTCTW until 30/06/2025, Quy
định 294-QĐ/TW from 01/07/2025 (domain.md). ``KNOWN_BASES`` is the list the first migration
seeded; it also serves a dossier kept before the bases were part of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

REGULATION = "regulation"
GUIDANCE = "guidance"
KINDS = (REGULATION, GUIDANCE)


@dataclass(frozen=True)
class LegalBasis:
    """A regulation or a guidance, in force from ``valid_from`` until the day before
    ``valid_until`` (``None``: still in force); ``title`` is how a decision cites it."""

    code: str
    kind: str
    title: str
    valid_from: date
    valid_until: date | None = None
    signed_on: date | None = None

    def in_force_on(self, day: date) -> bool:
        """Whether a decision of `day` cites it."""
        return self.valid_from <= day and (self.valid_until is None or day < self.valid_until)

    def as_dict(self) -> dict[str, Any]:
        """The plain, JSON-safe values (a dossier keeps them)."""
        return {
            "code": self.code,
            "kind": self.kind,
            "title": self.title,
            "valid_from": self.valid_from.isoformat(),
            "valid_until": self.valid_until.isoformat() if self.valid_until else None,
        }


def basis_of(values: Mapping[str, Any]) -> LegalBasis:
    """A basis from its plain values (dates as ISO strings or dates)."""

    def day(value: Any) -> date | None:
        return date.fromisoformat(value) if isinstance(value, str) else value

    return LegalBasis(
        code=values["code"],
        kind=values["kind"],
        title=values["title"],
        valid_from=day(values["valid_from"]),
        valid_until=day(values.get("valid_until")),
        signed_on=day(values.get("signed_on")),
    )


def in_force(bases: Iterable[LegalBasis], day: date) -> list[LegalBasis]:
    """The bases in force on `day`: regulations before guidance, the newest first within each."""
    found = [b for b in bases if b.in_force_on(day)]
    return sorted(found, key=lambda b: (KINDS.index(b.kind), -b.valid_from.toordinal()))


def citation(bases: Iterable[LegalBasis]) -> str | None:
    """The bases as one "Căn cứ" line cites them (``A và B``), or None when there is none."""
    titles = [b.title for b in bases]
    if not titles:
        return None
    return ", ".join(titles[:-1]) + (" và " if len(titles) > 1 else "") + titles[-1]


#: The bases of domain.md, with the dates of signature as their start (the day each took effect
#: is not recorded: signature is assumed). 294-QĐ/TW's guidance is not known yet.
KNOWN_BASES = (
    LegalBasis(
        "29-QĐ/TW",
        REGULATION,
        "Quy định số 29-QĐ/TW ngày 25/7/2016 của Ban Chấp hành Trung ương về thi hành Điều lệ Đảng",
        date(2016, 7, 25),
        date(2021, 7, 30),
        date(2016, 7, 25),
    ),
    LegalBasis(
        "01-HD/TW",
        GUIDANCE,
        "Hướng dẫn số 01-HD/TW ngày 20/9/2016 của Ban Bí thư về một số vấn đề cụ thể thi hành "
        "Điều lệ Đảng",
        date(2016, 9, 20),
        date(2022, 1, 18),
        date(2016, 9, 20),
    ),
    LegalBasis(
        "24-QĐ/TW",
        REGULATION,
        "Quy định số 24-QĐ/TW ngày 30/7/2021 của Ban Chấp hành Trung ương về thi hành Điều lệ Đảng",
        date(2021, 7, 30),
        date(2025, 7, 1),
        date(2021, 7, 30),
    ),
    LegalBasis(
        "12-HD/BTCTW",
        GUIDANCE,
        "Hướng dẫn số 12-HD/BTCTW ngày 18/01/2022 của Ban Tổ chức Trung ương về nghiệp vụ công "
        "tác đảng viên",
        date(2022, 1, 18),
        date(2025, 7, 1),
        date(2022, 1, 18),
    ),
    LegalBasis(
        "294-QĐ/TW",
        REGULATION,
        "Quy định số 294-QĐ/TW ngày 26/5/2025 của Ban Chấp hành Trung ương về thi hành Điều lệ "
        "Đảng",
        date(2025, 7, 1),
        None,
        date(2025, 5, 26),
    ),
)
