"""The header of a form: who issues it (left column), its number line, motto, place and date."""

from __future__ import annotations

from typing import Any

from documents import wording as w
from documents.context import values as v
from documents.context.values import Context
from documents.keys import lookup
from documents.registry import Form

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
        # The Đoàn's and the Công đoàn's own heading (never the Party's): the Đoàn writes
        # "ĐOÀN TNCS HỒ CHÍ MINH" and three stars, the Công đoàn the State's motto and no star.
        # The organisation above them is not in the tree: a blank to fill in by hand.
        return {
            "upper": w.DOTS,
            "lower": w.upper(mass_introducer(ctx, dossier, spec.issuer)["name"]),
            "abbreviation": "ĐTN" if spec.issuer == "doan" else "CĐ",
            "place": place,
            "motto": DOAN if spec.issuer == "doan" else STATE,
            "motto_sub": None if spec.issuer == "doan" else STATE_MOTTO,
            "star": "***" if spec.issuer == "doan" else None,
        }
    return {"upper": None, "lower": None, "abbreviation": "", "place": place}  # a person


def header(spec: Form, ctx: Context, dossier: dict[str, Any], number: str | None) -> Context:
    """The header lines of form `spec`: issuer, number (``Số …``), motto, place and date."""
    issuer = _issuer(spec, ctx, dossier)
    kind = NUMBERED.get(spec.code)
    if not kind:
        number_line = None
    elif number:
        number_line = f"Số {number}"
    else:
        suffix = f"/{issuer['abbreviation']}" if issuer["abbreviation"] else ""
        number_line = f"Số ………-{kind}{suffix}"
    # A body whose name is no place (Đảng ủy Công ty …) dates its papers where the deciding
    # body sits.
    place = issuer["place"] or (ctx["deciding"] or {}).get("place") or "……………"
    return {
        # The names keep their last two words together: no word alone on the last line.
        "upper": w.keep_last_words(issuer["upper"]),
        "lower": w.keep_last_words(issuer["lower"]),
        "star": issuer.get("star", "*"),
        "number": number_line,
        "motto": issuer.get("motto", PARTY),
        "motto_sub": issuer.get("motto_sub"),
        "place": place,
        "date": ctx["paper"]["date"],
        "place_date": f"{place}, {ctx['paper']['date']['words']}",
    }


def mass_introducer(ctx: Context, dossier: dict[str, Any], kind: str) -> Context:
    """The Đoàn's (Công đoàn's) introduction on record, else its executive committee unnamed."""
    intro = next((i for i in ctx["introductions"] if i["kind"] == kind), None)
    if intro is not None:
        return intro
    unit = next(
        (m["name"] for m in dossier["cell"].get("mass_organisations") or [] if m["kind"] == kind),
        None,
    )
    name = f"Ban Chấp hành {unit}" if unit else "Ban Chấp hành ……………………"
    return v.introduction({"kind": kind, "name": name})
