"""The safe context of one form: plain, formatted values built from the dossier dict.

Templates see only what this module returns: strings, numbers, lists and dicts. Dates come
formatted (``12/01/2005``, ``ngày 05 tháng 3 năm 2025``), names in capitals where the form wants
them, votes with their shares. A value the case does not have is ``None`` and the template prints
a dotted blank to be filled by hand.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from documents import wording as w
from documents.keys import lookup
from documents.registry import Form, check_data
from workflow.states import VoteBody

Context = dict[str, Any]

PARTY = "ĐẢNG CỘNG SẢN VIỆT NAM"
DOAN = "ĐOÀN TNCS HỒ CHÍ MINH"
STATE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
STATE_MOTTO = "Độc lập - Tự do - Hạnh phúc"

#: The kind of numbered document (``05-NQ/CB``): forms without one have no number line.
NUMBERED = {
    "CN-NTVĐ": "GCN",
    "4-KNĐ": "NQ",
    "4A-KNĐ": "NQ",
    "6-KNĐ": "NQ",
    "7-KNĐ": "BC",
    "8-KNĐ": "NQ",
    "9-KNĐ": "QĐ",
    "13-KNĐ": "NQ",
    "15-KNĐ": "NQ",
    "16-KNĐ": "QĐ",
}
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
_DECISIONS = ("admission", "recognition")
_SEX = {"nam": "Nam", "nữ": "Nữ"}
#: The numbers the decisions print when the dossier does not carry them (domain.md).
_RULES = {"probation_months": 12, "ceremony_working_days": 30}


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


def _complete(dossier: dict[str, Any]) -> dict[str, Any]:
    """`dossier` with every key the templates read (absent ones empty)."""
    d = {**_EMPTY, **dossier}
    d["person"] = {**dict.fromkeys(_PERSON_FIELDS), **(d.get("person") or {})}
    d["cell"] = {"name": None, "has_doan": True, "mass_organisations": [], **(d.get("cell") or {})}
    d["case"] = {**dict.fromkeys(_CASE_FIELDS), **(d["case"] or {})}
    return d


def _day(value: Any) -> date | None:
    return w.parse_day(value)


def _date(value: Any) -> dict[str, Any]:
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


def _clean(data: Any) -> Any:
    """Every string of `data` in NFC."""
    if isinstance(data, dict):
        return {key: _clean(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_clean(value) for value in data]
    return _text(data)


def _person(person: dict[str, Any]) -> Context:
    return {
        **person,
        "full_name_upper": w.upper(person.get("full_name")),
        "sex_label": _SEX.get((person.get("sex") or "").lower(), person.get("sex")),
        "birth": _date(person.get("birth_date")),
    }


def _vote(vote: dict[str, Any] | None) -> Context | None:
    if not vote or vote.get("votes_for") is None or not vote.get("eligible"):
        return None
    eligible, yes, no = vote["eligible"], vote["votes_for"], vote.get("votes_against") or 0
    return {
        "held": _date(vote.get("held_on")),
        "votes_for": yes,
        "votes_against": no,
        "eligible": eligible,
        "share": w.share(yes, eligible),
        "against_share": w.share(no, eligible),
        "not_voting": max(eligible - yes - no, 0),
        "resolution_number": vote.get("resolution_number"),
    }


def _paper(dossier: dict[str, Any], code: str) -> Context:
    """A form of the case as recorded: its number and date (``None`` when not on file)."""
    doc = (dossier.get("documents") or {}).get(code) or {}
    number_key, date_key = _RECORDED.get(code, (None, None))
    # The decision, vote or certificate itself first; the document on file otherwise.
    number = (lookup(dossier, number_key) if number_key else None) or doc.get("number")
    dated = (lookup(dossier, date_key) if date_key else None) or doc.get("dated")
    return {"number": number, "date": _date(dated)}


def _body(org: dict[str, Any] | None) -> Context | None:
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
    }


def _identity(org: dict[str, Any]) -> Any:
    return org.get("id") or org["name"]


def _introduction(intro: dict[str, Any]) -> Context:
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
        "dated": _date(dated),
        "known_since": _date(since),
        "months_known": months,
        "admitted_on": _date(member.get("admitted_on")),
        "official_since": _date(member.get("official_since")),
        "cell_name": member.get("cell_name"),
    }


def _issuer(spec: Form, ctx: Context, dossier: dict[str, Any]) -> dict[str, Any]:
    """The left column of the header (upper, lower line), the motto and the place."""
    cell, grassroots, deciding = ctx["cell"], ctx["grassroots"], ctx["deciding"]
    above = grassroots or deciding
    place = (above or {}).get("place")
    if spec.issuer == "cell":
        return {
            "upper": w.upper(above["organisation"]) if above else None,
            "lower": cell["name_upper"],
            "abbreviation": "CB",
            "place": place,
        }
    if spec.issuer == "partial":
        return {
            "upper": w.upper(above["organisation"]) if above else None,
            "lower": "ĐẢNG ỦY BỘ PHẬN ……………",
            "abbreviation": "ĐU",
            "place": place,
        }
    if spec.issuer in ("grassroots", "deciding"):
        body = grassroots if spec.issuer == "grassroots" else deciding
        return {
            "upper": body["parent_organisation_upper"],
            "lower": body["committee_upper"],
            "abbreviation": body["abbreviation"],
            "place": body["place"],
        }
    if spec.issuer == "centre":
        return {
            "upper": deciding["committee_upper"] if deciding else None,
            "lower": w.upper(lookup(dossier, "certificate.issuer")),
            "abbreviation": "",
            "place": (deciding or {}).get("place"),
        }
    if spec.issuer in ("doan", "congdoan"):
        return {
            "upper": None,
            "lower": w.upper(_mass_introducer(ctx, dossier, spec.issuer)["name"]),
            "abbreviation": "ĐTN" if spec.issuer == "doan" else "CĐ",
            "place": place,
            "motto": DOAN if spec.issuer == "doan" else STATE,
            "motto_sub": None if spec.issuer == "doan" else STATE_MOTTO,
        }
    return {"upper": None, "lower": None, "abbreviation": "", "place": place}  # a person


def _header(spec: Form, ctx: Context, dossier: dict[str, Any], number: str | None) -> Context:
    issuer = _issuer(spec, ctx, dossier)
    kind = NUMBERED.get(spec.code)
    if not kind:
        number_line = None
    elif number:
        number_line = f"Số {number}"
    else:
        suffix = f"/{issuer['abbreviation']}" if issuer["abbreviation"] else ""
        number_line = f"Số ………-{kind}{suffix}"
    place = issuer["place"] or "……………"
    return {
        "upper": issuer["upper"],
        "lower": issuer["lower"],
        "number": number_line,
        "motto": issuer.get("motto", PARTY),
        "motto_sub": issuer.get("motto_sub"),
        "place": place,
        "place_date": f"{place}, {ctx['paper']['date']['words']}",
    }


def form_context(
    code: str,
    dossier: dict[str, Any],
    *,
    issued_on: date,
    number: str | None = None,
    verify_code: str | None = None,
    verify_url: str | None = None,
) -> Context:
    """The values form `code` prints for this dossier.

    `number` is the form's number as printed (``Số …``); ``None`` takes the number on record
    (decision, resolution, document on file), else leaves a blank. The date line shows the date on
    record, else a blank for the signer; `issued_on` is the day it is printed (the footer).
    Raises ``UnknownForm``, or ``MissingData`` naming every datum the form needs and lacks.
    """
    spec = check_data(code, dossier)
    d = _clean(_complete(dossier))
    paper = _paper(d, code)
    if number:
        paper["number"] = w.nfc(number)
    cell = d["cell"]
    ctx: Context = {
        "code": spec.code,
        "slug": spec.slug,
        "title": spec.title,
        "title_upper": w.upper(spec.title),
        "person": _person(d["person"]),
        "cell": {
            **cell,
            "name_upper": w.upper(cell["name"]),
            "committee": w.cell_committee(cell["name"]) if cell["name"] else None,
        },
        "grassroots": _body(d.get("grassroots")),
        "deciding": _body(d.get("deciding")),
        "province": d.get("province"),
        "mentor": d.get("mentor"),
        "certificate": None,
        "introductions": [],
        "paper": paper,
        "papers": {c: _paper(d, c) for c in ("6-KNĐ", "8-KNĐ", "9-KNĐ", "13-KNĐ", "15-KNĐ")},
        "issued_on": _date(issued_on),
        "verify_code": verify_code,
        "verify_url": verify_url,
        "qr_svg": None,
    }
    cert = d.get("certificate")
    if cert:
        ctx["certificate"] = {
            "number": None,
            "issuer": None,
            **cert,
            "issued": _date(cert.get("issued_on")),
        }
    ctx["introductions"] = [_introduction(i) for i in d.get("introductions") or []]
    ctx["members_introducing"] = [i for i in ctx["introductions"] if i["kind"] == "member"]
    # 3-KNĐ: one letter per introducing member; a blank one to fill in while there is none.
    ctx["letters"] = ctx["members_introducing"] or [_introduction({"kind": "member"})]
    votes = d.get("votes") or {}
    ctx["votes"] = {body: _vote(votes.get(body)) for body in {*VoteBody, *votes}}
    decisions = d.get("decisions") or {}
    ctx["decisions"] = {
        kind: {"number": None, "body": None, **(decisions.get(kind) or {})}
        for kind in {*_DECISIONS, *decisions}
    }
    for decision in ctx["decisions"].values():
        decision["signed"] = _date(decision.get("signed_on"))
        # Decisions are the committee's (Huyện ủy …), the body on record is its organisation.
        decision["by"] = w.committee_name(decision["body"]) if decision["body"] else None
    case = d.get("case") or {}
    ctx["case"] = {
        **case,
        "ceremony": _date(case.get("ceremony_on")),
        "probation_ends": _date(case.get("probation_ends_on")),
    }
    ctx["above"] = ctx["grassroots"] or ctx["deciding"]
    ctx["same_body"] = bool(ctx["grassroots"] and ctx["deciding"]) and (
        _identity(d["grassroots"]) == _identity(d["deciding"])
    )
    ctx["rules"] = {**_RULES, **(d.get("rules") or {})}
    ctx["header"] = _header(spec, ctx, d, paper["number"])
    extra = _EXTRA.get(code)
    if extra is not None:
        ctx.update(extra(ctx, d))
    return ctx


def _mass_introducer(ctx: Context, dossier: dict[str, Any], kind: str) -> Context:
    """The Đoàn's (Công đoàn's) introduction on record, else its executive committee unnamed."""
    intro = next((i for i in ctx["introductions"] if i["kind"] == kind), None)
    if intro is not None:
        return intro
    unit = next(
        (m["name"] for m in dossier["cell"].get("mass_organisations") or [] if m["kind"] == kind),
        None,
    )
    name = f"Ban Chấp hành {unit}" if unit else "Ban Chấp hành ……………………"
    return _introduction({"kind": kind, "name": name})


def _mass(kind: str) -> Callable[[Context, dict[str, Any]], Context]:
    def extra(ctx: Context, dossier: dict[str, Any]) -> Context:
        intro = _mass_introducer(ctx, dossier, kind)
        if not ctx["paper"]["date"]["iso"]:
            ctx["paper"]["date"] = intro["dated"]
            ctx["header"]["place_date"] = f"{ctx['header']['place']}, {intro['dated']['words']}"
        return {"organisation": intro}

    return extra


def _workplace(ctx: Context, dossier: dict[str, Any]) -> Context:
    names = [m["name"] for m in dossier["cell"].get("mass_organisations") or []]
    return {"workplace_organisations": names}


_EXTRA: dict[str, Callable[[Context, dict[str, Any]], Context]] = {
    "4-KNĐ": _mass("doan"),
    "4A-KNĐ": _mass("congdoan"),
    "5-KNĐ": _workplace,
    "12-KNĐ": _workplace,
}
