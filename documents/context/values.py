"""A dossier's parts as the plain values a form prints: dates, the person, votes, bodies, papers.

A value the case does not have is ``None`` and the template prints a dotted blank to be filled by
hand. Dates come in every way a form writes them (``12/01/2005``, ``ngày 05 tháng 3 năm 2025``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from documents import wording as w
from documents.keys import lookup
from workflow.education import EDUCATION_LABELS, EducationLevel

Context = dict[str, Any]

#: Where a form's own number and date are recorded, besides the documents on file.
_RECORDED = {
    "CN-NTVĐ": ("certificate.number", "certificate.issued_on"),
    "6-KNĐ": ("votes.cell.resolution_number", "votes.cell.held_on"),
    "8-KNĐ": ("votes.grassroots.resolution_number", "votes.grassroots.held_on"),
    "9-KNĐ": ("decisions.admission.number", "decisions.admission.signed_on"),
    "13-KNĐ": ("votes.recognition.resolution_number", "votes.recognition.held_on"),
    "15-KNĐ": (
        "votes.recognition_grassroots.resolution_number",
        "votes.recognition_grassroots.held_on",
    ),
    "16-KNĐ": ("decisions.recognition.number", "decisions.recognition.signed_on"),
}
_SEX = {"nam": "Nam", "nữ": "Nữ"}
#: What a dossier holds (``db.read.dossier.dossier_data``); a key absent from the one given is
#: empty, so that a dossier kept from an older shape, or made by hand, still renders.
_EMPTY: dict[str, Any] = {
    "case": {},
    "grassroots": None,
    "deciding": None,
    "province": None,
    "mentor": None,
    "mentors": [],
    "certificate": None,
    "introductions": [],
    "votes": {},
    "decisions": {},
    "documents": {},
    "rules": {},
    "relatives": [],
}
_PERSON_FIELDS = (
    "full_name",
    "sex",
    "birth_date",
    "birth_place",
    "hometown",
    "residence",
    "ethnicity",
    "religion",
    "education",
    "occupation",
    "id_number",
    "is_doan_member",
    "birth_name",
    "aliases",
    "doan_joined_on",
    "political_theory",
    "foreign_language",
)
_CASE_FIELDS = ("id", "state", "ceremony_on", "probation_ends_on")


def complete(dossier: dict[str, Any]) -> dict[str, Any]:
    """`dossier` with every key the templates read (absent ones empty)."""
    d = {**_EMPTY, **dossier}
    d["person"] = {**dict.fromkeys(_PERSON_FIELDS), **(d.get("person") or {})}
    d["cell"] = {"name": None, "has_doan": True, "mass_organisations": [], **(d.get("cell") or {})}
    d["case"] = {**dict.fromkeys(_CASE_FIELDS), **(d["case"] or {})}
    return d


def _day(value: Any) -> date | None:
    return w.parse_day(value)


def date_values(value: Any) -> dict[str, Any]:
    """A date in every way a form writes it (all ``None``-safe)."""
    day = _day(value)
    return {
        "iso": day.isoformat() if day else None,
        "numeric": w.numeric(day),
        "words": w.words(day),
        "bare": w.words(day).removeprefix("ngày "),  # after a capital "Ngày" opening a sentence
        "day": w.day_number(day) if day else None,
        "month": w.month_number(day) if day else None,
        "year": str(day.year) if day else None,
    }


def _text(value: Any) -> Any:
    return w.nfc(value) if isinstance(value, str) else value


def clean(data: Any) -> Any:
    """Every string of `data` in NFC."""
    if isinstance(data, dict):
        return {key: clean(value) for key, value in data.items()}
    if isinstance(data, list):
        return [clean(value) for value in data]
    return _text(data)


def person(person: dict[str, Any]) -> Context:
    """The person, with the name in capitals and the birth date in every form."""
    return {
        **person,
        "full_name_upper": w.upper(person.get("full_name")),
        # The level as the form writes it ("Trung học cơ sở (THCS)"), never its code.
        "education": education_label(person.get("education")),
        "sex_label": _SEX.get((person.get("sex") or "").lower(), person.get("sex")),
        "birth": date_values(person.get("birth_date")),
    }


def education_label(value: str | None) -> str | None:
    """The Vietnamese name of an education level code; free text is kept as written."""
    if value in EducationLevel.__members__:
        return EDUCATION_LABELS[EducationLevel(value)][0]
    return value


def vote(vote: dict[str, Any] | None) -> Context | None:
    """A vote with its shares; ``None`` until it is recorded."""
    if not vote or vote.get("votes_for") is None or not vote.get("eligible"):
        return None
    eligible, yes, no = vote["eligible"], vote["votes_for"], vote.get("votes_against") or 0
    return {
        "held": date_values(vote.get("held_on")),
        "votes_for": yes,
        "votes_against": no,
        "eligible": eligible,
        "share": w.share(yes, eligible),
        "against_share": w.share(no, eligible),
        "not_voting": max(eligible - yes - no, 0),
        "resolution_number": vote.get("resolution_number"),
        **roll(vote),
    }


def roll(vote: dict[str, Any]) -> Context:
    """The cell's official members on the vote's day as the vote recorded them: how many, how
    many present and absent (the exempted among the absent); ``None`` where not recorded.
    Probationary members are not in the record: the forms leave their count blank."""
    official, present = vote.get("official_members"), vote.get("present")
    return {
        "official_members": official,
        "present": present,
        "absent": official - present if official is not None and present is not None else None,
        "excused_absent": vote.get("excused_absent"),
    }


def paper(dossier: dict[str, Any], code: str) -> Context:
    """A form of the case as recorded: its number and date (``None`` when not on file)."""
    doc = (dossier.get("documents") or {}).get(code) or {}
    number_key, date_key = _RECORDED.get(code, (None, None))
    # The decision, vote or certificate itself first; the document on file otherwise.
    number = (lookup(dossier, number_key) if number_key else None) or doc.get("number")
    dated = (lookup(dossier, date_key) if date_key else None) or doc.get("dated")
    return {"number": number, "date": date_values(dated)}


def body(org: dict[str, Any] | None) -> Context | None:
    """A party body in its forms: organisation (Đảng bộ …) and committee (… ủy …)."""
    if not org or not org.get("name"):
        return None
    name = org["name"]
    parent = org.get("parent_name")
    return {
        "name": name,
        "organisation": w.organisation_name(name),
        "committee": w.committee_name(name),
        "committee_upper": w.upper(w.committee_name(name)),
        "parent_organisation_upper": w.upper(w.organisation_name(parent)) if parent else None,
        "place": w.locality(name),
        "abbreviation": w.abbreviation(name),
        "standing": w.signs_as_standing_committee(name),
        "sign_role": (
            "T/M BAN THƯỜNG VỤ" if w.signs_as_standing_committee(name) else "T/M ĐẢNG ỦY"
        ),
        # Who meets and votes for the body, as its resolutions name them and as they sign
        # (8-KNĐ, 15-KNĐ): a district's standing committee, else the committee itself.
        "voters": (
            f"Ban Thường vụ {w.committee_name(name)}"
            if w.signs_as_standing_committee(name)
            else w.committee_name(name)
        ),
        "voter_members": (
            "ủy viên Ban Thường vụ" if w.signs_as_standing_committee(name) else "cấp ủy viên"
        ),
    }


def identity(org: dict[str, Any]) -> Any:
    """What tells two bodies apart: the id, else the name."""
    return org.get("id") or org["name"]


def introduction(intro: dict[str, Any]) -> Context:
    """An introduction, with the months its author had known the candidate when signing."""
    member = intro.get("member") or {}
    since = _day(intro.get("known_since"))
    dated = _day(intro.get("dated"))
    months = None
    if since and dated:
        months = (dated.year - since.year) * 12 + dated.month - since.month
        months -= dated.day < since.day
    return {
        "kind": intro.get("kind"),
        "name": intro.get("name"),
        "name_upper": w.upper(intro.get("name")),
        "dated": date_values(dated),
        "known_since": date_values(since),
        "months_known": months,
        "admitted_on": date_values(member.get("admitted_on")),
        "official_since": date_values(member.get("official_since")),
        "cell_name": member.get("cell_name"),
        # The introducing member's own particulars (3-KNĐ), from the people register.
        "birth": date_values(member.get("birth_date")),
        "hometown": member.get("hometown"),
        "residence": member.get("residence"),
    }
