"""The safe context of one form: plain, formatted values built from the dossier dict.

Templates see only what this module returns: strings, numbers, lists and dicts. Dates come
formatted (``12/01/2005``, ``ngày 05 tháng 3 năm 2025``), names in capitals where the form wants
them, votes with their shares. A value the case does not have is ``None`` and the template prints
a dotted blank to be filled by hand.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from documents import wording as w
from documents.context import header as h
from documents.context import values as v
from documents.context.extras import EXTRA
from documents.context.values import Context
from documents.registry import FORMS, check_data
from workflow import legal
from workflow.states import VoteBody

_DECISIONS = ("admission", "recognition")
#: The stages whose forms name the bodies of the recognition's date.
_RECOGNITION_STAGES = ("recognition", "official")
#: The numbers the decisions print when the dossier does not carry them (domain.md).
_RULES = {"probation_months": 12, "ceremony_working_days": 30}


def stage_dossier(code: str, dossier: dict[str, Any]) -> dict[str, Any]:
    """The dossier as form `code` reads it: the recognition's forms (13-16-KNĐ) name the bodies
    of the recognition's date, the others those of the admission's (``db.read.dossier``)."""
    spec = FORMS.get(code)
    later = dossier.get("recognition_bodies")
    if spec is None or spec.stage not in _RECOGNITION_STAGES or not later:
        return dossier
    return {**dossier, **later}


def legal_basis(dossier: dict[str, Any], day: str) -> str | None:
    """The bases in force on `day` (ISO), as the "Căn cứ" line cites them; a dossier kept before
    it carried its bases cites the known ones."""
    bases = [legal.basis_of(b) for b in dossier.get("legal_bases") or ()]
    return legal.citation(legal.in_force(bases or legal.KNOWN_BASES, date.fromisoformat(day)))


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
    spec = check_data(code, stage_dossier(code, dossier))
    d = v.clean(v.complete(stage_dossier(code, dossier)))
    paper = v.paper(d, code)
    if number:
        paper["number"] = w.nfc(number)
    cell = d["cell"]
    ctx: Context = {
        "code": spec.code,
        "slug": spec.slug,
        "title": spec.title,
        "title_upper": w.upper(spec.title),
        "person": v.person(d["person"]),
        "cell": {
            **cell,
            "name_upper": w.upper(cell["name"]),
            "committee": w.cell_committee(cell["name"]) if cell["name"] else None,
        },
        "grassroots": v.body(d.get("grassroots")),
        "deciding": v.body(d.get("deciding")),
        "province": d.get("province"),
        "mentor": d.get("mentor"),
        "certificate": None,
        "introductions": [],
        "paper": paper,
        "papers": {c: v.paper(d, c) for c in ("6-KNĐ", "8-KNĐ", "9-KNĐ", "13-KNĐ", "15-KNĐ")},
        "issued_on": v.date_values(issued_on),
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
            "issued": v.date_values(cert.get("issued_on")),
        }
    ctx["introductions"] = [v.introduction(i) for i in d.get("introductions") or []]
    ctx["members_introducing"] = [i for i in ctx["introductions"] if i["kind"] == "member"]
    # 3-KNĐ: one letter per introducing member; a blank one to fill in while there is none.
    ctx["letters"] = ctx["members_introducing"] or [v.introduction({"kind": "member"})]
    votes = d.get("votes") or {}
    ctx["votes"] = {body: v.vote(votes.get(body)) for body in {*VoteBody, *votes}}
    decisions = d.get("decisions") or {}
    ctx["decisions"] = {
        kind: {"number": None, "body": None, **(decisions.get(kind) or {})}
        for kind in {*_DECISIONS, *decisions}
    }
    for decision in ctx["decisions"].values():
        decision["signed"] = v.date_values(decision.get("signed_on"))
        # Decisions are the committee's (Huyện ủy …), the body on record is its organisation.
        decision["by"] = w.committee_name(decision["body"]) if decision["body"] else None
    case = d.get("case") or {}
    ctx["case"] = {
        **case,
        "ceremony": v.date_values(case.get("ceremony_on")),
        "probation_ends": v.date_values(case.get("probation_ends_on")),
    }
    ctx["above"] = ctx["grassroots"] or ctx["deciding"]
    ctx["same_body"] = bool(ctx["grassroots"] and ctx["deciding"]) and (
        v.identity(d["grassroots"]) == v.identity(d["deciding"])
    )
    ctx["rules"] = {**_RULES, **(d.get("rules") or {})}
    ctx["called"] = w.called(spec.stage)
    ctx["relatives"] = {
        subject: [r["name"] for r in d["relatives"] if r["subject"] == subject]
        for subject in ("father", "mother", "spouse", "child")
    }
    ctx["legal_basis"] = legal_basis(d, paper["date"]["iso"] or issued_on.isoformat())
    ctx["header"] = h.header(spec, ctx, d, paper["number"])
    extra = EXTRA.get(code)
    if extra is not None:
        ctx.update(extra(ctx, d))
    return ctx
